"""What running a scenario produces: located failures and the books a finance reviewer reads.

These values are the one interface between the runner (which fills them) and the reports (terminal,
JUnit, GitHub annotations, JSON and HTML), so a report never reaches back into the runner or the emulator.
Money is ``Decimal`` and dates are ``date`` throughout; a report formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Layer(StrEnum):
    """Where a failure was found. The four expectation layers, the standing invariants, and the two ways a
    scenario can fail before it is judged (a bad file, or a step that could not run)."""

    LOAD = "load"
    RUN = "run"
    OBJECTS = "objects"
    REQUESTS = "requests"
    LEDGER = "ledger"
    RECONCILE = "reconcile"
    INVARIANT = "invariant"


@dataclass(frozen=True)
class Location:
    """A place in a scenario file. Lines and columns count from 1, as editors and GitHub show them."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass(frozen=True)
class Failure:
    """One thing that is not as the scenario says, named so a reader can go straight to it.

    ``step`` names the timeline step (``steps[3] expect``), ``path`` the place in the expectation
    (``objects.invoices.inv_1.AmountDue``); ``expected`` and ``actual`` are already rendered as text.
    """

    layer: Layer
    message: str
    location: Location
    step: str | None = None
    path: str | None = None
    expected: str | None = None
    actual: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.location}: [{self.layer}]"]
        if self.step:
            parts.append(self.step)
        if self.path:
            parts.append(self.path)
        text = " ".join(parts) + f": {self.message}"
        if self.expected is not None or self.actual is not None:
            text += f"\n  expected: {self.expected}\n  actual:   {self.actual}"
        return text


@dataclass(frozen=True)
class TrialBalanceLine:
    """One account's total in the organisation's base currency: debits positive, credits negative."""

    code: str
    name: str
    account_type: str
    balance: Decimal


@dataclass(frozen=True)
class BankAccountLine:
    """One bank account over the scenario, in its own currency; ``base_closing`` when it is foreign."""

    code: str
    name: str
    currency: str
    opening: Decimal
    received: Decimal
    spent: Decimal
    closing: Decimal
    base_closing: Decimal | None = None


@dataclass(frozen=True)
class RunningBalance:
    """A clearing account's balance after each movement, in its currency; it should end at zero."""

    code: str
    name: str
    currency: str
    points: tuple[tuple[date, Decimal], ...]

    @property
    def closing(self) -> Decimal:
        return self.points[-1][1] if self.points else Decimal("0")


class StatementMatch(StrEnum):
    MATCHED = "matched"
    MISSING_IN_XERO = "missing in Xero"  # on the bank statement, no deposit in Xero
    NOT_ON_STATEMENT = "not on statement"  # a deposit in Xero the bank never showed


@dataclass(frozen=True)
class StatementLine:
    """One line of the statement match: a deposit on the bank statement, in Xero, or both."""

    account_code: str
    currency: str
    date: date
    amount: Decimal
    description: str
    status: StatementMatch
    xero_reference: str | None = None


@dataclass(frozen=True)
class Books:
    """The organisation's books at the end of a scenario, as the HTML report shows them."""

    base_currency: str
    trial_balance: tuple[TrialBalanceLine, ...] = ()
    bank_accounts: tuple[BankAccountLine, ...] = ()
    clearing: tuple[RunningBalance, ...] = ()
    statement: tuple[StatementLine, ...] = ()


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario (one case of a matrix) after it ran.

    ``case_id`` is unique across a run (``fee-trap`` or ``discounts[currency=USD,tax=inclusive]``);
    ``rerun`` is the command that runs just this case again. ``requests`` is an excerpt of the
    emulator's request log, one line per call, with tokens and secrets already redacted.
    """

    case_id: str
    name: str
    location: Location
    failures: tuple[Failure, ...] = ()
    tags: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    duration_seconds: float = 0.0
    requests: tuple[str, ...] = ()
    books: Books | None = None
    rerun: str = ""

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class RunResult:
    """Every scenario of one run, in a stable order (file, then case), whatever the parallelism."""

    results: tuple[ScenarioResult, ...] = field(default_factory=tuple)
    duration_seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"
