"""The mapped bodies, sent as they are to the emulator, are accepted and leave the books the rules promise.

A minimal driver stands in for the engine: it replaces each Ref with the id the earlier write got back and
PUTs every write in the plan's order. The emulator enforces Xero's rules, so a body Xero would refuse fails
here; its journals then show what each bank account holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from syncer.engine import ID_FIELDS, resolved
from syncer.mapping.config import CurrencyAccounts, FeeFlow, MappingConfig
from syncer.mapping.context import MappingContext
from syncer.mapping.preflight import preflight
from syncer.mapping.rules.book import map_book
from syncer.plan import Write
from syncer.refs import Ref
from syncer.source.model import (
    BillingBook,
    CreditApplication,
    CreditNote,
    CreditNoteLine,
    Customer,
    Dispute,
    DisputeOutcome,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineItemType,
    Payment,
    Payout,
    Refund,
    TaxMode,
)
from syncer.xero.wire import dumps

D = Decimal
CONFIG = MappingConfig(
    default_revenue_account="200",
    currencies={"NZD": CurrencyAccounts(deposit_bank="090", clearing="091", fee_account="404", dispute_account="429")},
    items={"prod_pro": "PRO"},
    tax={"gst": "OUTPUT2"},
)


def loads(response) -> dict:
    return json.loads(response.data, parse_float=Decimal)


def organisation(xero) -> dict:
    org = {}
    for collection, path in [
        ("Accounts", "/Accounts"),
        ("Currencies", "/Currencies"),
        ("TaxRates", "/TaxRates"),
        ("Items", "/Items"),
        ("Organisations", "/Organisation"),
    ]:
        org[collection] = loads(xero.get(path))[collection]
    return org


def send(xero, writes: tuple[Write, ...]) -> None:
    ids: dict[Ref, str] = {}
    for write in writes:
        body = resolved(dict(write.body), ids)
        path = f"/{write.collection}"
        if write.collection == "Allocations":
            path = f"/CreditNotes/{body.pop('CreditNote')['CreditNoteID']}/Allocations"
        response = xero.put(path, data=dumps({write.collection: [body]}), content_type="application/json")
        assert response.status_code == 200, (write.kind, write.source_id, response.data)
        [element] = loads(response)[write.collection]
        ids[Ref(write.kind, write.source_id)] = element[ID_FIELDS[write.collection]]


def bank_balances(xero) -> dict[str, Decimal]:
    balances: dict[str, Decimal] = defaultdict(lambda: D("0.00"))
    for journal in loads(xero.get("/Journals"))["Journals"]:
        for line in journal["JournalLines"]:
            if line["AccountCode"] in ("090", "091"):
                balances[line["AccountCode"]] += line["NetAmount"]
    return dict(balances)


def pro_line(line_id: str, amount: str) -> InvoiceLine:
    return InvoiceLine(
        line_id,
        LineItemType.STANDING_CHARGE,
        "Pro plan",
        D(1),
        D(amount),
        D(amount),
        tax_amount=(D(amount) * D("0.15")).quantize(D("0.01")),
        tax_code="gst",
        product_id="prod_pro",
    )


def invoice(invoice_id: str, number: str, amount: str, total: str) -> Invoice:
    return Invoice(
        invoice_id,
        "cus_1",
        number,
        InvoiceStatus.PENDING,
        "NZD",
        date(2024, 1, 31),
        date(2024, 2, 14),
        TaxMode.EXCLUSIVE,
        (pro_line(f"{invoice_id}_l1", amount),),
        D(total),
    )


FULL_BOOK = BillingBook(
    customers=(Customer("cus_1", "Acme Ltd", email="ap@acme.test"),),
    invoices=(invoice("inv_1", "INV-0001", "100.00", "115.00"), invoice("inv_2", "INV-0002", "200.00", "230.00")),
    payments=(Payment("pay_1", "inv_1", D("115.00"), "NZD", date(2024, 2, 1), fee=D("3.20"), payout_id="po_1"),),
    payouts=(
        Payout("po_1", "NZD", date(2024, 2, 3), D("111.80"), payment_ids=("pay_1",)),
        Payout("po_2", "NZD", date(2024, 2, 24), D("-130.00"), dispute_ids=("dp_1",)),
        Payout("po_3", "NZD", date(2024, 3, 6), D("115.00")),
    ),
    credit_notes=(
        CreditNote(
            "cn_1",
            "cus_1",
            "CN-0001",
            "NZD",
            date(2024, 2, 10),
            TaxMode.EXCLUSIVE,
            (CreditNoteLine("c1", "Pro plan refund", D(1), D("50.00"), D("50.00"), invoice_line_id="inv_2_l1"),),
            D("57.50"),
            invoice_id="inv_2",
        ),
    ),
    credit_applications=(CreditApplication("app_1", "cn_1", "inv_2", D("34.50"), date(2024, 2, 11)),),
    refunds=(Refund("re_1", D("23.00"), "NZD", date(2024, 2, 12), credit_note_id="cn_1"),),
    disputes=(
        Dispute(
            "dp_1",
            "pay_1",
            D("115.00"),
            "NZD",
            date(2024, 2, 20),
            DisputeOutcome.WON,
            fee=D("15.00"),
            payout_id="po_2",
            reinstated_payout_id="po_3",
            reinstated_on=date(2024, 3, 5),
        ),
    ),
)


def setup_organisation(xero) -> dict:
    item = {"Code": "PRO", "Name": "Pro plan", "SalesDetails": {"AccountCode": "260"}}
    assert xero.put("/Items", data=dumps({"Items": [item]}), content_type="application/json").status_code == 200
    return organisation(xero)


def test_a_whole_book_is_accepted_and_clearing_nets_to_zero(xero, unlimited):
    org = setup_organisation(xero)
    assert preflight(CONFIG, org) == []
    mapped = map_book(FULL_BOOK, MappingContext.build(CONFIG, org, FULL_BOOK))
    assert mapped.rejected == ()
    send(xero, mapped.writes)
    # clearing: 115 − 3.20 − 111.80 (payout) − 130 (dispute) + 130 (po_2 back) + 115 (won) − 115 (po_3) = 0
    # deposit: 111.80 − 23.00 (refund outside a payout) − 130 + 115 = 73.80
    assert bank_balances(xero) == {"091": D("0.00"), "090": D("73.80")}
    invoices = {record["InvoiceNumber"]: record for record in loads(xero.get("/Invoices"))["Invoices"]}
    assert (invoices["INV-0001"]["Status"], invoices["INV-0001"]["AmountDue"]) == ("PAID", D("0.00"))
    assert invoices["INV-0002"]["AmountDue"] == D("195.50")  # 230.00 − 34.50 allocated
    [note] = loads(xero.get("/CreditNotes"))["CreditNotes"]
    assert note["RemainingCredit"] == D("0.00")  # 57.50 − 34.50 allocated − 23.00 refunded


def test_the_literal_deposit_fee_flow_leaves_the_fee_in_clearing_in_the_emulators_books(xero, unlimited):
    book = BillingBook(
        customers=FULL_BOOK.customers,
        invoices=FULL_BOOK.invoices[:1],
        payments=FULL_BOOK.payments,
        payouts=FULL_BOOK.payouts[:1],
    )
    org = setup_organisation(xero)
    config = replace(CONFIG, fee_flow=FeeFlow.DEPOSIT)
    send(xero, map_book(book, MappingContext.build(config, org, book)).writes)
    # the statement shows 111.80 landing; the books show 108.60, and the 3.20 fee stuck in clearing
    assert bank_balances(xero) == {"091": D("3.20"), "090": D("108.60")}


def test_a_foreign_currency_payment_is_accepted_with_the_processors_rate(xero, unlimited):
    assert xero.put("/Currencies", data=dumps({"Code": "USD"}), content_type="application/json").status_code == 200
    for code, name in (("092", "USD Bank"), ("093", "Stripe Clearing USD")):
        account = {"Code": code, "Name": name, "Type": "BANK", "BankAccountNumber": f"12-3456-{code}0000-00"}
        response = xero.put(
            "/Accounts", data=dumps({**account, "CurrencyCode": "USD"}), content_type="application/json"
        )
        assert response.status_code == 200, response.data
    org = setup_organisation(xero)
    usd = CurrencyAccounts(deposit_bank="092", clearing="093", fee_account="404", dispute_account="429")
    config = replace(CONFIG, currencies={**CONFIG.currencies, "USD": usd})
    assert preflight(config, org) == []
    usd_invoice = replace(invoice("inv_1", "INV-0001", "100.00", "115.00"), currency="USD")
    book = BillingBook(
        customers=FULL_BOOK.customers,
        invoices=(usd_invoice,),
        payments=(
            Payment(
                "pay_1",
                "inv_1",
                D("115.00"),
                "USD",
                date(2024, 2, 1),
                fee=D("3.20"),
                exchange_rate=D("0.6250"),
                payout_id="po_1",
            ),
        ),
        payouts=(Payout("po_1", "USD", date(2024, 2, 3), D("111.80"), payment_ids=("pay_1",)),),
    )
    mapped = map_book(book, MappingContext.build(config, org, book))
    assert mapped.rejected == ()
    send(xero, mapped.writes)
    [paid] = loads(xero.get("/Payments"))["Payments"]
    assert (paid["Amount"], paid["CurrencyRate"], paid["Reference"]) == (D("115.00"), D("0.6250"), "payment:pay_1")
    [fee] = [spend for spend in loads(xero.get("/BankTransactions"))["BankTransactions"] if spend["Type"] == "SPEND"]
    assert (fee["BankAccount"]["Code"], fee["Total"], fee["CurrencyRate"]) == ("093", D("3.20"), D("0.6250"))
