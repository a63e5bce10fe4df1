"""The Item wire shape, with its sales and purchase details."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, post_dump

from ..money import round_money
from .base import XeroSchema
from .fields import Flag, Guid, Money, Text, XeroDateTime


class ItemDetailsSchema(XeroSchema):
    """The spec's ``Purchase`` object, used for both SalesDetails and PurchaseDetails."""

    UnitPrice = Money(allow_none=True)
    AccountCode = Text()
    COGSAccountCode = Text()
    TaxType = Text()


class ItemSchema(XeroSchema):
    """``unit_places`` is 2, or 4 for requests with ``unitdp=4``: Xero shows UnitPrice to that many places."""

    ItemID = Guid(allow_none=True)
    Code = Text()
    Description = Text()
    PurchaseDescription = Text()
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    PurchaseDetails = fields.Nested(ItemDetailsSchema, allow_none=True)
    SalesDetails = fields.Nested(ItemDetailsSchema, allow_none=True)
    Name = Text()
    IsTrackedAsInventory = Flag(dump_only=True)
    InventoryAssetAccountCode = Text()
    TotalCostPool = Money(dump_only=True)
    QuantityOnHand = Money(dump_only=True)
    IsSold = Flag()
    IsPurchased = Flag()

    def __init__(self, *args: Any, unit_places: int = 2, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit_places = unit_places

    @post_dump
    def _unit_price_places(self, data: dict, **kwargs: Any) -> dict:
        for details in ("SalesDetails", "PurchaseDetails"):
            price = (data.get(details) or {}).get("UnitPrice")
            if price is not None:
                data[details]["UnitPrice"] = round_money(price, self.unit_places)
        return data
