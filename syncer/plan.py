"""A plan: every Xero write a run would make, each with its reason, before anything is sent.

``plan`` (the dry run) prints one of these; ``apply`` executes exactly the one it is given. A plan is a value:
it holds request bodies with ``Ref`` placeholders for ids that do not exist yet, the natural key that finds
each object again after a lost response, and the fingerprint of the body, so ``apply`` and the state store
agree on what "unchanged" means.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum

from syncer.refs import Kind, Ref


class Operation(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"  # a deleted customer: ContactStatus ARCHIVED
    VOID = "void"  # an AUTHORISED document: Status VOIDED
    DELETE = "delete"  # a DRAFT document or an allocation Xero lets you remove


class Priority(IntEnum):
    """Money first: when the day's call budget runs out, cosmetic updates are the ones deferred."""

    MONEY = 0
    DOCUMENT = 1
    COSMETIC = 2


# The order Xero needs objects in: a payment needs its invoice, an invoice its contact, a transfer the
# payments it settles, an allocation or a refund its credit note.
KIND_ORDER: tuple[Kind, ...] = (
    Kind.CONTACT,
    Kind.INVOICE,
    Kind.CREDIT_NOTE,
    Kind.PAYMENT,
    Kind.FEE,
    Kind.ALLOCATION,
    Kind.REFUND,
    Kind.DISPUTE,
    Kind.DISPUTE_REINSTATEMENT,
    Kind.TRANSFER,
)


@dataclass(frozen=True)
class NaturalKey:
    """The field Xero can be searched by to find an object again (ContactNumber, InvoiceNumber, Reference…)."""

    collection: str  # "Contacts", "Invoices", "BankTransactions", ...
    field: str
    value: str


@dataclass(frozen=True)
class Write:
    """One Xero call the engine will make for one billing record."""

    kind: Kind
    source_id: str
    operation: Operation
    method: str  # PUT creates, POST updates
    collection: str  # the endpoint and the JSON collection name: "Contacts", "Invoices", ...
    body: Mapping[str, object]
    reason: str
    natural_key: NaturalKey | None = None
    version: int = 1
    priority: Priority = Priority.DOCUMENT
    # the Xero id to update when the object already exists (operation UPDATE/ARCHIVE/VOID/DELETE)
    xero_id: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.body)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        return tuple(dict.fromkeys(refs_in(self.body)))


@dataclass(frozen=True)
class Skip:
    """A billing record the run deliberately does not send, and why (shown by ``plan``)."""

    kind: Kind | str
    source_id: str
    reason: str


@dataclass(frozen=True)
class Problem:
    """Something that stops a record (or the whole run, when ``source_id`` is None) from being sent."""

    message: str
    kind: Kind | str | None = None
    source_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ".".join(part for part in (str(self.kind or ""), self.source_id or "", self.field or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Plan:
    writes: tuple[Write, ...] = ()
    skips: tuple[Skip, ...] = ()
    problems: tuple[Problem, ...] = ()
    unchanged: tuple[tuple[Kind, str], ...] = field(default=())

    @property
    def blocked(self) -> bool:
        """A problem with no record named blocks the run: nothing is sent (preflight, bad configuration)."""
        return any(problem.source_id is None for problem in self.problems)


def ordered(writes: Sequence[Write]) -> list[Write]:
    """Writes in dependency order (KIND_ORDER), stable inside a kind so plans are reproducible."""
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    return sorted(writes, key=lambda write: rank[write.kind])


def refs_in(value: object) -> Iterator[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from refs_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from refs_in(item)


def canonical_json(value: object) -> str:
    """One spelling of a body: sorted keys, Decimals as their exact strings, Refs by kind and source id."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_encode)


def fingerprint(body: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _encode(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    raise TypeError(f"cannot put {type(value).__name__} in a Xero body")
