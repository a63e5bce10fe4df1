"""``objects:``: a partial match on Xero state. Fields the scenario does not name are ignored; money is
compared exactly (``"15.00"`` equals 15.0 from JSON, not 15.001); ``!any``, ``!uuid`` and ``!date`` stand
for what a scenario cannot know; ``null`` for a record says it must not be in Xero at all."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from scenarios.format.document import Placeholder

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
XERO_DATE = re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$|^\d{4}-\d{2}-\d{2}")
# the section an expectation names → the kind of billing record whose Xero object it is
SECTIONS = {
    "contacts": "contact",
    "invoices": "invoice",
    "payments": "payment",
    "fees": "fee",
    "transfers": "transfer",
    "credit_notes": "credit_note",
    "allocations": "allocation",
    "refunds": "refund",
    "disputes": "dispute",
}


def render(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Placeholder):
        return str(value)
    if value is None:
        return "null"
    return str(value)


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def differences(expected: Any, actual: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str, Any, Any]]:
    """(path, why, expected, actual) for each place ``actual`` does not match ``expected``."""
    if isinstance(expected, Placeholder):
        ok = {
            "any": actual is not None,
            "uuid": isinstance(actual, str) and bool(GUID.match(actual)),
            "date": isinstance(actual, (str, date)) and bool(XERO_DATE.match(str(actual))),
            "absent": actual is None,
        }.get(expected.kind, False)
        if not ok:
            yield path, f"is not {expected}", expected, actual
        return
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            yield path, "is not an object", "{…}", actual
            return
        for key, child in expected.items():
            if key not in actual and not (isinstance(child, Placeholder) and child.kind == "absent"):
                yield (*path, key), "is missing", child, None
            else:
                yield from differences(child, actual.get(key), (*path, key))
        return
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            count = len(actual) if isinstance(actual, list) else "no list"
            yield path, f"has {count} entries, expected {len(expected)}", len(expected), count
            return
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            yield from differences(want, got, (*path, index))
        return
    want_money, got_money = _as_decimal(expected), _as_decimal(actual)
    if isinstance(expected, str) and want_money is not None and got_money is not None:
        if want_money != got_money:
            yield path, "differs", expected, actual
        return
    if isinstance(expected, date):
        expected = expected.isoformat()
        if isinstance(actual, str) and actual.startswith(expected):
            return
    if expected != actual:
        yield path, "differs", expected, actual
