"""``--report DIR``: the reconciliation report for finance, one self-contained HTML page.

``DIR/index.html`` holds an index of every scenario and then, per scenario, what failed in plain words,
the trial balance, the bank accounts, each clearing account's running balance (a small SVG chart drawn
here, with the figures in a table under it) and the bank statement matched line by line against the
deposit account's movements. Nothing is loaded from anywhere: the styles are inline, there is no script
and no web font, so the file reads the same offline, attached to an email or archived by CI.

Every piece of text reaches the page through Jinja2 with autoescaping on and through ``redact`` (the
environment's ``finalize`` hook), so neither markup nor a credential quoted in a failure can get through,
whichever template line prints it. Money is formatted from the ``Decimal`` exactly as the books hold it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from scenarios.reports.files import write_whole
from scenarios.reports.redaction import redact
from scenarios.results import Books, Failure, Layer, RunningBalance, RunResult, ScenarioResult, StatementMatch

INDEX = "index.html"
# what each layer means to someone who reads the books, not the harness
LAYER_TITLES = {
    Layer.LOAD: "The scenario file",
    Layer.RUN: "Running the story",
    Layer.OBJECTS: "Objects in Xero",
    Layer.REQUESTS: "Calls to the Xero API",
    Layer.LEDGER: "The ledger",
    Layer.RECONCILE: "Reconciliation",
    Layer.INVARIANT: "A standing check",
}
STATEMENT_WORDS = {
    StatementMatch.MATCHED: "matched",
    StatementMatch.MISSING_IN_XERO: "on the statement, not in Xero",
    StatementMatch.NOT_ON_STATEMENT: "in Xero, not on the statement",
}
ZERO = Decimal("0")


def money(value: Decimal | None) -> str:
    """``1,234.50``: every digit the Decimal holds, never rounded; a negative zero is shown as zero."""
    if value is None:
        return ""
    if value == ZERO:
        value = value.copy_abs()
    return format(value, ",f")


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # "2026-01-06: 115.00", the exact figure behind the dot


@dataclass(frozen=True)
class Chart:
    """A step chart of one clearing account: the balance holds between movements and jumps at each."""

    width: int
    height: int
    path: str
    zero_y: float
    ticks: tuple[tuple[float, str], ...]  # (y, figure) for the lowest balance, zero and the highest
    first_day: str
    last_day: str
    points: tuple[ChartPoint, ...]
    left: int
    right: int
    nets_to_zero: bool
    description: str


CHART_WIDTH, CHART_HEIGHT = 420, 140
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 64, 12, 12, 24


def clearing_chart(balance: RunningBalance) -> Chart | None:
    """The chart's geometry, or ``None`` when the account never moved (a table says so instead).

    The line starts at zero (an empty clearing account), steps to each balance in turn and should end on
    the zero line. Coordinates are floats converted from the Decimals for plotting only: a pixel position
    is never money, and every figure the reader sees is the Decimal formatted exactly.
    """
    if not balance.points:
        return None
    start = ZERO.quantize(balance.points[0][1])  # shown as 0.00, in the places the account's figures have
    values = [start] + [amount for _, amount in balance.points]
    low, high = min(values), max(values)
    if low == high:
        high = low + 1  # a flat line at zero still needs a scale
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = plot_width / (len(values) - 1)

    def y_of(amount: Decimal) -> float:
        return round(CHART_TOP + float((high - amount) / (high - low)) * plot_height, 1)

    xs = [round(CHART_LEFT + index * step, 1) for index in range(len(values))]
    ys = [y_of(amount) for amount in values]
    path = f"M {xs[0]} {ys[0]}" + "".join(f" H {x} V {y}" for x, y in zip(xs[1:], ys[1:], strict=True))
    points = [ChartPoint(xs[0], ys[0], f"start: {money(start)}")] + [
        ChartPoint(x, y, f"{day.isoformat()}: {money(amount)}")
        for x, y, (day, amount) in zip(xs[1:], ys[1:], balance.points, strict=True)
    ]
    closing = balance.closing
    description = (
        f"Clearing account {balance.code} {balance.name}, running balance in {balance.currency}: "
        + "; ".join(point.label for point in points)
        + (". It nets to zero." if closing == ZERO else f". It ends at {money(closing)}, not zero.")
    )
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        path=path,
        zero_y=y_of(ZERO),
        ticks=tuple((y_of(amount), money(amount)) for amount in sorted({min(values), start, max(values)})),
        first_day=balance.points[0][0].isoformat(),
        last_day=balance.points[-1][0].isoformat(),
        points=tuple(points),
        left=CHART_LEFT,
        right=CHART_WIDTH - CHART_RIGHT,
        nets_to_zero=closing == ZERO,
        description=description,
    )


def _anchor(index: int, case_id: str) -> str:
    """A fragment id from a case id (``discounts[currency=USD]`` has characters a URL fragment mangles)."""
    return f"s{index}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", case_id).strip("-") or "case")


def _failure_view(failure: Failure) -> dict[str, Any]:
    return {
        "title": LAYER_TITLES[failure.layer],
        "layer": str(failure.layer),
        "message": failure.message,
        "step": failure.step,
        "where": str(failure.location),
        "path": failure.path,
        "expected": failure.expected,
        "actual": failure.actual,
        "compared": failure.expected is not None or failure.actual is not None,
    }


def _books_view(books: Books) -> dict[str, Any]:
    debits = sum((line.balance for line in books.trial_balance if line.balance > 0), ZERO)
    credits = -sum((line.balance for line in books.trial_balance if line.balance < 0), ZERO)
    return {
        "base_currency": books.base_currency,
        "trial_balance": [
            {
                "code": line.code,
                "name": line.name,
                "account_type": line.account_type,
                "debit": money(line.balance) if line.balance > 0 else "",
                "credit": money(-line.balance) if line.balance < 0 else "",
            }
            for line in books.trial_balance
        ],
        "debits": money(debits),
        "credits": money(credits),
        "trial_balances": debits == credits,
        "bank_accounts": [
            {
                "code": line.code,
                "name": line.name,
                "currency": line.currency,
                "opening": money(line.opening),
                "received": money(line.received),
                "spent": money(line.spent),
                "closing": money(line.closing),
                "base_closing": money(line.base_closing),
            }
            for line in books.bank_accounts
        ],
        "any_base_closing": any(line.base_closing is not None for line in books.bank_accounts),
        "clearing": [
            {
                "code": balance.code,
                "name": balance.name,
                "currency": balance.currency,
                "closing": money(balance.closing),
                "nets_to_zero": balance.closing == ZERO,
                "chart": clearing_chart(balance),
                "points": [{"day": day.isoformat(), "balance": money(amount)} for day, amount in balance.points],
            }
            for balance in books.clearing
        ],
        "statement": [
            {
                "status": str(line.status),
                "words": STATEMENT_WORDS[line.status],
                "matched": line.status is StatementMatch.MATCHED,
                "account_code": line.account_code,
                "currency": line.currency,
                "day": line.date.isoformat(),
                "amount": money(line.amount),
                "on_statement": line.description if line.status is not StatementMatch.NOT_ON_STATEMENT else "",
                "in_xero": line.xero_reference or "",
            }
            for line in books.statement
        ],
        "matched": sum(1 for line in books.statement if line.status is StatementMatch.MATCHED),
        "unmatched": sum(1 for line in books.statement if line.status is not StatementMatch.MATCHED),
        "residues": [f"{b.code}: {money(b.closing)} {b.currency}" for b in books.clearing if b.closing != ZERO],
    }


def _scenario_view(index: int, result: ScenarioResult) -> dict[str, Any]:
    return {
        "anchor": _anchor(index, result.case_id),
        "case_id": result.case_id,
        "name": result.name,
        "passed": result.passed,
        "where": str(result.location),
        "tags": list(result.tags),
        "allowed": list(result.allowed),
        "seconds": f"{result.duration_seconds:.2f}",
        "failures": [_failure_view(f) for f in result.failures],
        "rerun": result.rerun,
        "requests": list(result.requests),
        "books": None if result.books is None else _books_view(result.books),
    }


def _shown(value: Any) -> Any:
    """Every ``{{ … }}`` of the template passes here before it is escaped: nothing printed skips redaction."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # already escaped by a filter; the credential shapes contain nothing it escapes
        return Markup(redact(str(value)))
    return redact(str(value))


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("scenarios", "reports/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(run: RunResult) -> str:
    """The whole page as text."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        summary=run.summary(),
        passed=run.passed,
        failed=run.failed,
        total=len(run.results),
        seconds=f"{run.duration_seconds:.2f}",
        scenarios=[_scenario_view(index, result) for index, result in enumerate(run.results, start=1)],
        layer_titles={str(layer): title for layer, title in LAYER_TITLES.items()},
    )


def write_report(run: RunResult, directory: str | os.PathLike[str]) -> Path:
    """Write ``directory/index.html`` whole or not at all, and return its path."""
    target = Path(directory) / INDEX
    write_whole(target, render_report(run).encode("utf-8"))
    return target
