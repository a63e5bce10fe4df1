"""Clocks.

Everything in the emulator that depends on time (token expiry, ``UpdatedDateUTC``, rate-limit windows,
default document dates) asks a clock instead of the system, so tests move time forward instead of sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""


class SystemClock:
    """Real time, optionally shifted by an offset and sped up by a scale.

    ``scale=60`` makes one real second count as a minute, so a live server can compress rate-limit windows;
    ``advance()`` jumps forward without waiting (used by ``POST /mock-api/clock``).
    """

    def __init__(self, scale: float = 1.0, _now=None):
        if scale <= 0:
            raise ValueError("clock scale must be positive")
        self._real_now = _now or (lambda: datetime.now(UTC))
        self._origin = self._real_now()
        self._scale = scale
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    @property
    def scale(self) -> float:
        """Emulator seconds per real second."""
        return self._scale

    def now(self) -> datetime:
        real = self._real_now()
        with self._lock:
            if self._scale == 1.0:  # the usual clock: no scaling of the elapsed time (a few calls a request)
                return real + self._offset
            return self._origin + (real - self._origin) * self._scale + self._offset

    def advance(self, seconds: float) -> datetime:
        """Jump forward; an advance past the year 9999 raises ``OverflowError`` and leaves the clock as it was."""
        elapsed = self._real_now() - self._origin
        with self._lock:
            offset = self._offset + timedelta(seconds=seconds)
            self._origin + elapsed * self._scale + offset
            self._offset = offset
        return self.now()


class ManualClock:
    """A clock that only moves when told to; the clock tests inject."""

    scale = 1.0  # a waiting client's real seconds count as emulator seconds (see time_scale)

    def __init__(self, start: datetime | None = None):
        start = start or datetime(2026, 1, 15, 9, 0, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = instant.astimezone(UTC)


def time_scale(clock: Clock) -> float:
    """Emulator seconds per real second: how to turn an emulator wait into one a real client can sleep."""
    return float(getattr(clock, "scale", 1.0))
