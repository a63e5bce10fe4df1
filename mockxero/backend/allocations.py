"""Allocations: applying a credit (a credit note, an overpayment or a prepayment) to an invoice of the same
contact.

An allocation moves no cash and usually posts no journal (both sides sit in the same control account); it
moves the two documents' balances: the invoice's AmountCredited/AmountDue and the credit's RemainingCredit,
each of which turns PAID when it reaches zero. Allocations live in their own table and are summarised on
both documents (``Invoice.CreditNotes[]`` / ``Overpayments[]`` / ``Prepayments[]`` and the credit's
``Allocations[]``).

Between foreign-currency documents each side clears the amount at its own rate; when the two base amounts
differ the allocation posts a journal of its own (SourceType the credit's, SourceID the allocation's):
the difference on the control account against realised currency gains. Deleting it reverses that journal.
A prepayment holds its credit on its own lines, not on the control account, so its allocation posts the
part of those lines it uses against the control account (``backend/overpayments.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import money
from ..exceptions import NotFound
from ..money import round_money
from ..posting import (
    CREDIT_SETTLED_BASE,
    CREDIT_SOURCE,
    DOCUMENT_CONTROL,
    INVOICE_SETTLED_BASE,
    PREPAYMENT_TYPES,
    Line,
    allocation_lines,
)
from ..statuses import DocumentStatus
from .base import fail
from .documents import CREDIT_NOTE, DATE_REQUIRED, INVOICE, DocumentKind, DocumentsBackend

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


@dataclass(frozen=True)
class CreditKind:
    """What makes the allocation rules speak of credit notes, overpayments or prepayments."""

    document: DocumentKind
    ref_field: str  # how an allocation (and a payment) names the credit: "CreditNote", "Overpayment", ...
    applied_list: str  # the invoice's list of credits applied to it: "CreditNotes", "Overpayments", ...
    invoice_type: dict[str, str]  # the credit's Type -> the invoice Type it may pay down
    over_allocated: str
    wrong_invoice_type: str
    not_allocatable: str
    other_contact: str
    other_currency: str


CREDIT_NOTE_CREDIT = CreditKind(
    CREDIT_NOTE,
    "CreditNote",
    "CreditNotes",
    _INVOICE_TYPE_FOR,
    OVER_ALLOCATED,
    WRONG_INVOICE_TYPE,
    NOT_ALLOCATABLE,
    OTHER_CONTACT,
    OTHER_CURRENCY,
)


class AllocationsBackend(DocumentsBackend):
    def allocate_credit_note(self, credit_note_id: str, values: dict) -> dict:
        """Apply part of an authorised credit note to an authorised invoice."""
        return self.allocate_credit(CREDIT_NOTE_CREDIT, credit_note_id, values)

    def allocate_credit(self, credit_kind: CreditKind, credit_id: str, values: dict) -> dict:
        """Apply part of an authorised credit of ``credit_kind`` to an authorised invoice."""
        kind = credit_kind.document
        credit = self.document(kind, credit_id)
        if credit["Status"] not in (DocumentStatus.AUTHORISED, DocumentStatus.PAID):
            raise fail(credit_kind.not_allocatable)
        invoice = self._allocation_invoice(values.get("Invoice") or {})
        if invoice["Status"] == DocumentStatus.PAID:
            raise fail(ALREADY_PAID)
        if invoice["Status"] != DocumentStatus.AUTHORISED:
            raise fail(credit_kind.not_allocatable)
        if invoice["Type"] != credit_kind.invoice_type[credit["Type"]]:
            raise fail(credit_kind.wrong_invoice_type)

        errors = []
        if invoice["Contact"]["ContactID"] != credit["Contact"]["ContactID"]:
            errors.append(credit_kind.other_contact)
        if invoice["CurrencyCode"] != credit["CurrencyCode"]:
            errors.append(credit_kind.other_currency)
        amount_error = money.settlement_amount_error(
            values.get("Amount"),
            min(credit["RemainingCredit"], invoice["AmountDue"]),
            not_positive=NOT_POSITIVE,
            too_much=credit_kind.over_allocated,
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
            credit_kind.ref_field: {kind.id_field: credit[kind.id_field]},
            "IsDeleted": False,
            "UpdatedDateUTC": self.now(),
        }
        # Each document gives up what the amount is worth at its own rate (or, when it is used up, all its
        # base amount left); between foreign documents the two may differ, and the difference is realised.
        allocation[INVOICE_SETTLED_BASE] = self.settlement_base(invoice, amount)
        allocation[CREDIT_SETTLED_BASE] = self.settlement_base(credit, amount)
        # Worked out before the credit's balance moves: a prepayment's share of its lines depends on it.
        source_type, lines = self.allocation_journal(credit_kind, credit, invoice, allocation)
        self._save("Allocations", allocation["AllocationID"], allocation)
        invoice[credit_kind.applied_list].append(_credit_summary(allocation, credit, kind))
        self.settle(INVOICE, invoice, "AmountCredited", amount, allocation[INVOICE_SETTLED_BASE])
        credit["Allocations"].append(_allocation_summary(allocation, invoice))
        self.settle(kind, credit, "AmountCredited", amount, allocation[CREDIT_SETTLED_BASE])
        self.post_journal(
            source_type=source_type,
            source_id=allocation["AllocationID"],
            journal_date=when,
            currency=self.base_currency,
            lines=lines,
            reference=credit.get(kind.number_field),
        )
        return allocation

    def allocation_journal(
        self, credit_kind: CreditKind, credit: dict, invoice: dict, allocation: dict
    ) -> tuple[str, list[Line]]:
        """The SourceType and lines of an allocation's journal (the credit's SourceType): between two
        documents on the same control account only a currency difference, if any; a prepayment moves the
        part of its lines it uses onto the control account."""
        source_type = CREDIT_SOURCE.get(credit["Type"], credit["Type"])
        if credit["Type"] in PREPAYMENT_TYPES:
            control = self.system_account(DOCUMENT_CONTROL[invoice["Type"]].system_account)
            return source_type, self.prepayment_use_lines(credit, allocation["Amount"], control, "Prepayment allocated")
        return source_type, allocation_lines(
            invoice["Type"],
            credit["CurrencyCode"],
            allocation["Amount"],
            allocation[INVOICE_SETTLED_BASE],
            allocation[CREDIT_SETTLED_BASE],
            self.system_account,
        )

    def delete_allocation(self, credit_note_id: str, allocation_id: str) -> dict:
        """Undo a credit note's allocation (``delete_credit_allocation`` for any credit)."""
        return self.delete_credit_allocation(CREDIT_NOTE_CREDIT, credit_note_id, allocation_id)

    def delete_credit_allocation(self, credit_kind: CreditKind, credit_id: str, allocation_id: str) -> dict:
        """Undo an allocation: both documents get their balances (and an AUTHORISED status) back.

        Deleting an allocation that is already deleted answers it again and changes nothing.
        """
        kind = credit_kind.document
        allocation = self._get("Allocations", allocation_id)
        if allocation is None or (allocation.get(credit_kind.ref_field) or {}).get(kind.id_field) != credit_id:
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
        applied = invoice[credit_kind.applied_list]
        invoice[credit_kind.applied_list] = [c for c in applied if c.get("AllocationID") != allocation_id]
        self.settle(INVOICE, invoice, "AmountCredited", -amount, -allocation.get(INVOICE_SETTLED_BASE, amount))
        credit = self.document(kind, credit_id)
        credit["Allocations"] = [a for a in credit["Allocations"] if a["AllocationID"] != allocation_id]
        self.settle(kind, credit, "AmountCredited", -amount, -allocation.get(CREDIT_SETTLED_BASE, amount))
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


def _credit_summary(allocation: dict, credit: dict, kind: DocumentKind) -> dict:
    """How an invoice lists a credit applied to it (AllocationID ties it to its allocation)."""
    summary = {
        kind.id_field: credit[kind.id_field],
        "AppliedAmount": allocation["Amount"],
        "Date": allocation["Date"],
        "Total": credit["Total"],
        "AllocationID": allocation["AllocationID"],
    }
    if credit.get(kind.number_field):
        summary[kind.number_field] = credit[kind.number_field]
    return summary


def _allocation_summary(allocation: dict, invoice: dict) -> dict:
    """How a credit lists where it went."""
    target = {"InvoiceID": invoice["InvoiceID"]}
    if invoice.get("InvoiceNumber"):
        target["InvoiceNumber"] = invoice["InvoiceNumber"]
    return {
        "AllocationID": allocation["AllocationID"],
        "Amount": allocation["Amount"],
        "Date": allocation["Date"],
        "Invoice": target,
    }
