"""Disputes (chargebacks), booked against the payout they appear in so it still nets clearing to zero.

The processor takes the disputed amount and its dispute fee out of the money it holds, so both leave the
clearing account: one SPEND BankTransaction with a line for each, to the currency's dispute account. The
invoice and its payment stay as they are (the customer did pay; the money was clawed back), which keeps
the invoice's history and avoids unpicking a paid document Xero will not let us edit. A won dispute comes
back in a later payout: a RECEIVE into clearing from the dispute account for the reinstated amount (the
fee is not returned). One Xero object per dispute and per reinstatement, each found again by its Reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from syncer.mapping.config import DisputeHandling
from syncer.mapping.context import MappingContext
from syncer.mapping.outcomes import NaturalKey, Outcome, Priority, Skip
from syncer.mapping.rules.common import Problems, contact_link, iso, planned, reference
from syncer.mapping.rules.documents import invoice_excluded
from syncer.mapping.rules.payments import BANK_TRANSACTIONS, currency_accounts, currency_rate
from syncer.refs import Kind
from syncer.source.model import Dispute, DisputeOutcome, Invoice, Payment


def _manual(dispute: Dispute) -> str:
    return (
        f"dispute handling is manual: book the {dispute.amount} {dispute.currency} withdrawn and the "
        f"{dispute.fee} fee by hand"
    )


def _disputed(
    dispute: Dispute, context: MappingContext, problems: Problems
) -> tuple[Payment | None, Invoice | None, str | None]:
    """The disputed payment and its invoice (reporting what is wrong), and why the dispute is skipped."""
    payment = context.book.payments.get(dispute.payment_id)
    if payment is None:
        problems.add(f"disputes payment {dispute.payment_id!r}, which is not in the billing book", "payment_id")
        return None, None, None
    invoice = context.book.invoices.get(payment.invoice_id)
    if invoice is None:
        problems.add(
            f"disputes payment {payment.id}, whose invoice {payment.invoice_id!r} is not in the billing book",
            "payment_id",
        )
        return payment, None, None
    if (excluded := invoice_excluded(invoice, context)) is not None:
        return payment, invoice, excluded
    if payment.currency != dispute.currency:
        problems.add(f"is in {dispute.currency} but payment {payment.id} is in {payment.currency}", "currency")
    return payment, invoice, None


def map_dispute(dispute: Dispute, context: MappingContext) -> Outcome:
    """Withdrawn amount and dispute fee: one SPEND out of clearing. Natural key: Reference ``dispute:<id>``."""
    if context.config.dispute_handling is DisputeHandling.MANUAL:
        return Skip(Kind.DISPUTE, dispute.id, _manual(dispute))
    if dispute.payout_id is None:
        return Skip(Kind.DISPUTE, dispute.id, "not yet withdrawn in a payout: booked with the payout that withdraws it")
    problems = Problems(Kind.DISPUTE, dispute.id)
    payment, invoice, skipped = _disputed(dispute, context, problems)
    if skipped is not None:
        return Skip(Kind.DISPUTE, dispute.id, skipped)
    for name, value in (("amount", dispute.amount), ("fee", dispute.fee)):
        if value < 0:
            problems.add(f"{name} must not be negative, got {value}", name)
    accounts = currency_accounts(dispute.currency, context, problems)
    if problems or accounts is None or payment is None or invoice is None:
        return problems.rejected()
    lines = []
    if dispute.amount > 0:
        withdrawn = f"Disputed payment {payment.id} withdrawn in payout {dispute.payout_id}"
        lines.append(_line(withdrawn, dispute.amount, accounts.dispute_account))
    if dispute.fee > 0:
        lines.append(_line(f"Dispute fee for dispute {dispute.id}", dispute.fee, accounts.dispute_account))
    if not lines:
        return Skip(Kind.DISPUTE, dispute.id, "nothing was withdrawn: amount and fee are both zero")
    ref = reference("dispute", dispute.id)
    body: dict[str, Any] = {
        "Type": "SPEND",
        "Contact": contact_link(invoice.customer_id),
        "BankAccount": {"Code": accounts.clearing},
        "Date": iso(dispute.opened_on),
        "Reference": ref,
        "LineAmountTypes": "NoTax",
        "LineItems": lines,
        **currency_rate(dispute.currency, payment.exchange_rate, context),
    }
    reason = f"dispute {dispute.id} on payment {payment.id}: {dispute.amount} and a {dispute.fee} fee out of clearing"
    key = NaturalKey(BANK_TRANSACTIONS, "Reference", ref)
    return planned(
        Kind.DISPUTE, dispute.id, BANK_TRANSACTIONS, body, key, context, reason=reason, priority=Priority.MONEY
    )


def map_dispute_reinstatement(dispute: Dispute, context: MappingContext) -> Outcome:
    """A won dispute's funds back into clearing: a RECEIVE. Natural key: Reference ``reinstatement:<id>``."""
    kind = Kind.DISPUTE_REINSTATEMENT
    if context.config.dispute_handling is DisputeHandling.MANUAL:
        return Skip(kind, dispute.id, _manual(dispute))
    if dispute.outcome is not DisputeOutcome.WON:
        return Skip(kind, dispute.id, f"the dispute is {dispute.outcome.value}: nothing is reinstated")
    if dispute.payout_id is None:
        return Skip(kind, dispute.id, "the funds were never withdrawn in a payout, so there is nothing to reinstate")
    if dispute.reinstated_payout_id is None:
        return Skip(kind, dispute.id, "won, but the reinstated funds are not yet in a payout")
    problems = Problems(kind, dispute.id)
    payment, invoice, skipped = _disputed(dispute, context, problems)
    if skipped is not None:
        return Skip(kind, dispute.id, skipped)
    if dispute.amount <= 0:
        problems.add(f"amount must be above zero to reinstate, got {dispute.amount}", "amount")
    payout = context.book.payouts.get(dispute.reinstated_payout_id)
    day = dispute.reinstated_on or (payout.arrival_date if payout is not None else None)
    if day is None:
        problems.add(
            f"has no reinstated_on date and payout {dispute.reinstated_payout_id!r} is not in the billing book",
            "reinstated_on",
        )
    accounts = currency_accounts(dispute.currency, context, problems)
    if problems or accounts is None or payment is None or invoice is None or day is None:
        return problems.rejected()
    ref = reference("reinstatement", dispute.id)
    description = f"Dispute {dispute.id} won: funds reinstated in payout {dispute.reinstated_payout_id}"
    body: dict[str, Any] = {
        "Type": "RECEIVE",
        "Contact": contact_link(invoice.customer_id),
        "BankAccount": {"Code": accounts.clearing},
        "Date": iso(day),
        "Reference": ref,
        "LineAmountTypes": "NoTax",
        "LineItems": [_line(description, dispute.amount, accounts.dispute_account)],
        **currency_rate(dispute.currency, payment.exchange_rate, context),
    }
    reason = f"dispute {dispute.id} won: {dispute.amount} back into clearing"
    key = NaturalKey(BANK_TRANSACTIONS, "Reference", ref)
    return planned(kind, dispute.id, BANK_TRANSACTIONS, body, key, context, reason=reason, priority=Priority.MONEY)


def _line(description: str, amount: Decimal, account: str) -> dict[str, Any]:
    return {"Description": description, "Quantity": Decimal(1), "UnitAmount": amount, "AccountCode": account}
