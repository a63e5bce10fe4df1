"""xero-python against the served mock: a customer overpays, the overpayment is allocated to an invoice and
the rest refunded; a prepayment is received and allocated. Every answer goes through the SDK's own
deserializer (its Overpayment, Prepayment, Allocation and Payment models), and the ledger check, asked over
the control API, is clean at the end.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import requests
from xero_python.accounting import (
    Account,
    Allocation,
    Allocations,
    BankTransaction,
    BankTransactions,
    Contact,
    Invoice,
    Invoices,
    LineItem,
    Overpayment,
    Payment,
    Payments,
    Prepayment,
)

DAY = date(2026, 1, 15)


def invoice(sdk, contact_id: str, amount: str) -> Invoice:
    created = sdk.accounting.create_invoices(
        sdk.tenant,
        Invoices(
            invoices=[
                Invoice(
                    type="ACCREC",
                    contact=Contact(contact_id=contact_id),
                    date=DAY,
                    due_date=DAY,
                    status="AUTHORISED",
                    line_items=[
                        LineItem(description="Flowers", quantity=1, unit_amount=Decimal(amount), account_code="200")
                    ],
                )
            ]
        ),
    )
    return created.invoices[0]


def receive(sdk, kind: str, line: LineItem) -> BankTransaction:
    created = sdk.accounting.create_bank_transactions(
        sdk.tenant,
        BankTransactions(
            bank_transactions=[
                BankTransaction(
                    type=kind,
                    contact=Contact(name="Kowhai Florist"),
                    bank_account=Account(code="090"),
                    date=DAY,
                    line_items=[line],
                )
            ]
        ),
    )
    return created.bank_transactions[0]


def ledger(live_server) -> dict:
    return requests.get(f"{live_server}/mock-api/ledger", timeout=10).json()


def test_an_overpayment_allocated_to_an_invoice_and_the_rest_refunded(sdk, live_server):
    transaction = receive(sdk, "RECEIVE-OVERPAYMENT", LineItem(description="Paid twice", unit_amount=Decimal("200")))
    assert transaction.type == "RECEIVE-OVERPAYMENT" and transaction.overpayment_id
    overpayment = sdk.accounting.get_overpayment(sdk.tenant, transaction.overpayment_id).overpayments[0]
    assert isinstance(overpayment, Overpayment)
    assert (overpayment.status, overpayment.remaining_credit, overpayment.total) == (
        "AUTHORISED",
        Decimal("200.00"),
        Decimal("200.00"),
    )
    assert overpayment.line_items[0].account_code == "610"  # coded to Accounts Receivable

    sale = invoice(sdk, overpayment.contact.contact_id, "100.00")  # 115.00 with GST
    allocated = sdk.accounting.create_overpayment_allocations(
        sdk.tenant,
        overpayment.overpayment_id,
        Allocations(
            allocations=[Allocation(invoice=Invoice(invoice_id=sale.invoice_id), amount=Decimal("115"), date=DAY)]
        ),
    ).allocations[0]
    assert allocated.amount == Decimal("115.00") and allocated.invoice.invoice_id == sale.invoice_id
    paid = sdk.accounting.get_invoice(sdk.tenant, sale.invoice_id).invoices[0]
    assert (paid.status, paid.amount_due, paid.amount_credited) == ("PAID", Decimal("0.00"), Decimal("115.00"))
    assert [o.applied_amount for o in paid.overpayments] == [Decimal("115.00")]

    refund = sdk.accounting.create_payments(
        sdk.tenant,
        Payments(
            payments=[
                Payment(
                    overpayment=Overpayment(overpayment_id=overpayment.overpayment_id),
                    account=Account(code="090"),
                    date=DAY,
                    amount=Decimal("85.00"),
                    reference="Refund of the rest",
                )
            ]
        ),
    ).payments[0]
    assert refund.payment_type == "AROVERPAYMENTPAYMENT" and refund.amount == Decimal("85.00")
    assert refund.overpayment.overpayment_id == overpayment.overpayment_id

    used = sdk.accounting.get_overpayments(sdk.tenant, where='Status=="PAID"').overpayments
    assert [(o.overpayment_id, o.remaining_credit) for o in used] == [(overpayment.overpayment_id, Decimal("0.00"))]
    assert [a.amount for a in used[0].allocations] == [Decimal("115.00")]
    assert [p.amount for p in used[0].payments] == [Decimal("85.00")]

    books = ledger(live_server)
    assert books["balanced"], books["tenants"][0]["errors"]
    balances = {row["Code"]: Decimal(str(row["Balance"])) for row in books["tenants"][0]["accounts"]}
    assert balances["090"] == Decimal("115.00") and balances.get("610", Decimal(0)) == 0


def test_a_prepayment_received_then_allocated_and_its_allocation_taken_back(sdk, live_server):
    deposit = LineItem(
        description="Deposit", quantity=1, unit_amount=Decimal("100"), account_code="200", tax_type="OUTPUT2"
    )
    transaction = receive(sdk, "RECEIVE-PREPAYMENT", deposit)
    prepayment = sdk.accounting.get_prepayment(sdk.tenant, transaction.prepayment_id).prepayments[0]
    assert isinstance(prepayment, Prepayment)
    assert (prepayment.total, prepayment.total_tax, prepayment.remaining_credit) == (
        Decimal("115.00"),
        Decimal("15.00"),
        Decimal("115.00"),
    )
    sale = invoice(sdk, prepayment.contact.contact_id, "40.00")  # 46.00 with GST
    allocated = sdk.accounting.create_prepayment_allocations(
        sdk.tenant,
        prepayment.prepayment_id,
        Allocations(
            allocations=[Allocation(invoice=Invoice(invoice_id=sale.invoice_id), amount=Decimal("46"), date=DAY)]
        ),
    ).allocations[0]
    assert sdk.accounting.get_prepayments(sdk.tenant).prepayments[0].remaining_credit == Decimal("69.00")
    assert ledger(live_server)["balanced"]

    deleted = sdk.accounting.delete_prepayment_allocations(
        sdk.tenant, prepayment.prepayment_id, allocated.allocation_id
    )
    assert deleted.is_deleted is True
    assert sdk.accounting.get_invoice(sdk.tenant, sale.invoice_id).invoices[0].amount_due == Decimal("46.00")
    assert sdk.accounting.get_prepayment(sdk.tenant, prepayment.prepayment_id).prepayments[0].remaining_credit == (
        Decimal("115.00")
    )
    assert ledger(live_server)["balanced"]
