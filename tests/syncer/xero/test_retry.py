"""The retry policy as a table: (attempt, what happened, jitter) -> the decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syncer.xero.retry import Event, GiveUp, Retry, RetryPolicy, StopForDay, decide, parse_retry_after

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=8.0, jitter_share=0.5)

RETRIED = [
    # (attempt, event, jitter, expected delay)
    (1, Event.connection_error(), 0.0, 1.0),
    (2, Event.connection_error(), 0.0, 2.0),
    (3, Event.timeout(), 0.0, 4.0),
    (4, Event.timeout(), 0.0, 8.0),
    (1, Event.http(500), 0.5, 0.75),  # jitter takes off up to half
    (2, Event.http(502), 0.0, 2.0),
    (1, Event.http(503), 0.0, 1.0),
    (1, Event.http(504), 0.0, 1.0),
    (1, Event.http(503, retry_after=30), 0.0, 30.0),  # Retry-After longer than the backoff wins
    (3, Event.http(503, retry_after=1), 0.0, 4.0),  # ...and never shortens it
    (1, Event.http(429, retry_after=7, problem="minute"), 0.0, 7.0),
    (1, Event.http(429, retry_after=2, problem="appminute"), 0.0, 2.0),
    (1, Event.http(429, retry_after=1, problem="Concurrent"), 0.9, 1.0),
    (1, Event.http(429), 0.0, 1.0),  # no problem header: treated as a passing limit
]


@pytest.mark.parametrize(("attempt", "event", "jitter", "delay"), RETRIED)
def test_retried_events_wait_the_capped_backoff_or_retry_after(attempt, event, jitter, delay):
    decision = decide(POLICY, attempt, event, NOW, jitter)
    assert isinstance(decision, Retry)
    assert decision.delay == pytest.approx(delay)


def test_the_backoff_is_capped_at_max_delay():
    assert decide(POLICY, 4, Event.timeout(), NOW, 0.0) == Retry(8.0, "timeout: backing off 8 s before attempt 5")
    assert RetryPolicy(max_attempts=20, max_delay=8.0).backoff(15, 0.0) == 8.0


NOT_RETRIED = [
    (Event.http(400), "HTTP 400 is not retried: sending the same request again cannot succeed"),
    (Event.http(401), "HTTP 401 is not retried: sending the same request again cannot succeed"),
    (Event.http(403), "HTTP 403 is not retried: sending the same request again cannot succeed"),
    (Event.http(404), "HTTP 404 is not retried: sending the same request again cannot succeed"),
    (Event.http(422), "HTTP 422 is not retried: sending the same request again cannot succeed"),
    (Event.http(501), "HTTP 501 is not retried: sending the same request again cannot succeed"),
]


@pytest.mark.parametrize(("event", "reason"), NOT_RETRIED)
def test_client_errors_are_never_retried(event, reason):
    assert decide(POLICY, 1, event, NOW, 0.0) == GiveUp(reason)


def test_the_last_attempt_gives_up():
    assert decide(POLICY, 5, Event.http(503), NOW, 0.0) == GiveUp("HTTP 503 on attempt 5 of 5")
    assert isinstance(decide(POLICY, 4, Event.http(503), NOW, 0.0), Retry)


def test_a_day_limit_429_stops_the_run_until_retry_after():
    decision = decide(POLICY, 1, Event.http(429, retry_after=3600, problem="day"), NOW, 0.0)
    assert decision == StopForDay(NOW + timedelta(hours=1), "HTTP 429 (day limit): the daily call limit is used up")


def test_a_day_limit_429_without_retry_after_resumes_a_day_later():
    decision = decide(POLICY, 1, Event.http(429, problem="DAY"), NOW, 0.0)
    assert isinstance(decision, StopForDay)
    assert decision.resume_at == NOW + timedelta(days=1)


@pytest.mark.parametrize(("value", "seconds"), [("7", 7.0), (" 2.5 ", 2.5), (None, None), ("soon", None), ("-1", None)])
def test_retry_after_is_read_as_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


@pytest.mark.parametrize("jitter", [-0.1, 1.0])
def test_jitter_outside_zero_to_one_is_refused(jitter):
    with pytest.raises(ValueError, match="jitter must be in"):
        decide(POLICY, 1, Event.timeout(), NOW, jitter)


def test_policy_settings_are_checked():
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="need 0 <= base_delay <= max_delay"):
        RetryPolicy(base_delay=10, max_delay=1)
