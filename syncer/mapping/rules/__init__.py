"""The mapping rules, one module per kind of billing record; each rule maps one record to an Outcome."""

from syncer.mapping.rules.book import MappedBook, map_book
from syncer.mapping.rules.contacts import contact_number, map_contact
from syncer.mapping.rules.disputes import map_dispute, map_dispute_reinstatement
from syncer.mapping.rules.documents import invoice_status, map_credit_note, map_invoice, period_text
from syncer.mapping.rules.payments import map_allocation, map_credit, map_fee, map_payment, map_payout, map_refund

__all__ = [
    "MappedBook",
    "contact_number",
    "invoice_status",
    "map_allocation",
    "map_book",
    "map_contact",
    "map_credit",
    "map_credit_note",
    "map_dispute",
    "map_dispute_reinstatement",
    "map_fee",
    "map_invoice",
    "map_payment",
    "map_payout",
    "map_refund",
    "period_text",
]
