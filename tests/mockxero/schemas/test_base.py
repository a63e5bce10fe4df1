"""XeroSchema's load reads only the fields an element carries (``partial=True``), which must change no outcome."""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError
from marshmallow.utils import missing

import mockxero.schemas
from mockxero.schemas.base import XeroSchema
from mockxero.schemas.invoices import InvoiceSchema


def every_schema() -> list[type[XeroSchema]]:
    for module in pkgutil.iter_modules(mockxero.schemas.__path__):
        importlib.import_module(f"mockxero.schemas.{module.name}")
    found, pending = [], [XeroSchema]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def test_no_schema_has_a_required_field_or_a_default_so_skipping_absent_fields_changes_nothing():
    schemas = every_schema()
    assert len(schemas) > 20  # every resource's schema was found
    offending = [
        f"{schema.__name__}.{name}"
        for schema in schemas
        for name, field in schema().load_fields.items()
        if field.required or field.load_default is not missing
    ]
    assert offending == []  # a required field or a default needs XeroSchema.load to stop passing partial=True


INVOICE = {
    "Type": "ACCREC",
    "Contact": {"ContactID": "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"},
    "Date": "2026-01-15",
    "LineItems": [{"Description": "Service", "Quantity": 2, "UnitAmount": Decimal("50.00"), "AccountCode": "200"}],
    "JunkKey": "ignored as Xero ignores it",
}


def test_a_load_reads_the_same_values_as_a_load_visiting_every_field():
    schema = InvoiceSchema()
    assert schema.load(INVOICE) == Schema.load(schema, INVOICE, partial=False)
    assert schema.load(INVOICE)["LineItems"][0] == {
        "Description": "Service",
        "Quantity": Decimal("2"),
        "UnitAmount": Decimal("50.00"),
        "AccountCode": "200",
    }


def test_a_bad_value_in_a_nested_object_is_still_refused_naming_its_field():
    bad = {**INVOICE, "LineItems": [{"Quantity": "two"}], "Contact": {"ContactID": "not-a-guid"}}
    with pytest.raises(ValidationError) as refused:
        InvoiceSchema().load(bad)
    assert set(refused.value.messages) == {"LineItems", "Contact"}
    assert "Quantity" in refused.value.messages["LineItems"][0]
