"""Balances from Xero's journals (``GET /Journals`` lines are base-currency amounts, debit positive) and the
``ledger:`` layer's assertions over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class JournalLine:
    day: date
    code: str
    name: str
    account_type: str
    amount: Decimal  # debit positive, credit negative


def balances(lines: Iterable[JournalLine], at: date | None = None) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if at is None or line.day <= at:
            totals[line.code] += line.amount
    return dict(totals)


def asserted_balance(totals: Mapping[str, Decimal], code: str, operator: str) -> Decimal:
    """The balance an assertion is about. Xero has no sub-accounts; ``=*`` sums every account whose code
    starts with the one named (charts are numbered by class, so ``"4"`` is the expense accounts)."""
    if operator.endswith("*"):
        return sum((amount for account, amount in totals.items() if account.startswith(code)), ZERO)
    return totals.get(code, ZERO)


def journal_lines(journals: Iterable[Mapping[str, Any]], parse_day: Any) -> list[JournalLine]:
    found = []
    for journal in journals:
        day = parse_day(journal.get("JournalDate"))
        for line in journal.get("JournalLines") or []:
            found.append(
                JournalLine(
                    day,
                    str(line.get("AccountCode") or ""),
                    str(line.get("AccountName") or ""),
                    str(line.get("AccountType") or ""),
                    Decimal(str(line.get("NetAmount", "0"))),
                )
            )
    return found
