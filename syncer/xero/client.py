"""The Xero client: one place where calls go out, are paced, retried and, after a lost write, reconciled.

Every call takes a slot of the tenant's ``CallBudget`` (pacing from the limit headers, at most 5 in
flight), and every failure goes through the pure ``retry.decide``. A write carries its Idempotency-Key on
every attempt. When an attempt ends without an answer (a timeout, a dropped connection) the write may
have committed, so before sending it again the client asks the caller's ``reconcile`` to look the object
up by its natural key; if it is there, that is the answer and nothing is sent twice.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from ..clock import Clock, SystemClock
from . import wire
from .budget import CallBudget
from .errors import AuthFailed, DailyLimitReached, GaveUp, NotFound, ValidationFailed, XeroError
from .retry import Event, GiveUp, RetryPolicy, StopForDay, decide, parse_retry_after
from .tokens import Authenticator, FileTokenStore, MemoryTokenStore, TokenStore

BATCH_SIZE = 50  # Xero's advice for batch writes: up to 50 elements per request
ZERO_ID = "00000000-0000-0000-0000-000000000000"  # the id Xero gives an element it refused in a batch

Reconcile = Callable[[], Mapping[str, Any] | None]


@dataclass(frozen=True)
class ElementOutcome:
    """One element of a batch: ``element`` as Xero returned it, and its validation messages when refused."""

    element: Mapping[str, Any]
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class CallCounts:
    calls: int = 0
    retries: int = 0
    reconciled: int = 0
    waits: list[str] = field(default_factory=list)


class XeroClient:
    def __init__(
        self,
        base_url: str,
        tenant_id: str,
        auth: Authenticator,
        clock: Clock,
        *,
        budget: CallBudget | None = None,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        jitter: Callable[[], float] = random.random,
        timeout: float = 30.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.tenant_id = tenant_id
        self.auth = auth
        self.clock = clock
        self.budget = budget or CallBudget(tenant_id, clock)
        self.session = session or requests.Session()
        self.policy = policy or RetryPolicy()
        self.jitter = jitter
        self.timeout = timeout
        self.counts = CallCounts()

    @property
    def calls(self) -> int:
        return self.counts.calls

    @property
    def retries(self) -> int:
        return self.counts.retries

    # -- the calls the engine makes --

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        return self._call("GET", path, params=params)

    def write(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str,
        reconcile: Reconcile | None = None,
        params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        return self._call(method, path, params=params, body=body, idempotency_key=idempotency_key, reconcile=reconcile)

    def put_batch(
        self, collection: str, elements: Sequence[Mapping[str, Any]], idempotency_key: str
    ) -> list[ElementOutcome]:
        """PUT up to ``BATCH_SIZE`` elements with ``summarizeErrors=false``: one outcome per element, in order,
        so a refused element fails alone and the others are created."""
        if not 0 < len(elements) <= BATCH_SIZE:
            raise ValueError(f"a batch holds 1 to {BATCH_SIZE} elements, got {len(elements)}")
        answer = self.write(
            "PUT",
            collection,
            {collection: list(elements)},
            idempotency_key=idempotency_key,
            params={"summarizeErrors": "false"},
        )
        returned = answer.get(collection) or []
        if len(returned) != len(elements):
            raise XeroError(f"Xero answered {len(returned)} {collection} for a batch of {len(elements)}")
        return [ElementOutcome(element, _element_errors(element)) for element in returned]

    def find(self, collection: str, field_name: str, value: str) -> list[dict[str, Any]]:
        """Live objects of ``collection`` whose ``field_name`` equals ``value`` (Xero's ``where`` filter)."""
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        params = {"where": f'{field_name}=="{quoted}"'}
        if collection.strip("/") == "Contacts":
            params["includeArchived"] = "true"  # an archived contact still holds its ContactNumber
        found = self.get(collection, params).get(collection) or []
        return [item for item in found if item.get("Status") not in ("DELETED", "VOIDED")]

    # -- the loop every call goes through --

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        reconcile: Reconcile | None = None,
    ) -> dict[str, Any]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        data = wire.dumps(body) if body is not None else None
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            token = self.auth.access_token()
            headers = {
                "Authorization": f"Bearer {token}",
                "xero-tenant-id": self.tenant_id,
                "Accept": "application/json",
            }
            if data is not None:
                headers["Content-Type"] = "application/json"
            if idempotency_key is not None:
                headers["Idempotency-Key"] = idempotency_key
            uncertain = False
            with self.budget.slot():
                self.counts.calls += 1
                try:
                    response = self.session.request(
                        method, url, params=params, data=data, headers=headers, timeout=self.timeout
                    )
                except requests.ConnectTimeout:
                    event = Event.timeout()  # no connection was made: nothing can have been written
                except requests.Timeout:
                    event, uncertain = Event.timeout(), True
                except requests.ConnectionError:
                    event, uncertain = Event.connection_error(), True
                else:
                    self.budget.observe(response.headers)
                    if response.status_code < 400:
                        return _answer(response)
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    problem = response.headers.get("X-Rate-Limit-Problem")
                    if response.status_code == 429:
                        self.budget.refused(problem.lower() if problem else None, retry_after)
                    event = Event.http(response.status_code, retry_after, problem)
            if event.status == 401 and not renewed:
                renewed = True  # the token died early (revoked, clock skew): one fresh token, then the policy
                self.auth.renew(rejected=token)
                continue
            if uncertain and data is not None and reconcile is not None:
                found = reconcile()  # the write may have committed before the answer was lost
                if found is not None:
                    self.counts.reconciled += 1
                    return dict(found)
            decision = decide(self.policy, attempt, event, self.clock.now(), self.jitter())
            if isinstance(decision, StopForDay):
                raise DailyLimitReached(self.tenant_id, decision.resume_at)
            if isinstance(decision, GiveUp):
                raise _failure(f"{method} {path}", attempt, decision.reason, event, None if uncertain else response)
            self.counts.retries += 1
            self.counts.waits.append(decision.reason)
            self.clock.sleep(decision.delay)


def _answer(response: requests.Response) -> dict[str, Any]:
    if not response.content:
        return {}
    answer = wire.loads(response.content)
    return answer if isinstance(answer, dict) else {"value": answer}


def _element_errors(element: Mapping[str, Any]) -> tuple[str, ...]:
    errors = element.get("ValidationErrors") or []
    if (
        element.get("StatusAttributeString") == "ERROR"
        or element.get("HasErrors")
        or element.get("HasValidationErrors")
    ):
        return tuple(str(error.get("Message")) for error in errors) or ("Xero refused the element without a message",)
    return ()


def _failure(what: str, attempts: int, reason: str, event: Event, response: requests.Response | None) -> XeroError:
    status = event.status
    body: Any = None
    if response is not None:
        try:
            body = wire.loads(response.content) if response.content else None
        except ValueError:
            body = response.text[:500]
    if status == 400:
        return ValidationFailed(_validation_messages(body), 400, body)
    if status in (401, 403):
        return AuthFailed(f"{what}: Xero refused the credentials ({_detail(body) or status})", status, body)
    if status == 404:
        return NotFound(f"{what}: {_detail(body) or 'Xero has no such resource'}", 404, body)
    return GaveUp(what, attempts, reason, status, body)


def _validation_messages(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return [str(body)]
    messages = [
        str(error.get("Message"))
        for element in body.get("Elements") or []
        for error in (element.get("ValidationErrors") or [])
    ]
    return messages or [_detail(body) or "validation failed"]


def _detail(body: Any) -> str | None:
    if isinstance(body, dict):
        return body.get("Message") or body.get("Detail") or body.get("detail") or body.get("Title")
    return None


def connect(
    *,
    base_url: str,
    identity_url: str,
    tenant_id: str | None,
    client_id: str | None,
    client_secret: str | None,
    token_file: str | Path | None,
    clock: Clock | None = None,
    session: requests.Session | None = None,
    token_store: TokenStore | None = None,
) -> XeroClient:
    """A client from connection settings: tokens from ``token_store`` or ``token_file`` (refresh grant) or
    client credentials, and the tenant named, or the only one the token is connected to (``GET /connections``)."""
    clock = clock or SystemClock()
    session = session or requests.Session()
    store: TokenStore = token_store or (FileTokenStore(token_file) if token_file else MemoryTokenStore())
    auth = Authenticator(identity_url, client_id, client_secret, store, clock, session)
    if tenant_id is None:
        tenants = [tenant for tenant, _name in connections(base_url, identity_url, auth, session)]
        if len(tenants) != 1:
            raise XeroError(
                f"the token is connected to {len(tenants)} organisations ({', '.join(tenants) or 'none'}); "
                "name one with --tenant"
            )
        tenant_id = tenants[0]
    return XeroClient(base_url, tenant_id, auth, clock, session=session)


def connections(
    base_url: str, identity_url: str, auth: Authenticator, session: requests.Session
) -> list[tuple[str, str]]:
    """(tenantId, tenantName) of every organisation the token is connected to (``GET /connections``)."""
    connections_url = _connections_url(base_url, identity_url)
    response = session.get(connections_url, headers={"Authorization": f"Bearer {auth.access_token()}"}, timeout=30)
    if response.status_code != 200:
        raise AuthFailed(f"GET {connections_url} answered {response.status_code}", response.status_code)
    return [
        (str(row["tenantId"]), str(row.get("tenantName") or ""))
        for row in wire.loads(response.content)
        if row.get("tenantType") == "ORGANISATION"
    ]


def _connections_url(base_url: str, identity_url: str) -> str:
    """Xero serves /connections on api.xero.com, beside /api.xro/2.0; the emulator serves it beside both."""
    root = base_url.rstrip("/")
    if root.endswith("/api.xro/2.0"):
        root = root[: -len("/api.xro/2.0")]
    return root + "/connections"
