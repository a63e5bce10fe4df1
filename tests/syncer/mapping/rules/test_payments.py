from datetime import date
from decimal import Decimal

import pytest

from syncer.mapping.config import CurrencyAccounts, FeeFlow, SyncSettings
from syncer.mapping.outcomes import NaturalKey, Operation, Priority, Problem, Rejected, Skip, Write
from syncer.mapping.rules.payments import (
    map_allocation,
    map_credit,
    map_fee,
    map_payment,
    map_payout,
    map_refund,
)
from syncer.refs import Kind, Ref
from syncer.source.model import (
    BillingBook,
    Credit,
    CreditApplication,
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    InvoiceStatus,
    Refund,
    TaxMode,
)
from tests.syncer.mapping.helpers import bank_balances, config, context, customer, invoice, payment, payout

D = Decimal


def book(**records) -> BillingBook:
    records.setdefault("customers", (customer(),))
    records.setdefault("invoices", (invoice(),))
    return BillingBook(**records)


def test_a_payment_puts_the_gross_into_the_currencys_clearing_account():
    record = payment()
    outcome = map_payment(record, context(book(payments=(record,))))
    assert outcome == Write(
        Kind.PAYMENT,
        "pay_1",
        Operation.CREATE,
        "PUT",
        "Payments",
        {
            "Invoice": {"InvoiceID": Ref(Kind.INVOICE, "inv_1")},
            "Account": {"Code": "091"},
            "Date": "2024-02-01",
            "Amount": D("100.00"),
            "Reference": "payment:pay_1",
        },
        "payment pay_1: 100.00 GBP gross into clearing on INV-0001",
        natural_key=NaturalKey("Payments", "Reference", "payment:pay_1"),
        priority=Priority.MONEY,
    )
    assert outcome.depends_on == (Ref(Kind.INVOICE, "inv_1"),)


def test_a_foreign_currency_payment_carries_its_currency_rate():
    usd = invoice(currency="USD")
    record = payment(currency="USD", exchange_rate=D("1.2650"))
    outcome = map_payment(record, context(book(invoices=(usd,), payments=(record,))))
    assert isinstance(outcome, Write)
    assert (outcome.body["Account"], outcome.body["CurrencyRate"]) == ({"Code": "093"}, D("1.2650"))


def test_a_base_currency_payment_sends_no_currency_rate_even_when_the_processor_converted_it():
    record = payment(exchange_rate=D("1.2650"))
    outcome = map_payment(record, context(book(payments=(record,))))
    assert isinstance(outcome, Write)
    assert "CurrencyRate" not in outcome.body


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (InvoiceStatus.DRAFT, "is a draft"),
        (InvoiceStatus.ROLLUP_PENDING, "is a draft (rollup pending)"),
        (InvoiceStatus.VOIDED, "is voided"),
    ],
)
def test_a_payment_on_an_unapproved_or_voided_invoice_is_rejected(status, state):
    record = payment()
    outcome = map_payment(record, context(book(invoices=(invoice(status=status),), payments=(record,))))
    assert outcome == Rejected(
        Kind.PAYMENT,
        "pay_1",
        (
            Problem(
                f"pays invoice inv_1, which {state}; Xero takes payments only on authorised invoices",
                Kind.PAYMENT,
                "pay_1",
                "invoice_id",
            ),
        ),
    )


def test_a_payment_with_problems_reports_them_all():
    record = payment(invoice_id="inv_1", currency="EUR", amount="0.00")
    outcome = map_payment(record, context(book(payments=(record,))))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "payment.pay_1.currency: is in EUR but invoice inv_1 is in GBP",
        "payment.pay_1.currency: currency EUR has no accounts in the mapping configuration",
        "payment.pay_1.amount: amount must be above zero, got 0.00",
    ]


def test_a_payment_on_an_unknown_invoice_is_rejected():
    record = payment(invoice_id="inv_9")
    assert map_payment(record, context(book(payments=(record,)))) == Rejected(
        Kind.PAYMENT,
        "pay_1",
        (Problem("pays invoice 'inv_9', which is not in the billing book", Kind.PAYMENT, "pay_1", "invoice_id"),),
    )


class NotApproved(SyncSettings):
    def invoice_excluded(self, invoice):
        return "not approved"


def test_a_payment_and_its_fee_follow_an_excluded_invoice():
    record = payment()
    ctx = context(book(payments=(record,)), settings=NotApproved())
    reason = "invoice inv_1 is excluded: not approved"
    assert map_payment(record, ctx) == Skip(Kind.PAYMENT, "pay_1", reason)
    assert map_fee(record, ctx) == Skip(Kind.FEE, "pay_1", reason)


def test_the_fee_is_a_spend_from_clearing_to_the_fee_account():
    record = payment()
    outcome = map_fee(record, context(book(payments=(record,))))
    assert outcome == Write(
        Kind.FEE,
        "pay_1",
        Operation.CREATE,
        "PUT",
        "BankTransactions",
        {
            "Type": "SPEND",
            "Contact": {"ContactID": Ref(Kind.CONTACT, "cus_1")},
            "BankAccount": {"Code": "091"},
            "Date": "2024-02-01",
            "Reference": "fee:pay_1",
            "LineAmountTypes": "NoTax",
            "LineItems": [
                {
                    "Description": "Gateway fee (stripe) on payment pay_1",
                    "Quantity": D(1),
                    "UnitAmount": D("3.20"),
                    "AccountCode": "404",
                }
            ],
        },
        "gateway fee 3.20 on payment pay_1, from clearing",
        natural_key=NaturalKey("BankTransactions", "Reference", "fee:pay_1"),
        priority=Priority.MONEY,
    )


def test_fee_flow_deposit_draws_the_fee_from_the_deposit_bank():
    record = payment()
    outcome = map_fee(record, context(book(payments=(record,)), mapping=config(fee_flow=FeeFlow.DEPOSIT)))
    assert isinstance(outcome, Write)
    assert outcome.body["BankAccount"] == {"Code": "090"}


def test_a_payment_without_a_fee_sends_no_fee():
    record = payment(fee="0.00")
    assert map_fee(record, context(book(payments=(record,)))) == Skip(
        Kind.FEE, "pay_1", "the payment carries no gateway fee"
    )


def test_a_negative_fee_is_rejected():
    record = payment(fee="-1.00")
    outcome = map_fee(record, context(book(payments=(record,))))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == ["fee.pay_1.fee: fee must not be negative, got -1.00"]


def test_the_payout_is_one_transfer_from_clearing_to_deposit_for_the_net():
    record = payout()
    assert map_payout(record, context(book(payouts=(record,)))) == Write(
        Kind.TRANSFER,
        "po_1",
        Operation.CREATE,
        "PUT",
        "BankTransfers",
        {
            "FromBankAccount": {"Code": "091"},
            "ToBankAccount": {"Code": "090"},
            "Amount": D("96.80"),
            "Date": "2024-02-03",
            "Reference": "payout:po_1",
        },
        "payout po_1: 96.80 GBP on the bank statement of 2024-02-03",
        natural_key=NaturalKey("BankTransfers", "Reference", "payout:po_1"),
        priority=Priority.MONEY,
    )


def test_a_negative_payout_moves_money_back_from_deposit_to_clearing():
    outcome = map_payout(payout(net="-12.50"), context())
    assert isinstance(outcome, Write)
    assert (outcome.body["FromBankAccount"], outcome.body["ToBankAccount"], outcome.body["Amount"]) == (
        {"Code": "090"},
        {"Code": "091"},
        D("12.50"),
    )


def test_a_zero_payout_is_skipped_and_an_unmapped_currency_rejected():
    assert map_payout(payout(net="0.00"), context()) == Skip(
        Kind.TRANSFER, "po_1", "the payout's net is zero: nothing reached the bank"
    )
    assert map_payout(payout(currency="EUR"), context()) == Rejected(
        Kind.TRANSFER,
        "po_1",
        (Problem("currency EUR has no accounts in the mapping configuration", Kind.TRANSFER, "po_1", "currency"),),
    )


# ---- the fee trap: gross 100.00, fee 3.20, payout 96.80


def three_steps(fee_flow: FeeFlow):
    records = book(payments=(payment(),), payouts=(payout(),))
    ctx = context(records, mapping=config(fee_flow=fee_flow))
    return [map_payment(payment(), ctx), map_fee(payment(), ctx), map_payout(payout(), ctx)]


def test_the_fee_trap_balanced_by_default_clearing_nets_to_zero_and_deposit_equals_the_statement():
    writes = three_steps(FeeFlow.CLEARING)
    assert all(isinstance(write, Write) for write in writes)
    payment_body, fee_body, transfer_body = (write.body for write in writes)  # type: ignore[union-attr]
    assert (payment_body["Account"], payment_body["Amount"]) == ({"Code": "091"}, D("100.00"))
    assert (fee_body["BankAccount"], fee_body["LineItems"][0]["UnitAmount"]) == ({"Code": "091"}, D("3.20"))
    assert (transfer_body["FromBankAccount"], transfer_body["ToBankAccount"], transfer_body["Amount"]) == (
        {"Code": "091"},
        {"Code": "090"},
        D("96.80"),
    )
    assert bank_balances(writes) == {"091": D("0.00"), "090": D("96.80")}  # type: ignore[arg-type]


def test_the_fee_trap_the_literal_deposit_flow_leaves_clearing_at_the_fee_and_deposit_short():
    writes = three_steps(FeeFlow.DEPOSIT)
    fee_body = writes[1].body  # type: ignore[union-attr]
    assert (fee_body["BankAccount"], fee_body["LineItems"][0]["UnitAmount"]) == ({"Code": "090"}, D("3.20"))
    # the statement shows 96.80 landing; the books show 93.60, and 3.20 stuck in clearing
    assert bank_balances(writes) == {"091": D("3.20"), "090": D("93.60")}  # type: ignore[arg-type]


# ---- credit applications, refunds, credits


def note(**fields) -> CreditNote:
    values = {
        "customer_id": "cus_1",
        "number": "CN-0001",
        "currency": "GBP",
        "issue_date": date(2024, 2, 10),
        "tax_mode": TaxMode.EXCLUSIVE,
        "lines": (CreditNoteLine("c1", "Refund", D(1), D("20.00"), D("20.00"), invoice_line_id="l1"),),
        "total": D("24.00"),
        "invoice_id": "inv_1",
    }
    values.update(fields)
    return CreditNote(id="cn_1", **values)


def application(**fields) -> CreditApplication:
    values = {"credit_note_id": "cn_1", "invoice_id": "inv_1", "amount": D("24.00"), "applied_on": date(2024, 2, 11)}
    values.update(fields)
    return CreditApplication(id="app_1", **values)


def test_a_credit_application_is_an_allocation_under_its_credit_note():
    outcome = map_allocation(application(), context(book(credit_notes=(note(),))))
    assert outcome == Write(
        Kind.ALLOCATION,
        "app_1",
        Operation.CREATE,
        "PUT",
        "Allocations",
        {
            "CreditNote": {"CreditNoteID": Ref(Kind.CREDIT_NOTE, "cn_1")},
            "Invoice": {"InvoiceID": Ref(Kind.INVOICE, "inv_1")},
            "Amount": D("24.00"),
            "Date": "2024-02-11",
        },
        "credit note CN-0001 applies 24.00 to invoice INV-0001",
        natural_key=NaturalKey("CreditNotes", "CreditNoteNumber", "CN-0001"),
        priority=Priority.MONEY,
    )
    assert outcome.depends_on == (Ref(Kind.CREDIT_NOTE, "cn_1"), Ref(Kind.INVOICE, "inv_1"))


def test_an_allocation_that_cannot_be_made_is_rejected_with_every_reason():
    records = book(
        invoices=(invoice(currency="USD", status=InvoiceStatus.DRAFT),),
        credit_notes=(note(status=CreditNoteStatus.VOIDED),),
    )
    outcome = map_allocation(application(amount=D("0")), context(records))
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "allocation.app_1.credit_note_id: applies credit note cn_1, which is voided",
        "allocation.app_1.invoice_id: applies credit to invoice inv_1, which is a draft",
        "allocation.app_1.currency: credit note cn_1 is in GBP, invoice inv_1 in USD",
        "allocation.app_1.amount: amount must be above zero, got 0",
    ]


def test_an_allocation_naming_unknown_records_is_rejected():
    outcome = map_allocation(application(credit_note_id="cn_9", invoice_id="inv_9"), context(book()))
    assert isinstance(outcome, Rejected)
    assert [problem.field for problem in outcome.problems] == ["credit_note_id", "invoice_id"]


def refund(**fields) -> Refund:
    values = {"amount": D("24.00"), "currency": "GBP", "refunded_on": date(2024, 2, 12), "credit_note_id": "cn_1"}
    values.update(fields)
    return Refund(id="re_1", **values)


def test_a_refund_on_a_credit_note_outside_a_payout_is_paid_from_the_deposit_bank():
    outcome = map_refund(refund(), context(book(credit_notes=(note(),))))
    assert outcome == Write(
        Kind.REFUND,
        "re_1",
        Operation.CREATE,
        "PUT",
        "Payments",
        {
            "CreditNote": {"CreditNoteID": Ref(Kind.CREDIT_NOTE, "cn_1")},
            "Account": {"Code": "090"},
            "Date": "2024-02-12",
            "Amount": D("24.00"),
            "Reference": "refund:re_1",
        },
        "refund re_1 of 24.00 on credit note CN-0001, paid from the deposit bank",
        natural_key=NaturalKey("Payments", "Reference", "refund:re_1"),
        priority=Priority.MONEY,
    )


def test_a_refund_outside_a_payout_uses_the_refund_account_when_one_is_configured():
    accounts = CurrencyAccounts("090", "091", "404", "405", refund_account="092")
    ctx = context(book(credit_notes=(note(),)), mapping=config(currencies={"GBP": accounts}))
    outcome = map_refund(refund(), ctx)
    assert isinstance(outcome, Write)
    assert outcome.body["Account"] == {"Code": "092"}


def test_a_refund_netted_in_a_payout_is_paid_from_clearing_so_clearing_still_nets_to_zero():
    records = book(payments=(payment(),), credit_notes=(note(),))
    ctx = context(records)
    netted = refund(amount=D("10.00"), payout_id="po_1")
    outcome = map_refund(netted, ctx)
    assert isinstance(outcome, Write)
    assert outcome.body["Account"] == {"Code": "091"}
    writes = [map_payment(payment(), ctx), map_fee(payment(), ctx), outcome, map_payout(payout(net="86.80"), ctx)]
    assert bank_balances(writes) == {"091": D("0.00"), "090": D("86.80")}  # type: ignore[arg-type]


def test_a_refund_not_tied_to_a_credit_note_is_not_pushed():
    assert map_refund(refund(credit_note_id=None), context()) == Skip(
        Kind.REFUND, "re_1", "not tied to a credit note: refunds are pushed only as payments on an issued credit note"
    )


def test_a_bare_refund_in_a_payout_says_what_residue_it_leaves():
    outcome = map_refund(refund(credit_note_id=None, payout_id="po_1"), context())
    assert outcome == Skip(
        Kind.REFUND,
        "re_1",
        "not tied to a credit note: refunds are pushed only as payments on an issued credit note; it is netted "
        "in payout po_1, so that payout's clearing account will show 24.00 GBP of residue",
    )


def test_a_refund_that_cannot_be_paid_is_rejected_with_every_reason():
    outcome = map_refund(
        refund(currency="USD", amount=D("-1")), context(book(credit_notes=(note(status=CreditNoteStatus.VOIDED),)))
    )
    assert isinstance(outcome, Rejected)
    assert [str(problem) for problem in outcome.problems] == [
        "refund.re_1.credit_note_id: refunds credit note cn_1, which is voided",
        "refund.re_1.currency: is in USD but credit note cn_1 is in GBP",
        "refund.re_1.amount: amount must be above zero, got -1",
    ]
    assert map_refund(refund(credit_note_id="cn_9"), context()) == Rejected(
        Kind.REFUND,
        "re_1",
        (
            Problem(
                "refunds credit note 'cn_9', which is not in the billing book", Kind.REFUND, "re_1", "credit_note_id"
            ),
        ),
    )


def test_credits_are_never_pushed_on_their_own():
    standalone = Credit("cr_1", "cus_1", D("5.00"), "GBP", date(2024, 2, 1))
    assert map_credit(standalone, context()) == Skip(
        "credit", "cr_1", "standalone credit: not pushed to Xero unless it is part of an issued credit note"
    )
    in_a_note = Credit("cr_2", "cus_1", D("5.00"), "GBP", date(2024, 2, 1), credit_note_id="cn_1")
    assert map_credit(in_a_note, context()) == Skip("credit", "cr_2", "sent as part of credit note cn_1")


class OnlyUsage(SyncSettings):
    def line_excluded(self, line):
        return "not usage" if line.product_id != "prod_usage" else None


def test_allocations_and_refunds_follow_documents_the_settings_leave_out():
    ctx = context(book(credit_notes=(note(),)), settings=NotApproved())
    assert map_allocation(application(), ctx) == Skip(
        Kind.ALLOCATION, "app_1", "invoice inv_1 is excluded: not approved"
    )
    ctx = context(book(credit_notes=(note(),), payments=(payment(),)), settings=OnlyUsage())
    assert map_payment(payment(), ctx) == Skip(
        Kind.PAYMENT, "pay_1", "invoice inv_1 is not sent: every line is excluded by the integration settings"
    )


class ClosedAccounts(SyncSettings):
    def customer_excluded(self, customer):
        return "closed account"


def test_a_refund_for_an_excluded_customer_is_skipped():
    ctx = context(book(credit_notes=(note(),)), settings=ClosedAccounts())
    assert map_refund(refund(), ctx) == Skip(Kind.REFUND, "re_1", "customer cus_1 is excluded: closed account")
