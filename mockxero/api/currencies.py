"""/Currencies"""
from __future__ import annotations

from flask import Blueprint

from ..protocol import envelope, load_body, operation
from ..schemas.currencies import CurrencySchema

bp = Blueprint("currencies", __name__)
SCOPE = "accounting.settings"
schema = CurrencySchema()


@bp.get("/Currencies")
@operation(SCOPE)
def list_currencies(backend):
    return envelope("Currencies", [schema.dump(c) for c in backend.list_currencies()])


@bp.put("/Currencies")
@operation(SCOPE)
def add_currency(backend):
    # The spec's body is one bare Currency; a wrapped {"Currencies": [...]} is read the same way.
    _, elements = load_body(schema, "Currencies")
    return envelope("Currencies", [schema.dump(backend.add_currency(values)) for values in elements])
