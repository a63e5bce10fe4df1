"""/BankTransactions"""

from __future__ import annotations

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, list_response, operation, unit_places
from ..query import Listing
from ..schemas.banktransactions import BankTransactionSchema

bp = Blueprint("banktransactions", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape(
    "BankTransactions",
    "BankTransactionID",
    "HasErrors",
    required=(("Type", "RECEIVE"), ("LineItems", []), ("BankAccount", {})),
)
schema = BankTransactionSchema()
LISTING = Listing(
    "BankTransactions",
    schema,
    kind="BankTransactions",
    paged=True,
    present=lambda backend, record: backend.present_bank_transaction(record),
    presented=("Contact", "BankAccount"),
)


def dumper(backend):
    return lambda record: schema.dump(backend.present_bank_transaction(record))


@bp.get("/BankTransactions")
@operation(SCOPE)
def list_bank_transactions(backend):
    return list_response(backend, LISTING, dump=dumper(backend))


@bp.get("/BankTransactions/<uuid:transaction_id>")
@operation(SCOPE)
def get_bank_transaction(backend, transaction_id):
    return envelope("BankTransactions", [dumper(backend)(backend.bank_transaction(str(transaction_id)))])


@bp.put("/BankTransactions")
@operation(SCOPE)
def create_bank_transactions(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.create_bank_transaction(values, unitdp=places),
        dumper(backend),
    )


@bp.post("/BankTransactions")
@operation(SCOPE)
def save_bank_transactions(backend):
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_bank_transaction(values, unitdp=places),
        dumper(backend),
    )


@bp.post("/BankTransactions/<uuid:transaction_id>")
@operation(SCOPE)
def update_bank_transaction(backend, transaction_id):
    backend.bank_transaction(str(transaction_id))  # 404 before reading the body, as for any unknown resource
    places = unit_places()
    return batch_write(
        backend,
        schema,
        SHAPE,
        lambda values: backend.save_bank_transaction(values, path_id=str(transaction_id), unitdp=places),
        dumper(backend),
    )
