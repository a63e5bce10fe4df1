"""The call budget's pacing from headers, on a fake clock (nothing really waits)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncer.clock import FakeClock
from syncer.xero.budget import CallBudget, Limits, TenantBudgets, estimate
from syncer.xero.errors import DailyLimitReached

TENANT = "tenant-1"


def budget(clock: FakeClock, **limits) -> CallBudget:
    return CallBudget(TENANT, clock, Limits(**limits) if limits else Limits(), safety=timedelta(0))


def test_a_fresh_budget_lets_the_first_call_go_at_once():
    clock = FakeClock()
    assert budget(clock).acquire() == 0.0
    assert clock.sleeps == []


def test_minute_calls_are_spread_over_the_window_instead_of_bursting():
    clock = FakeClock()
    calls = budget(clock)
    start = clock.now()
    for _ in range(121):
        with calls.slot():
            pass
    # 121 calls at most 60 a minute need two full windows; spreading keeps every call inside its limit
    elapsed = clock.now() - start
    assert timedelta(seconds=120) <= elapsed <= timedelta(seconds=125)
    assert max(clock.sleeps) < 2  # no call waited out a whole window: they were spread


def test_no_rolling_minute_ever_holds_more_than_the_limit():
    clock = FakeClock()
    calls = budget(clock, minute=10)
    sent = []
    for _ in range(35):
        with calls.slot():
            sent.append(clock.now())
    for instant in sent:
        assert sum(1 for other in sent if instant <= other < instant + timedelta(minutes=1)) <= 10


def test_a_low_minute_header_slows_the_next_call():
    clock = FakeClock()
    calls = budget(clock)
    with calls.slot():
        calls.observe({"X-MinLimit-Remaining": "2", "X-DayLimit-Remaining": "4000"})
    # another process used the tenant: two calls left in a window that ends a minute after the reading
    assert calls.wait_before_next() == pytest.approx(30.0)
    assert calls.minute_left() == 2


def test_a_zero_minute_header_waits_for_the_window():
    clock = FakeClock()
    calls = budget(clock)
    with calls.slot():
        calls.observe({"X-MinLimit-Remaining": "0"})
    assert calls.acquire() == pytest.approx(60.0)


def test_an_exhausted_app_minute_waits_too():
    clock = FakeClock()
    calls = budget(clock)
    with calls.slot():
        calls.observe({"X-AppMinLimit-Remaining": "0", "X-MinLimit-Remaining": "59"})
    assert calls.wait_before_next() == pytest.approx(60.0)


def test_the_day_limit_raises_with_the_time_the_run_can_resume():
    clock = FakeClock()
    calls = budget(clock)
    first = clock.now()
    with calls.slot():
        calls.observe({"X-DayLimit-Remaining": "0"})
    with pytest.raises(DailyLimitReached) as raised:
        calls.acquire()
    assert raised.value.resume_at == first + timedelta(days=1)
    assert raised.value.tenant_id == TENANT
    assert "the run can continue at 2026-01-16T09:00:00+00:00" in str(raised.value)
    assert calls.in_flight == 0  # a refused acquire holds no slot


def test_the_day_budget_counts_own_calls():
    clock = FakeClock()
    calls = budget(clock, day=3, minute=60)
    for _ in range(3):
        with calls.slot():
            pass
    assert calls.day_left() == 0
    with pytest.raises(DailyLimitReached):
        calls.acquire()
    clock.advance(86_400)
    assert calls.day_left() == 3


def test_a_429_holds_every_call_until_retry_after():
    clock = FakeClock()
    calls = budget(clock)
    calls.refused("minute", 7)
    assert calls.acquire() == pytest.approx(7.0)


def test_a_day_429_stops_until_retry_after():
    clock = FakeClock()
    calls = budget(clock)
    calls.refused("day", 600)
    with pytest.raises(DailyLimitReached) as raised:
        calls.acquire()
    assert raised.value.resume_at == clock.now() + timedelta(seconds=600)
    clock.advance(600)
    assert calls.acquire() == 0.0


def test_never_more_than_the_concurrent_limit_in_flight():
    clock = FakeClock()
    calls = budget(clock, concurrent=5)
    for _ in range(5):
        calls.acquire()
    assert calls.in_flight == 5
    calls.release()
    assert calls.in_flight == 4
    with pytest.raises(RuntimeError, match="without a matching acquire"):
        for _ in range(5):
            calls.release()


def test_estimate_at_xeros_limits():
    assert estimate(0) == timedelta(0)
    assert estimate(600) == timedelta(minutes=10)
    assert estimate(5000) == timedelta(minutes=5000 / 60)
    assert estimate(5060) == timedelta(days=1, minutes=1)
    assert estimate(60, day_left=0) == timedelta(days=1, minutes=1)
    with pytest.raises(ValueError, match="zero or more"):
        estimate(-1)


def test_a_budget_estimates_from_what_is_left_today():
    clock = FakeClock()
    calls = budget(clock)
    with calls.slot():
        calls.observe({"X-DayLimit-Remaining": "61"})
    assert calls.estimate(60) == timedelta(minutes=1)
    assert calls.estimate(120) == timedelta(days=1, seconds=59)  # 61 today, 59 after the day window


def test_tenants_have_separate_budgets():
    budgets = TenantBudgets(FakeClock())
    assert budgets.for_tenant("A") is budgets.for_tenant("a")
    assert budgets.for_tenant("A") is not budgets.for_tenant("b")
