"""/CreditNotes/{CreditNoteID}/Allocations"""

from __future__ import annotations

from flask import Blueprint

from ..http import json_response
from ..protocol import BatchShape, batch_write, operation
from ..schemas.allocations import AllocationSchema
from .documents import present_allocation

bp = Blueprint("allocations", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape("Allocations", "AllocationID", "HasValidationErrors")
schema = AllocationSchema()


def dump(backend, allocation: dict) -> dict:
    return schema.dump(present_allocation(backend, allocation))


@bp.put("/CreditNotes/<uuid:credit_note_id>/Allocations")
@operation(SCOPE)
def allocate(backend, credit_note_id):
    credit_note_id = str(credit_note_id)
    backend.credit_note(credit_note_id)  # 404 before reading the body
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.allocate_credit_note(credit_note_id, values),
        lambda allocation: dump(backend, allocation),
    )


@bp.delete("/CreditNotes/<uuid:credit_note_id>/Allocations/<uuid:allocation_id>")
@operation(SCOPE)
def delete_allocation(backend, credit_note_id, allocation_id):
    # Xero answers a deleted allocation as a bare Allocation object (the SDK reads it as one).
    allocation = backend.delete_allocation(str(credit_note_id), str(allocation_id))
    return json_response(dump(backend, allocation))
