"""The engine: ``plan`` turns a billing book into the writes a run would make; ``apply`` makes exactly those.

``plan`` reads the organisation (accounts, currencies, tax rates, items), runs preflight, maps every record
through the pure rules in ``syncer.mapping`` with what the state store says Xero already holds, and then
decides per write: create, update, or nothing because the body Xero has is the body we would send. A
write Xero would refuse (an invoice that is paid, allocated or voided; a payment, which Xero never edits)
goes through the **change policy** instead of being sent. A write whose dependency is not sent (a payment
on a rejected invoice) is skipped with that reason.

``apply`` sends the plan in its order. Before each call it records an *intent* in the state store (the
Idempotency-Key and the natural key); after it, the outcome. A crash between the two leaves the intent,
and the next run looks the object up by its natural key before writing again, so a crash or a lost
response never makes a second Xero object. When Xero's day limit is reached the run stops cleanly, and
the writes it did not make are recorded as deferred.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from syncer.mapping.config import DEFAULT_SETTINGS, MappingConfig, SyncSettings
from syncer.mapping.context import Held, MappingContext
from syncer.mapping.org import OrgData
from syncer.mapping.preflight import preflight
from syncer.mapping.rules import map_book
from syncer.plan import Operation, Plan, Priority, Problem, Skip, Write, canonical_json, ordered
from syncer.refs import Kind, Ref
from syncer.source.model import BillingBook
from syncer.state.store import Mapped
from syncer.xero.client import BATCH_SIZE, ElementOutcome
from syncer.xero.errors import AuthFailed, DailyLimitReached, XeroError
from syncer.xero.keys import batch_key, idempotency_key

# The id field of each collection the engine writes to, in the response and in the URL of an update.
ID_FIELDS: Mapping[str, str] = {
    "Contacts": "ContactID",
    "Invoices": "InvoiceID",
    "CreditNotes": "CreditNoteID",
    "Payments": "PaymentID",
    "BankTransactions": "BankTransactionID",
    "BankTransfers": "BankTransferID",
    "Allocations": "AllocationID",
}
# Collections whose creates go in batches (each accepts summarizeErrors=false).
BATCHED = frozenset({"Contacts", "Invoices", "CreditNotes", "Payments", "BankTransactions", "BankTransfers"})
# Xero cannot edit these once they exist: a changed one is for the change policy, never a silent POST.
NEVER_EDITED = frozenset({Kind.PAYMENT, Kind.REFUND, Kind.TRANSFER, Kind.ALLOCATION})
# Document statuses in which Xero still accepts an edit (with nothing paid or credited against it).
EDITABLE_STATUSES = frozenset({"DRAFT", "SUBMITTED", "AUTHORISED"})


class ChangePolicy(StrEnum):
    """What to do with a change Xero will not take (a paid, allocated or voided document; a payment).

    ``report`` (default): the write is left out and reported as a problem, so the run exits 1 and someone
    looks. ``skip``: the write is left out and recorded as skipped with the reason, the run stays clean; for
    teams that correct such documents in Xero by hand. Neither ever sends the change or drops it silently.
    """

    REPORT = "report"
    SKIP = "skip"


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"
    DEFERRED = "deferred"


class XeroPort(Protocol):
    """What the engine needs from the Xero client (``syncer.xero.client.XeroClient`` provides it)."""

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]: ...

    def write(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str,
        reconcile: Callable[[], Mapping[str, Any] | None] | None = None,
    ) -> dict[str, Any]: ...

    def put_batch(
        self, collection: str, elements: Sequence[Mapping[str, Any]], idempotency_key: str
    ) -> Sequence[ElementOutcome]: ...


class StatePort(Protocol):
    """What the engine needs from the state store (``syncer.state`` provides it)."""

    def held(self, tenant_id: str) -> Mapping[Ref, Mapped]: ...

    def pending(self, tenant_id: str) -> Mapping[Ref, str]:
        """Refs whose write was begun and never completed, with the Idempotency-Key it used."""
        ...

    def begin_write(self, tenant_id: str, ref: Ref, idempotency_key: str, natural_key: str) -> None: ...

    def complete_write(self, tenant_id: str, ref: Ref, mapped: Mapped) -> None: ...

    def abandon_write(self, tenant_id: str, ref: Ref) -> None: ...


@dataclass
class RunReport:
    """Every record's outcome in one run, the calls it cost, and whether it stopped for the day."""

    outcomes: list[tuple[Kind | str, str, Outcome, str]] = field(default_factory=list)
    stopped_for_day: datetime | None = None
    auth_failure: str | None = None  # why the token stopped working mid-run; the rest was not sent

    def record(self, kind: Kind | str, source_id: str, outcome: Outcome, detail: str = "") -> None:
        self.outcomes.append((kind, source_id, outcome, detail))

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, _, found, _ in self.outcomes if found is outcome)

    @property
    def failed(self) -> bool:
        return self.count(Outcome.FAILED) > 0


def read_org(xero: XeroPort) -> OrgData:
    """The organisation as the mapping needs it: five GETs, each as Xero returned it."""
    org: dict[str, Any] = {}
    for collection in ("Organisation", "Accounts", "Currencies", "TaxRates", "Items"):
        answer = xero.get(collection)
        key = "Organisations" if collection == "Organisation" else collection
        org[key] = answer.get(key, [])
    return org


def plan(
    book: BillingBook,
    config: MappingConfig,
    org: OrgData,
    held: Mapping[Ref, Mapped],
    *,
    settings: SyncSettings = DEFAULT_SETTINGS,
    change_policy: ChangePolicy = ChangePolicy.REPORT,
) -> Plan:
    """Every write a run would make, with its reason; pure (the caller reads ``org`` and ``held``)."""
    config = settings.mapping_for(config)
    problems = preflight(config, org)
    if problems:
        return Plan(problems=tuple(problems))
    context = MappingContext.build(
        config,
        org,
        book,
        settings=settings,
        held={ref: Held(mapped.xero_id, mapped.status) for ref, mapped in held.items()},
        reserved_names=_other_contact_names(org, held),
    )
    mapped = map_book(book, context)
    writes: list[Write] = []
    skips: list[Skip] = list(mapped.skips)
    unchanged: list[tuple[Kind, str]] = []
    found: list[Problem] = list(mapped.problems())
    settled = _settled_documents(book, held)
    for write in mapped.writes:
        known = held.get(Ref(write.kind, write.source_id))
        # an archive, void or delete already made is as unchanged as an update already sent: sending it again
        # would be a write with no source change (found by the scenario harness's re-sync invariant)
        if known is not None and write.operation is not Operation.CREATE and known.fingerprint == write.fingerprint:
            unchanged.append((write.kind, write.source_id))
            continue
        refusal = _refused_change(write, known, settled)
        if refusal is not None:
            if change_policy is ChangePolicy.SKIP:
                skips.append(Skip(write.kind, write.source_id, f"{refusal} (change policy: skip)"))
            else:
                found.append(Problem(f"{refusal} (change policy: report)", write.kind, write.source_id))
            continue
        writes.append(write)
    sendable, waiting = _with_dependencies(ordered(writes), held, skips, found)
    sendable = money_first(sendable)
    return Plan(tuple(sendable), tuple(skips + waiting), tuple(found), tuple(unchanged))


def _other_contact_names(org: OrgData, held: Mapping[Ref, Mapped]) -> list[str]:
    """Names of contacts the book does not own, which de-duplication must avoid (read with the org)."""
    ours = {mapped.xero_id for ref, mapped in held.items() if ref.kind is Kind.CONTACT}
    return [
        contact["Name"]
        for contact in org.get("Contacts", ())
        if contact.get("ContactID") not in ours and contact.get("ContactStatus") != "ARCHIVED"
    ]


def _settled_documents(book: BillingBook, held: Mapping[Ref, Mapped]) -> dict[Ref, str]:
    """Documents Xero holds money against (a sent payment, allocation or refund), which it will not edit."""
    settled: dict[Ref, str] = {}
    for payment in book.payments:
        if Ref(Kind.PAYMENT, payment.id) in held:
            settled[Ref(Kind.INVOICE, payment.invoice_id)] = f"payment {payment.id}"
    for application in book.credit_applications:
        if Ref(Kind.ALLOCATION, application.id) in held:
            settled[Ref(Kind.INVOICE, application.invoice_id)] = f"credit application {application.id}"
            settled[Ref(Kind.CREDIT_NOTE, application.credit_note_id)] = f"credit application {application.id}"
    for refund in book.refunds:
        if refund.credit_note_id is not None and Ref(Kind.REFUND, refund.id) in held:
            settled[Ref(Kind.CREDIT_NOTE, refund.credit_note_id)] = f"refund {refund.id}"
    return settled


def _refused_change(write: Write, known: Mapped | None, settled: Mapping[Ref, str]) -> str | None:
    """Why Xero would refuse this change to an object it holds; None when it takes it."""
    if known is None or write.operation is Operation.CREATE:
        return None
    what = f"{write.kind} {write.source_id} changed in billing, but"
    if write.kind in NEVER_EDITED:
        return f"{what} Xero does not edit a {write.kind} once it is sent"
    if write.kind not in (Kind.INVOICE, Kind.CREDIT_NOTE) or write.operation is not Operation.UPDATE:
        return None
    if known.status not in EDITABLE_STATUSES:
        return f"{what} Xero holds it as {known.status} and no longer allows edits"
    money = settled.get(Ref(write.kind, write.source_id))
    if money is not None:
        return f"{what} Xero holds {money} against it and no longer allows edits"
    return None


def money_first(writes: Sequence[Write]) -> list[Write]:
    """Cosmetic writes (updates and archiving of contacts Xero already holds) go last, so when the day's
    calls run out it is they that are deferred, never a payment. Nothing in a plan depends on them: the
    contact they change already exists."""
    return [w for w in writes if w.priority is not Priority.COSMETIC] + [
        w for w in writes if w.priority is Priority.COSMETIC
    ]


def needs(write: Write) -> tuple[Ref, ...]:
    """The writes that must exist first: the body's Refs, and for a gateway fee its payment, because a fee
    booked without the payment it was taken from would leave clearing short by the fee."""
    if write.kind is Kind.FEE:
        return (*write.depends_on, Ref(Kind.PAYMENT, write.source_id))
    return write.depends_on


def _with_dependencies(
    writes: Sequence[Write], held: Mapping[Ref, Mapped], skips: list[Skip], problems: list[Problem]
) -> tuple[list[Write], list[Skip]]:
    """Writes whose every Ref will exist, and skips for those waiting on a record that is not sent."""
    why_not: dict[Ref, str] = {
        Ref(skip.kind, skip.source_id): skip.reason for skip in skips if isinstance(skip.kind, Kind)
    }
    for problem in problems:
        if isinstance(problem.kind, Kind) and problem.source_id is not None:
            why_not.setdefault(Ref(problem.kind, problem.source_id), "it has problems")
    coming: set[Ref] = set()
    sendable: list[Write] = []
    waiting: list[Skip] = []
    for write in writes:
        missing = [ref for ref in needs(write) if ref not in held and ref not in coming]
        if missing:
            ref = missing[0]
            reason = why_not.get(ref, "it is not in this run")
            waiting.append(Skip(write.kind, write.source_id, f"waits for {ref.kind} {ref.source_id}: {reason}"))
            why_not[Ref(write.kind, write.source_id)] = f"waits for {ref.kind} {ref.source_id}"
            continue
        coming.add(Ref(write.kind, write.source_id))
        sendable.append(write)
    return sendable, waiting


def resolved(value: object, ids: Mapping[Ref, str]) -> Any:
    """A body with every Ref replaced by the Xero id it stands for."""
    if isinstance(value, Ref):
        return ids[value]
    if isinstance(value, Mapping):
        return {key: resolved(item, ids) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolved(item, ids) for item in value]
    return value


def request_for(write: Write, ids: Mapping[Ref, str]) -> tuple[str, str, dict[str, Any]]:
    """(method, path, body) of a planned write, with its Refs resolved."""
    body = resolved(write.body, ids)
    if write.collection == "Allocations":
        credit_note = body.pop("CreditNote")["CreditNoteID"]
        return "PUT", f"CreditNotes/{credit_note}/Allocations", {"Allocations": [body]}
    if write.operation is Operation.CREATE:
        return "PUT", write.collection, {write.collection: [body]}
    if write.xero_id is None:
        raise ValueError(f"{write.kind} {write.source_id}: a {write.operation} needs the Xero id it changes")
    body[ID_FIELDS[write.collection]] = write.xero_id
    return "POST", f"{write.collection}/{write.xero_id}", {write.collection: [body]}


def apply(
    planned: Plan,
    xero: XeroPort,
    state: StatePort,
    tenant_id: str,
    *,
    on_progress: Callable[[Write, Outcome], None] | None = None,
) -> RunReport:
    """Make the plan's writes in order; every outcome is recorded, none is lost."""
    report = RunReport()
    for skip in planned.skips:
        report.record(skip.kind, skip.source_id, Outcome.SKIPPED, skip.reason)
    for problem in planned.problems:
        report.record(problem.kind or "run", problem.source_id or "", Outcome.FAILED, str(problem))
    for kind, source_id in planned.unchanged:
        report.record(kind, source_id, Outcome.UNCHANGED)
    if planned.blocked:
        return report
    held = dict(state.held(tenant_id))
    pending = state.pending(tenant_id)
    ids: dict[Ref, str] = {ref: mapped.xero_id for ref, mapped in held.items()}
    failed: set[Ref] = set()
    remaining = deque(planned.writes)  # popped from the front: a deque, not a list
    while remaining:
        write = remaining.popleft()
        ref = Ref(write.kind, write.source_id)
        blocker = next((dep for dep in needs(write) if dep in failed or dep not in ids), None)
        if blocker is not None:
            failed.add(ref)
            report.record(write.kind, write.source_id, Outcome.SKIPPED, f"{blocker.kind} {blocker.source_id} failed")
            continue
        batch = [write]
        while (
            len(batch) < BATCH_SIZE
            and remaining
            and _batchable(write, pending)
            and _batchable(remaining[0], pending)
            and remaining[0].collection == write.collection
            and all(dep in ids and dep not in failed for dep in needs(remaining[0]))
        ):
            batch.append(remaining.popleft())
        try:
            if len(batch) > 1:
                results = _send_batch(batch, ids, xero, state, tenant_id)
            else:
                key = _key(tenant_id, write)
                results = [(write, _send(write, ids, xero, state, tenant_id, key, ref in pending))]
        except DailyLimitReached as stop:
            report.stopped_for_day = stop.resume_at
            for deferred in [*batch, *remaining]:
                report.record(deferred.kind, deferred.source_id, Outcome.DEFERRED, str(stop))
            break
        except AuthFailed as stop:
            # no later call can succeed until a person reconnects: stop instead of failing every write in turn
            report.auth_failure = str(stop)
            for unsent in [*batch, *remaining]:
                report.record(unsent.kind, unsent.source_id, Outcome.FAILED, f"not sent: {stop}")
            break
        except XeroError as error:
            results = [(sent, str(error)) for sent in batch]
        for sent, result in results:
            sent_ref = Ref(sent.kind, sent.source_id)
            if isinstance(result, str):
                failed.add(sent_ref)
                outcome, detail = Outcome.FAILED, result
            else:
                xero_id, status = result
                ids[sent_ref] = xero_id
                outcome = Outcome.CREATED if sent.operation is Operation.CREATE else Outcome.UPDATED
                detail = f"{status} {xero_id}"
            report.record(sent.kind, sent.source_id, outcome, detail)
            if on_progress is not None:
                on_progress(sent, outcome)
    return report


def _natural_text(write: Write) -> str:
    """The natural key as the intent journal stores it, for a person reading the state after a crash."""
    return canonical_json(vars(write.natural_key)) if write.natural_key else ""


def _key(tenant_id: str, write: Write) -> str:
    return idempotency_key(tenant_id, write.kind, write.source_id, _key_version(write), str(write.operation))


def _batchable(write: Write, pending: Mapping[Ref, str]) -> bool:
    """Creates go in batches of up to 50 (one call instead of fifty); a write the last run may have made
    goes alone, after a lookup by its natural key."""
    return (
        write.operation is Operation.CREATE
        and write.collection in BATCHED
        and Ref(write.kind, write.source_id) not in pending
    )


def _send_batch(
    batch: Sequence[Write], ids: Mapping[Ref, str], xero: XeroPort, state: StatePort, tenant_id: str
) -> list[tuple[Write, tuple[str, str] | str]]:
    """One PUT with ``summarizeErrors=false``: each element's outcome, so a refused one fails alone."""
    collection = batch[0].collection
    keys = [_key(tenant_id, write) for write in batch]
    bodies = []
    for write, key in zip(batch, keys, strict=True):
        _, _, body = request_for(write, ids)
        bodies.append(body[collection][0])
        state.begin_write(tenant_id, Ref(write.kind, write.source_id), key, _natural_text(write))
    outcomes = xero.put_batch(collection, bodies, batch_key(collection, keys))
    results: list[tuple[Write, tuple[str, str] | str]] = []
    for write, outcome in zip(batch, outcomes, strict=True):
        if outcome.ok:
            results.append((write, _completed(state, tenant_id, write, outcome.element)))
        else:
            state.abandon_write(tenant_id, Ref(write.kind, write.source_id))
            results.append((write, "Xero refused it: " + "; ".join(outcome.errors)))
    return results


def _key_version(write: Write) -> str:
    """The version part of the Idempotency-Key: the source version and the body's fingerprint, so a retry or
    a re-run of the same change reuses its key, and a different body for the same version (the mapping
    configuration changed) is a new request rather than a replay of the old one."""
    return f"{write.version}.{write.fingerprint[:16]}"


def _send(
    write: Write,
    ids: Mapping[Ref, str],
    xero: XeroPort,
    state: StatePort,
    tenant_id: str,
    key: str,
    was_pending: bool,
) -> tuple[str, str]:
    ref = Ref(write.kind, write.source_id)
    method, path, body = request_for(write, ids)

    def reconcile() -> Mapping[str, Any] | None:
        """The answer the lost write would have had, when Xero holds the object (shaped like a write's)."""
        existing = find_existing(xero, write, ids)
        return {write.collection: [existing]} if existing is not None else None

    if was_pending and write.operation is Operation.CREATE:
        # the last run began this write and never heard back: it may have committed
        existing = find_existing(xero, write, ids)
        if existing is not None:
            return _completed(state, tenant_id, write, existing)
    state.begin_write(tenant_id, ref, key, _natural_text(write))
    answer = xero.write(method, path, body, idempotency_key=key, reconcile=reconcile)
    element = _element(answer, write)
    if element is None:
        state.abandon_write(tenant_id, ref)
        raise XeroError(f"Xero answered without the {write.collection} element it was sent")
    return _completed(state, tenant_id, write, element)


def _completed(state: StatePort, tenant_id: str, write: Write, element: Mapping[str, Any]) -> tuple[str, str]:
    xero_id = str(element[ID_FIELDS[write.collection]])
    status = str(element.get("Status") or element.get("ContactStatus") or "")
    state.complete_write(
        tenant_id, Ref(write.kind, write.source_id), Mapped(xero_id, status, write.fingerprint, write.version)
    )
    return xero_id, status


def _element(answer: Mapping[str, Any], write: Write) -> Mapping[str, Any] | None:
    elements = answer.get(write.collection) or []
    return elements[0] if elements else None


def find_existing(xero: XeroPort, write: Write, ids: Mapping[Ref, str]) -> Mapping[str, Any] | None:
    """The object a lost write may have created, found by its natural key; None when Xero has none."""
    natural = write.natural_key
    if natural is None:
        return None
    if write.collection == "Allocations":
        return _find_allocation(xero, write, ids)
    if natural.field == ID_FIELDS.get(natural.collection):
        found = xero.get(f"{natural.collection}/{natural.value}").get(natural.collection) or []
    else:
        where = f'{natural.field}=="{_quoted(natural.value)}"'
        found = xero.get(natural.collection, {"where": where}).get(natural.collection) or []
    return found[0] if found else None


def _find_allocation(xero: XeroPort, write: Write, ids: Mapping[Ref, str]) -> Mapping[str, Any] | None:
    body = resolved(write.body, ids)
    credit_note_id = body["CreditNote"]["CreditNoteID"]
    notes = xero.get(f"CreditNotes/{credit_note_id}").get("CreditNotes") or []
    for allocation in (notes[0].get("Allocations") or []) if notes else []:
        same_invoice = (allocation.get("Invoice") or {}).get("InvoiceID") == body["Invoice"]["InvoiceID"]
        if same_invoice and Decimal(str(allocation.get("Amount"))) == Decimal(str(body["Amount"])):
            return allocation
    return None


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def plan_as_json(planned: Plan) -> list[dict[str, Any]]:
    """The plan as `plan --json` prints it and the run ledger stores it."""
    return [
        {
            "kind": str(write.kind),
            "source_id": write.source_id,
            "operation": str(write.operation),
            "collection": write.collection,
            "reason": write.reason,
            "fingerprint": write.fingerprint,
            "body": json.loads(canonical_json(write.body)),
        }
        for write in planned.writes
    ]
