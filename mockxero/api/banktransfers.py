"""/BankTransfers"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint

from ..protocol import BatchShape, batch_write, envelope, list_response, operation
from ..query import Hidden, Listing
from ..schemas.banktransactions import BankTransferDeleteSchema, BankTransferSchema
from ..statuses import BankTransferStatus

bp = Blueprint("banktransfers", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape(
    "BankTransfers",
    "BankTransferID",
    "HasValidationErrors",
    required=(("FromBankAccount", {}), ("ToBankAccount", {}), ("Amount", Decimal("0.00"))),
)
schema = BankTransferSchema()
delete_schema = BankTransferDeleteSchema()
LISTING = Listing(
    "BankTransfers",
    schema,
    kind="BankTransfers",
    hidden=(Hidden("includeDeleted", lambda record: record.get("Status") == BankTransferStatus.DELETED),),
    present=lambda backend, record: backend.present_bank_transfer(record),
    presented=("FromBankAccount", "ToBankAccount"),
)


def dumper(backend):
    return lambda record: schema.dump(backend.present_bank_transfer(record))


@bp.get("/BankTransfers")
@operation(SCOPE)
def list_bank_transfers(backend):
    return list_response(backend, LISTING, dump=dumper(backend))


@bp.get("/BankTransfers/<uuid:transfer_id>")
@operation(SCOPE)
def get_bank_transfer(backend, transfer_id):
    return envelope("BankTransfers", [dumper(backend)(backend.bank_transfer(str(transfer_id)))])


@bp.put("/BankTransfers")
@operation(SCOPE)
def create_bank_transfers(backend):
    return batch_write(backend, schema, SHAPE, backend.create_bank_transfer, dumper(backend))


@bp.post("/BankTransfers")
@operation(SCOPE)
def delete_bank_transfers(backend):
    """Spec 16.1.0: POST /BankTransfers deletes the transfers it names (``BankTransfersDelete``)."""
    return batch_write(backend, delete_schema, SHAPE, backend.delete_bank_transfer, dumper(backend))


@bp.post("/BankTransfers/<uuid:transfer_id>")
@operation(SCOPE)
def delete_bank_transfer(backend, transfer_id):
    backend.bank_transfer(str(transfer_id))  # 404 before reading the body
    return batch_write(
        backend,
        delete_schema,
        SHAPE,
        lambda values: backend.delete_bank_transfer(values, path_id=str(transfer_id)),
        dumper(backend),
    )
