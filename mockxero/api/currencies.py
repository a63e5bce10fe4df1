"""/Currencies"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import envelope, list_response, load_body, operation
from ..query import Listing
from ..schemas.currencies import CurrencySchema

bp = Blueprint("currencies", __name__)
SCOPE = "accounting.settings"
schema = CurrencySchema()
# GET /Currencies takes where and order only.
LISTING = Listing("Currencies", schema, kind="Currencies", modified_field=None)


@bp.get("/Currencies")
@operation(SCOPE)
def list_currencies(backend):
    return list_response(backend, LISTING)


@bp.put("/Currencies")
@operation(SCOPE)
def add_currency(backend):
    # The spec's body is one bare Currency; a wrapped {"Currencies": [...]} is read the same way.
    _, elements = load_body(schema, "Currencies")
    return envelope("Currencies", [schema.dump(backend.add_currency(values)) for values in elements])
