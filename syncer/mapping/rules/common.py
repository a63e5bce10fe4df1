"""Small pieces every rule shares: dates on the wire, references, contact links, building a plan write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from syncer.mapping.context import MappingContext
from syncer.mapping.outcomes import Rejected
from syncer.plan import NaturalKey, Operation, Priority, Problem, Write
from syncer.refs import Kind, Ref


def iso(day: date) -> str:
    """Xero takes request dates as YYYY-MM-DD."""
    return day.isoformat()


def contact_link(customer_id: str) -> dict[str, Ref]:
    return {"ContactID": Ref(Kind.CONTACT, customer_id)}


def reference(kind: str, *billing_ids: str) -> str:
    """The deterministic Reference a payment, bank transaction or transfer carries, built from the billing
    ids it was made from: how the engine finds it in Xero after a lost response (``fee:pay_1``)."""
    return ":".join((kind, *billing_ids))


def planned(
    kind: Kind,
    source_id: str,
    collection: str,
    body: Mapping[str, object],
    key: NaturalKey,
    context: MappingContext,
    *,
    reason: str,
    priority: Priority,
    version: int = 1,
    operation: Operation | None = None,
    xero_id: str | None = None,
) -> Write:
    """A plan write: created (PUT) when Xero holds nothing for the record yet, else sent to the object Xero
    holds (POST to its id) as an update, or as the archive/void/delete ``operation`` names."""
    held = context.held.get(Ref(kind, source_id))
    xero_id = xero_id or (held.xero_id if held is not None else None)
    if operation is None:
        operation = Operation.UPDATE if xero_id else Operation.CREATE
    method = "PUT" if operation is Operation.CREATE else "POST"
    return Write(
        kind,
        source_id,
        operation,
        method,
        collection,
        body,
        reason,
        natural_key=key,
        version=version,
        priority=priority,
        xero_id=xero_id,
    )


class Problems:
    """Collects the problems of one record; ``at("lines.l2")`` reports inside it with that field prefix."""

    def __init__(self, kind: Kind, source_id: str, found: list[Problem] | None = None, prefix: str = ""):
        self.kind = kind
        self.source_id = source_id
        self.found = found if found is not None else []
        self.prefix = prefix

    def add(self, message: str, field: str | None = None) -> None:
        path = ".".join(part for part in (self.prefix, field or "") if part) or None
        self.found.append(Problem(message, self.kind, self.source_id, path))

    def at(self, prefix: str) -> Problems:
        return Problems(self.kind, self.source_id, self.found, ".".join(p for p in (self.prefix, prefix) if p))

    def __bool__(self) -> bool:
        return bool(self.found)

    def rejected(self) -> Rejected:
        return Rejected(self.kind, self.source_id, tuple(self.found))
