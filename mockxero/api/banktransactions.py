"""/BankTransactions"""
from __future__ import annotations

from flask import Blueprint

from ..protocol import (
    BatchShape, batch_response, envelope, list_response, load_body, operation, query_value, run_batch,
)
from ..query import Listing
from ..schemas.banktransactions import BankTransactionSchema

bp = Blueprint("banktransactions", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape("BankTransactions", "BankTransactionID", "HasErrors")
schema = BankTransactionSchema()
LISTING = Listing(
    "BankTransactions", schema, kind="BankTransactions", paged=True,
    present=lambda backend, record: backend.present_bank_transaction(record), presented=("Contact", "BankAccount"),
)


def unitdp() -> int:
    """``unitdp=4`` keeps unit amounts to four places; anything else means Xero's default of two."""
    return 4 if (query_value("unitdp") or "").strip() == "4" else 2


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
    raw, elements = load_body(schema, "BankTransactions")
    places = unitdp()
    outcomes = run_batch(backend, elements, raw,
                         lambda values: backend.create_bank_transaction(values, unitdp=places))
    return batch_response(SHAPE, outcomes, dumper(backend))


@bp.post("/BankTransactions")
@operation(SCOPE)
def save_bank_transactions(backend):
    raw, elements = load_body(schema, "BankTransactions")
    places = unitdp()
    outcomes = run_batch(backend, elements, raw, lambda values: backend.save_bank_transaction(values, unitdp=places))
    return batch_response(SHAPE, outcomes, dumper(backend))


@bp.post("/BankTransactions/<uuid:transaction_id>")
@operation(SCOPE)
def update_bank_transaction(backend, transaction_id):
    backend.bank_transaction(str(transaction_id))  # 404 before reading the body, as for any unknown resource
    raw, elements = load_body(schema, "BankTransactions")
    places = unitdp()
    outcomes = run_batch(backend, elements, raw, lambda values: backend.save_bank_transaction(
        values, path_id=str(transaction_id), unitdp=places))
    return batch_response(SHAPE, outcomes, dumper(backend))
