"""A scenario as the runner uses it: the organisation, the billing source, the statement and the timeline.

Everything here is already checked; each step keeps the place it was written so a failure can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from scenarios.results import Location
from syncer.mapping.config import MappingConfig
from syncer.source.model import BillingBook

from .document import PathKey


@dataclass(frozen=True)
class Organisation:
    """What ``given.organisation`` sets on a fresh tenant before anything syncs."""

    name: str = "Scenario Ltd"
    country: str = "NZ"
    currencies: tuple[str, ...] = ()
    accounts: tuple[Mapping[str, Any], ...] = ()
    items: tuple[Mapping[str, Any], ...] = ()
    tax_rates: tuple[Mapping[str, Any], ...] = ()
    lock_dates: Mapping[str, date | None] = field(default_factory=dict)
    # (currency, from date or None for every date, rate as text): foreign units per one base unit
    exchange_rates: tuple[tuple[str, date | None, str], ...] = ()


@dataclass(frozen=True)
class StatementEntry:
    """One line of a bank statement: money that really arrived in (or left) an account."""

    account: str
    date: date
    amount: Decimal
    description: str = ""
    currency: str | None = None


@dataclass(frozen=True)
class Step:
    """One timeline step. ``kind`` is sync, advance, change, faults or expect; ``body`` is its checked value:
    sync → options (``change_policy``, ``crash_after_writes``), advance → seconds (a float of seconds, never
    money), change → the patch, faults → the fault rules as the emulator takes them, expect → the layers."""

    index: int
    kind: str
    body: Any
    location: Location

    @property
    def label(self) -> str:
        return f"steps[{self.index}] {self.kind}"


@dataclass(frozen=True)
class Scenario:
    """One case: a scenario file, or one combination of its ``matrix``."""

    case_id: str
    name: str
    location: Location
    start: datetime
    organisation: Organisation
    mapping: MappingConfig
    source: Mapping[str, Any]  # the billing records as plain data, so ``change`` steps can patch them
    book: BillingBook
    steps: tuple[Step, ...]
    statement: tuple[StatementEntry, ...] | None = None  # None: the payouts are the statement
    tags: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    description: str = ""
    places: Mapping[PathKey, Location] = field(default_factory=dict)
    rate_limits: Mapping[str, int] = field(default_factory=dict)  # the emulator's limits, when not Xero's
    # given.integrations: entries as the integration file writes them (checked; a relative mapping path made
    # absolute); empty: the single-mapping mode. The runner stores them in each case's own state file.
    integrations: tuple[Mapping[str, Any], ...] = ()
    # given.external_mappings: (billing account id, code, integration name or None for a global mapping)
    external_mappings: tuple[tuple[str, str, str | None], ...] = ()
    mapping_text: str = ""  # given.mapping as the engine's loader read it (YAML), for the integrations' file
    auth: str = "client_credentials"  # or authorization_code: the engine holds a rotating refresh token

    def where(self, path: PathKey) -> Location:
        """The file position of a path in the (merged) document, or its nearest ancestor's."""
        for end in range(len(path), -1, -1):
            found = self.places.get(path[:end])
            if found is not None:
                return found
        return self.location
