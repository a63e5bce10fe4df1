"""JSON to and from Xero with exact money: Decimals go out as the numbers they are and come back as Decimals.

``json.dumps`` knows no Decimal, and turning one into a float first would send ``0.1 + 0.2`` artefacts to
an accounting system; a string would change the field's JSON type. So bodies are written by hand here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
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
