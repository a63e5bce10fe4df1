"""The Invoice wire shape (ACCREC sales invoices and ACCPAY bills)."""

from __future__ import annotations

from marshmallow import fields

from .base import XeroSchema
from .common import nested_list
from .documents import (
    DOCUMENT_STATUSES,
    AppliedCreditSummarySchema,
    LineAmountTypesField,
    PaymentSummarySchema,
    contact_field,
)
from .fields import Choice, Flag, Guid, IsoDateString, Money, Text, XeroDate, XeroDateTime
from .lineitems import DiscountedLineItemSchema
from .overpayments import AppliedOverpaymentSummarySchema, AppliedPrepaymentSummarySchema

# The spec's whole enum is readable; the backend says which of them /Invoices accepts.
INVOICE_TYPES = (
    "ACCPAY",
    "ACCPAYCREDIT",
    "APOVERPAYMENT",
    "APPREPAYMENT",
    "ACCREC",
    "ACCRECCREDIT",
    "AROVERPAYMENT",
    "ARPREPAYMENT",
)


class InvoiceSchema(XeroSchema):
    Type = Choice(INVOICE_TYPES, "InvoiceType")
    InvoiceID = Guid(allow_none=True)
    InvoiceNumber = Text()
    Reference = Text()
    Payments = fields.List(fields.Nested(PaymentSummarySchema), dump_only=True)
    CreditNotes = fields.List(fields.Nested(AppliedCreditSummarySchema), dump_only=True)
    Prepayments = fields.List(fields.Nested(AppliedPrepaymentSummarySchema), dump_only=True)
    Overpayments = fields.List(fields.Nested(AppliedOverpaymentSummarySchema), dump_only=True)
    AmountDue = Money(dump_only=True)
    AmountPaid = Money(dump_only=True)
    AmountCredited = Money(dump_only=True)
    SentToContact = Flag()
    CurrencyRate = Money(allow_none=True)
    IsDiscounted = Flag(dump_only=True)
    HasAttachments = Flag(dump_only=True)
    HasErrors = Flag(dump_only=True)
    Contact = contact_field()
    DateString = IsoDateString(attribute="Date", dump_only=True)
    Date = XeroDate(allow_none=True)
    DueDateString = IsoDateString(attribute="DueDate", dump_only=True)
    DueDate = XeroDate(allow_none=True)
    ExpectedPaymentDate = XeroDate(allow_none=True)
    PlannedPaymentDate = XeroDate(allow_none=True)
    BrandingThemeID = Guid(allow_none=True)
    Url = Text()
    Status = Choice(DOCUMENT_STATUSES, "InvoiceStatus")
    LineAmountTypes = LineAmountTypesField()
    LineItems = nested_list(DiscountedLineItemSchema)
    SubTotal = Money(dump_only=True)
    TotalTax = Money(dump_only=True)
    Total = Money(dump_only=True)
    TotalDiscount = Money(dump_only=True)
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    CurrencyCode = Text()
    FullyPaidOnDate = XeroDate(dump_only=True)
