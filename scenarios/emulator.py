"""Where a scenario's emulator comes from: booted in-process for each case, or an external one at a URL.

The runner asks an ``EmulatorSource`` for one ``EmulatorHandle`` per case and never cares which it got
(moto's server mode and its decorators drive the same backends the same way). A handle reaches the
emulator's accounting API at ``api_url`` and everything else through the control API (``/mock-api``):
tenants, rate limits, the clock, fault rules, the request log, the ledger check, lock dates and exchange
rates.

* ``EmbeddedEmulators`` boots a fresh emulator per case (``mockxero.running``) on a free loopback port,
  with a manual clock at the scenario's start and a fixed seed, so each case is reproducible on its own.
* ``ExternalEmulator`` uses an emulator someone else started (``mockxero serve``) over HTTP. Its clock and
  its rate limits belong to the whole server, so its cases run one at a time; each case gets a tenant of
  its own, and the limits a case changed and the fault rules it added are put back when it ends. The
  request log and the fault rules are numbered for the whole server; the handle renumbers them as the
  case's own (its first logged call is the one after the last call before the case, its first fault rule
  is ``#1``), so a case reports the same request lines on either kind of emulator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import requests

import mockxero
from mockxero.clock import ManualClock
from mockxero.embedding import RunningMock
from mockxero.paths import API_PREFIX, CONTROL_PREFIX

SEED = 20260115
CONTROL_TIMEOUT = 30  # seconds; a control call is one local request, so a long wait means the server is stuck


@dataclass(frozen=True)
class TenantAccess:
    """A tenant added for one case and the app connected only to it."""

    tenant_id: str
    client_id: str
    client_secret: str


class EmulatorUnavailable(RuntimeError):
    """The emulator at a URL cannot be used: it does not answer, or it has no control API."""


class EmulatorHandle(Protocol):
    """One case's view of an emulator: where its APIs answer, and the control API as methods."""

    base_url: str

    @property
    def api_url(self) -> str: ...

    def add_tenant(self, name: str, country_code: str) -> TenantAccess: ...

    def rate_limits(self, **changes: Any) -> dict[str, Any]:
        """The limiter's state (``enabled``, ``limits``, ...); with keyword arguments, changed first."""

    def advance_clock(self, seconds: float) -> None: ...

    def requests(self, tenant_id: str) -> list[dict[str, Any]]:
        """The request log's rows of one tenant, oldest first."""

    def add_fault(self, tenant_id: str, rule: Mapping[str, Any]) -> dict[str, Any]:
        """One fault rule, firing only on the tenant's calls; the rule as the emulator stored it."""

    def ledger(self, tenant_id: str) -> dict[str, Any]:
        """The ledger check's report for one tenant (``GET /mock-api/ledger``)."""

    def set_exchange_rate(self, tenant_id: str, currency: str, since: date | None, rate: str) -> None: ...

    def set_lock_dates(self, tenant_id: str, dates: Mapping[str, date | None]) -> None: ...


class EmulatorSource(Protocol):
    """Hands out a handle for each case."""

    parallel: bool  # whether cases may run at once (each on an emulator of its own)

    def for_case(self, start: datetime) -> AbstractContextManager[EmulatorHandle]:
        """An emulator for one case whose timeline starts at ``start``, for as long as the case runs."""


# ---------------------------------------------------------------------------------------------------------
# embedded


class EmbeddedHandle:
    """A handle on an emulator this process booted; control calls go through the app in-process."""

    def __init__(self, mock: RunningMock):
        self.mock = mock
        self.base_url = mock.base_url

    @property
    def api_url(self) -> str:
        return self.mock.api_url

    def add_tenant(self, name: str, country_code: str) -> TenantAccess:
        tenant = self.mock.add_tenant(name, country_code)
        return TenantAccess(tenant.tenant_id, tenant.client_id, tenant.client_secret)

    def rate_limits(self, **changes: Any) -> dict[str, Any]:
        return self.mock.rate_limits(**changes)

    def advance_clock(self, seconds: float) -> None:
        self.mock.advance_clock(seconds)

    def requests(self, tenant_id: str) -> list[dict[str, Any]]:
        return self.mock.requests(tenant=tenant_id)

    def add_fault(self, tenant_id: str, rule: Mapping[str, Any]) -> dict[str, Any]:
        return self.mock.add_fault(**{**rule, "tenant": tenant_id})

    def ledger(self, tenant_id: str) -> dict[str, Any]:
        return self.mock.ledger(tenant_id)

    def set_exchange_rate(self, tenant_id: str, currency: str, since: date | None, rate: str) -> None:
        self.mock.set_exchange_rates({currency: rate}, tenant_id=tenant_id, on=since)

    def set_lock_dates(self, tenant_id: str, dates: Mapping[str, date | None]) -> None:
        self.mock.set_lock_dates(tenant_id, **dates)


class EmbeddedEmulators:
    """A fresh emulator per case on a free loopback port: nothing shared, so cases may run at once."""

    parallel = True

    @contextmanager
    def for_case(self, start: datetime) -> Iterator[EmulatorHandle]:
        with mockxero.running(clock=ManualClock(start), seed=SEED) as mock:
            yield EmbeddedHandle(mock)


# ---------------------------------------------------------------------------------------------------------
# external, over HTTP


FAULT_LABEL = re.compile(r"^#(\d+)\b")


class ExternalHandle:
    """A handle on an emulator at a URL, driven through its control API over HTTP."""

    def __init__(self, base_url: str, session: requests.Session):
        self.base_url = base_url
        self.session = session
        self.fault_ids: list[int] = []  # the server's ids of this case's rules, in the order it added them
        self.logged_before = 0  # the highest sequence number in the server's log when the case began
        self.sequence_offset: int | None = None  # the server's number of the call before the case's first

    @property
    def api_url(self) -> str:
        return self.base_url + API_PREFIX

    def call(self, method: str, path: str, *, json: Any = None, query: Mapping[str, str] | None = None) -> Any:
        url = self.base_url + CONTROL_PREFIX + path
        try:
            response = self.session.request(method, url, json=json, params=query, timeout=CONTROL_TIMEOUT)
        except requests.RequestException as error:
            raise EmulatorUnavailable(f"{method} {url} failed: {error}") from error
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            detail = body.get("detail") if isinstance(body, dict) else None
            raise mockxero.ControlAPIError(
                response.status_code,
                str(body.get("error", "error")) if isinstance(body, dict) else "error",
                str(detail or response.text[:300]),
            )
        return response.json() if response.content else {}

    def add_tenant(self, name: str, country_code: str) -> TenantAccess:
        added = self.call("POST", "/tenants", json={"name": name, "country_code": country_code})
        return TenantAccess(
            added["tenant"]["tenant_id"], added["client"]["client_id"], added["client"]["client_secret"]
        )

    def rate_limits(self, **changes: Any) -> dict[str, Any]:
        if changes:
            return dict(self.call("POST", "/rate-limits", json=changes))
        return dict(self.call("GET", "/rate-limits"))

    def advance_clock(self, seconds: float) -> None:
        self.call("POST", "/clock", json={"advance_seconds": seconds})

    def requests(self, tenant_id: str) -> list[dict[str, Any]]:
        if self.sequence_offset is None:
            # the case's first call (its token request, which names no tenant) is the first one logged
            # after the case began; the log may have been emptied before, so the counter is read off it
            since = self.call("GET", "/requests", query={"since": str(self.logged_before)})["requests"]
            if not since:
                return []  # the case has made no call yet
            self.sequence_offset = min(int(row["sequence"]) for row in since) - 1
        rows = self.call("GET", "/requests", query={"tenant": tenant_id})["requests"]
        return [self.as_the_case_numbers_it(row, self.sequence_offset) for row in rows]

    def as_the_case_numbers_it(self, row: Mapping[str, Any], offset: int) -> dict[str, Any]:
        out = {**row, "sequence": int(row["sequence"]) - offset}
        fault = row.get("fault")
        if isinstance(fault, str):
            found = FAULT_LABEL.match(fault)
            if found and int(found.group(1)) in self.fault_ids:
                local = self.fault_ids.index(int(found.group(1))) + 1
                out["fault"] = f"#{local}{fault[found.end() :]}"
        return out

    def last_sequence(self) -> int:
        rows = self.call("GET", "/requests")["requests"]
        return max((int(row["sequence"]) for row in rows), default=0)

    def add_fault(self, tenant_id: str, rule: Mapping[str, Any]) -> dict[str, Any]:
        stored = self.call("POST", "/faults", json={**rule, "tenant": tenant_id})["faults"][0]
        self.fault_ids.append(int(stored["id"]))
        return {**stored, "id": len(self.fault_ids)}

    def ledger(self, tenant_id: str) -> dict[str, Any]:
        return dict(self.call("GET", "/ledger", query={"tenant_id": tenant_id}))

    def set_exchange_rate(self, tenant_id: str, currency: str, since: date | None, rate: str) -> None:
        entry = {"currency": currency, "date": since.isoformat() if since else None, "rate": rate}
        self.call("PUT", f"/tenants/{tenant_id}/exchange-rates", json={"rates": [entry]})

    def set_lock_dates(self, tenant_id: str, dates: Mapping[str, date | None]) -> None:
        body = {key: day.isoformat() if day else None for key, day in dates.items()}
        self.call("PUT", f"/tenants/{tenant_id}/lock-dates", json=body)


# what a case may change on the limiter, put back afterwards so the next case meets the server as it was
LIMIT_FIELDS = ("minute", "day", "concurrent", "app_minute")


class ExternalEmulator:
    """An emulator someone else runs (``mockxero serve``), reached at ``url``; its cases run one at a time."""

    parallel = False  # one clock and one limiter serve every tenant of the server

    def __init__(self, url: str, session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()

    def check(self) -> dict[str, Any]:
        """``GET /mock-api/health``, or ``EmulatorUnavailable`` saying why this URL cannot be used."""
        health_url = self.url + CONTROL_PREFIX + "/health"
        try:
            response = self.session.get(health_url, timeout=CONTROL_TIMEOUT)
        except requests.RequestException as error:
            raise EmulatorUnavailable(f"no emulator answers at {self.url}: {error}") from error
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict) or body.get("status") != "ok":
            raise EmulatorUnavailable(
                f"{self.url} has no mockxero control API: GET {health_url} answered {response.status_code}"
                f"{' ' + response.reason if response.reason else ''}; start the emulator with `mockxero serve`"
            )
        try:
            log = ExternalHandle(self.url, self.session).call("GET", "/requests", query={"since": "0"})
        except mockxero.ControlAPIError as error:
            raise EmulatorUnavailable(f"{self.url} has no request log: {error}") from error
        if not log.get("enabled"):
            raise EmulatorUnavailable(
                f"the emulator at {self.url} keeps no request log (request_log_size is 0); the requests layer "
                "and the reports read it"
            )
        return body

    @contextmanager
    def for_case(self, start: datetime) -> Iterator[EmulatorHandle]:
        # the server's clock is wherever it is: the scenario's timeline moves it forward from there
        handle = ExternalHandle(self.url, self.session)
        handle.logged_before = handle.last_sequence()
        before = handle.rate_limits()
        try:
            yield handle
        finally:
            for rule_id in handle.fault_ids:
                try:
                    handle.call("DELETE", f"/faults/{rule_id}")
                except mockxero.ControlAPIError:
                    pass  # a rule the case's own steps removed already
            limits = before.get("limits") or {}
            handle.rate_limits(
                enabled=bool(before.get("enabled")), **{k: limits[k] for k in LIMIT_FIELDS if k in limits}
            )
