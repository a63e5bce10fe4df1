"""xero-python against the served mock, in two currencies: a USD invoice in the NZD demo organisation, paid
into a USD clearing account at a better rate than it was raised at.

The rates are the test's own, put on the emulator's rate table over the control API (Xero would take the
day's XE.com rate), and the books are read back three ways: the payment's journal (the realised gain on its
system account), the TrialBalance (balanced in NZD) and the BankSummary (the USD account in USD).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import requests
from xero_python.accounting import (
    Account,
    AccountType,
    Contact,
    CurrencyCode,
    Invoice,
    Invoices,
    LineAmountTypes,
    LineItem,
    Payment,
    RowType,
)

from mockxero.config import DEFAULT_TENANT_ID

RAISED = date(2026, 1, 15)
PAID = date(2026, 1, 20)
GAINS_CODE = "499"  # the demo organisation's Realised Currency Gains (its REALISEDCURRENCYGAIN system account)


def set_rates(live_server: str) -> None:
    rates = [
        {"currency": "USD", "date": str(RAISED), "rate": "0.600000"},  # 300.00 USD = 500.00 NZD
        {"currency": "USD", "date": str(PAID), "rate": "0.550000"},  # 300.00 USD = 545.45 NZD
    ]
    response = requests.put(
        f"{live_server}/mock-api/tenants/{DEFAULT_TENANT_ID}/exchange-rates", json={"rates": rates}, timeout=10
    )
    assert response.status_code == 200, response.text


def test_a_usd_invoice_paid_at_a_better_rate_realises_a_gain_and_the_books_balance_in_nzd(sdk, live_server):
    api, tenant = sdk.accounting, sdk.tenant
    set_rates(live_server)
    clearing = api.create_account(
        tenant,
        Account(
            code="USDC",
            name="USD Clearing",
            type=AccountType.BANK,
            bank_account_number="0002-0000002",
            currency_code=CurrencyCode.USD,
        ),
    ).accounts[0]
    assert clearing.currency_code == CurrencyCode.USD

    invoice = api.create_invoices(
        tenant,
        Invoices(
            invoices=[
                Invoice(
                    type="ACCREC",
                    contact=Contact(name="Brooklyn Roasters Inc"),
                    date=RAISED,
                    due_date=PAID,
                    status="AUTHORISED",
                    currency_code=CurrencyCode.USD,
                    line_amount_types=LineAmountTypes.NOTAX,
                    line_items=[
                        LineItem(description="Green beans", quantity=1, unit_amount=Decimal("300"), account_code="200")
                    ],
                )
            ]
        ),
    ).invoices[0]
    assert (invoice.currency_code, invoice.currency_rate, invoice.total) == (
        CurrencyCode.USD,
        Decimal("0.600000"),  # the day's rate from the table, as Xero takes XE.com's
        Decimal("300.00"),
    )

    payment = api.create_payment(
        tenant,
        Payment(
            invoice=Invoice(invoice_id=invoice.invoice_id),
            account=Account(code="USDC"),
            date=PAID,
            amount=Decimal("300"),
        ),
    ).payments[0]
    assert (payment.currency_rate, payment.amount, payment.bank_amount) == (
        Decimal("0.550000"),
        Decimal("300.00"),
        Decimal("300.00"),  # a USD account takes the USD amount
    )
    assert api.get_invoice(tenant, invoice.invoice_id).invoices[0].status == "PAID"

    # The payment's journal, in NZD: the bank 545.45, receivables the 500.00 the invoice put there, and the
    # difference a realised gain (a credit on the gains account).
    journals = api.get_journals(tenant, payments_only=True).journals
    (paid,) = [j for j in journals if j.source_id == payment.payment_id]
    assert paid.source_type == "ACCRECPAYMENT"
    by_code = {line.account_code: line.net_amount for line in paid.journal_lines}
    assert by_code == {"USDC": Decimal("545.45"), "610": Decimal("-500.00"), GAINS_CODE: Decimal("-45.45")}

    trial = api.get_report_trial_balance(tenant, date=PAID).reports[0]
    total = [cell.value for cell in trial.rows[-1].rows[0].cells]
    assert total[0] == "Total" and total[1] == total[2], total  # debits equal credits in NZD
    rows = {
        row.cells[0].value: [cell.value for cell in row.cells[1:3]]
        for section in trial.rows
        if section.rows
        for row in section.rows
        if row.row_type == RowType.ROW
    }
    gains = next(values for name, values in rows.items() if name.startswith("Realised Currency Gains"))
    assert gains == ["", "45.45"]  # a credit balance: the gain

    summary = api.get_report_bank_summary(tenant, from_date=RAISED.replace(day=1), to_date=PAID).reports[0]
    accounts = {
        row.cells[0].value: Decimal(row.cells[4].value)
        for section in summary.rows
        if section.rows
        for row in section.rows
        if row.row_type == RowType.ROW
    }
    assert accounts["USD Clearing"] == Decimal("300.00")  # in its own currency, USD

    books = requests.get(f"{live_server}/mock-api/ledger", timeout=10).json()
    assert books["balanced"], books["tenants"][0]["errors"]
