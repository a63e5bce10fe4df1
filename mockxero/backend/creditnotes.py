"""Credit notes (ACCRECCREDIT sales credits and ACCPAYCREDIT supplier credits).

They follow the invoice rules in ``documents.py`` (arithmetic, status machine, edit lock, journals), carry
``RemainingCredit = Total − allocations − refunds``, and become PAID once nothing remains. Allocations sent
inside a credit note are applied after it is saved, exactly as if they had been PUT to
``/CreditNotes/{id}/Allocations`` (so the credit note must be AUTHORISED for them).
"""

from __future__ import annotations

from .base import fail
from .documents import CREDIT_NOTE, DocumentsBackend, number_key


class CreditNotesBackend(DocumentsBackend):
    INDEXES = [("CreditNotes", "number", lambda r: number_key(r, "CreditNoteNumber"))]

    def credit_note(self, credit_note_id: str) -> dict:
        return self.document(CREDIT_NOTE, credit_note_id)

    def credit_note_by_id_or_number(self, identifier: str) -> dict:
        return self.document_by_id_or_number(CREDIT_NOTE, identifier)

    def create_credit_note(self, values: dict, *, unit_places: int = 2) -> dict:
        return self.save_credit_note(values, unit_places=unit_places)

    def save_credit_note(self, values: dict, *, path_id: str | None = None, unit_places: int = 2) -> dict:
        """``PUT``/``POST /CreditNotes``: update the credit note named by id, otherwise create one."""
        credit_note_id = path_id or values.get("CreditNoteID")
        existing = None
        if credit_note_id:
            existing = self._get("CreditNotes", credit_note_id)
            if existing is None:
                raise fail(CREDIT_NOTE.unknown_id)
        record = self.write_document(CREDIT_NOTE, values, existing, unit_places=unit_places)
        for allocation in values.get("Allocations") or []:
            self.allocate_credit_note(record["CreditNoteID"], allocation)
        return self.credit_note(record["CreditNoteID"]) if values.get("Allocations") else record
