"""The ``If-Modified-Since`` request header.

Xero returns "only records created or modified since this timestamp", "accurate to the second". Clients
send it in ISO-8601 (xero-python uses ``datetime.isoformat()``: with or without an offset and fraction;
no offset means UTC) or as an HTTP date (RFC 1123, ``Wed, 21 Oct 2015 07:28:00 GMT``).

The mock keeps a record when its ``UpdatedDateUTC``, cut to the whole second, is at or after the header's
instant cut to the whole second, so re-using the newest ``UpdatedDateUTC`` seen as the next header never
misses a record changed later in the same second (it re-sends that boundary record instead). A header it
cannot read is ignored, as HTTP says a server must do with an invalid ``If-Modified-Since``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .. import wire


def parse_if_modified_since(raw: str | None) -> datetime | None:
    """The header's instant, cut to the second and in UTC; ``None`` when absent or unreadable."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    instant: datetime | None
    try:
        instant = wire.parse_datetime(text)
    except (ValueError, OverflowError):
        instant = _http_date(text)
    if instant is None:
        return None
    return to_second(instant)


def _http_date(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000" means UTC with no claim about local time
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_second(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC).replace(microsecond=0)


def modified_since(value: object, since: datetime) -> bool:
    """Whether a record's ``UpdatedDateUTC`` counts as modified since ``since`` (already cut to a second)."""
    return isinstance(value, datetime) and to_second(value) >= since
