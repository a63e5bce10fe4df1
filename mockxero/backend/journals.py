"""Posting to the ledger: every state change writes an immutable, balanced journal.

The posting *rules* (which accounts each record debits and credits) live in ``mockxero.posting``;
this mixin only stores journals, numbers them, refuses unbalanced ones and writes exact reversals.
Balances are never stored: ``mockxero.ledger`` derives them from the journals.

A journal line's ``NetAmount`` is signed: debit > 0, credit < 0. A journal balances when its lines' net
amounts sum to zero. Tax sits on its own line against the tax account, so the same rule covers it;
``TaxAmount``/``TaxType`` on a revenue or expense line are informational, as in Xero's ``/Journals``.

Amounts are in base currency. A line converted from a foreign currency also keeps that currency and its
amount in it, in two hidden fields (``posting.LINE_CURRENCY`` / ``LINE_AMOUNT``) the ledger check reads for
foreign balances; ``GET /Journals`` shows Xero's fields only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..exceptions import NotFound
from ..posting import LINE_AMOUNT, LINE_CURRENCY, SOURCE_TYPES, Line
from .base import BackendBase, fail

ZERO = Decimal("0.00")
JOURNALS_PER_CALL = 100  # GET /Journals answers at most this many per call


class UnbalancedJournal(AssertionError):
    """A bug in a posting rule: the mock must never store a journal that does not balance."""


class JournalsBackend(BackendBase):
    INDEXES = [
        ("Journals", "source", lambda r: r["SourceID"]),
        ("Journals", "reverses", lambda r: r.get("ReversesJournalID")),
        # Every account a journal's lines touch: "has this account any transactions?" without a scan.
        ("Journals", "account", lambda r: frozenset(line["AccountID"] for line in r["JournalLines"]) or None),
        ("Journals", "number", lambda r: r["JournalNumber"]),
    ]

    def post_journal(
        self,
        *,
        source_type: str,
        source_id: str,
        journal_date: date,
        currency: str,
        lines: list[Line],
        reference: str | None = None,
    ) -> dict | None:
        """Store one balanced journal; lines of zero are dropped, and a journal with no lines is not stored."""
        if source_type not in SOURCE_TYPES:
            raise ValueError(f"unknown journal source type {source_type}")
        kept = [line for line in lines if line.net != 0 or line.tax_amount != 0 or line.amount]
        total = sum((line.net for line in kept), ZERO)
        if total != 0:
            raise UnbalancedJournal(f"journal for {source_type} {source_id} is off by {total}: {kept}")
        if not kept:
            return None
        self._refuse_locked(journal_date)
        number = self._next_journal_number()
        journal: dict[str, Any] = {
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
        # built here only to be stored: the store keeps it uncopied, so the journal returned is read-only
        return self._save("Journals", journal["JournalID"], journal, copy=False)

    def _refuse_locked(self, journal_date: date) -> None:
        """Nothing posts into a locked period. Each resource also checks its dates up front, with its other
        rules, so that a refusal lists every problem at once; this guard holds whatever path posted."""
        locked = self.lock_date_errors(journal_date)
        if locked:
            raise fail(*locked)

    def _journal_line(self, line: Line) -> dict:
        account = line.account
        out = {"JournalLineID": self.ids.guid(), "AccountID": account["AccountID"]}
        code = account.get("Code")
        if code is not None:  # a bank account may have no code; the journal line then has none either
            out["AccountCode"] = code
        out["AccountType"] = account["Type"]
        out["AccountName"] = account["Name"]
        out["NetAmount"] = line.net
        out["GrossAmount"] = line.net + line.tax_amount
        out["TaxAmount"] = line.tax_amount
        if line.description:
            out["Description"] = line.description
        if line.tax_type:
            out["TaxType"] = line.tax_type
        if line.currency is not None:  # hidden (not in Xero's JournalLine): the line in its own currency
            out[LINE_CURRENCY] = line.currency
            out[LINE_AMOUNT] = line.amount
        return out

    def reverse_journals(self, source_id: str, journal_date: date) -> list[dict]:
        """Post the exact reversal of every journal of ``source_id`` that is not yet reversed."""
        reversals = []
        for journal in self.journals_for(source_id):
            if journal.get("ReversesJournalID") or self.store.keys(
                self.table("Journals"), "reverses", journal["JournalID"]
            ):
                continue
            self._refuse_locked(journal_date)
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
                    {
                        **line,
                        "JournalLineID": self.ids.guid(),
                        "NetAmount": -line["NetAmount"],
                        "GrossAmount": -line["GrossAmount"],
                        "TaxAmount": -line["TaxAmount"],
                        **({LINE_AMOUNT: -line[LINE_AMOUNT]} if LINE_AMOUNT in line else {}),
                    }
                    for line in journal["JournalLines"]
                ],
            }
            if journal.get("Reference"):
                reversal["Reference"] = journal["Reference"]
            reversals.append(self._save("Journals", reversal["JournalID"], reversal, copy=False))
        return reversals

    def journals_for(self, source_id: str) -> list[dict]:
        return self.store.find(self.table("Journals"), "source", source_id)

    def all_journals(self):
        """Every journal in posting order (read-only records)."""
        return self.store.scan(self.table("Journals"))

    # -- reading, as GET /Journals does --

    def journal(self, journal_id: str) -> dict:
        """By JournalID; 404 when unknown."""
        return self._require("Journals", journal_id)

    def journal_by_number(self, number: int) -> dict:
        found = self.store.first(self.table("Journals"), "number", number)
        if found is None:
            raise NotFound()
        return found

    def journals_after(
        self, offset: int, *, limit: int = JOURNALS_PER_CALL, keep: Callable[[dict], bool] = lambda journal: True
    ) -> list[dict]:
        """Up to ``limit`` journals numbered above ``offset`` that ``keep`` accepts, in number order.

        Numbers are consecutive, so each step is an index lookup; a selective ``keep`` walks further.
        """
        table = self.table("Journals")
        last = (self._get("Counters", "journal") or {"Next": 1})["Next"] - 1
        found: list[dict] = []
        number = max(offset, 0) + 1
        while number <= last and len(found) < limit:
            for key in self.store.keys(table, "number", number):
                journal = self.store.peek(table, key)
                if journal is not None and keep(journal):
                    found.append(journal)
            number += 1
        return found

    def present_journal(self, journal: dict) -> dict:
        """A journal as Xero shows it: each taxed line also names its tax rate."""
        shown = dict(journal)
        lines = []
        for line in journal["JournalLines"]:
            rate = self.tax_rate(line.get("TaxType")) if line.get("TaxType") else None
            lines.append({**line, "TaxName": rate["Name"]} if rate else line)
        shown["JournalLines"] = lines
        return shown

    def _next_journal_number(self) -> int:
        counters = self._peek("Counters", "journal") or {"Next": 1}  # read, then replaced by a new record
        number = counters["Next"]
        self._save("Counters", "journal", {"Next": number + 1}, copy=False)
        return number
