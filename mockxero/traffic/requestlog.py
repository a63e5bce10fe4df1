"""The request log behind ``GET /mock-api/requests``: the newest calls, oldest first, in a bounded ring.

Every call to the accounting and identity APIs is logged (the control API's own calls are not), with what
the gateway did to it: the idempotency key it honoured and whether the answer was a replay, the fault
that fired, the rate limit that refused it. ``request_log_size`` bounds the ring (0 turns logging off).
"""

from __future__ import annotations

import fnmatch
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any


@dataclass
class LoggedCall:
    time: str
    method: str
    path: str
    tenant_id: str | None = None
    client_id: str | None = None
    status: int | None = None  # None when the connection was dropped before any answer
    idempotency_key: str | None = None
    replayed: bool = False
    fault: str | None = None
    rate_limit_problem: str | None = None


class RequestLog:
    def __init__(self, size: int):
        self.size = size
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(size, 1))
        self._sequence = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(self, call: LoggedCall) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._sequence += 1
            row: dict[str, Any] = {"sequence": self._sequence}
            row.update(vars(call))  # a flat copy: asdict's deep copy costs more than the rest of the log
            self._entries.append(row)

    def entries(
        self, *, method: str | None = None, path: str | None = None, tenant: str | None = None, since: int | None = None
    ) -> list[dict[str, Any]]:
        """Filter: ``method`` (any case), ``path`` (a glob; without wildcards an exact path), ``tenant``,
        and ``since`` (only entries with a higher sequence number, for polling)."""
        with self._lock:
            rows = list(self._entries)
        if method:
            rows = [r for r in rows if r["method"] == method.upper()]
        if path:
            rows = [r for r in rows if fnmatch.fnmatchcase(r["path"], path)]
        if tenant:
            rows = [r for r in rows if r["tenant_id"] == tenant.lower()]
        if since is not None:
            rows = [r for r in rows if r["sequence"] > since]
        return rows

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
