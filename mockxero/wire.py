"""Xero's wire formats: JSON with exact decimals, and the ``/Date(ms+0000)/`` date form.

Pure functions only; marshmallow fields (``mockxero.schemas.fields``) and the response layer build on them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring_ascii
from typing import Any

import orjson

UTC = UTC
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# /Date(1552262400000)/, /Date(1552262400000+0000)/, /Date(-86400000-0500)/
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{2}:?\d{2})?\)/$")
# .NET writes up to 7 fractional digits; Python's fromisoformat copes with 6 at most before 3.12.
_ISO_FRACTION = re.compile(r"(\.\d{6})\d+")


class WireFormatError(ValueError):
    """A value that is not in any date/number form Xero accepts."""


# --- JSON ----------------------------------------------------------------------------------------------


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping every number with a fraction as an exact ``Decimal``."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except RecursionError:
        # Python's parser recurses per nesting level; report hostile depth as bad JSON, not a crash.
        raise ValueError("the JSON is nested too deeply") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid number")


def dumps(value: Any) -> str:
    """Serialise to JSON, writing ``Decimal`` as a JSON number with its exact digits (``55.00``)."""
    out: list[str] = []
    _encode(value, out.append)
    return "".join(out)


def dumps_bytes(value: Any) -> bytes:
    """``dumps`` as UTF-8 bytes, written by orjson where it can: the text differs only in that characters
    beyond ASCII are written as themselves (as .NET's JSON writer does) rather than as ``\\u`` escapes.
    Anything orjson refuses (a non-string key, an integer beyond 64 bits) is written by ``dumps``."""
    try:
        return orjson.dumps(value, default=_orjson_leaf, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        return dumps(value).encode()


def _orjson_leaf(value: Any) -> Any:
    kind = type(value)
    if kind is Decimal:
        return orjson.Fragment(_decimal_text(value))
    if kind is datetime:
        return ms_datetime(value)
    if kind is date:
        return ms_date(value)
    raise TypeError  # orjson then raises JSONEncodeError and ``dumps`` takes the value


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot serialise non-finite number {value}")
    return format(value, "f")


# The leaves of the exact types a record holds, looked up by type: a response is mostly leaves, and one
# dict lookup is cheaper than walking an isinstance chain for each. Subclasses (a StrEnum, an IntEnum)
# are not in it and take the general path, which writes them the same way.
_LEAVES: dict[type, Callable[[Any], str]] = {
    str: encode_basestring_ascii,
    type(None): lambda value: "null",
    bool: lambda value: "true" if value else "false",
    Decimal: _decimal_text,
    int: int.__repr__,
    float: float.__repr__,  # only reachable from code outside the money path
    datetime: lambda value: encode_basestring_ascii(ms_datetime(value)),
    date: lambda value: encode_basestring_ascii(ms_date(value)),
}


def _encode(value: Any, write: Callable[[str], Any]) -> None:
    kind = type(value)
    leaf = _LEAVES.get(kind)
    if leaf is not None:
        write(leaf(value))
    elif kind is dict:
        write("{")
        first = True
        for key, item in value.items():
            if first:
                first = False
            else:
                write(",")
            write(encode_basestring_ascii(key if type(key) is str else str(key)))
            write(":")
            # the leaf lookup is repeated here rather than called: items are the hot path of every answer
            leaf = _LEAVES.get(type(item))
            if leaf is not None:
                write(leaf(item))
            else:
                _encode(item, write)
        write("}")
    elif kind is list:
        write("[")
        for index, item in enumerate(value):
            if index:
                write(",")
            leaf = _LEAVES.get(type(item))
            if leaf is not None:
                write(leaf(item))
            else:
                _encode(item, write)
        write("]")
    else:
        _encode_general(value, write)


def _encode_general(value: Any, write: Callable[[str], Any]) -> None:
    """Subclasses of the JSON types (enums, ordered dicts) and tuples, by what they are."""
    if value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif isinstance(value, str):
        write(encode_basestring_ascii(value))
    elif isinstance(value, Decimal):
        write(_decimal_text(value))
    elif isinstance(value, int):
        write(int.__repr__(value))
    elif isinstance(value, float):
        write(float.__repr__(value))
    elif isinstance(value, dict):
        write("{")
        first = True
        for key, item in value.items():
            if not first:
                write(",")
            first = False
            write(encode_basestring_ascii(str(key)))
            write(":")
            _encode(item, write)
        write("}")
    elif isinstance(value, (list, tuple)):
        write("[")
        for index, item in enumerate(value):
            if index:
                write(",")
            _encode(item, write)
        write("]")
    elif isinstance(value, datetime):
        write(encode_basestring_ascii(ms_datetime(value)))
    elif isinstance(value, date):
        write(encode_basestring_ascii(ms_date(value)))
    else:
        raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


# --- dates ---------------------------------------------------------------------------------------------


def _epoch_ms(instant: datetime) -> int:
    delta = instant.astimezone(UTC) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def ms_datetime(instant: datetime) -> str:
    """A resource timestamp: ``/Date(1552262400000+0000)/``."""
    return f"/Date({_epoch_ms(instant)}+0000)/"


def ms_date(day: date) -> str:
    """A date-only field: midnight UTC in the same form."""
    return ms_datetime(datetime.combine(day, time(0), tzinfo=UTC))


def ms_envelope_datetime(instant: datetime) -> str:
    """The envelope's ``DateTimeUTC``, which Xero writes without an offset."""
    return f"/Date({_epoch_ms(instant)})/"


def parse_datetime(text: str) -> datetime:
    """Accept ``/Date(ms[+hhmm])/``, ISO date-time (naive means UTC) or ``YYYY-MM-DD``; return UTC."""
    if not isinstance(text, str):
        raise WireFormatError(f"expected a date string, got {type(text).__name__}")
    raw = text.strip()
    match = _MS_DATE.match(raw)
    try:
        if match:
            return EPOCH + timedelta(milliseconds=int(match.group(1)))
        candidate = _ISO_FRACTION.sub(r"\1", raw)
        if candidate.endswith(("Z", "z")):
            candidate = candidate[:-1] + "+00:00"
        parsed = datetime.fromisoformat(candidate)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except ValueError:
        raise WireFormatError(f"'{text}' is not a valid date") from None
    except OverflowError:  # a well-formed instant outside years 1-9999 (as .NET's DateTime is)
        raise WireFormatError(f"'{text}' is outside the range of dates") from None


def parse_date(text: str) -> date:
    """A date-only field. ``/Date(ms)/`` is read as the UTC day; ISO date-times keep their calendar day."""
    if not isinstance(text, str):
        raise WireFormatError(f"expected a date string, got {type(text).__name__}")
    raw = text.strip()
    if _MS_DATE.match(raw):
        return parse_datetime(raw).date()
    candidate = _ISO_FRACTION.sub(r"\1", raw)
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        if len(candidate) == 10:
            return date.fromisoformat(candidate)
        return datetime.fromisoformat(candidate).date()
    except ValueError:
        raise WireFormatError(f"'{text}' is not a valid date") from None


# --- money ---------------------------------------------------------------------------------------------


def parse_decimal(value: Any) -> Decimal:
    """A JSON number or numeric string as ``Decimal``; booleans, NaN and infinities are refused."""
    if isinstance(value, bool):
        raise WireFormatError(f"'{value}' is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise WireFormatError(f"'{value}' is not a number") from None
    else:
        raise WireFormatError(f"'{value}' is not a number")
    if not result.is_finite():
        raise WireFormatError(f"'{value}' is not a finite number")
    return result
