"""Lock dates and refused elements through the official SDK, xero-python, over real HTTP.

The SDK reads the organisation's lock dates, gets Xero's lock-date refusal as its 400 exception, and reads a
``summarizeErrors=false`` answer whose refused bank transaction lacked the fields its model requires.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
from xero_python.accounting import (
    Account,
    BankTransaction,
    BankTransactions,
    Contact,
    Invoice,
    Invoices,
    LineItem,
)
from xero_python.exceptions import AccountingBadRequestException

from mockxero.config import DEFAULT_TENANT_ID

PERIOD_LOCKED = "The document date cannot be before the period lock date, currently set at 15-Jan-2026"


@pytest.fixture
def locked(live_server):
    response = requests.put(
        f"{live_server}/mock-api/tenants/{DEFAULT_TENANT_ID}/lock-dates",
        json={"period_lock_date": "2026-01-15"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def invoice(day: date) -> Invoices:
    line = LineItem(description="Consulting", quantity=1, unit_amount=Decimal("100.00"), account_code="200")
    return Invoices(
        invoices=[
            Invoice(
                type="ACCREC",
                contact=Contact(name="Acme Ltd"),
                date=day,
                due_date=date(2026, 2, 14),
                status="AUTHORISED",
                line_items=[line],
            )
        ]
    )


def test_the_sdk_reads_the_lock_date(sdk, locked):
    organisation = sdk.accounting.get_organisations(sdk.tenant).organisations[0]
    assert organisation.period_lock_date == date(2026, 1, 15)
    assert organisation.end_of_year_lock_date is None


def test_an_invoice_dated_on_the_lock_date_reaches_the_sdk_as_xero_s_refusal(sdk, locked):
    with pytest.raises(AccountingBadRequestException) as caught:
        sdk.accounting.create_invoices(sdk.tenant, invoice(date(2026, 1, 15)))
    assert caught.value.status == 400
    assert caught.value.error_data["Type"] == "ValidationException"
    assert caught.value.reason == PERIOD_LOCKED


def test_an_invoice_dated_after_the_lock_date_is_created(sdk, locked):
    created = sdk.accounting.create_invoices(sdk.tenant, invoice(date(2026, 1, 16))).invoices[0]
    assert created.status == "AUTHORISED" and created.date == date(2026, 1, 16)


def test_a_refused_bank_transaction_reads_with_the_sdk_s_model(sdk):
    refused = BankTransaction(
        type="SPEND",
        contact=Contact(name="Acme"),
        bank_account=Account(code="999"),
        line_items=[LineItem(unit_amount=Decimal("10.00"), account_code="429")],
    )
    accepted = BankTransaction(
        type="SPEND",
        contact=Contact(name="Acme"),
        bank_account=Account(code="090"),
        line_items=[LineItem(unit_amount=Decimal("10.00"), account_code="429")],
    )
    body = BankTransactions(bank_transactions=[refused, accepted])
    answer = sdk.accounting.create_bank_transactions(sdk.tenant, body, summarize_errors=False)
    first, second = answer.bank_transactions
    assert first.status_attribute_string == "ERROR"
    assert first.validation_errors[0].message == "The BankAccount '999' does not match a recognised account."
    assert (first.type, first.bank_account.code) == ("SPEND", "999")
    assert second.status_attribute_string == "OK" and second.total == Decimal("11.50")
