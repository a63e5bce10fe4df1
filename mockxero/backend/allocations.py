"""Allocations: applying a credit note's credit to an invoice of the same contact.

An allocation moves no cash and usually posts no journal (both sides sit in the same control account); it
moves the two documents' balances: the invoice's AmountCredited/AmountDue and the credit note's
RemainingCredit, each of which turns PAID when it reaches zero. Allocations live in their own table and
are summarised on both documents (``Invoice.CreditNotes[]`` and ``CreditNote.Allocations[]``).

Between foreign-currency documents each side clears the amount at its own rate; when the two base amounts
differ the allocation posts a journal of its own (SourceType the credit note's, SourceID the allocation's):
the difference on the control account against realised currency gains. Deleting it reverses that journal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import money
from ..exceptions import NotFound
from ..money import round_money
from ..posting import CREDIT_SETTLED_BASE, INVOICE_SETTLED_BASE, allocation_lines
from ..statuses import DocumentStatus
from .base import fail
from .documents import CREDIT_NOTE, DATE_REQUIRED, INVOICE, DocumentsBackend

ALREADY_PAID = "The invoice you are trying to allocate to has already been paid off"
OVER_ALLOCATED = "Credit Note cannot be allocated as amount is greater than amount outstanding"
WRONG_INVOICE_TYPE = "Credit Note cannot be allocated to an incorrect invoice type"
NOT_ALLOCATABLE = "Credit Note or Invoice not of valid status for modification"
NO_INVOICE = "You must specify an Invoice ID or Invoice Number for the allocation"
UNKNOWN_INVOICE = "The invoice specified for this allocation could not be found."
OTHER_CONTACT = "The credit note and the invoice must belong to the same contact."
OTHER_CURRENCY = "The credit note and the invoice must be in the same currency."
NOT_POSITIVE = "The allocation amount must be greater than zero."

# A sales credit pays down sales invoices, a supplier credit pays down bills.
_INVOICE_TYPE_FOR = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}


class AllocationsBackend(DocumentsBackend):
    def allocate_credit_note(self, credit_note_id: str, values: dict) -> dict:
        """Apply part of an authorised credit note to an authorised invoice."""
        credit = self.document(CREDIT_NOTE, credit_note_id)
        if credit["Status"] not in (DocumentStatus.AUTHORISED, DocumentStatus.PAID):
            raise fail(NOT_ALLOCATABLE)
        invoice = self._allocation_invoice(values.get("Invoice") or {})
        if invoice["Status"] == DocumentStatus.PAID:
            raise fail(ALREADY_PAID)
        if invoice["Status"] != DocumentStatus.AUTHORISED:
            raise fail(NOT_ALLOCATABLE)
        if invoice["Type"] != _INVOICE_TYPE_FOR[credit["Type"]]:
            raise fail(WRONG_INVOICE_TYPE)

        errors = []
        if invoice["Contact"]["ContactID"] != credit["Contact"]["ContactID"]:
            errors.append(OTHER_CONTACT)
        if invoice["CurrencyCode"] != credit["CurrencyCode"]:
            errors.append(OTHER_CURRENCY)
        amount_error = money.settlement_amount_error(
            values.get("Amount"),
            min(credit["RemainingCredit"], invoice["AmountDue"]),
            not_positive=NOT_POSITIVE,
            too_much=OVER_ALLOCATED,
        )
        if amount_error:
            errors.append(amount_error)
        when = values.get("Date")
        if when is None:
            errors.append(DATE_REQUIRED)
        errors.extend(self.lock_date_errors(when))  # no journal, but Xero locks allocations too
        if errors:
            raise fail(*errors)

        assert when is not None  # a missing date recorded its error
        amount = round_money(values["Amount"])
        allocation: dict[str, Any] = {
            "AllocationID": self.ids.guid(),
            "Amount": amount,
            "Date": when,
            "Invoice": {"InvoiceID": invoice["InvoiceID"]},
            "CreditNote": {"CreditNoteID": credit["CreditNoteID"]},
            "IsDeleted": False,
            "UpdatedDateUTC": self.now(),
        }
        # Each document gives up what the amount is worth at its own rate (or, when it is used up, all its
        # base amount left); between foreign documents the two may differ, and the difference is realised.
        allocation[INVOICE_SETTLED_BASE] = self.settlement_base(invoice, amount)
        allocation[CREDIT_SETTLED_BASE] = self.settlement_base(credit, amount)
        self._save("Allocations", allocation["AllocationID"], allocation)
        invoice["CreditNotes"].append(_credit_summary(allocation, credit))
        self.settle(INVOICE, invoice, "AmountCredited", amount, allocation[INVOICE_SETTLED_BASE])
        credit["Allocations"].append(_allocation_summary(allocation, invoice))
        self.settle(CREDIT_NOTE, credit, "AmountCredited", amount, allocation[CREDIT_SETTLED_BASE])
        self.post_journal(
            source_type=credit["Type"],
            source_id=allocation["AllocationID"],
            journal_date=when,
            currency=self.base_currency,
            lines=allocation_lines(
                invoice["Type"],
                credit["CurrencyCode"],
                amount,
                allocation[INVOICE_SETTLED_BASE],
                allocation[CREDIT_SETTLED_BASE],
                self.system_account,
            ),
            reference=credit.get("CreditNoteNumber"),
        )
        return allocation

    def delete_allocation(self, credit_note_id: str, allocation_id: str) -> dict:
        """Undo an allocation: both documents get their balances (and an AUTHORISED status) back.

        Deleting an allocation that is already deleted answers it again and changes nothing.
        """
        allocation = self._get("Allocations", allocation_id)
        if allocation is None or allocation["CreditNote"]["CreditNoteID"] != credit_note_id:
            raise NotFound()
        if allocation["IsDeleted"]:
            return allocation
        locked = self.lock_date_errors(allocation["Date"])
        if locked:
            raise fail(*locked)
        allocation["IsDeleted"] = True
        allocation["UpdatedDateUTC"] = self.now()
        self._save("Allocations", allocation_id, allocation)
        amount: Decimal = allocation["Amount"]

        invoice = self.document(INVOICE, allocation["Invoice"]["InvoiceID"])
        invoice["CreditNotes"] = [c for c in invoice["CreditNotes"] if c.get("AllocationID") != allocation_id]
        self.settle(INVOICE, invoice, "AmountCredited", -amount, -allocation.get(INVOICE_SETTLED_BASE, amount))
        credit = self.document(CREDIT_NOTE, credit_note_id)
        credit["Allocations"] = [a for a in credit["Allocations"] if a["AllocationID"] != allocation_id]
        self.settle(CREDIT_NOTE, credit, "AmountCredited", -amount, -allocation.get(CREDIT_SETTLED_BASE, amount))
        self.reverse_journals(allocation_id, allocation["Date"])
        return allocation

    def _allocation_invoice(self, reference: dict) -> dict:
        if reference.get("InvoiceID"):
            invoice = self._get("Invoices", reference["InvoiceID"])
        elif reference.get("InvoiceNumber"):
            invoice = self.document_by_number(INVOICE, reference["InvoiceNumber"])
        else:
            raise fail(NO_INVOICE)
        if invoice is None:
            raise fail(UNKNOWN_INVOICE)
        return invoice


def _credit_summary(allocation: dict, credit: dict) -> dict:
    """How an invoice lists a credit note applied to it (AllocationID ties it to its allocation)."""
    summary = {
        "CreditNoteID": credit["CreditNoteID"],
        "AppliedAmount": allocation["Amount"],
        "Date": allocation["Date"],
        "Total": credit["Total"],
        "AllocationID": allocation["AllocationID"],
    }
    if credit.get("CreditNoteNumber"):
        summary["CreditNoteNumber"] = credit["CreditNoteNumber"]
    return summary


def _allocation_summary(allocation: dict, invoice: dict) -> dict:
    """How a credit note lists where its credit went."""
    target = {"InvoiceID": invoice["InvoiceID"]}
    if invoice.get("InvoiceNumber"):
        target["InvoiceNumber"] = invoice["InvoiceNumber"]
    return {
        "AllocationID": allocation["AllocationID"],
        "Amount": allocation["Amount"],
        "Date": allocation["Date"],
        "Invoice": target,
    }
