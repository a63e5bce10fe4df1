"""The engine end to end over HTTP: the Xero client, the state store and the settlement check against the
emulator served on a loopback port. The emulator's request log and a read-back prove exactly-once."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from syncer.clock import FakeClock
from syncer.engine import Outcome, apply, plan, read_org
from syncer.mapping.config import FeeFlow
from syncer.settlement import check_settlement
from syncer.state.store import StateStore
from syncer.xero.budget import CallBudget
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore
from tests.syncer.mapping.rules.test_book_against_the_mock import CONFIG, FULL_BOOK, dumps

D = Decimal


class Harness:
    def __init__(self, base: str, state_path: Path):
        self.base = base
        self.clock = FakeClock()
        self.state_path = state_path
        session = requests.Session()
        auth = Authenticator(base, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), self.clock, session)
        self.client = XeroClient(
            base + "/api.xro/2.0",
            DEFAULT_TENANT_ID,
            auth,
            self.clock,
            budget=CallBudget(DEFAULT_TENANT_ID, self.clock),
            session=session,
            jitter=lambda: 0.0,
            timeout=10,
        )

    def control(self, method: str, path: str, body: object = None) -> requests.Response:
        data = dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        return requests.request(method, f"{self.base}/mock-api/{path}", data=data, headers=headers, timeout=10)

    def sync(self, book=FULL_BOOK, config=CONFIG):
        with StateStore.open(self.state_path) as state:
            planned = plan(book, config, read_org(self.client), state.held(DEFAULT_TENANT_ID))
            return planned, apply(planned, self.client, state, DEFAULT_TENANT_ID)

    def writes_logged(self) -> list[tuple[str, str]]:
        rows = self.control("GET", "requests").json()["requests"]
        return [
            (row["method"], row["path"])
            for row in rows
            if row["method"] in ("PUT", "POST") and row["path"].startswith("/api.xro/2.0/")
        ]

    def count(self, collection: str, field: str, value: str) -> int:
        return len(self.client.find(collection, field, value))


@pytest.fixture
def harness(live_server, unlimited, tmp_path) -> Harness:
    h = Harness(live_server, tmp_path / "state.db")
    item = {"Code": "PRO", "Name": "Pro plan", "SalesDetails": {"AccountCode": "260"}}
    h.client.write("PUT", "Items", {"Items": [item]}, idempotency_key="setup-item")
    return h


def test_a_full_book_syncs_balances_settles_and_a_second_run_writes_nothing(harness):
    planned, report = harness.sync()
    assert planned.problems == () and not report.failed, report.outcomes
    assert report.count(Outcome.CREATED) == len(planned.writes) == 13
    assert harness.control("GET", "ledger").json()["balanced"] is True
    settlement = check_settlement(FULL_BOOK, CONFIG.currencies, harness.client)
    assert settlement.ok, [str(problem) for problem in settlement.problems]
    assert dict(settlement.clearing_balances) == {"NZD": D("0.00")}
    assert [(p.payout_id, p.deposited) for p in settlement.payouts] == [
        ("po_1", D("111.80")),
        ("po_2", D("-130.00")),
        ("po_3", D("115.00")),
    ]
    before = len(harness.writes_logged())
    planned_again, again = harness.sync()
    assert planned_again.writes == () and len(planned_again.unchanged) == 13
    assert len(harness.writes_logged()) == before  # the request log: no write at all


def test_the_literal_fee_from_deposit_flow_is_caught_by_the_settlement_check(harness):
    book = replace(
        FULL_BOOK,
        invoices=FULL_BOOK.invoices[:1],
        payouts=FULL_BOOK.payouts[:1],
        credit_notes=(),
        credit_applications=(),
        refunds=(),
        disputes=(),
    )
    config = replace(CONFIG, fee_flow=FeeFlow.DEPOSIT)
    _, report = harness.sync(book, config)
    assert not report.failed
    settlement = check_settlement(book, config.currencies, harness.client)
    assert [str(problem) for problem in settlement.problems] == [
        "payout po_1 (NZD): clearing account 091 nets to 3.20 for this payout, not 0.00 [billing records: pay_1]",
        "payout po_1 (NZD): deposit account 090 received 108.60, but the bank statement shows 111.80 "
        "[billing records: pay_1]",
        "clearing NZD: clearing account 091 holds 3.20 over everything synced",
    ]


def test_throttling_server_errors_and_lost_responses_still_leave_exactly_one_object_each(harness):
    faults = [
        {
            "method": "PUT",
            "path": "/api.xro/2.0/Payments",
            "nth": 1,
            "effect": "status",
            "status": 429,
            "headers": {"Retry-After": "7", "X-Rate-Limit-Problem": "minute"},
        },
        {"method": "PUT", "path": "/api.xro/2.0/BankTransactions", "nth": 1, "effect": "status", "status": 503},
        # the invoices' batch commits and its answer is lost: the retry with the same key is replayed
        {"method": "PUT", "path": "/api.xro/2.0/Invoices", "nth": 1, "effect": "lost_response"},
        # the credit note goes alone: after its lost answer the client finds it by CreditNoteNumber
        {"method": "PUT", "path": "/api.xro/2.0/CreditNotes", "nth": 1, "effect": "lost_response"},
        {"method": "PUT", "path": "/api.xro/2.0/BankTransfers", "nth": 1, "effect": "drop"},
    ]
    assert harness.control("POST", "faults", {"faults": faults}).status_code == 201
    _, report = harness.sync()
    assert not report.failed, report.outcomes
    assert 7.0 in harness.clock.sleeps  # Retry-After honoured, on the injected clock
    assert harness.client.counts.reconciled == 1
    rows = harness.control("GET", "requests").json()["requests"]
    assert [row["replayed"] for row in rows if row["path"] == "/api.xro/2.0/Invoices" and row["method"] == "PUT"] == [
        False,
        True,
    ]
    for collection, field, value in [
        ("Invoices", "InvoiceNumber", "INV-0001"),
        ("Invoices", "InvoiceNumber", "INV-0002"),
        ("CreditNotes", "CreditNoteNumber", "CN-0001"),
        ("Payments", "Reference", "payment:pay_1"),
        ("BankTransactions", "Reference", "fee:pay_1"),
    ]:
        assert harness.count(collection, field, value) == 1, (collection, value)
    transfers = harness.client.get("BankTransfers")["BankTransfers"]
    assert sorted(t["Reference"] for t in transfers) == ["payout:po_1", "payout:po_2", "payout:po_3"]
    assert check_settlement(FULL_BOOK, CONFIG.currencies, harness.client).ok


def test_writes_go_in_batches_of_up_to_fifty(harness):
    customers = tuple(replace(FULL_BOOK.customers[0], id=f"cus_{n}", name=f"Customer {n}") for n in range(120))
    _, report = harness.sync(
        replace(
            FULL_BOOK,
            customers=customers,
            invoices=(),
            payments=(),
            payouts=(),
            credit_notes=(),
            credit_applications=(),
            refunds=(),
            disputes=(),
        )
    )
    assert report.count(Outcome.CREATED) == 120
    assert harness.writes_logged().count(("PUT", "/api.xro/2.0/Contacts")) == 3  # 50 + 50 + 20


def test_a_crash_between_a_write_and_its_save_is_recovered_without_a_duplicate(harness, monkeypatch):
    calls = {"n": 0}
    original = StateStore.complete_write

    def crash_on_the_third(self, tenant_id, ref, mapped):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("the process died after Xero committed, before the state was saved")
        return original(self, tenant_id, ref, mapped)

    monkeypatch.setattr(StateStore, "complete_write", crash_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        harness.sync()
    monkeypatch.setattr(StateStore, "complete_write", original)
    with StateStore.open(harness.state_path) as state:
        assert len(state.pending(DEFAULT_TENANT_ID)) == 1  # the intent survived the crash
    _, report = harness.sync()
    assert not report.failed
    assert harness.count("Invoices", "InvoiceNumber", "INV-0002") == 1
    assert len(harness.client.get("Contacts", {"where": 'ContactNumber=="cus_1"'})["Contacts"]) == 1
    with StateStore.open(harness.state_path) as state:
        assert state.pending(DEFAULT_TENANT_ID) == {}


TWO_CURRENCIES = Path(__file__).resolve().parents[2] / "contracts" / "examples"


def test_a_two_currency_book_with_a_deletion_and_a_void_syncs_settles_and_reruns_quietly(harness, tmp_path):
    from syncer.mapping.config import parse_mapping_config
    from syncer.source.files import load_book

    assert harness.client.write("PUT", "Currencies", {"Code": "USD"}, idempotency_key="setup-usd")
    for code, name in (("092", "USD Bank"), ("093", "Stripe Clearing USD")):
        account = {
            "Code": code,
            "Name": name,
            "Type": "BANK",
            "BankAccountNumber": f"12-3456-{code}0000-00",
            "CurrencyCode": "USD",
        }
        harness.client.write("PUT", "Accounts", account, idempotency_key=f"setup-{code}")
    config = parse_mapping_config(
        "version: 1\ndefault_revenue_account: '200'\ntax: {gst: OUTPUT2, exempt: NONE}\n"
        "currencies:\n"
        "  NZD: {deposit_bank: '090', clearing: '091', fee_account: '404', dispute_account: '429'}\n"
        "  USD: {deposit_bank: '092', clearing: '093', fee_account: '404', dispute_account: '429'}\n"
    )
    book = load_book(TWO_CURRENCIES / "billing-source.two-currencies.example.yaml")
    planned, report = harness.sync(book, config)
    assert planned.problems == () and not report.failed, [o for o in report.outcomes if o[2] != Outcome.CREATED]
    assert harness.control("GET", "ledger").json()["balanced"] is True
    settlement = check_settlement(book, config.currencies, harness.client)
    assert settlement.ok, [str(problem) for problem in settlement.problems]
    assert set(settlement.clearing_balances) == {"NZD", "USD"}
    before = len(harness.writes_logged())
    again, _ = harness.sync(book, config)
    assert again.writes == () and len(harness.writes_logged()) == before
    # the customer is deleted and a draft invoice voided in billing: archived and deleted in Xero
    draft = next(invoice for invoice in book.invoices if invoice.status.value == "draft")
    changed = replace(
        book,
        customers=tuple(replace(c, deleted=True) if c.id == "cus_us" else c for c in book.customers),
        invoices=tuple(replace(i, status=type(i.status)("voided")) if i.id == draft.id else i for i in book.invoices),
    )
    planned, report = harness.sync(changed, config)
    assert sorted((w.kind.value, w.source_id, w.operation.value) for w in planned.writes) == [
        ("contact", "cus_us", "archive"),
        ("invoice", draft.id, "delete"),
    ]
    assert not report.failed, [o for o in report.outcomes if o[2] == Outcome.FAILED]
    statuses = {
        (str(kind), source): detail.split()[0]
        for kind, source, outcome, detail in report.outcomes
        if outcome in (Outcome.CREATED, Outcome.UPDATED)
    }
    assert statuses == {("contact", "cus_us"): "ARCHIVED", ("invoice", draft.id): "DELETED"}
    # the archive and the delete are made: running again sends neither a second time
    again, _ = harness.sync(changed, config)
    assert [(w.kind.value, w.source_id) for w in again.writes if w.source_id in ("cus_us", draft.id)] == []
