"""Everything a mapping rule reads besides the record it maps, gathered once per run.

Rules are pure: the same record and the same context give the same bodies, so a plan can be recomputed
and compared, and a re-run that finds nothing changed writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from syncer.mapping.config import DEFAULT_SETTINGS, MappingConfig, SyncSettings
from syncer.mapping.names import unique_contact_names
from syncer.mapping.org import OrgData, OrgFacts
from syncer.refs import Ref
from syncer.source.model import BillingBook, CreditNote, Customer, Invoice, Payment, Payout


@dataclass(frozen=True)
class BookIndex:
    """The records rules look up by id (a payment's invoice, a credit note's credited invoice, ...)."""

    customers: Mapping[str, Customer] = field(default_factory=dict)
    invoices: Mapping[str, Invoice] = field(default_factory=dict)
    payments: Mapping[str, Payment] = field(default_factory=dict)
    payouts: Mapping[str, Payout] = field(default_factory=dict)
    credit_notes: Mapping[str, CreditNote] = field(default_factory=dict)

    @classmethod
    def of(cls, book: BillingBook) -> BookIndex:
        return cls(
            customers={record.id: record for record in book.customers},
            invoices={record.id: record for record in book.invoices},
            payments={record.id: record for record in book.payments},
            payouts={record.id: record for record in book.payouts},
            credit_notes={record.id: record for record in book.credit_notes},
        )


@dataclass(frozen=True)
class Held:
    """An object Xero already holds for a billing record: its id and the status it was last seen in."""

    xero_id: str
    status: str


@dataclass(frozen=True)
class MappingContext:
    """``held`` is what the state store knows Xero holds: ``{Ref(Kind.INVOICE, "inv_1"): Held(id, "DRAFT")}``.
    A record whose object is held is updated (or voided, archived, deleted) through its ``xero_id``; one
    that is not is created. ``contact_names`` is the de-duplicated Name of every customer that is sent."""

    config: MappingConfig
    org: OrgFacts
    book: BookIndex
    settings: SyncSettings = DEFAULT_SETTINGS
    held: Mapping[Ref, Held] = field(default_factory=dict)
    contact_names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        config: MappingConfig,
        org: OrgData | OrgFacts,
        book: BillingBook,
        *,
        settings: SyncSettings = DEFAULT_SETTINGS,
        held: Mapping[Ref, Held] | None = None,
        reserved_names: Iterable[str] = (),
    ) -> MappingContext:
        """``reserved_names``: Names of active Xero contacts that are not this book's customers, which the
        de-duplication must avoid as well."""
        sent = [customer for customer in book.customers if settings.customer_excluded(customer) is None]
        return cls(
            config=config,
            org=org if isinstance(org, OrgFacts) else OrgFacts.from_org(org),
            book=BookIndex.of(book),
            settings=settings,
            held=dict(held or {}),
            contact_names=unique_contact_names(sent, reserved=reserved_names),
        )

    def held_status(self, ref: Ref) -> str | None:
        """The status Xero holds the object in, or None when it was never synced."""
        found = self.held.get(ref)
        return found.status if found is not None else None
