"""The transaction layer end to end, through the official SDK xero-python over real HTTP.

One story, the one a billing platform pushing card payments into Xero lives by:

    contact → authorised invoice (two lines, one discounted) → payment into a clearing bank account
    → invoice PAID → gateway fee spent from the clearing account → payout of the net to the deposit
    account (090) → second invoice → credit note → allocation → cash refund of the rest of the credit

and then the books are judged twice, by the SDK's own reports (TrialBalance, BankSummary) and by the
mock's ledger check (``GET /mock-api/ledger``): the trial balance is zero, the clearing account nets to
0.00 and the deposit account holds exactly the payout (docs/ledger.md, "the fee trap"). The refund goes out
of the savings account (091), a bank refund outside the gateway, so the payout stays one for one with the
statement. Calls Xero refuses must reach the SDK as its 400 exception carrying the validation message.

Only the SDK's base URL (and its token URL) point at the mock; every answer goes through the SDK's own
deserializer, so a missing required field or an unknown enum value fails here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
from xero_python.accounting import (
    Account,
    AccountType,
    Allocation,
    Allocations,
    BankTransaction,
    BankTransactions,
    BankTransfer,
    BankTransfers,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    CurrencyCode,
    Invoice,
    Invoices,
    LineAmountTypes,
    LineItem,
    Payment,
    RowType,
)
from xero_python.exceptions import AccountingBadRequestException, ApiException

DAY = date(2026, 1, 15)  # the test clock's today: every report below is as at it
CLEARING_CODE = "1090"
DEPOSIT_CODE = "090"
REFUND_CODE = "091"

# Invoice 1: 2 × 50.00 + 1 × 40.00 less 10 % = 136.00 net, 15 % GST per line (15.00 + 5.40) → 156.40.
INVOICE_TOTAL = Decimal("156.40")
FEE = Decimal("4.84")
NET = INVOICE_TOTAL - FEE  # 151.56, the payout the bank statement shows
# Invoice 2: 200.00 + 15 % = 230.00; credit note 40.00 + 15 % = 46.00, 30.00 allocated, 16.00 refunded.
CREDIT_TOTAL = Decimal("46.00")
ALLOCATED = Decimal("30.00")
REFUND = CREDIT_TOTAL - ALLOCATED


def sales_invoice(contact_id: str, lines: list[LineItem], status: str = "AUTHORISED") -> Invoice:
    return Invoice(
        type="ACCREC",
        contact=Contact(contact_id=contact_id),
        date=DAY,
        due_date=date(2026, 2, 14),
        status=status,
        line_amount_types=LineAmountTypes.EXCLUSIVE,
        line_items=lines,
    )


def line(description: str, quantity: str, unit_amount: str, **extra) -> LineItem:
    return LineItem(
        description=description,
        quantity=Decimal(quantity),
        unit_amount=Decimal(unit_amount),
        account_code="200",
        tax_type="OUTPUT2",
        **extra,
    )


def create_invoice(sdk, invoice: Invoice) -> Invoice:
    return sdk.accounting.create_invoices(sdk.tenant, Invoices(invoices=[invoice])).invoices[0]


def pay(
    sdk, account_code: str, amount: Decimal, *, invoice_id: str | None = None, credit_note_id: str | None = None
) -> Payment:
    payment = Payment(
        account=Account(code=account_code),
        date=DAY,
        amount=amount,
        invoice=Invoice(invoice_id=invoice_id) if invoice_id else None,
        credit_note=CreditNote(credit_note_id=credit_note_id) if credit_note_id else None,
    )
    return sdk.accounting.create_payment(sdk.tenant, payment).payments[0]


def refused(call) -> AccountingBadRequestException:
    """The SDK's exception for a call the mock refuses: an ApiException with status 400."""
    with pytest.raises(ApiException) as caught:
        call()
    error = caught.value
    assert isinstance(error, AccountingBadRequestException), error
    assert error.status == 400
    assert error.error_data["Type"] == "ValidationException"
    return error


def bank_summary_closing(sdk) -> dict[str, Decimal]:
    """Closing balance per bank account name, read from the SDK's BankSummary report."""
    report = sdk.accounting.get_report_bank_summary(sdk.tenant, from_date=DAY.replace(day=1), to_date=DAY).reports[0]
    rows = [row for section in report.rows if section.rows for row in section.rows if row.row_type == RowType.ROW]
    return {row.cells[0].value: Decimal(row.cells[4].value) for row in rows}


def test_card_payment_payout_credit_and_refund_leave_the_books_reconciled(sdk, live_server):
    api, tenant = sdk.accounting, sdk.tenant

    # -- the customer and the gateway's clearing account --
    contact = api.create_contacts(
        tenant, Contacts(contacts=[Contact(name="Harbour Cafe Ltd", email_address="accounts@harbour.test")])
    ).contacts[0]
    clearing = api.create_account(
        tenant,
        Account(
            code=CLEARING_CODE,
            name="Stripe Clearing",
            type=AccountType.BANK,
            bank_account_number="12-3456-7890123-00",
            currency_code=CurrencyCode.NZD,
        ),
    ).accounts[0]
    assert (clearing.type, clearing.status, clearing.bank_account_type) == (AccountType.BANK, "ACTIVE", "BANK")

    # -- invoice 1, two lines, the second discounted 10 % --
    invoice = create_invoice(
        sdk,
        sales_invoice(
            contact.contact_id,
            [
                line("Espresso machine service", "2", "50.00"),
                line("Descaling kit", "1", "40.00", discount_rate=Decimal("10")),
            ],
        ),
    )
    assert [li.line_amount for li in invoice.line_items] == [Decimal("100.00"), Decimal("36.00")]
    assert [li.tax_amount for li in invoice.line_items] == [Decimal("15.00"), Decimal("5.40")]
    assert (invoice.sub_total, invoice.total_tax, invoice.total) == (Decimal("136.00"), Decimal("20.40"), INVOICE_TOTAL)
    assert (invoice.status, invoice.amount_due, invoice.invoice_number) == ("AUTHORISED", INVOICE_TOTAL, "INV-0001")

    # -- the card payment lands in clearing, gross; the invoice is paid --
    payment = pay(sdk, CLEARING_CODE, INVOICE_TOTAL, invoice_id=invoice.invoice_id)
    assert (payment.payment_type, payment.status, payment.amount) == ("ACCRECPAYMENT", "AUTHORISED", INVOICE_TOTAL)
    assert payment.account.account_id == clearing.account_id
    paid = api.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert (paid.status, paid.amount_paid, paid.amount_due, paid.fully_paid_on_date) == (
        "PAID",
        INVOICE_TOTAL,
        Decimal("0.00"),
        DAY,
    )
    assert [p.payment_id for p in paid.payments] == [payment.payment_id]

    # -- the gateway keeps its fee: spent from clearing, not from the deposit account --
    fee = api.create_bank_transactions(
        tenant,
        BankTransactions(
            bank_transactions=[
                BankTransaction(
                    type="SPEND",
                    contact=Contact(name="Stripe"),
                    bank_account=Account(code=CLEARING_CODE),
                    date=DAY,
                    line_amount_types=LineAmountTypes.NOTAX,
                    reference="Fees for payout po_1",
                    line_items=[
                        LineItem(
                            description="Card processing fee",
                            quantity=Decimal("1"),
                            unit_amount=FEE,
                            account_code="404",
                        )
                    ],
                )
            ]
        ),
    ).bank_transactions[0]
    assert (fee.type, fee.status, fee.total, fee.total_tax) == ("SPEND", "AUTHORISED", FEE, Decimal("0.00"))

    # -- the payout: the net moves from clearing to the deposit account --
    payout = api.create_bank_transfer(
        tenant,
        BankTransfers(
            bank_transfers=[
                BankTransfer(
                    from_bank_account=Account(code=CLEARING_CODE),
                    to_bank_account=Account(code=DEPOSIT_CODE),
                    amount=NET,
                    date=DAY,
                    reference="po_1",
                )
            ]
        ),
    ).bank_transfers[0]
    assert (payout.amount, payout.from_bank_account.code, payout.to_bank_account.code) == (
        NET,
        CLEARING_CODE,
        DEPOSIT_CODE,
    )
    assert payout.from_bank_transaction_id and payout.to_bank_transaction_id

    # -- invoice 2, a credit note, part of it allocated, the rest refunded in cash --
    second = create_invoice(sdk, sales_invoice(contact.contact_id, [line("Barista training", "1", "200.00")]))
    assert (second.total, second.invoice_number) == (Decimal("230.00"), "INV-0002")
    credit = api.create_credit_notes(
        tenant,
        CreditNotes(
            credit_notes=[
                CreditNote(
                    type="ACCRECCREDIT",
                    contact=Contact(contact_id=contact.contact_id),
                    date=DAY,
                    status="AUTHORISED",
                    line_amount_types=LineAmountTypes.EXCLUSIVE,
                    line_items=[line("Training session cancelled", "1", "40.00")],
                )
            ]
        ),
    ).credit_notes[0]
    assert (credit.total, credit.remaining_credit, credit.status) == (CREDIT_TOTAL, CREDIT_TOTAL, "AUTHORISED")

    allocation = api.create_credit_note_allocation(
        tenant,
        credit.credit_note_id,
        Allocations(
            allocations=[Allocation(invoice=Invoice(invoice_id=second.invoice_id), amount=ALLOCATED, date=DAY)]
        ),
    ).allocations[0]
    assert (allocation.amount, allocation.invoice.amount_due) == (ALLOCATED, Decimal("200.00"))
    assert allocation.invoice.amount_credited == ALLOCATED

    refund = pay(sdk, REFUND_CODE, REFUND, credit_note_id=credit.credit_note_id)
    assert (refund.payment_type, refund.amount) == ("ARCREDITPAYMENT", REFUND)
    used = api.get_credit_note(tenant, credit.credit_note_id).credit_notes[0]
    assert (used.status, used.remaining_credit) == ("PAID", Decimal("0.00"))
    assert [a.amount for a in used.allocations] == [ALLOCATED]
    assert [p.amount for p in used.payments] == [REFUND]

    # -- what Xero refuses reaches the SDK as a 400 with Xero's message, and changes nothing --
    error = refused(lambda: pay(sdk, DEPOSIT_CODE, Decimal("200.01"), invoice_id=second.invoice_id))
    assert error.reason == "Payment amount exceeds the amount outstanding on this document"

    draft = create_invoice(sdk, sales_invoice(contact.contact_id, [line("Quote", "1", "10.00")], status="DRAFT"))
    error = refused(lambda: pay(sdk, DEPOSIT_CODE, Decimal("1.00"), invoice_id=draft.invoice_id))
    assert error.reason == "Payments can only be made against Authorised documents"

    error = refused(
        lambda: api.create_bank_transfer(
            tenant,
            BankTransfers(
                bank_transfers=[
                    BankTransfer(
                        from_bank_account=Account(code=CLEARING_CODE),
                        to_bank_account=Account(account_id=clearing.account_id),
                        amount=Decimal("1.00"),
                        date=DAY,
                    )
                ]
            ),
        )
    )
    assert error.reason == "The FromBankAccount and ToBankAccount must be different bank accounts."

    stranger = "0f0f0f0f-0000-4000-8000-000000000abc"
    error = refused(lambda: create_invoice(sdk, sales_invoice(stranger, [line("Nobody", "1", "10.00")])))
    assert error.reason == f"The contact with ContactID '{stranger}' could not be found."

    untouched = api.get_invoice(tenant, second.invoice_id).invoices[0]
    assert (untouched.status, untouched.amount_due, untouched.amount_paid) == (
        "AUTHORISED",
        Decimal("200.00"),
        Decimal("0.00"),
    )
    assert [i.invoice_number for i in api.get_invoices(tenant, order="InvoiceNumber ASC").invoices] == [
        "INV-0001",
        "INV-0002",
        "INV-0003",
    ]  # the refused invoice took no number

    # -- everything written reads back through the SDK's deserializer --
    payments = api.get_payments(tenant, order="Amount DESC").payments
    assert [(p.payment_type, p.amount) for p in payments] == [
        ("ACCRECPAYMENT", INVOICE_TOTAL),
        ("ARCREDITPAYMENT", REFUND),
    ]
    shown_refund = api.get_payment(tenant, refund.payment_id).payments[0]
    assert (shown_refund.invoice.type, shown_refund.invoice.invoice_id) == ("ACCRECCREDIT", credit.credit_note_id)
    clearing_lines = api.get_bank_transactions(
        tenant, where=f'BankAccount.Code=="{CLEARING_CODE}"', order="Total DESC"
    ).bank_transactions
    assert [(t.type, t.total) for t in clearing_lines] == [("SPEND-TRANSFER", NET), ("SPEND", FEE)]
    assert [t.bank_transfer_id for t in api.get_bank_transfers(tenant).bank_transfers] == [payout.bank_transfer_id]
    journals = api.get_journals(tenant).journals
    assert [j.source_type for j in journals] == [
        "ACCREC",
        "ACCRECPAYMENT",
        "CASHPAID",
        "TRANSFER",
        "ACCREC",
        "ACCRECCREDIT",
        "ARCREDITPAYMENT",
    ]
    assert all(sum(li.net_amount for li in j.journal_lines) == 0 for j in journals)

    # -- the SDK's reports: the trial balance is zero, clearing nets to 0.00, deposit holds the payout --
    trial = api.get_report_trial_balance(tenant, date=DAY).reports[0]
    total = trial.rows[-1].rows[0]
    assert total.cells[0].value == "Total"
    debit, credit_, ytd_debit, ytd_credit = (Decimal(c.value) for c in total.cells[1:])
    assert debit == credit_ and ytd_debit == ytd_credit and debit > 0
    trial_rows = {row.cells[0].value: row for section in trial.rows[1:-1] for row in section.rows}
    assert f"Stripe Clearing ({CLEARING_CODE})" not in trial_rows  # no balance, so no row
    deposit_row = trial_rows[f"Business Bank Account ({DEPOSIT_CODE})"]
    assert Decimal(deposit_row.cells[3].value) == NET
    receivable_row = trial_rows["Accounts Receivable (610)"]
    # what is left: invoice 2's 200.00 (the draft posts nothing)
    assert Decimal(receivable_row.cells[3].value) == Decimal("200.00")

    closing = bank_summary_closing(sdk)
    assert closing["Stripe Clearing"] == Decimal("0.00")
    assert closing["Business Bank Account"] == NET
    assert closing["Business Savings Account"] == -REFUND

    # -- the mock's ledger check agrees, invariant by invariant --
    answer = requests.get(live_server + "/mock-api/ledger", timeout=10)
    assert answer.status_code == 200
    ledger = answer.json(parse_float=Decimal)
    assert ledger["balanced"] is True, ledger
    (book,) = ledger["tenants"]
    assert book["errors"] == []
    (trial_balance,) = book["trial_balance"]
    assert trial_balance["Difference"] == 0 and trial_balance["Debits"] == trial_balance["Credits"] > 0
    balances = {row["Code"]: row["Balance"] for row in book["accounts"]}
    assert CLEARING_CODE not in balances  # only non-zero balances are listed
    assert balances[DEPOSIT_CODE] == NET
    assert balances[REFUND_CODE] == -REFUND
    assert balances["610"] == Decimal("200.00")
    assert balances["404"] == FEE
    assert balances["200"] == -(Decimal("136.00") + Decimal("200.00") - Decimal("40.00"))
