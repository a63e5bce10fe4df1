"""The retry policy is one pure function; this table is its specification."""

from datetime import UTC, datetime, timedelta

import pytest

from syncer.xero.retry import Event, GiveUp, Retry, RetryPolicy, StopForDay, decide, parse_retry_after

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=8.0, jitter_share=0.5)


@pytest.mark.parametrize(
    ("attempt", "event", "jitter", "expected"),
    [
        (1, Event.connection_error(), 0.0, Retry(1.0, "connection error: backing off 1 s before attempt 2")),
        (2, Event.timeout(), 0.0, Retry(2.0, "timeout: backing off 2 s before attempt 3")),
        (3, Event.http(503), 0.0, Retry(4.0, "HTTP 503: backing off 4 s before attempt 4")),
        (4, Event.http(500), 0.0, Retry(8.0, "HTTP 500: backing off 8 s before attempt 5")),
        (2, Event.http(502), 0.5, Retry(1.5, "HTTP 502: backing off 1.5 s before attempt 3")),  # jitter takes 25 %
        (1, Event.http(429, 7, "minute"), 0.0, Retry(7, "HTTP 429 (minute limit): waiting 7 s as Retry-After says")),
        (
            1,
            Event.http(429, 0.5, "concurrent"),
            0.0,
            Retry(1.0, "HTTP 429 (concurrent limit): backing off 1 s before attempt 2"),
        ),
        (
            1,
            Event.http(429, 30, "appminute"),
            0.0,
            Retry(30, "HTTP 429 (appminute limit): waiting 30 s as Retry-After says"),
        ),
        (5, Event.http(503), 0.0, GiveUp("HTTP 503 on attempt 5 of 5")),
        (1, Event.http(400), 0.0, GiveUp("HTTP 400 is not retried: sending the same request again cannot succeed")),
        (1, Event.http(404), 0.0, GiveUp("HTTP 404 is not retried: sending the same request again cannot succeed")),
        (1, Event.http(501), 0.0, GiveUp("HTTP 501 is not retried: sending the same request again cannot succeed")),
        (
            1,
            Event.http(429, 3600, "day"),
            0.0,
            StopForDay(NOW + timedelta(seconds=3600), "HTTP 429 (day limit): the daily call limit is used up"),
        ),
        (
            1,
            Event.http(429, None, "day"),
            0.0,
            StopForDay(NOW + timedelta(days=1), "HTTP 429 (day limit): the daily call limit is used up"),
        ),
    ],
)
def test_the_policy_table(attempt, event, jitter, expected):
    assert decide(POLICY, attempt, event, NOW, jitter) == expected


def test_backoff_is_capped():
    assert POLICY.backoff(10, 0.0) == 8.0


@pytest.mark.parametrize(
    ("header", "seconds"), [("7", 7.0), (" 12 ", 12.0), ("soon", None), ("-1", None), (None, None)]
)
def test_retry_after_is_read_as_seconds_or_ignored(header, seconds):
    assert parse_retry_after(header) == seconds


def test_a_policy_that_makes_no_sense_is_refused():
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        RetryPolicy(max_attempts=0)
