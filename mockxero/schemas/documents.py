"""Wire pieces invoices, credit notes, payments and allocations share: line items, the contact a document
names, and the summaries one document shows of another."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

from ..statuses import DocumentStatus, values
from .base import XeroSchema
from .contacts import ContactSchema, ContactSummarySchema
from .fields import Flag, Guid, Money, Text, XeroDate, _show

DOCUMENT_STATUSES = values(DocumentStatus)
LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


class LineAmountTypesField(fields.String):
    """``Exclusive``/``Inclusive``/``NoTax``, read without regard to case as .NET's enum reader does."""

    _canonical = {name.lower(): name for name in LINE_AMOUNT_TYPES}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if isinstance(value, str) and value.strip().lower() in self._canonical:
            return self._canonical[value.strip().lower()]
        raise ValidationError(f"Error converting value {_show(value)} to type 'LineAmountTypes'")


class DualNested(fields.Field):
    """An embedded object read with one schema and written with another (a full contact in, a summary out)."""

    def __init__(self, load_schema: Schema, dump_schema: Schema, type_name: str, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)
        self.load_schema = load_schema
        self.dump_schema = dump_schema
        self.type_name = type_name

    def _deserialize(self, value: Any, attr, data, **kwargs) -> dict:
        if not isinstance(value, dict):
            raise ValidationError(f"Error converting value {_show(value)} to type '{self.type_name}'")
        return self.load_schema.load(value)

    def _serialize(self, value: Any, attr, obj, **kwargs) -> dict | None:
        return None if value is None else self.dump_schema.dump(value)


def contact_field() -> DualNested:
    return DualNested(ContactSchema(), ContactSummarySchema(), "Contact")


class PaymentSummarySchema(XeroSchema):
    """A payment as the document it settles lists it."""

    PaymentID = Guid()
    Date = XeroDate()
    Amount = Money()
    Reference = Text()
    CurrencyRate = Money()
    HasAccount = Flag()
    HasValidationErrors = Flag()


class AppliedCreditSummarySchema(XeroSchema):
    """A credit note as an invoice it was allocated to lists it."""

    CreditNoteID = Guid()
    CreditNoteNumber = Text()
    ID = Guid(attribute="CreditNoteID", dump_only=True)
    AppliedAmount = Money()
    Date = XeroDate()
    Total = Money()


class InvoiceRefSchema(XeroSchema):
    """How a payment or allocation names an invoice."""

    InvoiceID = Guid(allow_none=True)
    InvoiceNumber = Text()


class CreditNoteRefSchema(XeroSchema):
    CreditNoteID = Guid(allow_none=True)
    CreditNoteNumber = Text()


class AllocationSummarySchema(XeroSchema):
    """An allocation as its credit note lists it."""

    AllocationID = Guid()
    Amount = Money()
    Date = XeroDate()
    Invoice = fields.Nested(InvoiceRefSchema)
