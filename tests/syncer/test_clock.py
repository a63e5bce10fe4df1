from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syncer.clock import FakeClock, SystemClock


def test_the_fake_clock_moves_only_when_slept_on():
    moved: list[float] = []
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC), on_advance=moved.append)
    clock.sleep(2.5)
    clock.advance(1)
    assert clock.now() == datetime(2026, 1, 1, 0, 0, 3, 500000, tzinfo=UTC)
    assert clock.sleeps == [2.5]
    assert moved == [2.5, 1]


def test_the_fake_clock_refuses_to_go_back():
    clock = FakeClock()
    with pytest.raises(ValueError, match="cannot sleep a negative time"):
        clock.sleep(-1)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2026, 1, 1))


def test_the_system_clock_is_aware_utc():
    now = SystemClock().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
