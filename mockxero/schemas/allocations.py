"""The Allocation wire shape (a credit note, overpayment or prepayment → an invoice)."""

from __future__ import annotations

from .base import XeroSchema
from .creditnotes import CreditNoteSchema
from .documents import CreditNoteRefSchema, DualNested, InvoiceRefSchema
from .fields import Flag, Guid, Money, XeroDate
from .invoices import InvoiceSchema
from .overpayments import OverpaymentRefSchema, OverpaymentSchema, PrepaymentRefSchema, PrepaymentSchema


class AllocationSchema(XeroSchema):
    AllocationID = Guid(dump_only=True)
    Amount = Money(allow_none=True)
    Date = XeroDate(allow_none=True)
    Invoice = DualNested(InvoiceRefSchema(), InvoiceSchema(), "Invoice")
    CreditNote = DualNested(CreditNoteRefSchema(), CreditNoteSchema(), "CreditNote", dump_only=True)
    Overpayment = DualNested(OverpaymentRefSchema(), OverpaymentSchema(), "Overpayment", dump_only=True)
    Prepayment = DualNested(PrepaymentRefSchema(), PrepaymentSchema(), "Prepayment", dump_only=True)
    IsDeleted = Flag(dump_only=True)
