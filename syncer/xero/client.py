"""The Xero Accounting API client: one tenant, paced by its call budget, retried by the policy.

* every call carries ``xero-tenant-id``, the bearer token (renewed on expiry or a 401) and
  ``Accept: application/json``; bodies go out with ``Decimal`` written exactly and come back parsed with
  ``parse_float=Decimal``;
* every call first takes a slot from the tenant's ``CallBudget`` (pacing, at most 5 in flight, the daily
  stop) and reports the answer's remaining-count headers back to it;
* ``write`` sends one write under its ``Idempotency-Key`` — the same key on every attempt — and, after a
  timeout or a cut connection (the write may have committed without us hearing), calls ``reconcile`` to look
  the object up by its natural key before writing again;
* ``put_batch`` sends up to 50 elements a request with ``summarizeErrors=false`` and returns one outcome per
  element, so one bad element fails alone.
"""

from __future__ import annotations

import random
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any

import requests

from ..clock import Clock
from . import jsonbody
from .budget import CallBudget
from .errors import (
    AuthFailed,
    DailyLimitReached,
    DuplicateObjects,
    GaveUp,
    NotFound,
    ValidationFailed,
    XeroError,
)
from .keys import batch_key
from .retry import Event, GiveUp, Retry, RetryPolicy, StopForDay, decide, parse_retry_after

XERO_API_URL = "https://api.xero.com/api.xro/2.0"
BATCH_SIZE = 50  # Xero's recommended batch size
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
# The natural key of each collection the engine writes, and the id field Xero returns.
NATURAL_KEYS = {
    "Contacts": ("ContactNumber", "ContactID"),
    "Invoices": ("InvoiceNumber", "InvoiceID"),
    "CreditNotes": ("CreditNoteNumber", "CreditNoteID"),
    "Payments": ("Reference", "PaymentID"),
    "BankTransactions": ("Reference", "BankTransactionID"),
    "BankTransfers": ("Reference", "BankTransferID"),
}
DEAD_STATUSES = frozenset({"DELETED"})  # a deleted object does not count as "the object exists"


@dataclass(frozen=True)
class CallRecord:
    method: str
    path: str
    attempt: int
    status: int | None  # None: no answer (timeout or connection error)
    outcome: str
    idempotency_key: str | None = None


@dataclass
class CallLog:
    """What a run's calls cost, for the run ledger."""

    calls: int = 0
    retries: int = 0
    waits: int = 0
    waited_seconds: float = 0.0
    reconciles: int = 0
    replays: int = 0  # answers Xero replayed for a repeated Idempotency-Key
    records: list[CallRecord] = field(default_factory=list)


class ElementStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    DEFERRED = "deferred"  # not sent: the daily limit stopped the run


@dataclass(frozen=True)
class ElementOutcome:
    index: int
    idempotency_key: str
    status: ElementStatus
    obj: dict | None = None
    messages: tuple[str, ...] = ()
    reconciled: bool = False  # found by its natural key after a lost answer, not read from an answer


@dataclass(frozen=True)
class WriteResult:
    body: dict | None  # Xero's answer; None when the object was found by reconcile instead
    found: dict | None = None  # what reconcile found
    replayed: bool = False

    def objects(self, collection: str) -> list[dict]:
        if self.body is None:
            return [self.found] if self.found is not None else []
        return list(self.body.get(collection, []))


class _NoAnswer(Exception):
    def __init__(self, event: Event, maybe_committed: bool):
        self.event = event
        self.maybe_committed = maybe_committed


class XeroClient:
    def __init__(
        self,
        base_url: str,
        tenant_id: str,
        tokens: Any,  # syncer.xero.tokens.Tokens, or anything with access_token() and refresh(rejected)
        clock: Clock,
        budget: CallBudget,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        jitter: Callable[[], float] = random.random,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        batch_size: int = BATCH_SIZE,
    ):
        if not 1 <= batch_size <= BATCH_SIZE:
            raise ValueError(f"batch_size must be 1 to {BATCH_SIZE}")
        self.base_url = base_url.rstrip("/")
        self.tenant_id = tenant_id
        self.tokens = tokens
        self.clock = clock
        self.budget = budget
        self.session = session or requests.Session()
        self.policy = policy or RetryPolicy()
        self.jitter = jitter
        self.timeout = timeout
        self.batch_size = batch_size
        self.log = CallLog()

    # -- reading --

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict:
        response = self._call("GET", path, params=params)
        return self._parsed(response)

    def find_by_natural_key(self, collection: str, field_name: str, value: str) -> dict | None:
        """The one live object of ``collection`` whose ``field_name`` is ``value``; None if there is none."""
        found = self.find_all_by_natural_key(collection, field_name, [value])
        return found.get(value.casefold())

    def find_all_by_natural_key(self, collection: str, field_name: str, values: Sequence[str]) -> dict[str, dict]:
        """The live objects with any of ``values`` in ``field_name``, keyed by the value case-folded (Xero
        compares text ignoring case). Raises ``DuplicateObjects`` if a value has more than one."""
        wanted = list(dict.fromkeys(v for v in values if v))
        id_field = NATURAL_KEYS.get(collection, (field_name, ""))[1]
        matches: dict[str, list[dict]] = {}
        for start in range(0, len(wanted), 20):  # short where clauses: Xero prefers simple filters
            chunk = wanted[start : start + 20]
            where = " OR ".join(f"{field_name}=={_where_text(value)}" for value in chunk)
            params = {"where": where}
            if collection == "Contacts":
                params["includeArchived"] = "true"  # an archived contact still holds its number
            for obj in self.get(f"/{collection}", params).get(collection, []):
                text = obj.get(field_name)
                status = obj.get("Status") or obj.get("ContactStatus")
                if isinstance(text, str) and status not in DEAD_STATUSES:
                    matches.setdefault(text.casefold(), []).append(obj)
        result = {}
        for value, objects in matches.items():
            if len(objects) > 1:
                raise DuplicateObjects(collection, field_name, value, [str(o.get(id_field)) for o in objects])
            result[value] = objects[0]
        return result

    # -- writing --

    def write(
        self,
        method: str,
        path: str,
        body: Any,
        idempotency_key: str,
        reconcile: Callable[[], dict | None] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> WriteResult:
        """One write, retried under the same key; after a lost answer ``reconcile`` runs before any resend."""
        response = self._call(method, path, params=params, body=body, key=idempotency_key, reconcile=reconcile)
        if isinstance(response, WriteResult):
            return response
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return WriteResult(self._parsed(response), replayed=replayed)

    def put_batch(
        self,
        collection: str,
        elements: Sequence[dict],
        keys: Sequence[str],
        natural_key: str | None = None,
        method: str = "PUT",
    ) -> list[ElementOutcome]:
        """Create (or with ``POST`` update) ``elements`` in requests of at most ``batch_size``, one outcome per
        element in order. ``keys`` are the elements' idempotency keys; each request's key derives from them.
        With ``natural_key`` (the field holding it, e.g. ``"InvoiceNumber"``) a lost answer is reconciled
        element by element and only the elements not found are sent again."""
        if len(elements) != len(keys):
            raise ValueError(f"{len(elements)} elements but {len(keys)} keys")
        outcomes: dict[int, ElementOutcome] = {}
        indexes = list(range(len(elements)))
        chunks = [indexes[start : start + self.batch_size] for start in range(0, len(indexes), self.batch_size)]
        for number, chunk in enumerate(chunks):
            try:
                for outcome in self._send_chunk(collection, elements, keys, chunk, natural_key, method):
                    outcomes[outcome.index] = outcome
            except DailyLimitReached as stop:
                message = str(stop)
                for later in chunks[number:]:
                    for index in later:
                        outcomes.setdefault(
                            index, ElementOutcome(index, keys[index], ElementStatus.DEFERRED, messages=(message,))
                        )
                break
            except (GaveUp, ValidationFailed) as failure:
                messages = tuple(failure.messages) if isinstance(failure, ValidationFailed) else (str(failure),)
                for index in chunk:
                    outcomes.setdefault(
                        index, ElementOutcome(index, keys[index], ElementStatus.FAILED, messages=messages)
                    )
        return [outcomes[index] for index in indexes]

    def _send_chunk(
        self,
        collection: str,
        elements: Sequence[dict],
        keys: Sequence[str],
        chunk: list[int],
        natural_key: str | None,
        method: str,
    ) -> list[ElementOutcome]:
        done: list[ElementOutcome] = []
        pending = list(chunk)
        rounds = 0
        while pending:
            rounds += 1
            if rounds > self.policy.max_attempts:
                raise GaveUp(f"PUT /{collection}", rounds - 1, "every attempt lost its answer")
            body = {collection: [elements[i] for i in pending]}
            sent = list(pending)
            result = self._call(
                method,
                f"/{collection}",
                params={"summarizeErrors": "false"},
                body=body,
                key=batch_key(collection, [keys[i] for i in sent]),
                reconcile=partial(self._reconcile_batch, collection, elements, keys, natural_key, pending, done)
                if natural_key
                else None,
                # after a partial reconcile the request changes, so it needs its own key: start again
                stop_after_reconcile=True,
            )
            if isinstance(result, WriteResult):
                continue  # reconciled: loop with what is still pending (nothing, or a smaller request)
            answered = self._parsed(result).get(collection, [])
            if len(answered) != len(sent):
                raise XeroError(f"sent {len(sent)} {collection} but Xero answered {len(answered)}", result.status_code)
            for index, obj in zip(sent, answered, strict=True):
                messages = tuple(_validation_messages(obj))
                failed = (
                    obj.get("StatusAttributeString") == "ERROR"
                    or obj.get("HasErrors") is True
                    or obj.get("HasValidationErrors") is True
                    or bool(messages)
                )
                status = ElementStatus.FAILED if failed else ElementStatus.OK
                done.append(ElementOutcome(index, keys[index], status, obj, messages))
            pending = []
        return done

    def _reconcile_batch(
        self,
        collection: str,
        elements: Sequence[dict],
        keys: Sequence[str],
        natural_key: str,
        pending: list[int],
        done: list[ElementOutcome],
    ) -> dict | None:
        """After a lost answer: the pending elements that exist were written (moved to ``done``); the rest
        stay in ``pending`` to be sent again, as a new request."""
        values = [str(elements[i].get(natural_key) or "") for i in pending]
        found = self.find_all_by_natural_key(collection, natural_key, values)
        for index, value in zip(list(pending), values, strict=True):
            obj = found.get(value.casefold()) if value else None
            if obj is not None:
                done.append(ElementOutcome(index, keys[index], ElementStatus.OK, obj, reconciled=True))
                pending.remove(index)
        return None

    # -- one call with its retries --

    def _call(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        key: str | None = None,
        reconcile: Callable[[], dict | None] | None = None,
        stop_after_reconcile: bool = False,
    ) -> Any:
        url = self.base_url + path
        data = jsonbody.dumps(body).encode("utf-8") if body is not None else None
        refreshed = False
        maybe_committed = False
        attempt = 0
        while True:
            if maybe_committed and reconcile is not None:
                self.log.reconciles += 1
                found = reconcile()
                if found is not None or stop_after_reconcile:
                    return WriteResult(None, found=found)
            attempt += 1
            token = self.tokens.access_token()
            try:
                response = self._send(method, url, params, data, key, token, attempt)
            except _NoAnswer as lost:
                event = lost.event
                maybe_committed = maybe_committed or (lost.maybe_committed and method != "GET")
            else:
                if response.status_code == 401 and not refreshed:
                    refreshed = True
                    self.tokens.refresh(token)
                    attempt -= 1  # a renewed token is not a retry of the request
                    continue
                if response.status_code < 400:
                    if response.headers.get("Idempotent-Replayed", "").lower() == "true":
                        self.log.replays += 1
                    return response
                self._raise_for_client_error(response, method, path)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                problem = response.headers.get("X-Rate-Limit-Problem")
                event = Event.http(response.status_code, retry_after, problem)
                if response.status_code == 429:
                    self.budget.refused(event.rate_limit_problem, retry_after)
            decision = decide(self.policy, attempt, event, self.clock.now(), self.jitter())
            if isinstance(decision, StopForDay):
                raise DailyLimitReached(self.tenant_id, decision.resume_at)
            if isinstance(decision, GiveUp):
                raise GaveUp(f"{method} {path}", attempt, decision.reason, event.status)
            assert isinstance(decision, Retry)
            self.log.retries += 1
            self.log.waits += 1
            self.log.waited_seconds += decision.delay
            self.clock.sleep(decision.delay)

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: bytes | None,
        key: str | None,
        token: str,
        attempt: int,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": self.tenant_id,
            "Accept": "application/json",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        path = urllib.parse.urlsplit(url).path
        waited = self.budget.acquire()
        if waited:
            self.log.waits += 1
            self.log.waited_seconds += waited
        try:
            self.log.calls += 1
            try:
                response = self.session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self.timeout
                )
            except requests.ConnectTimeout:
                self._record(method, path, attempt, None, "connect timeout", key)
                raise _NoAnswer(Event.timeout(), maybe_committed=False) from None
            except requests.Timeout:
                self._record(method, path, attempt, None, "timeout", key)
                raise _NoAnswer(Event.timeout(), maybe_committed=True) from None
            except requests.ConnectionError:
                self._record(method, path, attempt, None, "connection error", key)
                raise _NoAnswer(Event.connection_error(), maybe_committed=True) from None
            self.budget.observe(response.headers)
            self._record(method, path, attempt, response.status_code, response.reason or "", key)
            return response
        finally:
            self.budget.release()

    def _record(self, method: str, path: str, attempt: int, status: int | None, outcome: str, key: str | None) -> None:
        self.log.records.append(CallRecord(method, path, attempt, status, outcome, key))

    # -- answers --

    def _parsed(self, response: requests.Response) -> dict:
        try:
            body = jsonbody.loads(response.content)
        except ValueError:
            raise XeroError(
                f"Xero answered {response.status_code} with a body that is not JSON: {response.text[:200]!r}",
                response.status_code,
            ) from None
        if not isinstance(body, dict):
            raise XeroError(
                f"Xero answered {response.status_code} with JSON that is not an object", response.status_code
            )
        return body

    def _raise_for_client_error(self, response: requests.Response, method: str, path: str) -> None:
        """Raise the typed error of a 4xx the policy would not retry; 429s and 5xx return to be retried."""
        status = response.status_code
        if status == 429 or status >= 500:
            return
        try:
            body = jsonbody.loads(response.content)
        except ValueError:
            body = response.text
        if status == 400:
            messages = _validation_messages(body) if isinstance(body, dict) else []
            if not messages:
                messages = [str(body.get("Message")) if isinstance(body, dict) else str(body)[:500]]
            raise ValidationFailed(messages, status, body)
        detail = body.get("Detail") or body.get("Message") if isinstance(body, dict) else str(body)[:200]
        if status in (401, 403):
            raise AuthFailed(f"{method} {path}: Xero refused the credentials ({status} {detail})", status, body)
        if status == 404:
            raise NotFound(f"{method} {path}: not found ({detail})", status, body)
        raise XeroError(f"{method} {path}: HTTP {status} ({detail})", status, body)


def _where_text(value: str) -> str:
    """A text literal for Xero's ``where``: double quotes, with backslash escapes for quote and backslash."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _validation_messages(value: Any) -> list[str]:
    """Every ``ValidationErrors[].Message`` in an answer or element, nested objects included, in order."""
    messages: list[str] = []
    if isinstance(value, dict):
        for error in value.get("ValidationErrors") or []:
            if isinstance(error, dict) and error.get("Message"):
                messages.append(str(error["Message"]))
        for name, item in value.items():
            if name != "ValidationErrors":
                messages.extend(_validation_messages(item))
    elif isinstance(value, list):
        for item in value:
            messages.extend(_validation_messages(item))
    return messages
