"""Money movements: the three-step payment, payouts, credit applications, refunds and standalone credits.

The three steps, per captured payment and its payout (docs/syncer/mapping.md, "The fee trap"):

1. ``map_payment``: a Payment on the invoice for the **gross**, into the currency's clearing account;
2. ``map_fee``: the gateway fee as a SPEND BankTransaction to the fee account, drawn from **clearing** by
   default (``fee_flow: deposit`` draws it from the deposit bank, the billing document's literal and
   unbalanced reading, kept so the settlement check can catch it);
3. ``map_payout``: one BankTransfer clearing → deposit for the payout's **net**, what the statement shows.

Gross 100.00, fee 3.20, payout 96.80: clearing 100.00 − 3.20 − 96.80 = 0, deposit 96.80 = statement.

Refunds are pushed only when tied to a credit note (an ARCREDITPAYMENT on it). A refund netted in a payout
is paid from clearing, because the processor took it out of the money it was holding, so clearing still
nets to zero; a refund outside any payout is paid from the currency's refund account (default: the
deposit bank), where the money actually left. Bare refunds and standalone credits are skipped with a reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from syncer.mapping.config import CurrencyAccounts, FeeFlow
from syncer.mapping.context import MappingContext
from syncer.mapping.outcomes import NaturalKey, Outcome, Priority, Skip
from syncer.mapping.rules.common import Problems, contact_link, iso, planned, reference
from syncer.mapping.rules.documents import credit_note_excluded, invoice_excluded
from syncer.refs import Kind, Ref
from syncer.source.model import (
    Credit,
    CreditApplication,
    CreditNoteStatus,
    Invoice,
    InvoiceStatus,
    Payment,
    Payout,
    Refund,
)

PAYMENTS = "Payments"
BANK_TRANSACTIONS = "BankTransactions"
BANK_TRANSFERS = "BankTransfers"
ALLOCATIONS = "Allocations"
CREDIT = "credit"  # the Skip label of a standalone credit, which never becomes a Xero object
_UNPAYABLE = {
    InvoiceStatus.DRAFT: "is a draft",
    InvoiceStatus.ROLLUP_PENDING: "is a draft (rollup pending)",
    InvoiceStatus.VOIDED: "is voided",
}


def currency_accounts(currency: str, context: MappingContext, problems: Problems) -> CurrencyAccounts | None:
    accounts = context.config.currencies.get(currency)
    if accounts is None:
        problems.add(f"currency {currency} has no accounts in the mapping configuration", "currency")
    return accounts


def currency_rate(currency: str, rate: Decimal | None, context: MappingContext) -> dict[str, Decimal]:
    """``{"CurrencyRate": rate}`` for a foreign-currency amount the processor converted; Xero ignores a rate
    on the base currency, so none is sent there."""
    if rate is None or currency == context.org.base_currency:
        return {}
    return {"CurrencyRate": rate}


def _positive(amount: Decimal, field: str, problems: Problems) -> None:
    if amount <= 0:
        problems.add(f"{field} must be above zero, got {amount}", field)


def _payment_chain(
    payment: Payment, context: MappingContext, problems: Problems
) -> tuple[Invoice | None, CurrencyAccounts | None, str | None]:
    """The invoice and accounts a payment needs (reporting what is wrong with them), and why it is skipped."""
    invoice = context.book.invoices.get(payment.invoice_id)
    if invoice is None:
        problems.add(f"pays invoice {payment.invoice_id!r}, which is not in the billing book", "invoice_id")
        return None, None, None
    if (excluded := invoice_excluded(invoice, context)) is not None:
        return invoice, None, excluded
    if invoice.status in _UNPAYABLE:
        state = _UNPAYABLE[invoice.status]
        problems.add(
            f"pays invoice {invoice.id}, which {state}; Xero takes payments only on authorised invoices", "invoice_id"
        )
    if payment.currency != invoice.currency:
        problems.add(f"is in {payment.currency} but invoice {invoice.id} is in {invoice.currency}", "currency")
    return invoice, currency_accounts(payment.currency, context, problems), None


def map_payment(payment: Payment, context: MappingContext) -> Outcome:
    """Step 1: the gross into clearing. Natural key: its Reference ``payment:<id>``."""
    problems = Problems(Kind.PAYMENT, payment.id)
    invoice, accounts, skipped = _payment_chain(payment, context, problems)
    if skipped is not None:
        return Skip(Kind.PAYMENT, payment.id, skipped)
    _positive(payment.amount, "amount", problems)
    if problems or accounts is None or invoice is None:
        return problems.rejected()
    ref = reference("payment", payment.id)
    body: dict[str, Any] = {
        "Invoice": {"InvoiceID": Ref(Kind.INVOICE, payment.invoice_id)},
        "Account": {"Code": accounts.clearing},
        "Date": iso(payment.captured_on),
        "Amount": payment.amount,
        "Reference": ref,
        **currency_rate(payment.currency, payment.exchange_rate, context),
    }
    reason = f"payment {payment.id}: {payment.amount} {payment.currency} gross into clearing on {invoice.number}"
    key = NaturalKey(PAYMENTS, "Reference", ref)
    return planned(Kind.PAYMENT, payment.id, PAYMENTS, body, key, context, reason=reason, priority=Priority.MONEY)


def map_fee(payment: Payment, context: MappingContext) -> Outcome:
    """Step 2: the gateway fee as a SPEND to the fee account, from clearing (or deposit, by ``fee_flow``).

    It follows its payment: a payment that is skipped or rejected takes its fee with it, so a fee never
    leaves clearing for money that never arrived there."""
    if payment.fee == 0:
        return Skip(Kind.FEE, payment.id, "the payment carries no gateway fee")
    problems = Problems(Kind.FEE, payment.id)
    invoice, accounts, skipped = _payment_chain(payment, context, problems)
    if skipped is not None:
        return Skip(Kind.FEE, payment.id, skipped)
    if payment.fee < 0:
        problems.add(f"fee must not be negative, got {payment.fee}", "fee")
    _positive(payment.amount, "amount", problems)
    if problems or accounts is None or invoice is None:
        return problems.rejected()
    from_clearing = context.config.fee_flow is FeeFlow.CLEARING
    bank = accounts.clearing if from_clearing else accounts.deposit_bank
    processor = f" ({payment.processor})" if payment.processor else ""
    ref = reference("fee", payment.id)
    body: dict[str, Any] = {
        "Type": "SPEND",
        "Contact": contact_link(invoice.customer_id),
        "BankAccount": {"Code": bank},
        "Date": iso(payment.captured_on),
        "Reference": ref,
        "LineAmountTypes": "NoTax",
        "LineItems": [
            {
                "Description": f"Gateway fee{processor} on payment {payment.id}",
                "Quantity": Decimal(1),
                "UnitAmount": payment.fee,
                "AccountCode": accounts.fee_account,
            }
        ],
        **currency_rate(payment.currency, payment.exchange_rate, context),
    }
    reason = f"gateway fee {payment.fee} on payment {payment.id}, from {'clearing' if from_clearing else 'deposit'}"
    key = NaturalKey(BANK_TRANSACTIONS, "Reference", ref)
    return planned(Kind.FEE, payment.id, BANK_TRANSACTIONS, body, key, context, reason=reason, priority=Priority.MONEY)


def map_payout(payout: Payout, context: MappingContext) -> Outcome:
    """Step 3: one BankTransfer per payout for its net, clearing → deposit (deposit → clearing when the
    processor took money back, a negative net). Natural key: Reference ``payout:<id>``."""
    problems = Problems(Kind.TRANSFER, payout.id)
    left_out = _payments_left_out(payout, context)
    if left_out and len(left_out) == len(payout.payment_ids):
        return Skip(Kind.TRANSFER, payout.id, f"every payment it settles is left out: {left_out[0]}")
    if left_out:
        # one bank statement line is one transfer: sending part of it would leave clearing and the deposit
        # off by the other part, and sending all of it would book payments this run does not send
        problems.add(
            f"settles payments this run leaves out ({'; '.join(left_out)}); a payout is one line on the bank "
            "statement, so every payment in it must be sent by the same integration",
            "payment_ids",
        )
        return problems.rejected()
    accounts = currency_accounts(payout.currency, context, problems)
    if accounts is None:
        return problems.rejected()
    if payout.net == 0:
        return Skip(Kind.TRANSFER, payout.id, "the payout's net is zero: nothing reached the bank")
    if payout.net > 0:
        source, target = accounts.clearing, accounts.deposit_bank
    else:
        source, target = accounts.deposit_bank, accounts.clearing
    ref = reference("payout", payout.id)
    body = {
        "FromBankAccount": {"Code": source},
        "ToBankAccount": {"Code": target},
        "Amount": abs(payout.net),
        "Date": iso(payout.arrival_date),
        "Reference": ref,
    }
    reason = f"payout {payout.id}: {payout.net} {payout.currency} on the bank statement of {iso(payout.arrival_date)}"
    key = NaturalKey(BANK_TRANSFERS, "Reference", ref)
    return planned(Kind.TRANSFER, payout.id, BANK_TRANSFERS, body, key, context, reason=reason, priority=Priority.MONEY)


def _payments_left_out(payout: Payout, context: MappingContext) -> list[str]:
    """Why each payment of the payout is not sent, for those the settings leave out (through their invoice)."""
    found = []
    for payment_id in payout.payment_ids:
        payment = context.book.payments.get(payment_id)
        invoice = context.book.invoices.get(payment.invoice_id) if payment is not None else None
        if invoice is not None and (reason := invoice_excluded(invoice, context)) is not None:
            found.append(f"{payment_id}: {reason}")
    return found


def map_allocation(application: CreditApplication, context: MappingContext) -> Outcome:
    """A credit application → an Allocation of the credit note to the invoice (no cash moves).

    It is PUT to ``/CreditNotes/{id}/Allocations``; the body names the credit note (``CreditNote.CreditNoteID``,
    a Ref) so the engine knows the path and the dependency. Allocations carry no Reference: after a lost
    response the engine finds the credit note by number and the allocation among its Allocations by the
    invoice, amount and date in the body."""
    problems = Problems(Kind.ALLOCATION, application.id)
    credit_note = context.book.credit_notes.get(application.credit_note_id)
    invoice = context.book.invoices.get(application.invoice_id)
    if credit_note is None:
        problems.add(
            f"applies credit note {application.credit_note_id!r}, which is not in the billing book", "credit_note_id"
        )
    if invoice is None:
        problems.add(
            f"applies credit to invoice {application.invoice_id!r}, which is not in the billing book", "invoice_id"
        )
    if credit_note is None or invoice is None:
        return problems.rejected()
    skipped = credit_note_excluded(credit_note, context) or invoice_excluded(invoice, context)
    if skipped is not None:
        return Skip(Kind.ALLOCATION, application.id, skipped)
    if credit_note.status is CreditNoteStatus.VOIDED:
        problems.add(f"applies credit note {credit_note.id}, which is voided", "credit_note_id")
    if invoice.status in _UNPAYABLE:
        problems.add(f"applies credit to invoice {invoice.id}, which {_UNPAYABLE[invoice.status]}", "invoice_id")
    if credit_note.currency != invoice.currency:
        problems.add(
            f"credit note {credit_note.id} is in {credit_note.currency}, invoice {invoice.id} in {invoice.currency}",
            "currency",
        )
    _positive(application.amount, "amount", problems)
    if problems:
        return problems.rejected()
    body = {
        "CreditNote": {"CreditNoteID": Ref(Kind.CREDIT_NOTE, credit_note.id)},
        "Invoice": {"InvoiceID": Ref(Kind.INVOICE, invoice.id)},
        "Amount": application.amount,
        "Date": iso(application.applied_on),
    }
    reason = f"credit note {credit_note.number} applies {application.amount} to invoice {invoice.number}"
    key = NaturalKey("CreditNotes", "CreditNoteNumber", credit_note.number)
    return planned(
        Kind.ALLOCATION, application.id, ALLOCATIONS, body, key, context, reason=reason, priority=Priority.MONEY
    )


def map_refund(refund: Refund, context: MappingContext) -> Outcome:
    """A refund tied to a credit note → an ARCREDITPAYMENT on it (see the module docstring for the account).
    Natural key: Reference ``refund:<id>``."""
    if refund.credit_note_id is None:
        reason = "not tied to a credit note: refunds are pushed only as payments on an issued credit note"
        if refund.payout_id is not None:
            reason += (
                f"; it is netted in payout {refund.payout_id}, so that payout's clearing account will show "
                f"{refund.amount} {refund.currency} of residue"
            )
        return Skip(Kind.REFUND, refund.id, reason)
    problems = Problems(Kind.REFUND, refund.id)
    credit_note = context.book.credit_notes.get(refund.credit_note_id)
    if credit_note is None:
        problems.add(
            f"refunds credit note {refund.credit_note_id!r}, which is not in the billing book", "credit_note_id"
        )
        return problems.rejected()
    if (skipped := credit_note_excluded(credit_note, context)) is not None:
        return Skip(Kind.REFUND, refund.id, skipped)
    if credit_note.status is CreditNoteStatus.VOIDED:
        problems.add(f"refunds credit note {credit_note.id}, which is voided", "credit_note_id")
    if refund.currency != credit_note.currency:
        problems.add(
            f"is in {refund.currency} but credit note {credit_note.id} is in {credit_note.currency}", "currency"
        )
    _positive(refund.amount, "amount", problems)
    accounts = currency_accounts(refund.currency, context, problems)
    if problems or accounts is None:
        return problems.rejected()
    if refund.payout_id is not None:
        account, paid_from = accounts.clearing, f"clearing (netted in payout {refund.payout_id})"
    elif accounts.refund_account is not None:
        account, paid_from = accounts.refund_account, "the refund account"
    else:
        account, paid_from = accounts.deposit_bank, "the deposit bank"
    ref = reference("refund", refund.id)
    body = {
        "CreditNote": {"CreditNoteID": Ref(Kind.CREDIT_NOTE, credit_note.id)},
        "Account": {"Code": account},
        "Date": iso(refund.refunded_on),
        "Amount": refund.amount,
        "Reference": ref,
    }
    reason = f"refund {refund.id} of {refund.amount} on credit note {credit_note.number}, paid from {paid_from}"
    key = NaturalKey(PAYMENTS, "Reference", ref)
    return planned(Kind.REFUND, refund.id, PAYMENTS, body, key, context, reason=reason, priority=Priority.MONEY)


def map_credit(credit: Credit, context: MappingContext) -> Skip:
    """Credits are never pushed on their own: one that is part of a credit note goes with it."""
    if credit.credit_note_id is not None:
        return Skip(CREDIT, credit.id, f"sent as part of credit note {credit.credit_note_id}")
    return Skip(CREDIT, credit.id, "standalone credit: not pushed to Xero unless it is part of an issued credit note")
