"""How stored documents are shown: the views of invoices, credit notes, payments and allocations share it.

A stored record names its contact by id; the wire shows the contact's current name. Unit amounts are shown
to 2 dp unless the request asks for ``unitdp=4``, and an unpaged invoice list leaves line items out.
"""

from __future__ import annotations

from collections.abc import Callable

from ..money import round_money
from ..protocol import list_response, unit_places
from ..query import Extra, Listing

# The tables of the credits created through bank transactions (their payments are refunds named by them).
CREDIT_TABLES = ("Overpayments", "Prepayments")
# Where a stored document keeps what ``where``/``order`` call ``Contact.ContactID`` (the wire embeds a summary).
CONTACT_EXTRAS = {"Contact.ContactID": Extra("guid", lambda record: (record.get("Contact") or {}).get("ContactID"))}


def listed(backend, listing: Listing, dump: Callable[[dict], dict]):
    """Answer a list GET through the shared listing pipeline, dumping each row with this request's view."""
    return list_response(backend, listing, dump=dump)


def shown_contact(backend, record: dict) -> dict:
    """Enough of a document's wire view for ``where``/``order`` on ``Contact.Name``."""
    return {"Contact": backend.document_contact(record["Contact"]["ContactID"])}


def present_document(backend, record: dict, *, with_lines: bool = True) -> dict:
    shown = dict(record)
    shown["Contact"] = backend.document_contact(record["Contact"]["ContactID"])
    if not with_lines:
        shown["LineItems"] = []
    elif unit_places() == 2:
        shown["LineItems"] = [_two_places(line) for line in record.get("LineItems", [])]
    return shown


def _two_places(line: dict) -> dict:
    if line.get("UnitAmount") is None:
        return line
    return {**line, "UnitAmount": round_money(line["UnitAmount"], 2)}


def present_payment(backend, payment: dict) -> dict:
    """A payment with its document embedded as Xero shows it: under ``Invoice``, credit notes included."""
    kind, document = backend.payment_document(payment)
    shown = {k: v for k, v in payment.items() if k not in ("Invoice", "CreditNote")}
    embedded = present_document(backend, document)
    if kind.table in CREDIT_TABLES:  # an overpayment's or prepayment's refund shows it under its own name
        shown[kind.table[:-1]] = embedded
    else:
        shown["Invoice"] = as_invoice(embedded) if kind.is_credit else embedded
    account = backend.resolve_account({"AccountID": payment["Account"]["AccountID"]})
    if account is not None:
        shown["Account"] = {**payment["Account"], "Name": account.get("Name")}
    return shown


def as_invoice(credit_note: dict) -> dict:
    """A credit note in the invoice shape Xero uses when it embeds one in a payment."""
    shown = {k: v for k, v in credit_note.items() if k not in ("CreditNoteID", "CreditNoteNumber", "Allocations")}
    shown["InvoiceID"] = credit_note["CreditNoteID"]
    shown["InvoiceNumber"] = credit_note.get("CreditNoteNumber") or ""
    return shown


def present_allocation(backend, allocation: dict) -> dict:
    shown = dict(allocation)
    shown["Invoice"] = present_document(backend, backend.invoice(allocation["Invoice"]["InvoiceID"]))
    if allocation.get("CreditNote"):
        credit = backend.credit_note(allocation["CreditNote"]["CreditNoteID"])
        shown["CreditNote"] = present_document(backend, credit)
    elif allocation.get("Overpayment"):
        overpayment = backend.overpayment(allocation["Overpayment"]["OverpaymentID"])
        shown["Overpayment"] = present_document(backend, overpayment)
    else:
        prepayment = backend.prepayment(allocation["Prepayment"]["PrepaymentID"])
        shown["Prepayment"] = present_document(backend, prepayment)
    return shown
