"""Pacing from Xero's limit headers, on a clock that only moves when the budget waits."""

from datetime import timedelta

import pytest

from syncer.clock import FakeClock
from syncer.xero.budget import CallBudget, Limits, estimate
from syncer.xero.errors import DailyLimitReached

TENANT = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"


def budget(**limits) -> tuple[CallBudget, FakeClock]:
    clock = FakeClock()
    return CallBudget(TENANT, clock, Limits(**limits), safety=timedelta(0)), clock


def test_a_small_run_goes_at_once():
    calls, clock = budget()
    for _ in range(10):
        with calls.slot() as waited:
            calls.observe({"X-MinLimit-Remaining": "59", "X-DayLimit-Remaining": "4990"})
        assert waited == 0
    assert clock.sleeps == []


def test_when_the_header_says_few_calls_are_left_they_are_spread_over_the_rest_of_the_minute():
    calls, clock = budget()
    with calls.slot():
        calls.observe({"X-MinLimit-Remaining": "4"})  # another process used most of this minute
    waits = []
    for _ in range(3):
        with calls.slot() as waited:
            waits.append(waited)
    assert waits[0] > 0 and sum(waits) <= 60
    assert clock.sleeps == [w for w in waits if w]


def test_no_rolling_minute_ever_holds_more_calls_than_the_limit():
    calls, clock = budget(minute=3)
    sent = []
    for _ in range(7):
        with calls.slot():
            sent.append(clock.now())
    for index, first in enumerate(sent):
        assert len([at for at in sent[index:] if at - first < timedelta(seconds=60)]) <= 3
    assert sent[-1] - sent[0] >= timedelta(seconds=60)  # it waited rather than sending into a 429


def test_a_429_holds_the_next_call_for_its_retry_after():
    calls, clock = budget()
    calls.refused("minute", 7)
    with calls.slot() as waited:
        pass
    assert waited == 7


def test_the_day_limit_ends_the_run_with_the_time_it_can_resume():
    calls, clock = budget(day=2)
    for _ in range(2):
        with calls.slot():
            pass
    with pytest.raises(DailyLimitReached) as stop:
        calls.acquire()
    assert stop.value.resume_at > clock.now()
    assert "the run can continue at" in str(stop.value)


def test_a_day_limit_header_of_zero_stops_too():
    calls, _ = budget()
    with calls.slot():
        calls.observe({"X-DayLimit-Remaining": "0"})
    with pytest.raises(DailyLimitReached):
        calls.acquire()


def test_never_more_than_the_concurrency_limit_in_flight():
    calls, _ = budget(concurrent=2)
    calls.acquire()
    calls.acquire()
    assert calls.in_flight == 2
    calls.release()
    calls.acquire()
    assert calls.in_flight == 2


@pytest.mark.parametrize(
    ("backlog", "duration"),
    [(60, timedelta(minutes=1)), (10_000, timedelta(days=1) + timedelta(minutes=5_000 / 60))],
)
def test_plan_estimates_a_backlog_at_xeros_limits(backlog, duration):
    assert estimate(backlog) == duration
