"""Clocks for the sync engine: what time it is, and how to wait.

Everything in ``syncer`` that waits (the retry policy's backoff, the call budget's pacing, a 429's
``Retry-After``) asks a clock, so tests move time forward instead of sleeping and a benchmark can compress it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (a duration, never money: float is exact enough)."""
        ...


class SystemClock:
    """Real time and real waiting."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock that moves only when something sleeps on it or a test advances it; nothing really waits.

    ``sleeps`` records every requested wait in order, so a test can assert the exact backoff a run chose.
    ``on_advance`` is called with each advance in seconds; an integration test uses it to move the served
    mock's clock in step, so the mock's rate-limit windows pass when the client waits.
    """

    def __init__(self, start: datetime | None = None, on_advance: Callable[[float], object] | None = None):
        start = start or datetime(2026, 1, 15, 9, 0, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        self.on_advance = on_advance

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"cannot sleep a negative time ({seconds} s)")
        with self._lock:
            self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError(f"the clock only moves forward (asked to move {seconds} s)")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            now = self._now
        if self.on_advance is not None and seconds:
            self.on_advance(seconds)
        return now
