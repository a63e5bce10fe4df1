"""The LineItem wire shape shared by documents with lines (bank transactions; invoices may reuse it)."""
from __future__ import annotations

from .base import XeroSchema
from .common import nested_list
from .fields import Guid, Money, Text


class LineItemTrackingSchema(XeroSchema):
    TrackingCategoryID = Guid(allow_none=True)
    TrackingOptionID = Guid(allow_none=True)
    Name = Text()
    Option = Text()


class LineItemSchema(XeroSchema):
    LineItemID = Guid(allow_none=True)
    Description = Text()
    Quantity = Money(allow_none=True)
    UnitAmount = Money(allow_none=True)
    ItemCode = Text()
    AccountCode = Text()
    AccountID = Guid(allow_none=True)
    TaxType = Text()
    TaxAmount = Money(allow_none=True)
    LineAmount = Money(allow_none=True)
    Tracking = nested_list(LineItemTrackingSchema)
