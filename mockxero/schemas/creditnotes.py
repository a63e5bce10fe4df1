"""The CreditNote wire shape (ACCRECCREDIT and ACCPAYCREDIT)."""

from __future__ import annotations

from marshmallow import fields

from .base import XeroSchema
from .common import nested_list
from .documents import (
    DOCUMENT_STATUSES,
    AllocationSummarySchema,
    InvoiceRefSchema,
    LineAmountTypesField,
    PaymentSummarySchema,
    contact_field,
)
from .fields import Choice, Flag, Guid, IsoDateString, Money, Text, XeroDate, XeroDateTime
from .lineitems import DiscountedLineItemSchema

CREDIT_NOTE_TYPES = ("ACCPAYCREDIT", "ACCRECCREDIT")


class InlineAllocationSchema(XeroSchema):
    """An allocation sent inside a credit note: ``{"Invoice": {"InvoiceID": ...}, "Amount", "Date"}``."""

    Invoice = fields.Nested(InvoiceRefSchema, allow_none=True)
    Amount = Money(allow_none=True)
    Date = XeroDate(allow_none=True)


class CreditNoteSchema(XeroSchema):
    CreditNoteID = Guid(allow_none=True)
    CreditNoteNumber = Text()
    ID = Guid(attribute="CreditNoteID", dump_only=True)
    Payments = fields.List(fields.Nested(PaymentSummarySchema), dump_only=True)
    CurrencyRate = Money(allow_none=True)
    Type = Choice(CREDIT_NOTE_TYPES, "CreditNoteType")
    Reference = Text()
    RemainingCredit = Money(dump_only=True)
    Allocations = fields.Method("_dump_allocations", "_load_allocations", allow_none=True)
    HasAttachments = Flag(dump_only=True)
    HasErrors = Flag(dump_only=True)
    SentToContact = Flag()
    IsDiscounted = Flag(dump_only=True)
    Contact = contact_field()
    DateString = IsoDateString(attribute="Date", dump_only=True)
    Date = XeroDate(allow_none=True)
    DueDateString = IsoDateString(attribute="DueDate", dump_only=True)
    DueDate = XeroDate(allow_none=True)
    BrandingThemeID = Guid(allow_none=True)
    Status = Choice(DOCUMENT_STATUSES, "CreditNoteStatus")
    LineAmountTypes = LineAmountTypesField()
    LineItems = nested_list(DiscountedLineItemSchema)
    SubTotal = Money(dump_only=True)
    TotalTax = Money(dump_only=True)
    Total = Money(dump_only=True)
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    CurrencyCode = Text()
    FullyPaidOnDate = XeroDate(dump_only=True)

    _inline = InlineAllocationSchema(many=True)
    _summary = AllocationSummarySchema(many=True)

    def _dump_allocations(self, record: dict) -> list[dict]:
        # a refused element echoes what it was sent, and ``"Allocations": null`` reads as None
        return self._summary.dump(record.get("Allocations") or [])

    def _load_allocations(self, value):
        return self._inline.load(value)
