"""/Contacts"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, list_response, operation
from ..query import BY_KEY, Hidden, Listing, Lookup, guid_value
from ..schemas.contacts import ContactSchema
from ..statuses import ContactStatus

bp = Blueprint("contacts", __name__)
SCOPE = "accounting.contacts"
SHAPE = BatchShape("Contacts", "ContactID", "HasValidationErrors")
schema = ContactSchema()
LISTING = Listing(
    "Contacts",
    schema,
    kind="Contacts",
    paged=True,
    lookups=(Lookup("IDs", "ContactID", BY_KEY, guid_value),),
    hidden=(Hidden("includeArchived", lambda r: r.get("ContactStatus") == ContactStatus.ARCHIVED),),
    search=("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress"),
)


@bp.get("/Contacts")
@operation(SCOPE)
def list_contacts(backend):
    return list_response(backend, LISTING)


@bp.get("/Contacts/<identifier>")
@operation(SCOPE)
def get_contact(backend, identifier: str):
    return envelope("Contacts", [schema.dump(backend.contact_by_id_or_number(identifier))])


@bp.put("/Contacts")
@operation(SCOPE)
def create_contacts(backend):
    return batch_write(backend, schema, SHAPE, backend.create_contact, schema.dump)


@bp.post("/Contacts")
@operation(SCOPE)
def save_contacts(backend):
    return batch_write(backend, schema, SHAPE, backend.save_contact, schema.dump)


# The path is GET's (a ContactID or a ContactNumber), so any id reaches this view: one that names no contact
# by its ContactID is a 404, as on every other resource (a GUID-only route made it a 405 for the method).
@bp.post("/Contacts/<identifier>")
@operation(SCOPE)
def update_contact(backend, identifier: str):
    contact_id = identifier.lower()  # ContactIDs are stored lower-case, as GET reads them
    backend.contact(contact_id)  # 404 before reading the body, as for any unknown resource
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_contact(values, path_contact_id=contact_id),
        schema.dump,
    )
