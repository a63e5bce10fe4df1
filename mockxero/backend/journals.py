"""Posting to the ledger: every state change writes an immutable, balanced journal.

The posting *rules* (which accounts a document debits and credits) live with each document's backend;
this mixin only stores journals, numbers them, refuses unbalanced ones and writes exact reversals.
Balances are never stored: ``mockxero.ledger`` derives them from the journals.

A journal line's ``NetAmount`` is signed: debit > 0, credit < 0. A journal balances when its lines' net
amounts sum to zero. Tax sits on its own line against the tax account, so the same rule covers it;
``TaxAmount``/``TaxType`` on a revenue or expense line are informational, as in Xero's ``/Journals``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import BackendBase

ZERO = Decimal("0.00")

# Xero's Journal SourceType values for what the mock posts.
SOURCE_TYPES = (
    "ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT", "ACCRECPAYMENT", "ACCPAYPAYMENT",
    "ARCREDITPAYMENT", "APCREDITPAYMENT", "CASHREC", "CASHPAID", "TRANSFER",
)


class UnbalancedJournal(AssertionError):
    """A bug in a posting rule: the mock must never store a journal that does not balance."""


@dataclass(frozen=True)
class Line:
    """One side of a posting, before it is stored."""

    account: dict          # the account record
    net: Decimal           # debit > 0, credit < 0
    description: str | None = None
    tax_amount: Decimal = ZERO
    tax_type: str | None = None


class JournalsBackend(BackendBase):
    INDEXES = [
        ("Journals", "source", lambda r: r["SourceID"]),
        ("Journals", "reverses", lambda r: r.get("ReversesJournalID")),
        # Every account a journal's lines touch: "has this account any transactions?" without a scan.
        ("Journals", "account", lambda r: frozenset(line["AccountID"] for line in r["JournalLines"]) or None),
    ]

    def post_journal(self, *, source_type: str, source_id: str, journal_date: date, currency: str,
                     lines: list[Line], reference: str | None = None) -> dict | None:
        """Store one balanced journal; lines of zero are dropped, and a journal with no lines is not stored."""
        if source_type not in SOURCE_TYPES:
            raise ValueError(f"unknown journal source type {source_type}")
        kept = [line for line in lines if line.net != 0 or line.tax_amount != 0]
        total = sum((line.net for line in kept), ZERO)
        if total != 0:
            raise UnbalancedJournal(f"journal for {source_type} {source_id} is off by {total}: {kept}")
        if not kept:
            return None
        number = self._next_journal_number()
        journal = {
            "JournalID": self.ids.guid(),
            "JournalNumber": number,
            "JournalDate": journal_date,
            "CreatedDateUTC": self.now(),
            "SourceID": source_id,
            "SourceType": source_type,
            "CurrencyCode": currency,
            "JournalLines": [self._journal_line(line) for line in kept],
        }
        if reference:
            journal["Reference"] = reference
        return self._save("Journals", journal["JournalID"], journal)

    def _journal_line(self, line: Line) -> dict:
        account = line.account
        out = {
            "JournalLineID": self.ids.guid(),
            "AccountID": account["AccountID"],
            "AccountCode": account.get("Code"),
            "AccountType": account["Type"],
            "AccountName": account["Name"],
            "NetAmount": line.net,
            "GrossAmount": line.net + line.tax_amount,
            "TaxAmount": line.tax_amount,
        }
        if line.description:
            out["Description"] = line.description
        if line.tax_type:
            out["TaxType"] = line.tax_type
        return {k: v for k, v in out.items() if v is not None}

    def reverse_journals(self, source_id: str, journal_date: date) -> list[dict]:
        """Post the exact reversal of every journal of ``source_id`` that is not yet reversed."""
        reversals = []
        for journal in self.journals_for(source_id):
            if journal.get("ReversesJournalID") or self.store.keys(self.table("Journals"), "reverses", journal["JournalID"]):
                continue
            number = self._next_journal_number()
            reversal = {
                "JournalID": self.ids.guid(),
                "JournalNumber": number,
                "JournalDate": journal_date,
                "CreatedDateUTC": self.now(),
                "SourceID": source_id,
                "SourceType": journal["SourceType"],
                "CurrencyCode": journal["CurrencyCode"],
                "ReversesJournalID": journal["JournalID"],
                "JournalLines": [
                    {**line, "JournalLineID": self.ids.guid(), "NetAmount": -line["NetAmount"],
                     "GrossAmount": -line["GrossAmount"], "TaxAmount": -line["TaxAmount"]}
                    for line in journal["JournalLines"]
                ],
            }
            if journal.get("Reference"):
                reversal["Reference"] = journal["Reference"]
            reversals.append(self._save("Journals", reversal["JournalID"], reversal))
        return reversals

    def journals_for(self, source_id: str) -> list[dict]:
        return self.store.find(self.table("Journals"), "source", source_id)

    def all_journals(self):
        """Every journal in posting order (read-only records)."""
        return self.store.scan(self.table("Journals"))

    def _next_journal_number(self) -> int:
        counters = self._get("Counters", "journal") or {"Next": 1}
        number = counters["Next"]
        self._save("Counters", "journal", {"Next": number + 1})
        return number
