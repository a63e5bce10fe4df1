"""/Overpayments and /Prepayments: read them, allocate them to invoices, take allocations back.

Both are created through ``PUT/POST /BankTransactions`` (Type ``*-OVERPAYMENT`` / ``*-PREPAYMENT``) and
refunded through ``/Payments``; the rules are in ``backend/overpayments.py`` and ``backend/allocations.py``.
"""

from __future__ import annotations

from flask import Blueprint

from ..http import json_response
from ..protocol import BatchShape, batch_write, envelope, operation
from ..query import Listing, Lookup
from ..schemas.allocations import AllocationSchema
from ..schemas.overpayments import OverpaymentSchema, PrepaymentSchema
from .documents import CONTACT_EXTRAS, listed, present_allocation, present_document, shown_contact

bp = Blueprint("overpayments", __name__)
SCOPE = "accounting.transactions"
ALLOCATIONS = BatchShape("Allocations", "AllocationID", "HasValidationErrors")
allocation_schema = AllocationSchema()
overpayment_schema = OverpaymentSchema()
prepayment_schema = PrepaymentSchema()
OVERPAYMENTS = Listing(
    "Overpayments",
    overpayment_schema,
    kind="Overpayments",
    paged=True,
    extras=CONTACT_EXTRAS,
    lookups=(Lookup("References", "Reference"),),
    present=shown_contact,
    presented=("Contact",),
)
PREPAYMENTS = Listing(
    "Prepayments",
    prepayment_schema,
    kind="Prepayments",
    paged=True,
    extras=CONTACT_EXTRAS,
    lookups=(Lookup("InvoiceNumbers", "InvoiceNumber"),),
    present=shown_contact,
    presented=("Contact",),
)


def dump_allocation(backend, allocation: dict) -> dict:
    return allocation_schema.dump(present_allocation(backend, allocation))


# The two credits are read, listed and allocated alike; each route below names which one it serves.


def _listed(backend, listing: Listing, schema):
    return listed(backend, listing, lambda record: schema.dump(present_document(backend, record)))


def _one(backend, collection: str, schema, record: dict):
    return envelope(collection, [schema.dump(present_document(backend, record))])


def _allocated(backend, credit_id: str, read, allocate):
    read(credit_id)  # a 404 for an unknown credit before the body is read
    return batch_write(
        backend,
        allocation_schema,
        ALLOCATIONS,
        lambda values: allocate(credit_id, values),
        lambda allocation: dump_allocation(backend, allocation),
    )


@bp.get("/Overpayments")
@operation(SCOPE)
def list_overpayments(backend):
    return _listed(backend, OVERPAYMENTS, overpayment_schema)


@bp.get("/Overpayments/<uuid:overpayment_id>")
@operation(SCOPE)
def get_overpayment(backend, overpayment_id):
    return _one(backend, "Overpayments", overpayment_schema, backend.overpayment(str(overpayment_id)))


@bp.put("/Overpayments/<uuid:overpayment_id>/Allocations")
@operation(SCOPE)
def allocate_overpayment(backend, overpayment_id):
    return _allocated(backend, str(overpayment_id), backend.overpayment, backend.allocate_overpayment)


@bp.delete("/Overpayments/<uuid:overpayment_id>/Allocations/<uuid:allocation_id>")
@operation(SCOPE)
def delete_overpayment_allocation(backend, overpayment_id, allocation_id):
    allocation = backend.delete_overpayment_allocation(str(overpayment_id), str(allocation_id))
    return json_response(dump_allocation(backend, allocation))


@bp.get("/Prepayments")
@operation(SCOPE)
def list_prepayments(backend):
    return _listed(backend, PREPAYMENTS, prepayment_schema)


@bp.get("/Prepayments/<uuid:prepayment_id>")
@operation(SCOPE)
def get_prepayment(backend, prepayment_id):
    return _one(backend, "Prepayments", prepayment_schema, backend.prepayment(str(prepayment_id)))


@bp.put("/Prepayments/<uuid:prepayment_id>/Allocations")
@operation(SCOPE)
def allocate_prepayment(backend, prepayment_id):
    return _allocated(backend, str(prepayment_id), backend.prepayment, backend.allocate_prepayment)


@bp.delete("/Prepayments/<uuid:prepayment_id>/Allocations/<uuid:allocation_id>")
@operation(SCOPE)
def delete_prepayment_allocation(backend, prepayment_id, allocation_id):
    allocation = backend.delete_prepayment_allocation(str(prepayment_id), str(allocation_id))
    return json_response(dump_allocation(backend, allocation))
