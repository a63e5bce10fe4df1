"""/TaxRates"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import (
    BatchShape,
    batch_response,
    envelope,
    list_response,
    load_body,
    operation,
    run_batch,
    schema_echo,
)
from ..query import Listing
from ..schemas.taxrates import TaxRateSchema

bp = Blueprint("taxrates", __name__)
SCOPE = "accounting.settings"
SHAPE = BatchShape("TaxRates", None, "HasValidationErrors")
schema = TaxRateSchema()
# GET /TaxRates takes where and order only (no If-Modified-Since, no paging).
LISTING = Listing("TaxRates", schema, kind="TaxRates", modified_field=None)
ECHO = schema_echo(schema)


@bp.get("/TaxRates")
@operation(SCOPE)
def list_tax_rates(backend):
    return list_response(backend, LISTING)


@bp.get("/TaxRates/<tax_type>")
@operation(SCOPE)
def get_tax_rate(backend, tax_type: str):
    return envelope("TaxRates", [schema.dump(backend.tax_rate_by_type(tax_type))])


@bp.put("/TaxRates")
@operation(SCOPE)
def create_tax_rates(backend):
    raw, elements = load_body(schema, "TaxRates")
    return batch_response(SHAPE, run_batch(backend, elements, raw, backend.create_tax_rate), schema.dump, ECHO)


@bp.post("/TaxRates")
@operation(SCOPE)
def save_tax_rates(backend):
    raw, elements = load_body(schema, "TaxRates")
    return batch_response(SHAPE, run_batch(backend, elements, raw, backend.save_tax_rate), schema.dump, ECHO)
