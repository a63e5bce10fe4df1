"""plan and apply, on an in-memory Xero and state store: what is written, what is not, and why.

The end-to-end runs against the emulator over HTTP are in tests/syncer/test_engine_against_the_mock.py;
here each engine rule is shown on the smallest book that needs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from syncer.engine import ChangePolicy, Outcome, apply, plan, request_for
from syncer.plan import Operation
from syncer.refs import Kind, Ref
from syncer.source.model import BillingBook
from syncer.state.store import Mapped
from syncer.xero.client import ElementOutcome
from syncer.xero.errors import DailyLimitReached, ValidationFailed
from tests.syncer.mapping.helpers import CONFIG, ORG, customer, invoice, payment, payout

TENANT = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"
ID_FIELD = {
    "Contacts": "ContactID",
    "Invoices": "InvoiceID",
    "Payments": "PaymentID",
    "BankTransactions": "BankTransactionID",
    "BankTransfers": "BankTransferID",
}


class MemoryXero:
    """Stores what is PUT, answers GETs by ``where`` on one field; can lose a response or refuse a call."""

    def __init__(self) -> None:
        self.objects: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[tuple[str, str, str]] = []
        self.ids = (f"00000000-0000-0000-0000-{n:012d}" for n in itertools.count(1))
        self.lose_response_of: set[str] = set()  # collections whose next write commits but raises
        self.refuse: dict[str, str] = {}  # collection -> validation message
        self.day_limit_after: int | None = None
        self.batches: list[tuple[str, int]] = []

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        collection = path.split("/")[0]
        found = self.objects.get(collection, [])
        if params and "where" in params:
            field, _, value = params["where"].partition("==")
            found = [item for item in found if str(item.get(field)) == value.strip('"')]
        return {collection: found}

    def write(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str,
        reconcile: Callable[[], Mapping[str, Any] | None] | None = None,
    ) -> dict[str, Any]:
        collection = path.split("/")[0]
        self.calls.append((method, path, idempotency_key))
        if self.day_limit_after is not None and len(self.calls) > self.day_limit_after:
            raise DailyLimitReached(TENANT, datetime(2024, 3, 2, tzinfo=UTC))
        if collection in self.refuse:
            raise ValidationFailed([self.refuse[collection]])
        element = dict(body[collection][0])
        status = "ACTIVE" if collection == "Contacts" else element.get("Status", "AUTHORISED")
        if method == "PUT":
            element[ID_FIELD[collection]] = next(self.ids)
            element["Status" if collection != "Contacts" else "ContactStatus"] = status
            self.objects.setdefault(collection, []).append(element)
        else:
            stored = next(
                i for i in self.objects[collection] if i[ID_FIELD[collection]] == element[ID_FIELD[collection]]
            )
            stored.update(element)
            element = stored
        if collection in self.lose_response_of:
            self.lose_response_of.discard(collection)
            raise TimeoutError("the response was lost after the write committed")
        return {collection: [element]}

    def put_batch(self, collection, elements, idempotency_key):
        answer = self.write("PUT", collection, {collection: [elements[0]]}, idempotency_key=idempotency_key)
        outcomes = [ElementOutcome(answer[collection][0])]
        for element in elements[1:]:
            answer = self.write("PUT", collection, {collection: [element]}, idempotency_key=idempotency_key)
            outcomes.append(ElementOutcome(answer[collection][0]))
        self.batches.append((collection, len(elements)))
        return outcomes


class MemoryState:
    def __init__(self) -> None:
        self.mapped: dict[Ref, Mapped] = {}
        self.intents: dict[Ref, str] = {}

    def held(self, tenant_id: str) -> Mapping[Ref, Mapped]:
        return dict(self.mapped)

    def pending(self, tenant_id: str) -> Mapping[Ref, str]:
        return dict(self.intents)

    def begin_write(self, tenant_id: str, ref: Ref, idempotency_key: str, natural_key: str) -> None:
        self.intents[ref] = idempotency_key

    def complete_write(self, tenant_id: str, ref: Ref, mapped: Mapped) -> None:
        self.intents.pop(ref, None)
        self.mapped[ref] = mapped

    def abandon_write(self, tenant_id: str, ref: Ref) -> None:
        self.intents.pop(ref, None)


BOOK = BillingBook(customers=(customer(),), invoices=(invoice(),), payments=(payment(),), payouts=(payout(),))


def run(book: BillingBook, xero: MemoryXero, state: MemoryState, **options: Any):
    planned = plan(book, CONFIG, ORG, state.held(TENANT), **options)
    return planned, apply(planned, xero, state, TENANT)


def test_a_first_run_creates_every_object_in_dependency_order():
    xero, state = MemoryXero(), MemoryState()
    planned, report = run(BOOK, xero, state)
    assert [(w.kind, w.operation) for w in planned.writes] == [
        (Kind.CONTACT, Operation.CREATE),
        (Kind.INVOICE, Operation.CREATE),
        (Kind.PAYMENT, Operation.CREATE),
        (Kind.FEE, Operation.CREATE),
        (Kind.TRANSFER, Operation.CREATE),
    ]
    assert report.count(Outcome.CREATED) == 5 and not report.failed
    assert [path for _, path, _ in xero.calls] == [
        "Contacts",
        "Invoices",
        "Payments",
        "BankTransactions",
        "BankTransfers",
    ]
    invoice_body = xero.objects["Invoices"][0]
    assert invoice_body["Contact"]["ContactID"] == xero.objects["Contacts"][0]["ContactID"]


def test_a_second_run_over_the_same_book_writes_nothing():
    xero, state = MemoryXero(), MemoryState()
    run(BOOK, xero, state)
    calls = len(xero.calls)
    planned, report = run(BOOK, xero, state)
    assert planned.writes == ()
    assert len(xero.calls) == calls
    assert sorted(kind for kind, _ in planned.unchanged) == sorted(
        [Kind.CONTACT, Kind.INVOICE, Kind.PAYMENT, Kind.FEE, Kind.TRANSFER]
    )


def test_a_changed_customer_is_updated_through_its_xero_id():
    xero, state = MemoryXero(), MemoryState()
    run(BillingBook(customers=(customer(),)), xero, state)
    planned, report = run(BillingBook(customers=(customer(name="Acme Group Ltd"),)), xero, state)
    (write,) = planned.writes
    assert write.operation is Operation.UPDATE
    method, path, body = request_for(write, {})
    contact_id = xero.objects["Contacts"][0]["ContactID"]
    assert (method, path) == ("POST", f"Contacts/{contact_id}")
    assert body["Contacts"][0]["ContactID"] == contact_id
    assert xero.objects["Contacts"][0]["Name"] == "Acme Group Ltd"
    assert report.count(Outcome.UPDATED) == 1


def test_an_invoice_changed_after_its_payment_went_to_xero_is_reported_not_sent():
    xero, state = MemoryXero(), MemoryState()
    run(BOOK, xero, state)
    changed = BillingBook(
        customers=BOOK.customers,
        invoices=(invoice(due_date=invoice().due_date.replace(day=28)),),
        payments=BOOK.payments,
        payouts=BOOK.payouts,
    )
    planned, report = run(changed, xero, state)
    assert planned.writes == ()
    (problem,) = planned.problems
    assert (problem.kind, problem.source_id) == (Kind.INVOICE, "inv_1")
    assert problem.message == (
        "invoice inv_1 changed in billing, but Xero holds payment pay_1 against it and no longer allows edits "
        "(change policy: report)"
    )
    assert report.failed


def test_the_skip_change_policy_records_the_same_refusal_as_a_skip():
    xero, state = MemoryXero(), MemoryState()
    run(BOOK, xero, state)
    changed = BillingBook(
        customers=BOOK.customers,
        invoices=(invoice(due_date=invoice().due_date.replace(day=28)),),
        payments=BOOK.payments,
        payouts=BOOK.payouts,
    )
    planned, report = run(changed, xero, state, change_policy=ChangePolicy.SKIP)
    assert planned.problems == () and not report.failed
    assert [skip.reason for skip in planned.skips if skip.source_id == "inv_1"] == [
        "invoice inv_1 changed in billing, but Xero holds payment pay_1 against it and no longer allows edits "
        "(change policy: skip)"
    ]


def test_a_changed_payment_is_never_sent_again_while_its_fee_a_bank_transaction_is_updated():
    xero, state = MemoryXero(), MemoryState()
    run(BOOK, xero, state)
    changed = BillingBook(
        customers=BOOK.customers,
        invoices=BOOK.invoices,
        payments=(payment(captured_on=payment().captured_on.replace(day=2)),),
        payouts=BOOK.payouts,
    )
    planned, _ = run(changed, xero, state)
    assert [(p.kind, p.message) for p in planned.problems] == [
        (
            Kind.PAYMENT,
            "payment pay_1 changed in billing, but Xero does not edit a payment once it is sent "
            "(change policy: report)",
        ),
    ]
    assert [(w.kind, w.operation) for w in planned.writes] == [(Kind.FEE, Operation.UPDATE)]


def test_a_payment_on_a_rejected_invoice_waits_with_the_reason():
    bad = invoice(lines=[], total="0.00")
    planned = plan(BillingBook(customers=(customer(),), invoices=(bad,), payments=(payment(),)), CONFIG, ORG, {})
    reasons = {skip.source_id: skip.reason for skip in planned.skips if skip.kind is Kind.PAYMENT}
    assert reasons == {"pay_1": "waits for invoice inv_1: it has problems"}
    assert [w.kind for w in planned.writes] == [Kind.CONTACT]


def test_preflight_problems_block_the_run_and_nothing_is_written():
    org = {**ORG, "Accounts": [a for a in ORG["Accounts"] if a["Code"] != "091"]}
    planned = plan(BOOK, CONFIG, org, {})
    assert planned.blocked and planned.writes == ()
    xero, state = MemoryXero(), MemoryState()
    apply(planned, xero, state, TENANT)
    assert xero.calls == []


def test_a_lost_response_is_reconciled_by_natural_key_on_the_next_run():
    xero, state = MemoryXero(), MemoryState()
    xero.lose_response_of.add("Invoices")
    with pytest.raises(TimeoutError):
        run(BOOK, xero, state)  # a crash: the client's own reconcile is not in play here
    assert Ref(Kind.INVOICE, "inv_1") in state.intents
    planned, report = run(BOOK, xero, state)
    assert len(xero.objects["Invoices"]) == 1  # found by InvoiceNumber, not written twice
    assert state.intents == {}
    assert report.count(Outcome.CREATED) == 4  # the invoice (reconciled), payment, fee, transfer


def test_the_same_write_uses_the_same_idempotency_key_in_every_run():
    first, second = MemoryXero(), MemoryXero()
    run(BOOK, first, MemoryState())
    run(BOOK, second, MemoryState())
    assert [key for *_, key in first.calls] == [key for *_, key in second.calls]
    assert len({key for *_, key in first.calls}) == 5


def test_a_failed_contact_fails_alone_and_its_invoice_is_skipped_with_the_reason():
    xero, state = MemoryXero(), MemoryState()
    xero.refuse["Contacts"] = "The contact name Acme Ltd is already assigned to another contact."
    _, report = run(BOOK, xero, state)
    outcomes = {(kind, source_id): (outcome, detail) for kind, source_id, outcome, detail in report.outcomes}
    assert outcomes[(Kind.CONTACT, "cus_1")] == (
        Outcome.FAILED,
        "Xero refused the request: The contact name Acme Ltd is already assigned to another contact.",
    )
    assert outcomes[(Kind.INVOICE, "inv_1")] == (Outcome.SKIPPED, "contact cus_1 failed")
    assert "Invoices" not in xero.objects


def test_the_day_limit_stops_the_run_and_defers_what_is_left():
    xero, state = MemoryXero(), MemoryState()
    xero.day_limit_after = 2
    _, report = run(BOOK, xero, state)
    assert report.stopped_for_day == datetime(2024, 3, 2, tzinfo=UTC)
    assert [(kind, outcome) for kind, _, outcome, _ in report.outcomes] == [
        (Kind.CONTACT, Outcome.CREATED),
        (Kind.INVOICE, Outcome.CREATED),
        (Kind.PAYMENT, Outcome.DEFERRED),
        (Kind.FEE, Outcome.DEFERRED),
        (Kind.TRANSFER, Outcome.DEFERRED),
    ]
    _, resumed = (
        run(BOOK, xero.__class__() if False else xero, state)
        if not setattr(xero, "day_limit_after", None)
        else (None, None)
    )
    assert resumed.count(Outcome.CREATED) == 3 and resumed.count(Outcome.UNCHANGED) == 2


def test_cosmetic_contact_updates_go_after_the_money_so_the_day_limit_defers_them_first():
    xero, state = MemoryXero(), MemoryState()
    run(BillingBook(customers=(customer(),)), xero, state)
    renamed = BillingBook(
        customers=(customer(name="Acme Group Ltd"),),
        invoices=BOOK.invoices,
        payments=BOOK.payments,
        payouts=BOOK.payouts,
    )
    planned = plan(renamed, CONFIG, ORG, state.held(TENANT))
    assert [w.kind for w in planned.writes] == [Kind.INVOICE, Kind.PAYMENT, Kind.FEE, Kind.TRANSFER, Kind.CONTACT]
    xero.day_limit_after = len(xero.calls) + 4
    report = apply(planned, xero, state, TENANT)
    assert [(kind, outcome) for kind, _, outcome, _ in report.outcomes if outcome is Outcome.DEFERRED] == [
        (Kind.CONTACT, Outcome.DEFERRED)
    ]
