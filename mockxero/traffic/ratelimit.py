"""Xero's API rate limits, counted on the emulator clock.

Four limits, as Xero documents them: per tenant per app, 60 calls in any rolling minute, 5 000 in any
rolling 24 hours and 5 calls in flight at once; per app, 10 000 calls in any rolling minute across all
its tenants. Every admitted accounting call reports what is left in ``X-DayLimit-Remaining``,
``X-MinLimit-Remaining`` and ``X-AppMinLimit-Remaining``; tenantless calls (``/connections``) count only
towards the app limit and report only ``X-AppMinLimit-Remaining``.

A refused call is not counted (it never reached the API) and gets a 429 naming the limit in
``X-Rate-Limit-Problem`` with ``Retry-After`` in whole seconds until that limit frees a slot (real seconds:
with a clock compressed by ``clock_scale``, the wait is compressed too). When several
limits are exhausted at once the one with the longest wait is reported, because retrying any earlier would
only be refused again.

Counters live in memory: a restart (or ``DELETE /mock-api/rate-limits``) starts them afresh.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from ..clock import Clock, time_scale
from ..exceptions import RateLimitExceeded

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)

DAY_HEADER = "X-DayLimit-Remaining"
MINUTE_HEADER = "X-MinLimit-Remaining"
APP_MINUTE_HEADER = "X-AppMinLimit-Remaining"

# The refusals' X-Rate-Limit-Problem values. Xero confirms "minute" and "day"; the other two are ours.
PROBLEM_MINUTE = "minute"
PROBLEM_DAY = "day"
PROBLEM_CONCURRENT = "concurrent"
PROBLEM_APP_MINUTE = "appminute"

# A freed concurrency slot cannot be predicted; one second is the smallest whole wait worth suggesting.
CONCURRENT_RETRY_AFTER = 1


@dataclass(frozen=True)
class Limits:
    minute: int = 60
    day: int = 5_000
    concurrent: int = 5
    app_minute: int = 10_000

    def updated(self, changes: dict[str, Any]) -> Limits:
        unknown = set(changes) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown limit {sorted(unknown)[0]!r}; the limits are {', '.join(asdict(self))}")
        for name, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
        return replace(self, **changes)


class RollingWindow:
    """The instants of the calls counted in the last ``length`` of emulator time, oldest first."""

    def __init__(self, length: timedelta):
        self.length = length
        self._calls: deque[datetime] = deque()

    def used(self, now: datetime) -> int:
        horizon = now - self.length
        calls = self._calls
        while calls and calls[0] <= horizon:
            calls.popleft()
        return len(calls)

    def add(self, now: datetime) -> None:
        self._calls.append(now)

    def seconds_until_free(self, now: datetime, scale: float = 1.0) -> int:
        """Whole real seconds until the oldest counted call leaves the window (at least 1); ``scale`` is
        the clock's emulator seconds per real second, so a compressed clock asks for a compressed wait."""
        if not self._calls:
            return 1
        wait = (self._calls[0] + self.length - now).total_seconds() / scale
        return max(1, math.ceil(wait))


class _TenantUsage:
    def __init__(self) -> None:
        self.minute = RollingWindow(MINUTE)
        self.day = RollingWindow(DAY)
        self.in_flight = 0


@dataclass
class Admission:
    """An admitted call: the headers it reports, and the concurrency slot to hand back when it ends."""

    headers: dict[str, str]
    release: Callable[[], None]


def _no_release() -> None:
    return None


class RateLimiter:
    def __init__(self, clock: Clock, limits: Limits, enabled: bool = True):
        self.clock = clock
        self.limits = limits
        self.enabled = enabled
        self._lock = threading.Lock()
        self._tenants: dict[tuple[str, str], _TenantUsage] = {}
        self._apps: dict[str, RollingWindow] = {}

    def _app(self, client_id: str) -> RollingWindow:
        window = self._apps.get(client_id)
        if window is None:
            window = self._apps[client_id] = RollingWindow(MINUTE)
        return window

    def _tenant(self, client_id: str, tenant_id: str) -> _TenantUsage:
        usage = self._tenants.get((client_id, tenant_id))
        if usage is None:
            usage = self._tenants[(client_id, tenant_id)] = _TenantUsage()
        return usage

    def admit(self, client_id: str, tenant_id: str) -> Admission:
        """Count one accounting call, or raise ``RateLimitExceeded`` (carrying the remaining-count headers)."""
        if not self.enabled:
            return Admission({}, _no_release)
        limits = self.limits
        scale = time_scale(self.clock)
        with self._lock:
            now = self.clock.now()
            usage = self._tenant(client_id, tenant_id)
            app = self._app(client_id)
            used_day, used_minute, used_app = usage.day.used(now), usage.minute.used(now), app.used(now)
            exhausted = [
                (problem, window.seconds_until_free(now, scale))
                for problem, window, used, limit in (
                    (PROBLEM_DAY, usage.day, used_day, limits.day),
                    (PROBLEM_MINUTE, usage.minute, used_minute, limits.minute),
                    (PROBLEM_APP_MINUTE, app, used_app, limits.app_minute),
                )
                if used >= limit
            ]
            if not exhausted and usage.in_flight >= limits.concurrent:
                exhausted = [(PROBLEM_CONCURRENT, CONCURRENT_RETRY_AFTER)]
            if exhausted:
                problem, retry_after = max(exhausted, key=lambda item: item[1])  # first of equals wins
                refusal = RateLimitExceeded(problem, retry_after)
                refusal.headers.update(self._headers(limits, used_day, used_minute, used_app))
                raise refusal
            usage.day.add(now)
            usage.minute.add(now)
            app.add(now)
            usage.in_flight += 1
        return Admission(
            self._headers(limits, used_day + 1, used_minute + 1, used_app + 1),
            lambda: self._release(usage),
        )

    def admit_tenantless(self, client_id: str) -> dict[str, str]:
        """Count a call that names no tenant (``/connections``): only the app-wide minute applies."""
        if not self.enabled:
            return {}
        with self._lock:
            now = self.clock.now()
            app = self._app(client_id)
            used = app.used(now)
            if used >= self.limits.app_minute:
                wait = app.seconds_until_free(now, time_scale(self.clock))
                refusal = RateLimitExceeded(PROBLEM_APP_MINUTE, wait)
                refusal.headers[APP_MINUTE_HEADER] = "0"
                raise refusal
            app.add(now)
        return {APP_MINUTE_HEADER: str(self.limits.app_minute - used - 1)}

    def _release(self, usage: _TenantUsage) -> None:
        with self._lock:
            usage.in_flight -= 1

    @staticmethod
    def _headers(limits: Limits, used_day: int, used_minute: int, used_app: int) -> dict[str, str]:
        return {
            DAY_HEADER: str(max(0, limits.day - used_day)),
            MINUTE_HEADER: str(max(0, limits.minute - used_minute)),
            APP_MINUTE_HEADER: str(max(0, limits.app_minute - used_app)),
        }

    # -- control --

    def reset(self) -> None:
        """Forget every counted call. Calls in flight keep their slots until they end."""
        with self._lock:
            for usage in self._tenants.values():
                usage.minute = RollingWindow(MINUTE)
                usage.day = RollingWindow(DAY)
            self._apps.clear()

    def usage(self) -> dict[str, Any]:
        with self._lock:
            now = self.clock.now()
            return {
                "enabled": self.enabled,
                "limits": asdict(self.limits),
                "tenants": [
                    {
                        "client_id": client_id,
                        "tenant_id": tenant_id,
                        "minute": usage.minute.used(now),
                        "day": usage.day.used(now),
                        "in_flight": usage.in_flight,
                    }
                    for (client_id, tenant_id), usage in self._tenants.items()
                ],
                "apps": [{"client_id": cid, "minute": window.used(now)} for cid, window in self._apps.items()],
            }
