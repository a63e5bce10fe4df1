from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from syncer.xero.jsonbody import dumps, loads


def test_decimals_are_written_digit_for_digit():
    assert dumps({"A": Decimal("1.10"), "B": Decimal("1E+2"), "C": [Decimal("-0.005"), 3, True, None]}) == (
        '{"A":1.10,"B":100,"C":[-0.005,3,true,null]}'
    )
    assert dumps({"Date": date(2026, 1, 2)}) == '{"Date":"2026-01-02"}'


def test_numbers_parse_to_decimal():
    assert loads('{"Amount": 55.00}') == {"Amount": Decimal("55.00")}


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (1.5, TypeError, "a float in a Xero body: use Decimal"),
        (Decimal("NaN"), ValueError, "amounts must be finite"),
        (object(), TypeError, "cannot send object to Xero"),
    ],
)
def test_what_cannot_be_sent_exactly_is_refused(value, error, message):
    with pytest.raises(error, match=message):
        dumps({"Amount": value})
