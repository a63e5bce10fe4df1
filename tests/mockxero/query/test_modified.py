"""If-Modified-Since: ISO-8601 and HTTP dates, to the second; unreadable headers are ignored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockxero.query.modified import modified_since, parse_if_modified_since

UTC = UTC
NOON = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "header",
    [
        "2026-01-15T12:00:00",  # xero-python, naive datetime: UTC
        "2026-01-15T12:00:00.654321",  # ... with microseconds, cut to the second
        "2026-01-15T12:00:00Z",
        "2026-01-15T12:00:00+00:00",
        "2026-01-15T04:00:00.202-08:00",  # the spec's example form
        "2026-01-16T01:00:00.1234567+13:00",  # .NET's seven fractional digits
        "Thu, 15 Jan 2026 12:00:00 GMT",  # RFC 1123
        "Thu, 15 Jan 2026 13:00:00 +0100",
    ],
)
def test_both_header_forms_give_the_same_instant(header):
    assert parse_if_modified_since(header) == NOON


@pytest.mark.parametrize(
    "header", [None, "", "  ", "yesterday", "2026-13-45T00:00:00", "Thu, 99 Foo 2026", "/Date(9e99)/"]
)
def test_absent_or_unreadable_headers_are_ignored(header):
    assert parse_if_modified_since(header) is None


def test_comparison_is_accurate_to_the_second():
    since = parse_if_modified_since("2026-01-15T12:00:00.900")
    assert modified_since(NOON, since)
    assert modified_since(NOON + timedelta(milliseconds=999), since)
    assert not modified_since(NOON - timedelta(milliseconds=1), since)
    assert not modified_since(None, since)
