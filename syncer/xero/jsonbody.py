"""JSON for Xero bodies with money kept exact: numbers parse to ``Decimal``, ``Decimal`` writes as a number."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any


def loads(text: str | bytes) -> Any:
    return json.loads(text, parse_float=Decimal)


def dumps(value: Any) -> str:
    """JSON text in which a ``Decimal`` is written digit for digit (``Decimal("1.10")`` -> ``1.10``)."""
    return "".join(_encode(value))


def _encode(value: Any):
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be sent to Xero: amounts must be finite")
        yield format(value, "f")  # plain digits, never an exponent, scale kept: 1.10 stays 1.10
    elif isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        yield json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float):
        raise TypeError("a float in a Xero body: use Decimal for amounts")
    elif isinstance(value, date):  # datetime too: both write ISO 8601
        yield json.dumps(value.isoformat())
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            if index:
                yield ","
            yield json.dumps(str(key), ensure_ascii=False)
            yield ":"
            yield from _encode(item)
        yield "}"
    elif isinstance(value, (list, tuple)):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _encode(item)
        yield "]"
    else:
        raise TypeError(f"cannot send {type(value).__name__} to Xero as JSON")
