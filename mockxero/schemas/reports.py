"""Xero's report shape: ``Reports[].Rows[]`` of Header/Section/Row/SummaryRow, each with ``Cells[]``.

The backend fills cells with Python values; this module writes them the way Xero's reports do: every
``Value`` is a string (amounts ``"1190.00"``, dates ``"2018-05-13T00:00:00"``, empty cells ``""``) and
``ReportDate`` reads ``"24 April 2019"``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import fields

from ..money import round_money
from .base import XeroSchema
from .common import nested_list
from .fields import Text, XeroDateTime


class CellValue(fields.Field):
    def _serialize(self, value: Any, attr, obj, **kwargs) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return format(round_money(value), "f")
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        if isinstance(value, date):
            return value.strftime("%Y-%m-%dT00:00:00")
        return str(value)


class LongDate(fields.Field):
    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        return None if value is None else f"{value.day} {value:%B %Y}"


class ReportAttributeSchema(XeroSchema):
    Value = Text()
    Id = Text()


class ReportCellSchema(XeroSchema):
    Value = CellValue()
    Attributes = nested_list(ReportAttributeSchema)


class ReportRowSchema(XeroSchema):
    RowType = Text()
    Title = Text()
    Cells = nested_list(ReportCellSchema)
    Rows = fields.List(fields.Nested(lambda: ReportRowSchema()))


class ReportSchema(XeroSchema):
    ReportID = Text()
    ReportName = Text()
    ReportType = Text()
    ReportTitles = fields.List(fields.String())
    ReportDate = LongDate()
    UpdatedDateUTC = XeroDateTime()
    Fields = fields.List(fields.Dict())
    Rows = nested_list(ReportRowSchema)
