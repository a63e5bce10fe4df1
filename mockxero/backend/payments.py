"""Payments: cash against an invoice (ACCRECPAYMENT, ACCPAYPAYMENT), a credit-note refund
(ARCREDITPAYMENT, APCREDITPAYMENT), or the refund of an overpayment or prepayment (AROVERPAYMENTPAYMENT,
APOVERPAYMENTPAYMENT, ARPREPAYMENTPAYMENT, APPREPAYMENTPAYMENT), which the body names with
``Overpayment{OverpaymentID}`` / ``Prepayment{PrepaymentID}`` instead of an invoice.

A payment lowers its document's AmountDue (RemainingCredit for a credit note); the document turns PAID,
with FullyPaidOnDate, when nothing is left. Payments are never edited: the only update is
``Status: DELETED``, which reopens the document and reverses the payment's journal. Deleted payments stay
readable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .. import money
from ..exchange import rate_problem, to_base
from ..money import round_money
from ..posting import (
    CREDIT_SOURCE,
    PAYMENT_TYPE,
    PREPAYMENT_TYPES,
    REFUND_TYPE,
    SETTLED_BASE,
    Line,
    payment_lines,
    payment_settled_base,
)
from ..statuses import AccountStatus, DocumentStatus, PaymentStatus
from .base import fail
from .documents import CREDIT_NOTE, DATE_REQUIRED, INVOICE, DocumentKind, DocumentsBackend

NOT_AUTHORISED = "Payments can only be made against Authorised documents"
OVERPAID = "Payment amount exceeds the amount outstanding on this document"
NO_DOCUMENT = "You must specify an Invoice ID or Invoice Number for the payment"
UNKNOWN_DOCUMENT = "The invoice or credit note specified for this payment could not be found."
NO_ACCOUNT = "You must specify an Account ID or Account Code for the payment"
UNKNOWN_ACCOUNT = "The account specified for this payment could not be found."
NOT_POSITIVE = "Payment amount must be greater than zero."
ONLY_STATUS = "Only Status accepted for updates."
ONLY_DELETE = "A payment can only be updated to a Status of DELETED."
RECONCILED = "This payment has been reconciled and cannot be deleted"
WRONG_CURRENCY = "The bank account's currency must be the document's currency or the base currency."

# Keys a delete body may carry besides Status (the id it repeats).
_DELETE_KEYS = {"Status", "PaymentID"}


def not_payable_account_message(account: dict) -> str:
    return (
        f"The account '{account.get('Code') or account['AccountID']}' must be a bank account "
        "or have payments to it enabled."
    )


class PaymentsBackend(DocumentsBackend):
    def payment(self, payment_id: str) -> dict:
        return self._require("Payments", payment_id)

    def payment_document(self, payment: dict) -> tuple[DocumentKind, dict]:
        """The invoice, credit note, overpayment or prepayment a payment settles."""
        credit = self.credit_by_ref(payment)
        if credit is not None:
            return credit[0].document, credit[1]
        if payment.get("CreditNote"):
            return CREDIT_NOTE, self.document(CREDIT_NOTE, payment["CreditNote"]["CreditNoteID"])
        return INVOICE, self.document(INVOICE, payment["Invoice"]["InvoiceID"])

    # -- create --

    def create_payment(self, values: dict) -> dict:
        kind, document = self._paid_document(values)
        if document["Status"] != DocumentStatus.AUTHORISED:
            raise fail(NOT_AUTHORISED)

        errors: list[str] = []
        account, account_errors = self._payment_account(values, document)
        errors.extend(account_errors)
        when = values.get("Date")
        if when is None:
            errors.append(DATE_REQUIRED)
        amount_error = money.settlement_amount_error(
            values.get("Amount"),
            document["AmountDue"],
            not_positive=NOT_POSITIVE,
            too_much=OVERPAID,
        )
        if amount_error:
            errors.append(amount_error)
        errors.extend(self.lock_date_errors(when))
        rate_given = values.get("CurrencyRate")
        if rate_given is not None and document["CurrencyCode"] != self.base_currency:
            problem = rate_problem(rate_given)
            if problem:
                errors.append(problem)
        if errors:
            raise fail(*errors)
        assert account is not None and when is not None  # each missing one recorded its error

        amount = round_money(values["Amount"])
        rate = self._payment_rate(values, document, when)
        payment: dict[str, Any] = {
            "PaymentID": self.ids.guid(),
            "PaymentType": REFUND_TYPE.get(document["Type"]) or PAYMENT_TYPE[document["Type"]],
            "Status": PaymentStatus.AUTHORISED,
            "Date": when,
            "Amount": amount,
            "BankAmount": self._bank_amount(amount, rate, account, document),
            "CurrencyRate": rate,
            "Account": {"AccountID": account["AccountID"], "Code": account.get("Code")},
            "IsReconciled": bool(values.get("IsReconciled")),
            "HasAccount": True,
            "HasValidationErrors": False,
            "UpdatedDateUTC": self.now(),
        }
        if kind is CREDIT_NOTE:
            payment["CreditNote"] = {"CreditNoteID": document["CreditNoteID"]}
        elif kind is not INVOICE:  # an overpayment or prepayment: named as the body named it
            payment[kind.table[:-1]] = {kind.id_field: document[kind.id_field]}
        else:
            payment["Invoice"] = {"InvoiceID": document["InvoiceID"]}
        if values.get("Reference"):
            payment["Reference"] = values["Reference"]
        payment[SETTLED_BASE] = self.settlement_base(document, amount)
        # A prepayment's refund takes back part of its lines: worked out before its balance moves.
        lines = self._payment_journal_lines(payment, account, document)
        self._save("Payments", payment["PaymentID"], payment)

        document["Payments"].append(_payment_summary(payment))
        self.settle(kind, document, "AmountPaid", amount, payment[SETTLED_BASE])
        self.post_journal(
            source_type=CREDIT_SOURCE.get(document["Type"]) or payment["PaymentType"],
            source_id=payment["PaymentID"],
            journal_date=payment["Date"],
            currency=self.base_currency,
            lines=lines,
            reference=payment.get("Reference"),
        )
        return payment

    def _paid_document(self, values: dict) -> tuple[DocumentKind, dict]:
        """The document a payment names: Invoice{InvoiceID|InvoiceNumber}, CreditNote{...},
        Overpayment{OverpaymentID}, Prepayment{PrepaymentID} or a number.

        Xero itself shows a refunded credit note under ``Invoice``, so an InvoiceID may name a credit note.
        """
        credit = self.credit_by_ref(values)
        if credit is not None:
            return credit[0].document, credit[1]
        invoice_ref = values.get("Invoice") or {}
        credit_ref = values.get("CreditNote") or {}
        invoice_number = invoice_ref.get("InvoiceNumber") or values.get("InvoiceNumber")
        credit_number = credit_ref.get("CreditNoteNumber") or values.get("CreditNoteNumber")
        found: tuple[DocumentKind, dict | None]
        if invoice_ref.get("InvoiceID"):
            doc_id = invoice_ref["InvoiceID"]
            invoice = self._get("Invoices", doc_id)
            found = (INVOICE, invoice) if invoice else (CREDIT_NOTE, self._get("CreditNotes", doc_id))
        elif credit_ref.get("CreditNoteID"):
            found = (CREDIT_NOTE, self._get("CreditNotes", credit_ref["CreditNoteID"]))
        elif invoice_number:
            invoice = self.document_by_number(INVOICE, invoice_number)
            found = (
                (INVOICE, invoice) if invoice else (CREDIT_NOTE, self.document_by_number(CREDIT_NOTE, invoice_number))
            )
        elif credit_number:
            found = (CREDIT_NOTE, self.document_by_number(CREDIT_NOTE, credit_number))
        else:
            raise fail(NO_DOCUMENT)
        if found[1] is None:
            raise fail(UNKNOWN_DOCUMENT)
        return found  # type: ignore[return-value]

    def _payment_account(self, values: dict, document: dict) -> tuple[dict | None, list[str]]:
        reference = values.get("Account") or ({"Code": values["Code"]} if values.get("Code") else None)
        if not reference or not (reference.get("AccountID") or reference.get("Code")):
            return None, [NO_ACCOUNT]
        account = self.resolve_account(reference)
        if account is None:
            return None, [UNKNOWN_ACCOUNT]
        if account.get("Status") != AccountStatus.ACTIVE:
            return None, [f"Account code '{account.get('Code')}' has been archived, or has been deleted."]
        if account.get("Type") != "BANK" and not account.get("EnablePaymentsToAccount"):
            return None, [not_payable_account_message(account)]
        bank_currency = account.get("CurrencyCode")
        if account.get("Type") == "BANK" and bank_currency not in (None, document["CurrencyCode"], self.base_currency):
            return None, [WRONG_CURRENCY]
        return account, []

    def _payment_rate(self, values: dict, document: dict, when: date) -> Decimal:
        """The client's rate for a foreign document (checked already), else the payment date's rate, as
        Xero takes XE.com's; a base-currency document is paid at 1."""
        if document["CurrencyCode"] == self.base_currency:
            return document["CurrencyRate"]
        rate = values.get("CurrencyRate")
        return rate if rate is not None else self.day_rate(document["CurrencyCode"], when)

    def _bank_amount(self, amount: Decimal, rate: Decimal, account: dict, document: dict) -> Decimal:
        """The payment in the bank account's currency: converted only when a base-currency bank pays a
        foreign document (Xero's rate is foreign units per base unit)."""
        bank_currency = account.get("CurrencyCode") or self.base_currency
        if bank_currency == document["CurrencyCode"]:
            return amount
        return to_base(amount, rate)

    def _payment_journal_lines(self, payment: dict, account: dict, document: dict) -> list[Line]:
        if document["Type"] in PREPAYMENT_TYPES:
            return self.prepayment_use_lines(document, payment["Amount"], account, "Prepayment refunded")
        return payment_lines(payment, account, self.system_account, document["CurrencyCode"], self.base_currency)

    # -- delete (the only update Xero allows) --

    def delete_payment(self, payment_id: str, fields: dict) -> dict:
        """``POST /Payments/{id}`` with ``{"Status": "DELETED"}``: undo the payment and its journal.

        ``fields`` is the element as sent (not as loaded), so that any other field can be refused.
        Deleting an already deleted payment answers it again and changes nothing.
        """
        payment = self.payment(payment_id)
        sent = {key for key, value in fields.items() if value is not None}
        if sent - _DELETE_KEYS:
            raise fail(ONLY_STATUS)
        if fields.get("Status") != PaymentStatus.DELETED:
            raise fail(ONLY_DELETE)
        if payment["Status"] == PaymentStatus.DELETED:
            return payment
        if payment.get("IsReconciled"):
            raise fail(RECONCILED)
        locked = self.lock_date_errors(payment["Date"])
        if locked:
            raise fail(*locked)

        kind, document = self.payment_document(payment)
        document["Payments"] = [p for p in document["Payments"] if p["PaymentID"] != payment_id]
        self.settle(kind, document, "AmountPaid", -payment["Amount"], -payment_settled_base(payment))
        payment["Status"] = PaymentStatus.DELETED
        payment["UpdatedDateUTC"] = self.now()
        self._save("Payments", payment_id, payment)
        self.reverse_journals(payment_id, payment["Date"])
        return payment


def _payment_summary(payment: dict) -> dict:
    """How a document lists a payment made against it."""
    summary = {
        "PaymentID": payment["PaymentID"],
        "Date": payment["Date"],
        "Amount": payment["Amount"],
        "CurrencyRate": payment["CurrencyRate"],
        "HasAccount": False,
        "HasValidationErrors": False,
    }
    if payment.get("Reference"):
        summary["Reference"] = payment["Reference"]
    return summary
