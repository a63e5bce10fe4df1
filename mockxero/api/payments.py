"""/Payments"""

from __future__ import annotations

from flask import Blueprint

from ..exceptions import PostDataInvalidException
from ..protocol import BatchShape, batch_response, batch_write, envelope, operation, read_elements, run_batch
from ..query import Extra, Listing
from ..schemas.payments import PaymentSchema
from .documents import listed, present_payment

bp = Blueprint("payments", __name__)
SCOPE = "accounting.transactions"
SHAPE = BatchShape("Payments", "PaymentID", "HasValidationErrors")
schema = PaymentSchema()


def _document_id(payment: dict):
    return (payment.get("Invoice") or {}).get("InvoiceID") or (payment.get("CreditNote") or {}).get("CreditNoteID")


# Xero shows a refunded credit note under Invoice, so Invoice.InvoiceID finds refunds too.
LISTING = Listing(
    "Payments", schema, kind="Payments", paged=True, extras={"Invoice.InvoiceID": Extra("guid", _document_id)}
)


def dump(backend, payment: dict) -> dict:
    return schema.dump(present_payment(backend, payment))


@bp.get("/Payments")
@operation(SCOPE)
def list_payments(backend):
    return listed(backend, LISTING, lambda payment: dump(backend, payment))


@bp.get("/Payments/<uuid:payment_id>")
@operation(SCOPE)
def get_payment(backend, payment_id):
    return envelope("Payments", [dump(backend, backend.payment(str(payment_id)))])


@bp.put("/Payments")
@bp.post("/Payments")
@operation(SCOPE)
def create_payments(backend):
    # PUT takes {"Payments": [...]}; POST is typed as one bare Payment but the wrapper works too.
    return batch_write(backend, schema, SHAPE, backend.create_payment, lambda payment: dump(backend, payment))


@bp.post("/Payments/<uuid:payment_id>")
@operation(SCOPE)
def delete_payment(backend, payment_id):
    payment_id = str(payment_id)
    backend.payment(payment_id)  # 404 before reading the body
    raw = read_elements("Payments")
    if not all(isinstance(element, dict) for element in raw):
        raise PostDataInvalidException("JSON for post data was invalid, each payment must be an object")
    outcomes = run_batch(backend, raw, raw, lambda fields: backend.delete_payment(payment_id, fields))
    return batch_response(SHAPE, outcomes, lambda payment: dump(backend, payment), _delete_echo)


def _delete_echo(fields: dict, raw: object = None) -> dict:
    """A refused delete as Xero reads it: of a payment, only the id and the status count."""
    return {key: value for key in ("PaymentID", "Status") if isinstance(value := fields.get(key), str)}
