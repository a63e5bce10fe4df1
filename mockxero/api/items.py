"""/Items"""
from __future__ import annotations

from flask import Blueprint, Response

from ..protocol import (
    BatchShape, batch_response, envelope, list_response, load_body, operation, query_value, run_batch,
)
from ..query import Listing
from ..schemas.items import ItemSchema

bp = Blueprint("items", __name__)
SCOPE = "accounting.settings"
SHAPE = BatchShape("Items", "ItemID", "HasValidationErrors")
LISTING = Listing("Items", ItemSchema(), kind="Items")


def unit_places() -> int:
    """``unitdp=4`` keeps and shows unit prices to 4 places; anything else means Xero's default 2."""
    return 4 if (query_value("unitdp") or "").strip() == "4" else 2


def item_schema() -> ItemSchema:
    return ItemSchema(unit_places=unit_places())


@bp.get("/Items")
@operation(SCOPE)
def list_items(backend):
    return list_response(backend, LISTING, dump=item_schema().dump)


@bp.get("/Items/<reference>")
@operation(SCOPE)
def get_item(backend, reference: str):
    return envelope("Items", [item_schema().dump(backend.item_by_id_or_code(reference))])


@bp.put("/Items")
@operation(SCOPE)
def create_items(backend):
    schema, places = item_schema(), unit_places()
    raw, elements = load_body(schema, "Items")
    outcomes = run_batch(backend, elements, raw, lambda values: backend.create_item(values, unit_places=places))
    return batch_response(SHAPE, outcomes, schema.dump)


@bp.post("/Items")
@operation(SCOPE)
def save_items(backend):
    schema, places = item_schema(), unit_places()
    raw, elements = load_body(schema, "Items")
    outcomes = run_batch(backend, elements, raw, lambda values: backend.save_item(values, unit_places=places))
    return batch_response(SHAPE, outcomes, schema.dump)


@bp.post("/Items/<reference>")
@operation(SCOPE)
def update_item(backend, reference: str):
    schema, places = item_schema(), unit_places()
    backend.item_by_id_or_code(reference)  # 404 before reading the body
    raw, elements = load_body(schema, "Items")
    outcomes = run_batch(
        backend, elements, raw,
        lambda values: backend.save_item(values, path_item=reference, unit_places=places),
    )
    return batch_response(SHAPE, outcomes, schema.dump)


@bp.delete("/Items/<reference>")
@operation(SCOPE)
def delete_item(backend, reference: str):
    backend.delete_item(reference)
    return Response(status=204)
