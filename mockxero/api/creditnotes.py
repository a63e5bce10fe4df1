"""/CreditNotes (allocations of a credit note are in ``allocations.py``)."""

from __future__ import annotations

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, operation, unit_places
from ..query import BY_KEY, Listing, Lookup, guid_value
from ..schemas.creditnotes import CreditNoteSchema
from .documents import CONTACT_EXTRAS, listed, present_document, shown_contact

bp = Blueprint("creditnotes", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape("CreditNotes", "CreditNoteID", "HasErrors")
schema = CreditNoteSchema()
LISTING = Listing(
    "CreditNotes",
    schema,
    kind="CreditNotes",
    paged=True,
    extras=CONTACT_EXTRAS,
    lookups=(Lookup("IDs", "CreditNoteID", BY_KEY, guid_value),),
    present=shown_contact,
    presented=("Contact",),
)


def dump(backend, record: dict) -> dict:
    return schema.dump(present_document(backend, record))


@bp.get("/CreditNotes")
@operation(SCOPE)
def list_credit_notes(backend):
    return listed(backend, LISTING, lambda record: dump(backend, record))


@bp.get("/CreditNotes/<identifier>")
@operation(SCOPE)
def get_credit_note(backend, identifier: str):
    return envelope("CreditNotes", [dump(backend, backend.credit_note_by_id_or_number(identifier))])


@bp.put("/CreditNotes")
@operation(SCOPE)
def create_credit_notes(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.create_credit_note(values, unit_places=places),
        lambda record: dump(backend, record),
    )


@bp.post("/CreditNotes")
@operation(SCOPE)
def save_credit_notes(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_credit_note(values, unit_places=places),
        lambda record: dump(backend, record),
    )


@bp.post("/CreditNotes/<identifier>")
@operation(SCOPE)
def update_credit_note(backend, identifier: str):
    credit_note_id = backend.credit_note_by_id_or_number(identifier)["CreditNoteID"]
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_credit_note(values, path_id=credit_note_id, unit_places=places),
        lambda record: dump(backend, record),
    )
