from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mockxero import wire


def test_decimals_are_written_with_their_exact_digits():
    assert (
        wire.dumps({"Total": Decimal("55.00"), "Rate": Decimal("1.0000000000")})
        == '{"Total":55.00,"Rate":1.0000000000}'
    )


def test_json_numbers_are_read_as_decimals():
    assert wire.loads('{"UnitAmount": 0.1}') == {"UnitAmount": Decimal("0.1")}


def test_nan_is_refused_on_input():
    with pytest.raises(ValueError):
        wire.loads('{"Amount": NaN}')


def test_dates_are_written_as_ms_dates_at_utc_midnight():
    assert wire.ms_date(date(2019, 3, 11)) == "/Date(1552262400000+0000)/"


def test_envelope_datetime_has_no_offset():
    instant = datetime(2019, 3, 11, 0, 0, 0, 123000, tzinfo=UTC)
    assert wire.ms_envelope_datetime(instant) == "/Date(1552262400123)/"


@pytest.mark.parametrize(
    "text",
    [
        "2019-03-11",
        "2019-03-11T00:00:00",
        "2019-03-11T23:59:59.8149528Z",
        "/Date(1552262400000)/",
        "/Date(1552262400000+0000)/",
    ],
)
def test_every_accepted_date_form_reads_as_the_same_day(text):
    assert wire.parse_date(text) == date(2019, 3, 11)


def test_ms_datetime_with_offset_is_utc():
    assert wire.parse_datetime("/Date(1552262400000+1300)/") == datetime(2019, 3, 11, tzinfo=UTC)


@pytest.mark.parametrize("text", ["11/03/2019", "", "/Date(abc)/", "2019-13-01"])
def test_unreadable_dates_are_refused(text):
    with pytest.raises(wire.WireFormatError):
        wire.parse_date(text)


@pytest.mark.parametrize("value", [True, "abc", "NaN", "Infinity", [], None])
def test_non_numbers_are_refused_as_money(value):
    with pytest.raises(wire.WireFormatError):
        wire.parse_decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "/Date(99999999999999999999)/",  # more milliseconds than a timedelta holds
        "/Date(253402300800000+0000)/",  # 10000-01-01: past the last day a date can be
        "9999-12-31T23:00:00-05:00",  # in UTC that is already the year 10000
        "0001-01-01T00:30:00+01:00",  # in UTC that is still the year 0
    ],
)
def test_instants_outside_the_calendar_are_refused_not_crashed_on(text):
    with pytest.raises(wire.WireFormatError):
        wire.parse_datetime(text)


@pytest.mark.parametrize("text", ["/Date(99999999999999999999)/", "/Date(253402300800000+0000)/"])
def test_ms_dates_outside_the_calendar_are_refused_not_crashed_on(text):
    with pytest.raises(wire.WireFormatError):
        wire.parse_date(text)


def test_subclasses_of_the_json_types_are_written_as_their_values():
    from collections import OrderedDict
    from enum import IntEnum, StrEnum

    class Status(StrEnum):
        PAID = "PAID"

    class Level(IntEnum):
        TWO = 2

    value = {
        "Status": Status.PAID,
        Status.PAID: [Level.TWO, (1, "x"), OrderedDict(a=Decimal("1.50"))],
        "When": [date(2019, 3, 11), datetime(2019, 3, 11, tzinfo=UTC)],
        "Flags": [True, False, None, 0],
    }
    assert wire.dumps(value) == (
        '{"Status":"PAID","PAID":[2,[1,"x"],{"a":1.50}],'
        '"When":["/Date(1552262400000+0000)/","/Date(1552262400000+0000)/"],"Flags":[true,false,null,0]}'
    )


@pytest.mark.parametrize("value", [Decimal("NaN"), [Decimal("Infinity")], {"Amount": Decimal("-Infinity")}])
def test_a_non_finite_number_is_refused_on_output(value):
    with pytest.raises(ValueError, match="cannot serialise non-finite number"):
        wire.dumps(value)


def test_a_value_json_cannot_hold_is_refused_naming_its_type():
    with pytest.raises(TypeError, match="cannot serialise set to JSON"):
        wire.dumps({"Set": {1}})


def test_dumps_bytes_writes_what_dumps_writes_with_characters_beyond_ascii_as_themselves():
    value = {
        "Amount": Decimal("55.00"),
        "Rate": Decimal("1.0000000000"),
        "Date": date(2026, 1, 2),
        "At": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "Name": "Café",
        "Paid": True,
        "Note": None,
    }
    assert wire.dumps_bytes(value).decode() == wire.dumps(value).replace("\\u00e9", "é")
    assert b'"Amount":55.00,"Rate":1.0000000000,' in wire.dumps_bytes(value)


def test_dumps_bytes_hands_what_orjson_refuses_to_dumps():
    value = {"Big": 10**30, "Keys": {1: "one"}}
    assert wire.dumps_bytes(value) == wire.dumps(value).encode()
