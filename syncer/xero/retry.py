"""The retry policy: one pure function from "what the last attempt met" to "what to do next".

No I/O, no clock and no randomness inside: the caller passes the attempt number, what happened, the time
and a jitter value in ``[0, 1)``, so the whole policy is a table (``tests/syncer/xero/test_retry.py``).

The rules, as Xero's limits and status codes call for them:

* connection errors, timeouts, 5xx other than 501, and 429s for the minute, app-minute and concurrent
  limits are retried, with capped exponential backoff (``base * 2**(attempt-1)``, at most ``max_delay``)
  reduced by up to ``jitter_share`` of itself so parallel clients do not retry in step;
* a ``Retry-After`` header is honoured: the wait is never shorter than what it says;
* a 429 naming the ``day`` limit ends the run: ``StopForDay`` says when it can resume (``Retry-After`` from
  now, or 24 hours when Xero does not say);
* any other 4xx (and 501 Not Implemented) is never retried: sending the same request again cannot help;
* after ``max_attempts`` attempts the policy gives up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

DAY = timedelta(days=1)


class Happened(StrEnum):
    CONNECTION_ERROR = "connection error"
    TIMEOUT = "timeout"
    HTTP = "http status"


# X-Rate-Limit-Problem values. Xero documents "minute" and "day"; the other two are what the mock sends.
MINUTE_PROBLEM = "minute"
DAY_PROBLEM = "day"
APP_MINUTE_PROBLEM = "appminute"
CONCURRENT_PROBLEM = "concurrent"


@dataclass(frozen=True)
class Event:
    """What one attempt met."""

    happened: Happened
    status: int | None = None
    retry_after: float | None = None  # seconds, from the Retry-After header
    rate_limit_problem: str | None = None  # the X-Rate-Limit-Problem header, lower-cased

    @classmethod
    def connection_error(cls) -> Event:
        return cls(Happened.CONNECTION_ERROR)

    @classmethod
    def timeout(cls) -> Event:
        return cls(Happened.TIMEOUT)

    @classmethod
    def http(cls, status: int, retry_after: float | None = None, problem: str | None = None) -> Event:
        return cls(Happened.HTTP, status, retry_after, problem.strip().lower() if problem else None)

    def describe(self) -> str:
        if self.happened is not Happened.HTTP:
            return str(self.happened)
        text = f"HTTP {self.status}"
        if self.rate_limit_problem:
            text += f" ({self.rate_limit_problem} limit)"
        return text


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 1.0  # seconds before the second attempt, before jitter
    max_delay: float = 60.0  # the cap on the exponential part
    jitter_share: float = 0.5  # the most jitter takes off a backoff (0.5: the wait is between half and all of it)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < self.base_delay:
            raise ValueError("need 0 <= base_delay <= max_delay")
        if not 0 <= self.jitter_share <= 1:
            raise ValueError("jitter_share must be between 0 and 1")

    def backoff(self, attempt: int, jitter: float) -> float:
        """The wait after failed attempt ``attempt`` (1-based), ``jitter`` in ``[0, 1)``."""
        if not 0 <= jitter < 1:
            raise ValueError(f"jitter must be in [0, 1), got {jitter}")
        capped = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return capped * (1 - self.jitter_share * jitter)


@dataclass(frozen=True)
class Retry:
    delay: float  # seconds to wait before the next attempt
    reason: str


@dataclass(frozen=True)
class GiveUp:
    reason: str


@dataclass(frozen=True)
class StopForDay:
    resume_at: datetime
    reason: str


Decision = Retry | GiveUp | StopForDay


def is_retryable(event: Event) -> bool:
    """Whether sending again could succeed at all (regardless of how many attempts are left)."""
    if event.happened is not Happened.HTTP:
        return True
    status = event.status or 0
    if status == 429:
        return event.rate_limit_problem != DAY_PROBLEM
    return status >= 500 and status != 501


def decide(policy: RetryPolicy, attempt: int, event: Event, now: datetime, jitter: float) -> Decision:
    """What to do after attempt number ``attempt`` (1-based) met ``event`` at ``now``."""
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt}")
    what = event.describe()
    if event.happened is Happened.HTTP and event.status == 429 and event.rate_limit_problem == DAY_PROBLEM:
        wait = event.retry_after if event.retry_after is not None else DAY.total_seconds()
        return StopForDay(now + timedelta(seconds=wait), f"{what}: the daily call limit is used up")
    if not is_retryable(event):
        return GiveUp(f"{what} is not retried: sending the same request again cannot succeed")
    if attempt >= policy.max_attempts:
        return GiveUp(f"{what} on attempt {attempt} of {policy.max_attempts}")
    delay = policy.backoff(attempt, jitter)
    if event.retry_after is not None and event.retry_after > delay:
        return Retry(event.retry_after, f"{what}: waiting {event.retry_after:g} s as Retry-After says")
    return Retry(delay, f"{what}: backing off {delay:g} s before attempt {attempt + 1}")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (Xero sends whole seconds); an unreadable value counts as absent."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds
