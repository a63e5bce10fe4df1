"""A whole billing book through every rule, in the order Xero needs the objects to exist."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from syncer.mapping.context import MappingContext
from syncer.mapping.outcomes import Outcome, Problem, Rejected, Skip, Write
from syncer.mapping.rules.contacts import map_contact
from syncer.mapping.rules.disputes import map_dispute, map_dispute_reinstatement
from syncer.mapping.rules.documents import map_credit_note, map_invoice
from syncer.mapping.rules.payments import map_allocation, map_credit, map_fee, map_payment, map_payout, map_refund
from syncer.source.model import BillingBook


@dataclass(frozen=True)
class MappedBook:
    """Every outcome, in the plan's dependency order (``syncer.plan.KIND_ORDER``): contacts → invoices →
    credit notes → payments → fees → allocations → refunds → disputes → reinstatements → transfers, then
    the skipped credits."""

    outcomes: tuple[Outcome, ...]

    @property
    def writes(self) -> tuple[Write, ...]:
        return tuple(outcome for outcome in self.outcomes if isinstance(outcome, Write))

    @property
    def skips(self) -> tuple[Skip, ...]:
        return tuple(outcome for outcome in self.outcomes if isinstance(outcome, Skip))

    @property
    def rejected(self) -> tuple[Rejected, ...]:
        return tuple(outcome for outcome in self.outcomes if isinstance(outcome, Rejected))

    def problems(self) -> tuple[Problem, ...]:
        return tuple(problem for outcome in self.rejected for problem in outcome.problems)


def map_book(book: BillingBook, context: MappingContext) -> MappedBook:
    steps: list[tuple[Iterable[Any], Callable[[Any, MappingContext], Outcome]]] = [
        (book.customers, map_contact),
        (book.invoices, map_invoice),
        (book.credit_notes, map_credit_note),
        (book.payments, map_payment),
        (book.payments, map_fee),
        (book.credit_applications, map_allocation),
        (book.refunds, map_refund),
        (book.disputes, map_dispute),
        (book.disputes, map_dispute_reinstatement),
        (book.payouts, map_payout),
        (book.credits, map_credit),
    ]
    return MappedBook(tuple(rule(record, context) for records, rule in steps for record in records))
