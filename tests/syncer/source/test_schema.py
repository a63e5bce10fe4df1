"""The JSON Schema in contracts/ and the marshmallow loader agree on what a well-shaped book is.

Each example is written as JSON text and given to both: the loader reads it with exact decimals, and the
schema validator sees the same parsed document. References between records and sums are the loader's alone
(the schema cannot express them), so the examples here are about shape.
"""

import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from syncer.source.files import SourceError, parse_book

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "contracts" / "billing-source.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())

GOOD = {
    "format_version": 1,
    "customers": [
        {
            "id": "cus_1",
            "name": "Acme",
            "email": "ap@acme.test",
            "currency": "NZD",
            "address": {"line1": "1 Queen St", "city": "Auckland", "country": "NZ"},
            "custom_fields": {"country": "NZ"},
            "deleted": False,
            "updated_at": "2024-01-31T10:00:00Z",
        }
    ],
    "invoices": [
        {
            "id": "inv_1",
            "customer_id": "cus_1",
            "number": "INV-1",
            "status": "paid",
            "currency": "NZD",
            "issue_date": "2024-01-31",
            "due_date": "2024-02-14",
            "tax_mode": "exclusive",
            "total": "11.50",
            "version": 2,
            "approved": True,
            "billing_period": {"start": "2024-01-01", "end": "2024-01-31"},
            "lines": [
                {
                    "id": "l1",
                    "type": "USAGE",
                    "description": "Calls",
                    "quantity": "4",
                    "unit_price": "2.50",
                    "subtotal": "10.00",
                    "tax_amount": "1.50",
                    "tax_code": "gst",
                    "pricing_band": "0-1000",
                    "service_period": {"start": "2024-01-01", "end": "2024-01-31"},
                }
            ],
        }
    ],
    "payments": [
        {
            "id": "pay_1",
            "invoice_id": "inv_1",
            "amount": "11.50",
            "fee": "0.50",
            "currency": "NZD",
            "captured_on": "2024-02-01",
            "payout_id": "po_1",
        }
    ],
    "payouts": [
        {"id": "po_1", "currency": "NZD", "arrival_date": "2024-02-03", "net": "11.00", "payment_ids": ["pay_1"]}
    ],
    "credits": [{"id": "cr_1", "customer_id": "cus_1", "amount": 5, "currency": "NZD", "granted_on": "2024-02-01"}],
}


def changed(path: str, value: object) -> dict:
    """GOOD with one value replaced (or removed, for ``...``) at a dotted path such as ``invoices.0.total``."""
    document = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node: object = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    key: int | str = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]  # type: ignore[union-attr, arg-type]
    else:
        node[key] = value  # type: ignore[index]
    return document


def loader_accepts(text: str) -> bool:
    try:
        parse_book(text, source="book.json", as_json=True)
    except SourceError:
        return False
    return True


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(json.loads(text, parse_float=Decimal))


GOOD_VARIANTS = {
    "the full example": GOOD,
    "a JSON number for money": changed("credits.0.amount", 5.25),
    "an amount with four places": changed("invoices.0.lines.0.unit_price", "2.5000"),
    "a whole-number string amount": changed("payouts.0.net", "11"),
    "an empty section as null": changed("credits", None),
    "no sections at all": {"format_version": 1},
    "a nullable field as null": changed("customers.0.email", None),
    "an open dispute": {
        **GOOD,
        "disputes": [
            {
                "id": "dp_1",
                "payment_id": "pay_1",
                "amount": "11.50",
                "currency": "NZD",
                "opened_on": "2024-02-10",
                "outcome": "open",
            }
        ],
    },
}

BAD_VARIANTS = {
    "format version 2": changed("format_version", 2),
    "format version true": changed("format_version", True),
    "no format version": changed("format_version", ...),
    "an unknown section": {**GOOD, "bills": []},
    "an unknown field": changed("customers.0.colour", "red"),
    "a missing required field": changed("invoices.0.number", ...),
    "an empty id": changed("customers.0.id", ""),
    "an unknown status": changed("invoices.0.status", "sent"),
    "an unknown line type": changed("invoices.0.lines.0.type", "SUBSCRIPTION"),
    "an unknown tax mode": changed("invoices.0.tax_mode", "gross"),
    "a lower-case currency": changed("payments.0.currency", "nzd"),
    "an amount with an exponent": changed("payments.0.amount", "1.15E+1"),
    "an amount with spaces": changed("payments.0.amount", " 11.50"),
    "an amount with five places": changed("payments.0.fee", "0.50000"),
    "a boolean amount": changed("payments.0.fee", True),
    "a word for an amount": changed("payouts.0.net", "eleven"),
    "a compact date": changed("payments.0.captured_on", "20240201"),
    "an impossible date": changed("invoices.0.due_date", "2024-02-30"),
    "a time without offset": changed("customers.0.updated_at", "2024-01-31T10:00:00"),
    "a version of zero": changed("invoices.0.version", 0),
    "a string version": changed("invoices.0.version", "2"),
    "a section that is a mapping": changed("payouts", {}),
    "a record that is a list": changed("customers.0", ["cus_1"]),
    "a null payout list": changed("payouts.0.payment_ids", None),
    "a null required reference": changed("payments.0.invoice_id", None),
    "a period without an end": changed("invoices.0.billing_period", {"start": "2024-01-01"}),
    "a not-a-mapping custom fields": changed("customers.0.custom_fields", ["country"]),
    "an email without an at sign": changed("customers.0.email", "ap.acme.test"),
}


@pytest.mark.parametrize("document", GOOD_VARIANTS.values(), ids=GOOD_VARIANTS.keys())
def test_both_accept_a_well_shaped_book(document):
    text = json.dumps(document)
    assert (loader_accepts(text), schema_accepts(text)) == (True, True)


@pytest.mark.parametrize("document", BAD_VARIANTS.values(), ids=BAD_VARIANTS.keys())
def test_both_refuse_a_badly_shaped_book(document):
    text = json.dumps(document)
    assert (loader_accepts(text), schema_accepts(text)) == (False, False)


@pytest.mark.parametrize("name", ["billing-source.example.yaml", "billing-source.two-currencies.example.yaml"])
def test_the_bundled_examples_are_valid_by_the_schema(name):
    # YAML reads unquoted dates as dates; the schema describes the JSON form, where they are strings
    document = yaml.safe_load((ROOT / "contracts" / "examples" / name).read_text(encoding="utf-8"))
    as_json = json.loads(json.dumps(document, default=lambda value: value.isoformat()), parse_float=Decimal)
    assert list(VALIDATOR.iter_errors(as_json)) == []
