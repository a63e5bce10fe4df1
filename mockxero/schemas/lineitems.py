"""The LineItem wire shape: one schema for every document with lines, plus the discount fields that only
invoices and credit notes carry."""

from __future__ import annotations

from marshmallow import fields

from .base import XeroSchema
from .common import nested_list
from .fields import Guid, Money, Text


class TrackingSchema(XeroSchema):
    """A tracking category option on a line (or on either side of a bank transfer)."""

    TrackingCategoryID = Guid(allow_none=True)
    TrackingOptionID = Guid(allow_none=True)
    Name = Text()
    Option = Text()


class LineItemItemSchema(XeroSchema):
    """The item a line was priced from, as Xero echoes it."""

    ItemID = Guid(allow_none=True)
    Code = Text()
    Name = Text()


class LineItemSchema(XeroSchema):
    """A line of a bank transaction; invoices and credit notes add discounts below."""

    LineItemID = Guid(allow_none=True)
    Description = Text()
    Quantity = Money(allow_none=True)
    UnitAmount = Money(allow_none=True)
    ItemCode = Text()
    Item = fields.Nested(LineItemItemSchema, dump_only=True)
    AccountCode = Text()
    AccountID = Guid(allow_none=True)
    TaxType = Text()
    TaxAmount = Money(allow_none=True)
    LineAmount = Money(allow_none=True)
    Tracking = nested_list(TrackingSchema)


class DiscountedLineItemSchema(LineItemSchema):
    """A line of an invoice or credit note: discounts are a sales-document feature."""

    DiscountRate = Money(allow_none=True)
    DiscountAmount = Money(allow_none=True)
