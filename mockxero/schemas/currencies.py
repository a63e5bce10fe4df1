"""The Currency wire shape."""

from __future__ import annotations

from ..refdata import CURRENCY_CODES
from .base import XeroSchema
from .fields import Choice, Text


class CurrencySchema(XeroSchema):
    Code = Choice(CURRENCY_CODES, "CurrencyCode")
    Description = Text()
