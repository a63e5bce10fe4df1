"""The official SDK, xero-python, unmodified against the served mock: invoices to allocations and back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
from xero_python.accounting import (
    AccountingApi,
    Allocation,
    Allocations,
    Contact,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    LineItem,
    Payment,
    PaymentDelete,
)
from xero_python.accounting.models import Account
from xero_python.api_client import ApiClient

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from tests.helpers import sdk_configuration


@pytest.fixture
def api(live_server) -> AccountingApi:
    token = requests.post(
        live_server + "/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
        timeout=10,
    ).json()
    store = {"token": token}
    client = ApiClient(
        sdk_configuration(),
        oauth2_token_getter=lambda: store["token"],
        oauth2_token_saver=lambda new: store.update(token=new),
    )
    return AccountingApi(client, base_url=live_server + "/api.xro/2.0")  # the only change: where the API lives


def sales_invoice(total_units: str = "100.00") -> Invoice:
    return Invoice(
        type="ACCREC",
        contact=Contact(name="SDK Customer"),
        date=date(2026, 1, 15),
        due_date=date(2026, 2, 14),
        status="AUTHORISED",
        line_items=[
            LineItem(description="Work", quantity=Decimal("1"), unit_amount=Decimal(total_units), account_code="200")
        ],
    )


def test_invoice_payment_credit_and_allocation_round_trip(api):
    invoice = api.create_invoices(DEFAULT_TENANT_ID, Invoices(invoices=[sales_invoice()])).invoices[0]
    assert (invoice.total, invoice.status, invoice.date) == (Decimal("115.00"), "AUTHORISED", date(2026, 1, 15))

    payment = api.create_payment(
        DEFAULT_TENANT_ID,
        Payment(
            invoice=Invoice(invoice_id=invoice.invoice_id),
            account=Account(code="090"),
            date=date(2026, 1, 20),
            amount=Decimal("15.00"),
        ),
    ).payments[0]
    assert (payment.payment_type, payment.invoice.amount_due) == ("ACCRECPAYMENT", Decimal("100.00"))

    credit = api.create_credit_notes(
        DEFAULT_TENANT_ID,
        CreditNotes(
            credit_notes=[
                CreditNote(
                    type="ACCRECCREDIT",
                    contact=Contact(contact_id=invoice.contact.contact_id),
                    date=date(2026, 1, 21),
                    status="AUTHORISED",
                    line_items=[
                        LineItem(
                            description="Refund",
                            quantity=Decimal("1"),
                            unit_amount=Decimal("40.00"),
                            account_code="200",
                        )
                    ],
                )
            ]
        ),
    ).credit_notes[0]
    allocation = api.create_credit_note_allocation(
        DEFAULT_TENANT_ID,
        credit.credit_note_id,
        Allocations(
            allocations=[
                Allocation(
                    invoice=Invoice(invoice_id=invoice.invoice_id), amount=Decimal("46.00"), date=date(2026, 1, 22)
                )
            ]
        ),
    ).allocations[0]
    assert (allocation.amount, allocation.invoice.amount_due) == (Decimal("46.00"), Decimal("54.00"))

    deleted = api.delete_credit_note_allocations(DEFAULT_TENANT_ID, credit.credit_note_id, allocation.allocation_id)
    assert (deleted.is_deleted, deleted.amount) == (True, Decimal("46.00"))

    removed = api.delete_payment(DEFAULT_TENANT_ID, payment.payment_id, PaymentDelete(status="DELETED")).payments[0]
    assert removed.status == "DELETED"
    fetched = api.get_invoice(DEFAULT_TENANT_ID, invoice.invoice_id).invoices[0]
    assert (fetched.amount_due, fetched.status) == (Decimal("115.00"), "AUTHORISED")


def test_validation_errors_reach_the_sdk_as_bad_requests(api):
    from xero_python.exceptions import BadRequestException

    invoice = api.create_invoices(DEFAULT_TENANT_ID, Invoices(invoices=[sales_invoice()])).invoices[0]
    with pytest.raises(BadRequestException) as caught:
        api.create_payment(
            DEFAULT_TENANT_ID,
            Payment(
                invoice=Invoice(invoice_id=invoice.invoice_id),
                account=Account(code="090"),
                date=date(2026, 1, 20),
                amount=Decimal("200.00"),
            ),
        )
    assert "Payment amount exceeds the amount outstanding on this document" in str(caught.value)
