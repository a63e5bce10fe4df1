"""Builders shared by the invoice, credit note, allocation and payment tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mockxero.config import DEFAULT_TENANT_ID

D = Decimal


def line(**overrides: Any) -> dict:
    return {"Description": "Consulting", "Quantity": 1, "UnitAmount": D("100.00"), "AccountCode": "200", **overrides}


def invoice_body(**overrides: Any) -> dict:
    body = {
        "Type": "ACCREC",
        "Contact": {"Name": "Acme Ltd"},
        "Date": "2026-01-15",
        "DueDate": "2026-02-14",
        "Status": "AUTHORISED",
        "LineItems": [line()],
    }
    body.update(overrides)
    return body


def bill_body(**overrides: Any) -> dict:
    return invoice_body(**{"Type": "ACCPAY", "LineItems": [line(AccountCode="429")], **overrides})


def credit_note_body(**overrides: Any) -> dict:
    body = {
        "Type": "ACCRECCREDIT",
        "Contact": {"Name": "Acme Ltd"},
        "Date": "2026-01-16",
        "Status": "AUTHORISED",
        "LineItems": [line(UnitAmount=D("40.00"))],
    }
    body.update(overrides)
    return body


def ok(response, collection: str) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json[collection][0]


def create_invoice(xero, **overrides: Any) -> dict:
    return ok(xero.put("/Invoices", {"Invoices": [invoice_body(**overrides)]}), "Invoices")


def create_bill(xero, **overrides: Any) -> dict:
    return ok(xero.put("/Invoices", {"Invoices": [bill_body(**overrides)]}), "Invoices")


def create_credit_note(xero, **overrides: Any) -> dict:
    return ok(xero.put("/CreditNotes", {"CreditNotes": [credit_note_body(**overrides)]}), "CreditNotes")


def update_invoice(xero, invoice: dict, **changes: Any):
    return xero.post(f"/Invoices/{invoice['InvoiceID']}", {"Invoices": [changes]})


def get_invoice(xero, invoice: dict) -> dict:
    return ok(xero.get(f"/Invoices/{invoice['InvoiceID']}"), "Invoices")


def get_credit_note(xero, credit_note: dict) -> dict:
    return ok(xero.get(f"/CreditNotes/{credit_note['CreditNoteID']}"), "CreditNotes")


def payment_body(document: dict, amount: Any, **overrides: Any) -> dict:
    if "CreditNoteID" in document:
        target = {"CreditNote": {"CreditNoteID": document["CreditNoteID"]}}
    else:
        target = {"Invoice": {"InvoiceID": document["InvoiceID"]}}
    return {**target, "Account": {"Code": "090"}, "Date": "2026-01-20", "Amount": D(str(amount)), **overrides}


def pay(xero, document: dict, amount: Any, **overrides: Any) -> dict:
    return ok(xero.put("/Payments", {"Payments": [payment_body(document, amount, **overrides)]}), "Payments")


def allocate(xero, credit_note: dict, invoice: dict, amount: Any, date: str = "2026-01-21"):
    body = {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D(str(amount)), "Date": date}]}
    return xero.put(f"/CreditNotes/{credit_note['CreditNoteID']}/Allocations", body)


def books(emulator, tenant_id: str = DEFAULT_TENANT_ID):
    return emulator.backend(tenant_id)


def journals(emulator, source_id: str) -> list[dict]:
    return books(emulator).journals_for(source_id)


def postings(journal: dict) -> dict[str, Decimal]:
    """A journal's net amounts by account code (debit > 0, credit < 0)."""
    out: dict[str, Decimal] = {}
    for journal_line in journal["JournalLines"]:
        out[journal_line["AccountCode"]] = out.get(journal_line["AccountCode"], D("0")) + journal_line["NetAmount"]
    return out


def net_postings(emulator, source_id: str) -> dict[str, Decimal]:
    """Every journal of a source added up: all zeros once it has been fully reversed."""
    out: dict[str, Decimal] = {}
    for journal in journals(emulator, source_id):
        for code, amount in postings(journal).items():
            out[code] = out.get(code, D("0")) + amount
    return out


def put_record(emulator, kind: str, key: str, record: dict, tenant_id: str = DEFAULT_TENANT_ID) -> None:
    """Seed a record (an item, an account flag) directly, for resources this suite does not own."""
    backend = books(emulator, tenant_id)
    with emulator.store.transaction():
        backend._save(kind, key, record)


def set_account(emulator, code: str, **changes: Any) -> dict:
    backend = books(emulator)
    account = {**backend.account_by_code(code), **changes}
    put_record(emulator, "Accounts", account["AccountID"], account)
    return account
