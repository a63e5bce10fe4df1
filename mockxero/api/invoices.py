"""/Invoices"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, operation, query_value, unit_places
from ..query import BY_KEY, Listing, Lookup, guid_value, upper_value
from ..schemas.invoices import InvoiceSchema
from .documents import CONTACT_EXTRAS, listed, present_document, shown_contact

bp = Blueprint("invoices", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape("Invoices", "InvoiceID", "HasErrors")
schema = InvoiceSchema()
LISTING = Listing(
    "Invoices",
    schema,
    kind="Invoices",
    paged=True,
    created_by_my_app=True,
    lookups=(
        Lookup("IDs", "InvoiceID", BY_KEY, guid_value),
        Lookup("InvoiceNumbers", "InvoiceNumber", "number", lambda raw, param: raw.strip().casefold()),
        Lookup("ContactIDs", "Contact.ContactID", "contact", guid_value),
        Lookup("Statuses", "Status", None, upper_value),
    ),
    search=("InvoiceNumber", "Reference"),
    extras=CONTACT_EXTRAS,
    present=shown_contact,
    presented=("Contact",),
)


def dump(backend, record: dict, *, with_lines: bool = True) -> dict:
    return schema.dump(present_document(backend, record, with_lines=with_lines))


@bp.get("/Invoices")
@operation(SCOPE)
def list_invoices(backend):
    # Xero returns line items only when the list is paged ("page=1"); a single GET always has them.
    with_lines = query_value("page") is not None
    return listed(backend, LISTING, lambda record: dump(backend, record, with_lines=with_lines))


@bp.get("/Invoices/<identifier>")
@operation(SCOPE)
def get_invoice(backend, identifier: str):
    return envelope("Invoices", [dump(backend, backend.invoice_by_id_or_number(identifier))])


@bp.put("/Invoices")
@operation(SCOPE)
def create_invoices(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.create_invoice(values, unit_places=places),
        lambda record: dump(backend, record),
    )


@bp.post("/Invoices")
@operation(SCOPE)
def save_invoices(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_invoice(values, unit_places=places),
        lambda record: dump(backend, record),
    )


@bp.post("/Invoices/<identifier>")
@operation(SCOPE)
def update_invoice(backend, identifier: str):
    invoice_id = backend.invoice_by_id_or_number(identifier)["InvoiceID"]  # 404 before reading the body
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_invoice(values, path_id=invoice_id, unit_places=places),
        lambda record: dump(backend, record),
    )
