"""Invoices (ACCREC sales invoices and ACCPAY bills).

The rules shared with credit notes (status machine, edit lock, contact, currency, numbering, line
arithmetic, journals) live in ``documents.py`` and ``lineitems.py``; this module adds what is particular
to invoices: the DueDate an approved invoice needs, and the ``/Invoices`` entry points.
"""

from __future__ import annotations

from .base import fail
from .documents import APPROVED, INVOICE, DocumentsBackend, number_key

DUE_DATE_REQUIRED = "The document DueDate field must be specified."


def _due_date_rule(record: dict, values: dict) -> list[str]:
    # Xero lets a draft go without a due date but not an invoice awaiting approval or approved.
    if record["Status"] in APPROVED and not record.get("DueDate"):
        return [DUE_DATE_REQUIRED]
    return []


class InvoicesBackend(DocumentsBackend):
    INDEXES = [
        ("Invoices", "number", lambda r: number_key(r, "InvoiceNumber")),
        # GET /Invoices?ContactIDs=... reads this instead of scanning every invoice.
        ("Invoices", "contact", lambda r: (r.get("Contact") or {}).get("ContactID")),
    ]

    def invoice(self, invoice_id: str) -> dict:
        return self.document(INVOICE, invoice_id)

    def invoice_by_id_or_number(self, identifier: str) -> dict:
        return self.document_by_id_or_number(INVOICE, identifier)

    def create_invoice(self, values: dict, *, unit_places: int = 2) -> dict:
        """``PUT /Invoices``: a new invoice (an element naming an existing InvoiceID updates it)."""
        return self.save_invoice(values, unit_places=unit_places)

    def save_invoice(self, values: dict, *, path_id: str | None = None, unit_places: int = 2) -> dict:
        """``POST /Invoices``: update the invoice named by id (path or body), otherwise create one.

        An InvoiceNumber alone never selects an invoice to update: a second ACCREC with a number in use is
        refused as a duplicate, as Xero's own POST example shows.
        """
        invoice_id = path_id or values.get("InvoiceID")
        existing = None
        if invoice_id:
            existing = self._get("Invoices", invoice_id)
            if existing is None:
                raise fail(INVOICE.unknown_id)
        return self.write_document(INVOICE, values, existing, unit_places=unit_places, extra_rules=_due_date_rule)
