"""/Items"""

from __future__ import annotations

from flask import Blueprint, Response

from ..protocol import BatchShape, batch_write, envelope, list_response, operation, unit_places
from ..query import Listing
from ..schemas.items import ItemSchema

bp = Blueprint("items", __name__)
SCOPE = "accounting.settings"
SHAPE = BatchShape("Items", "ItemID", "HasValidationErrors", required=(("Code", ""),))
LISTING = Listing("Items", ItemSchema(), kind="Items")


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
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.create_item(values, unit_places=places),
        schema.dump,
    )


@bp.post("/Items")
@operation(SCOPE)
def save_items(backend):
    schema, places = item_schema(), unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_item(values, unit_places=places),
        schema.dump,
    )


@bp.post("/Items/<reference>")
@operation(SCOPE)
def update_item(backend, reference: str):
    schema, places = item_schema(), unit_places()
    backend.item_by_id_or_code(reference)  # 404 before reading the body
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_item(values, path_item=reference, unit_places=places),
        schema.dump,
    )


@bp.delete("/Items/<reference>")
@operation(SCOPE)
def delete_item(backend, reference: str):
    backend.delete_item(reference)
    return Response(status=204)
