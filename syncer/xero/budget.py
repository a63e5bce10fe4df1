"""The call budget of one tenant: pace calls so a run never runs into Xero's rate limits.

Xero allows each app, per tenant, 60 calls in any rolling minute, 5 000 in any rolling 24 hours and 5 in
flight at once, and 10 000 calls a minute per app across tenants. Every answer reports what is left in
``X-MinLimit-Remaining``, ``X-DayLimit-Remaining`` and ``X-AppMinLimit-Remaining``.

The budget keeps its own record of when it let calls go (the last 24 hours of them) and what the headers
last said, and from both decides when the next call may go:

* **minute**: the calls left in the current window are spread evenly over the rest of it — the next call
  goes at ``last + (window end - last) / calls left``, where the window ends when its oldest call leaves it
  (plus ``safety``, for the network's delay). A steady run therefore goes at the limit's rate instead of
  bursting into a 429; when nothing is left the next call waits for the window to free a slot;
* **app minute**: the same spreading over the last reported app-wide count;
* **concurrency**: at most ``limits.concurrent`` calls hold a slot at once; more wait for a slot;
* **day**: when nothing is left, ``acquire`` raises ``DailyLimitReached`` with the time a slot frees up, so
  the run ends cleanly and can resume then;
* a 429 the server sent anyway (``refused``) holds every call until its ``Retry-After``.

Where its own count and the headers disagree (another process using the same tenant) it trusts the lower
count; those other calls' timing is unknown, so it then assumes they leave the window a full window after
the header was read. Calls of other tenants of the same app are seen only through the app-minute header.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import Clock
from .errors import DailyLimitReached
from .retry import DAY_PROBLEM

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)

MINUTE_HEADER = "X-MinLimit-Remaining"
DAY_HEADER = "X-DayLimit-Remaining"
APP_MINUTE_HEADER = "X-AppMinLimit-Remaining"


@dataclass(frozen=True)
class Limits:
    """Xero's documented limits per tenant (and per app for ``app_minute``)."""

    minute: int = 60
    day: int = 5_000
    concurrent: int = 5
    app_minute: int = 10_000

    def __post_init__(self) -> None:
        for name in ("minute", "day", "concurrent", "app_minute"):
            if getattr(self, name) < 1:
                raise ValueError(f"limit {name} must be at least 1")


XERO_LIMITS = Limits()


@dataclass(frozen=True)
class _Reading:
    """One header's value, when it was read, and how many calls had gone (or were going) by then."""

    remaining: int
    at: datetime
    sent_before: int  # this budget's total sends when the header was read
    others_in_flight: int  # calls in flight besides the one answered: the server may not have counted them yet

    def left(self, sent_total: int) -> int:
        return self.remaining - (sent_total - self.sent_before) - self.others_in_flight


def estimate(calls: int, limits: Limits = XERO_LIMITS, day_left: int | None = None) -> timedelta:
    """How long ``calls`` calls take at the limits: the minute rate, and a full day's wait for every day
    budget the backlog runs past. ``day_left`` is what remains of today's budget (a full day if unknown)."""
    if calls < 0:
        raise ValueError("calls must be zero or more")
    per_minute = timedelta(minutes=1) / limits.minute
    left_today = limits.day if day_left is None else max(0, day_left)
    if calls <= left_today:
        return per_minute * calls
    later = calls - left_today
    day_windows = math.ceil(later / limits.day)
    in_last_window = later - (day_windows - 1) * limits.day
    return DAY * day_windows + per_minute * in_last_window


class CallBudget:
    """The pacing of one tenant's calls. Thread-safe: several workers may share one budget."""

    def __init__(
        self,
        tenant_id: str,
        clock: Clock,
        limits: Limits = XERO_LIMITS,
        safety: timedelta = timedelta(seconds=1),
    ):
        self.tenant_id = tenant_id
        self.clock = clock
        self.limits = limits
        self.safety = safety
        self._lock = threading.Condition()
        self._sends: deque[datetime] = deque()  # when each call of the last day went (or will go), in order
        self._sent_total = 0
        self._in_flight = 0
        self._minute: _Reading | None = None
        self._day: _Reading | None = None
        self._app: _Reading | None = None
        self._hold_until: datetime | None = None
        self._day_stop_until: datetime | None = None
        self.waits = 0  # how many acquires had to wait
        self.waited_seconds = 0.0

    # -- taking and returning a slot --

    def acquire(self) -> float:
        """Take a slot and wait until the pacing lets the call go; returns the seconds waited.

        Raises ``DailyLimitReached`` (holding no slot) when the day's budget is used up.
        """
        with self._lock:
            while self._in_flight >= self.limits.concurrent:
                self._lock.wait()
            now = self.clock.now()
            send_at = self._next_send_at(now)
            self._in_flight += 1
            self._sends.append(send_at)
            self._sent_total += 1
        wait = (send_at - now).total_seconds()
        if wait > 0:
            self.clock.sleep(wait)
            with self._lock:
                self.waits += 1
                self.waited_seconds += wait
        return max(0.0, wait)

    def release(self) -> None:
        with self._lock:
            if self._in_flight <= 0:
                raise RuntimeError("release() without a matching acquire()")
            self._in_flight -= 1
            self._lock.notify()

    @contextmanager
    def slot(self) -> Iterator[float]:
        """``with budget.slot() as waited:`` — acquire, then release however the call ends."""
        waited = self.acquire()
        try:
            yield waited
        finally:
            self.release()

    # -- what the server said --

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read the remaining-count headers of an answer. Call it before ``release`` of that call's slot."""
        now = self.clock.now()
        with self._lock:
            others = max(0, self._in_flight - 1)
            for name, attribute in ((MINUTE_HEADER, "_minute"), (DAY_HEADER, "_day"), (APP_MINUTE_HEADER, "_app")):
                remaining = _count(headers.get(name))
                if remaining is not None:
                    setattr(self, attribute, _Reading(remaining, now, self._sent_total, others))

    def refused(self, problem: str | None, retry_after: float | None) -> None:
        """A 429 arrived anyway: hold every call until ``Retry-After`` (the day limit: stop until then)."""
        now = self.clock.now()
        with self._lock:
            if problem == DAY_PROBLEM:
                until = now + (timedelta(seconds=retry_after) if retry_after is not None else DAY)
                self._day_stop_until = until
                return
            until = now + timedelta(seconds=retry_after if retry_after is not None else 1)
            if self._hold_until is None or until > self._hold_until:
                self._hold_until = until

    # -- questions --

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    def wait_before_next(self) -> float:
        """Seconds the next call would wait now (without taking a slot); raises ``DailyLimitReached``."""
        with self._lock:
            now = self.clock.now()
            return max(0.0, (self._next_send_at(now) - now).total_seconds())

    def minute_left(self) -> int:
        with self._lock:
            return self._minute_left(self.clock.now())[0]

    def day_left(self) -> int:
        with self._lock:
            return self._day_left(self.clock.now())[0]

    def estimate(self, calls: int) -> timedelta:
        """How long ``calls`` more calls take at this tenant's limits, from what is left of today's budget."""
        return estimate(calls, self.limits, self.day_left())

    # -- the pacing itself (callers hold the lock) --

    def _trim(self, now: datetime) -> None:
        horizon = now - DAY
        while self._sends and self._sends[0] <= horizon:
            self._sends.popleft()

    def _in_window(self, now: datetime, length: timedelta) -> list[datetime]:
        horizon = now - length
        return [instant for instant in self._sends if instant > horizon]

    def _fresh(self, reading: _Reading | None, now: datetime, length: timedelta) -> _Reading | None:
        return reading if reading is not None and reading.at > now - length else None

    def _day_left(self, now: datetime) -> tuple[int, datetime]:
        """Calls left today, and when a slot frees up if none is."""
        self._trim(now)
        own_left = self.limits.day - len(self._sends)
        frees_at = (self._sends[0] if self._sends else now) + DAY
        reading = self._fresh(self._day, now, DAY)
        if reading is not None and reading.left(self._sent_total) < own_left:
            return reading.left(self._sent_total), reading.at + DAY
        return own_left, frees_at

    def _minute_left(self, now: datetime) -> tuple[int, datetime]:
        """Calls left in the rolling minute, and when its window ends (the oldest call in it leaves)."""
        recent = self._in_window(now, MINUTE)
        own_left = self.limits.minute - len(recent)
        window_end = (recent[0] if recent else now) + MINUTE + self.safety
        reading = self._fresh(self._minute, now, MINUTE)
        if reading is not None and reading.left(self._sent_total) < own_left:
            return reading.left(self._sent_total), reading.at + MINUTE + self.safety
        return own_left, window_end

    def _next_send_at(self, now: datetime) -> datetime:
        if self._day_stop_until is not None and now < self._day_stop_until:
            raise DailyLimitReached(self.tenant_id, self._day_stop_until)
        day_left, day_frees_at = self._day_left(now)
        if day_left <= 0:
            raise DailyLimitReached(self.tenant_id, day_frees_at)
        earliest = now
        if self._hold_until is not None and self._hold_until > earliest:
            earliest = self._hold_until
        last = self._sends[-1] if self._sends else None
        minute_left, minute_end = self._minute_left(now)
        earliest = max(earliest, _spread(last, minute_left, minute_end, now, self.limits.minute // 2))
        app = self._fresh(self._app, now, MINUTE)
        if app is not None:
            app_end = app.at + MINUTE + self.safety
            app_left = app.left(self._sent_total)
            earliest = max(earliest, _spread(last, app_left, app_end, now, self.limits.app_minute // 2))
        return earliest


def _spread(last: datetime | None, left: int, window_end: datetime, now: datetime, burst: int = 0) -> datetime:
    """The earliest next send that spreads ``left`` calls evenly from ``last`` to ``window_end``.

    While more than ``burst`` calls are left the call goes at once: a small run (a dozen writes) should not
    take a dozen seconds, and a window half used is still far from a 429; only the last ``burst`` calls of
    a window are spread, which keeps a bulk run at the limit's rate without ever hitting it."""
    if left <= 0:
        return window_end
    if left > burst:
        return now
    if last is None or last <= window_end - MINUTE * 2:
        return now  # no call of ours in this window: nothing to spread from
    return last + max(timedelta(0), window_end - last) / left


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        count = int(value.strip())
    except ValueError:
        return None
    return max(0, count)


class TenantBudgets:
    """One ``CallBudget`` per tenant, created on first use, all on one clock and the same limits."""

    def __init__(self, clock: Clock, limits: Limits = XERO_LIMITS, safety: timedelta = timedelta(seconds=1)):
        self.clock = clock
        self.limits = limits
        self.safety = safety
        self._budgets: dict[str, CallBudget] = {}
        self._lock = threading.Lock()

    def for_tenant(self, tenant_id: str) -> CallBudget:
        key = tenant_id.strip().lower()
        with self._lock:
            budget = self._budgets.get(key)
            if budget is None:
                budget = self._budgets[key] = CallBudget(tenant_id, self.clock, self.limits, self.safety)
            return budget
