"""/Accounts"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, list_response, operation, query_value
from ..query import Listing
from ..schemas.accounts import AccountSchema

bp = Blueprint("accounts", __name__)
SCOPE = "accounting.settings"
SHAPE = BatchShape("Accounts", "AccountID", "HasValidationErrors")
schema = AccountSchema()
LISTING = Listing("Accounts", schema)


@bp.get("/Accounts")
@operation(SCOPE)
def list_accounts(backend):
    # Deleted accounts are listed only to a filter that asks about Status (where=Status=="DELETED").
    asks_about_status = "status" in (query_value("where") or "").lower()
    return list_response(backend, LISTING, rows=backend.chart_of_accounts(include_deleted=asks_about_status))


@bp.get("/Accounts/<uuid:account_id>")
@operation(SCOPE)
def get_account(backend, account_id):
    return envelope("Accounts", [schema.dump(backend.account(str(account_id)))])


@bp.put("/Accounts")
@operation(SCOPE)
def create_account(backend):
    # Xero processes only the first account of a request (Xero staff, XeroAPI/Xero-Net#285).
    return batch_write(backend, schema, SHAPE, backend.create_account, schema.dump, first_only=True)


@bp.post("/Accounts/<uuid:account_id>")
@operation(SCOPE)
def update_account(backend, account_id):
    backend.account(str(account_id))  # 404 before reading the body
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.update_account(str(account_id), values),
        schema.dump,
        first_only=True,
    )


@bp.delete("/Accounts/<uuid:account_id>")
@operation(SCOPE)
def delete_account(backend, account_id):
    return envelope("Accounts", [schema.dump(backend.delete_account(str(account_id)))])
