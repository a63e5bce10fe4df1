"""The Overpayment and Prepayment wire shapes (created through bank transactions, read-only here)."""

from __future__ import annotations

from marshmallow import fields

from ..posting import OVERPAYMENT_TYPES, PREPAYMENT_TYPES
from .base import XeroSchema
from .contacts import ContactSummarySchema
from .documents import AllocationSummarySchema, PaymentSummarySchema
from .fields import Choice, Flag, Guid, IsoDateString, Money, Text, XeroDate, XeroDateTime
from .lineitems import LineItemSchema

# Xero's spec also lists AROVERPAYMENT / ARPREPAYMENT / APPREPAYMENT; the mock creates the four bank forms.
OVERPAYMENT_TYPE_NAMES = (*OVERPAYMENT_TYPES, "AROVERPAYMENT")
PREPAYMENT_TYPE_NAMES = (*PREPAYMENT_TYPES, "ARPREPAYMENT", "APPREPAYMENT")
CREDIT_STATUSES = ("AUTHORISED", "PAID", "VOIDED")
LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


class _CreditSchema(XeroSchema):
    """What the two share: every field is Xero's to set (they are created as bank transactions)."""

    Contact = fields.Nested(ContactSummarySchema, dump_only=True)
    Date = XeroDate(dump_only=True)
    DateString = IsoDateString(attribute="Date", dump_only=True)
    Status = Choice(CREDIT_STATUSES, "Status", dump_only=True)
    LineAmountTypes = Choice(LINE_AMOUNT_TYPES, "LineAmountTypes", dump_only=True)
    LineItems = fields.List(fields.Nested(LineItemSchema), dump_only=True)
    SubTotal = Money(dump_only=True)
    TotalTax = Money(dump_only=True)
    Total = Money(dump_only=True)
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    CurrencyCode = Text(dump_only=True)
    CurrencyRate = Money(dump_only=True)
    RemainingCredit = Money(dump_only=True)
    Allocations = fields.List(fields.Nested(AllocationSummarySchema), dump_only=True)
    Payments = fields.List(fields.Nested(PaymentSummarySchema), dump_only=True)
    HasAttachments = Flag(dump_only=True)
    Reference = Text(dump_only=True)


class OverpaymentSchema(_CreditSchema):
    OverpaymentID = Guid(dump_only=True)
    ID = Guid(attribute="OverpaymentID", dump_only=True)
    Type = Choice(OVERPAYMENT_TYPE_NAMES, "OverpaymentType", dump_only=True)


class PrepaymentSchema(_CreditSchema):
    PrepaymentID = Guid(dump_only=True)
    ID = Guid(attribute="PrepaymentID", dump_only=True)
    Type = Choice(PREPAYMENT_TYPE_NAMES, "PrepaymentType", dump_only=True)
    InvoiceNumber = Text(dump_only=True)


class OverpaymentRefSchema(XeroSchema):
    """How a payment or allocation names an overpayment."""

    OverpaymentID = Guid(allow_none=True)


class PrepaymentRefSchema(XeroSchema):
    PrepaymentID = Guid(allow_none=True)


class AppliedOverpaymentSummarySchema(XeroSchema):
    """An overpayment as an invoice it was allocated to lists it."""

    OverpaymentID = Guid()
    ID = Guid(attribute="OverpaymentID", dump_only=True)
    AppliedAmount = Money()
    Date = XeroDate()
    Total = Money()


class AppliedPrepaymentSummarySchema(XeroSchema):
    PrepaymentID = Guid()
    ID = Guid(attribute="PrepaymentID", dump_only=True)
    AppliedAmount = Money()
    Date = XeroDate()
    Total = Money()
