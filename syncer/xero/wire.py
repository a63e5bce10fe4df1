"""JSON to and from Xero with exact money: Decimals go out as the numbers they are and come back as Decimals.

``json.dumps`` knows no Decimal, and turning one into a float first would send ``0.1 + 0.2`` artefacts to
an accounting system; a string would change the field's JSON type. So bodies are written by hand here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def dumps(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not an amount Xero can take")
        return format(value, "f")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Enum):
        return json.dumps(value.value)
    if isinstance(value, str | int):
        return json.dumps(value)
    if isinstance(value, float):
        raise TypeError("a float in a Xero body: money must be Decimal")
    if isinstance(value, datetime | date):
        return json.dumps(value.isoformat())
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(key))}:{dumps(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    raise TypeError(f"cannot send {type(value).__name__} to Xero")


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def xero_day(value: Any) -> date | None:
    """The calendar day of a date as Xero's JSON writes it: ``/Date(1704067200000+0000)/`` (milliseconds
    since the epoch; the offset only says which zone the day was entered in) or ISO ``2024-01-01T00:00:00``."""
    if not isinstance(value, str):
        return None
    found = _MS_DATE.match(value)
    if found:
        return datetime.fromtimestamp(int(found.group(1)) / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
