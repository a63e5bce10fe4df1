"""What a mapping rule hands back: a write to make, a deliberate skip, or the problems that stop a write.

Every rule returns exactly one of ``Write``, ``Skip`` or ``Rejected`` for one billing record and one kind of
Xero object, so the engine can record an outcome for every (kind, billing id) pair and never lose a record
silently. Bodies are plain dicts in Xero's field names with ``Decimal`` amounts, ISO date strings and
``Ref`` placeholders where another object's Xero id belongs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from syncer.refs import Kind, Ref


@dataclass(frozen=True)
class Problem:
    """Something that stops a write (or a run, for preflight), saying where it is and what is wrong.

    ``where`` names the place: a config field path (``currencies.USD.clearing``) or a billing record
    (``invoice inv_1 line l2``); ``field`` the offending field when there is one.
    """

    where: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        place = f"{self.where} ({self.field})" if self.field else self.where
        return f"{place}: {self.message}"


@dataclass(frozen=True)
class NaturalKey:
    """How to find the object in Xero after a lost response: ``resource`` where ``field`` equals ``value``.

    ``detail`` narrows it when the field alone does not identify the object: an allocation is found among
    its credit note's Allocations by the invoice number, amount and date it carries.
    """

    resource: str
    field: str
    value: str
    detail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Write:
    """One Xero object to create or update.

    ``resource`` is the collection (``Contacts``, ``Invoices``, ``Payments``, ``BankTransactions``,
    ``BankTransfers``, ``CreditNotes``, ``Allocations``); ``body`` one unwrapped element of it; ``parent``
    the object whose sub-collection receives it (an allocation is PUT under its credit note).
    """

    kind: Kind
    source_id: str
    resource: str
    body: Mapping[str, Any]
    key: NaturalKey
    parent: Ref | None = None

    @property
    def ref(self) -> Ref:
        return Ref(self.kind, self.source_id)

    def depends_on(self) -> tuple[Ref, ...]:
        """Every Ref in the body (and the parent): the writes that must have happened first."""
        found: list[Ref] = [self.parent] if self.parent else []
        _collect_refs(self.body, found)
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Skip:
    """A record deliberately not sent, with the reason the run ledger records.

    ``kind`` is the Kind of object it would have become, or a plain label (``"credit"``) for billing records
    that never become a Xero object of their own.
    """

    kind: Kind | str
    source_id: str
    reason: str


@dataclass(frozen=True)
class Rejected:
    """A record that cannot be sent as it stands; nothing is written for it."""

    kind: Kind
    source_id: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)


Outcome = Write | Skip | Rejected


def _collect_refs(value: object, found: list[Ref]) -> None:
    if isinstance(value, Ref):
        found.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _collect_refs(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_refs(item, found)
