"""What a mapping rule hands back: a write for the plan, a deliberate skip, or the problems that stop it.

Every rule returns exactly one of ``Write``, ``Skip`` or ``Rejected`` for one billing record and one kind of
Xero object, so the engine records an outcome for every (kind, billing id) pair and never loses a record
silently. ``Write``, ``Skip``, ``Problem`` and ``NaturalKey`` are the plan's own values (``syncer.plan``): a
rule's write goes into the plan as it is. Bodies are plain dicts in Xero's field names with ``Decimal``
amounts, ``YYYY-MM-DD`` dates and ``Ref`` placeholders where another object's Xero id belongs; an object's
own id is never in its body (the write's ``xero_id`` carries it), so ``depends_on`` names only other writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syncer.plan import NaturalKey, Operation, Priority, Problem, Skip, Write
from syncer.refs import Kind


@dataclass(frozen=True)
class Rejected:
    """A record that cannot be sent as it stands; nothing is written for it. Its problems name it."""

    kind: Kind
    source_id: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)


Outcome = Write | Skip | Rejected

__all__ = ["NaturalKey", "Operation", "Outcome", "Priority", "Problem", "Rejected", "Skip", "Write"]
