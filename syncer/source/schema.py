"""The billing source file format, version 1, as marshmallow schemas that build the model's records.

Field names are the model's (snake_case). Amounts are quoted strings in YAML (``"19.99"``) or exact
numbers in JSON (read as Decimal): a YAML ``19.99`` is a binary float by the time a loader sees it, so it
is refused rather than rounded into money. Dates are ``YYYY-MM-DD``; times ISO 8601 with an offset.
contracts/billing-source.schema.json states the same format as JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from syncer.source import model

ID = fields.String(required=True, validate=validate.Length(min=1, max=255))

# A plain decimal: no exponent, no spaces, no leading "+" or bare "." (the JSON Schema states the same).
AMOUNT = re.compile(r"-?\d+(\.\d+)?")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Money(fields.Field):
    """An exact amount: a string such as ``"19.99"``, an integer, or a JSON number read as Decimal."""

    default_error_messages = {
        "float": 'write amounts as quoted strings ("{value}"): a bare decimal in YAML is a binary float',
        "invalid": 'is not an amount (a plain decimal such as "19.99" or "-5"): {value!r}',
        "places": "has more than 4 decimal places: {value}",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid", value=value)
        if isinstance(value, float):
            raise self.make_error("float", value=value)
        if isinstance(value, int | Decimal):
            amount = Decimal(value)
        elif isinstance(value, str):
            if not AMOUNT.fullmatch(value):
                raise self.make_error("invalid", value=value)
            try:
                amount = Decimal(value)
            except InvalidOperation:  # the pattern admits only what Decimal reads; kept as a guard
                raise self.make_error("invalid", value=value) from None
        else:
            raise self.make_error("invalid", value=value)
        if not amount.is_finite():
            raise self.make_error("invalid", value=value)
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -4:
            raise self.make_error("places", value=value)
        return amount


class Day(fields.Field):
    """``YYYY-MM-DD``, from a string (the YAML loader keeps timestamps as strings) or a ``date``."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> date:
        if isinstance(value, datetime):
            raise ValidationError("is a date and time; give the date alone (YYYY-MM-DD)")
        if isinstance(value, date):
            return value
        if isinstance(value, str) and DAY.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, str):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                raise ValidationError("is a date and time; give the date alone (YYYY-MM-DD)")
        raise ValidationError(f"is not a date (YYYY-MM-DD): {value!r}")


class Moment(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        moment = value if isinstance(value, datetime) else None
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None:
            raise ValidationError(f"is not a time with an offset (ISO 8601, e.g. 2024-01-31T10:00:00Z): {value!r}")
        return moment


class Record(Schema):
    class Meta:
        unknown = RAISE

    record_type: type = object

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Any:
        return self.record_type(**data)


class PeriodSchema(Record):
    record_type = model.Period
    start = Day(required=True)
    end = Day(required=True)

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["start"] > data["end"]:
            raise ValidationError(f"starts {data['start']} after it ends {data['end']}", "end")


class AddressSchema(Record):
    record_type = model.Address
    line1 = fields.String(allow_none=True)
    line2 = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


CURRENCY = validate.Regexp(r"^[A-Z]{3}$", error="is not an ISO 4217 currency code (three capitals, e.g. NZD)")


class CustomerSchema(Record):
    record_type = model.Customer
    id = ID
    name = fields.String(required=True)
    email = fields.Email(allow_none=True)
    currency = fields.String(allow_none=True, validate=CURRENCY)
    address = fields.Nested(AddressSchema, allow_none=True)
    custom_fields = fields.Dict(keys=fields.String())
    deleted = fields.Boolean()
    updated_at = Moment(allow_none=True)


class InvoiceLineSchema(Record):
    record_type = model.InvoiceLine
    id = ID
    type = fields.Enum(model.LineItemType, required=True)
    description = fields.String(required=True)
    quantity = Money(required=True)
    unit_price = Money(required=True)
    subtotal = Money(required=True)
    discount = Money()
    tax_amount = Money()
    tax_code = fields.String(allow_none=True)
    product_id = fields.String(allow_none=True)
    accounting_product_id = fields.String(allow_none=True)
    aggregation_id = fields.String(allow_none=True)
    pricing_band = fields.String(allow_none=True)
    service_period = fields.Nested(PeriodSchema, allow_none=True)


class InvoiceSchema(Record):
    record_type = model.Invoice
    id = ID
    customer_id = fields.String(required=True)
    number = fields.String(required=True, validate=validate.Length(min=1, max=255))
    status = fields.Enum(model.InvoiceStatus, by_value=True, required=True)
    currency = fields.String(required=True, validate=CURRENCY)
    issue_date = Day(required=True)
    due_date = Day(required=True)
    tax_mode = fields.Enum(model.TaxMode, by_value=True, required=True)
    lines = fields.List(fields.Nested(InvoiceLineSchema), required=True)
    total = Money(required=True)
    version = fields.Integer(strict=True, validate=validate.Range(min=1))
    approved = fields.Boolean()
    billing_period = fields.Nested(PeriodSchema, allow_none=True)
    updated_at = Moment(allow_none=True)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Any:
        return model.Invoice(**{**data, "lines": tuple(data["lines"])})


class PaymentSchema(Record):
    record_type = model.Payment
    id = ID
    invoice_id = fields.String(required=True)
    amount = Money(required=True)
    currency = fields.String(required=True, validate=CURRENCY)
    captured_on = Day(required=True)
    fee = Money()
    processor = fields.String(allow_none=True)
    exchange_rate = Money(allow_none=True)
    payout_id = fields.String(allow_none=True)


class CreditNoteLineSchema(Record):
    record_type = model.CreditNoteLine
    id = ID
    description = fields.String(required=True)
    quantity = Money(required=True)
    unit_price = Money(required=True)
    subtotal = Money(required=True)
    tax_amount = Money()
    tax_code = fields.String(allow_none=True)
    invoice_line_id = fields.String(allow_none=True)
    product_id = fields.String(allow_none=True)


class CreditNoteSchema(Record):
    record_type = model.CreditNote
    id = ID
    customer_id = fields.String(required=True)
    number = fields.String(required=True, validate=validate.Length(min=1, max=255))
    currency = fields.String(required=True, validate=CURRENCY)
    issue_date = Day(required=True)
    tax_mode = fields.Enum(model.TaxMode, by_value=True, required=True)
    lines = fields.List(fields.Nested(CreditNoteLineSchema), required=True)
    total = Money(required=True)
    invoice_id = fields.String(allow_none=True)
    status = fields.Enum(model.CreditNoteStatus, by_value=True)
    version = fields.Integer(strict=True, validate=validate.Range(min=1))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Any:
        return model.CreditNote(**{**data, "lines": tuple(data["lines"])})


class CreditSchema(Record):
    record_type = model.Credit
    id = ID
    customer_id = fields.String(required=True)
    amount = Money(required=True)
    currency = fields.String(required=True, validate=CURRENCY)
    granted_on = Day(required=True)
    credit_note_id = fields.String(allow_none=True)


class CreditApplicationSchema(Record):
    record_type = model.CreditApplication
    id = ID
    credit_note_id = fields.String(required=True)
    invoice_id = fields.String(required=True)
    amount = Money(required=True)
    applied_on = Day(required=True)


class RefundSchema(Record):
    record_type = model.Refund
    id = ID
    amount = Money(required=True)
    currency = fields.String(required=True, validate=CURRENCY)
    refunded_on = Day(required=True)
    credit_note_id = fields.String(allow_none=True)
    payment_id = fields.String(allow_none=True)
    payout_id = fields.String(allow_none=True)


class DisputeSchema(Record):
    record_type = model.Dispute
    id = ID
    payment_id = fields.String(required=True)
    amount = Money(required=True)
    currency = fields.String(required=True, validate=CURRENCY)
    opened_on = Day(required=True)
    outcome = fields.Enum(model.DisputeOutcome, by_value=True, required=True)
    fee = Money()
    payout_id = fields.String(allow_none=True)
    reinstated_payout_id = fields.String(allow_none=True)
    reinstated_on = Day(allow_none=True)


class PayoutSchema(Record):
    record_type = model.Payout
    id = ID
    currency = fields.String(required=True, validate=CURRENCY)
    arrival_date = Day(required=True)
    net = Money(required=True)
    payment_ids = fields.List(fields.String())
    refund_ids = fields.List(fields.String())
    dispute_ids = fields.List(fields.String())

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Any:
        lists = {name: tuple(data.get(name, ())) for name in ("payment_ids", "refund_ids", "dispute_ids")}
        return model.Payout(**{**data, **lists})


# The top-level lists, in the order records are checked and reported.
SECTIONS: dict[str, type[Record]] = {
    "customers": CustomerSchema,
    "invoices": InvoiceSchema,
    "payments": PaymentSchema,
    "payouts": PayoutSchema,
    "credit_notes": CreditNoteSchema,
    "credits": CreditSchema,
    "credit_applications": CreditApplicationSchema,
    "refunds": RefundSchema,
    "disputes": DisputeSchema,
}
