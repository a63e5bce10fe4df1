"""The emulator's system clock: real time, scaled when asked, moved forward by ``advance``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockxero.clock import SystemClock

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _real_time() -> tuple[list[datetime], SystemClock, SystemClock]:
    real = [START]
    return real, SystemClock(_now=lambda: real[0]), SystemClock(scale=60, _now=lambda: real[0])


def test_an_unscaled_clock_follows_real_time_plus_what_it_was_advanced():
    real, clock, _ = _real_time()
    real[0] = START + timedelta(seconds=90, microseconds=7)
    assert clock.now() == START + timedelta(seconds=90, microseconds=7)
    assert clock.advance(3600) == START + timedelta(seconds=3690, microseconds=7)
    real[0] += timedelta(seconds=1)
    assert clock.now() == START + timedelta(seconds=3691, microseconds=7)


def test_a_scaled_clock_runs_its_scale_times_faster_than_real_time():
    real, _, fast = _real_time()
    real[0] = START + timedelta(seconds=2)
    assert fast.now() == START + timedelta(minutes=2)
    assert fast.advance(30) == START + timedelta(minutes=2, seconds=30)


def test_an_advance_past_the_year_9999_is_refused_and_leaves_the_clock_as_it_was():
    _, clock, _ = _real_time()
    with pytest.raises(OverflowError):
        clock.advance(timedelta.max.total_seconds())
    assert clock.now() == START


def test_a_clock_scale_must_be_positive():
    with pytest.raises(ValueError, match="clock scale must be positive"):
        SystemClock(scale=0)
