"""The Journal wire shape (``GET /Journals``)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, pre_dump

from .base import XeroSchema
from .common import nested_list
from .fields import Guid, Money, Text, WholeNumber, XeroDate, XeroDateTime


class JournalLineSchema(XeroSchema):
    JournalLineID = Guid()
    AccountID = Guid()
    AccountCode = Text()
    AccountType = Text()
    AccountName = Text()
    Description = Text()
    NetAmount = Money()
    GrossAmount = Money()
    TaxAmount = Money()
    TaxType = Text()
    TaxName = Text()
    TrackingCategories = fields.List(fields.Dict())

    @pre_dump
    def _no_tracking(self, record: dict, **kwargs: Any) -> dict:
        return {"TrackingCategories": [], **record}  # tracking categories are not emulated


class JournalSchema(XeroSchema):
    JournalID = Guid()
    JournalDate = XeroDate()
    JournalNumber = WholeNumber()
    CreatedDateUTC = XeroDateTime()
    Reference = Text()
    SourceID = Guid()
    SourceType = Text()
    JournalLines = nested_list(JournalLineSchema)
