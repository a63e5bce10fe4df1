"""Hand-built run results for the report tests: a passing story, one failing in several layers, a matrix case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scenarios.results import (
    BankAccountLine,
    Books,
    Failure,
    Layer,
    Location,
    RunningBalance,
    RunResult,
    ScenarioResult,
    StatementLine,
    StatementMatch,
    TrialBalanceLine,
)

FIRST_INVOICE = ScenarioResult(
    case_id="first-paid-invoice",
    name="A new customer's first paid invoice with a fee and a payout",
    location=Location("scenarios/cases/first-paid-invoice.yaml", 1, 1),
    tags=("payments",),
    duration_seconds=0.412,
    requests=(
        "PUT /api.xro/2.0/Contacts 200",
        "PUT /api.xro/2.0/Invoices 200",
        "PUT /api.xro/2.0/Payments 200",
    ),
    books=Books(
        base_currency="NZD",
        trial_balance=(
            TrialBalanceLine("090", "Business Bank Account", "BANK", Decimal("96.80")),
            TrialBalanceLine("200", "Sales", "REVENUE", Decimal("-86.96")),
            TrialBalanceLine("2200", "GST", "CURRLIAB", Decimal("-13.04")),
            TrialBalanceLine("404", "Bank Fees", "EXPENSE", Decimal("3.20")),
        ),
        bank_accounts=(
            BankAccountLine(
                "090",
                "Business Bank Account",
                "NZD",
                Decimal("0.00"),
                Decimal("96.80"),
                Decimal("0.00"),
                Decimal("96.80"),
            ),
        ),
        clearing=(
            RunningBalance(
                "610",
                "Stripe Clearing NZD",
                "NZD",
                (
                    (date(2026, 1, 5), Decimal("100.00")),
                    (date(2026, 1, 5), Decimal("96.80")),
                    (date(2026, 1, 7), Decimal("0.00")),
                ),
            ),
        ),
        statement=(
            StatementLine(
                "090", "NZD", date(2026, 1, 7), Decimal("96.80"), "STRIPE PAYOUT po_1", StatementMatch.MATCHED, "po_1"
            ),
        ),
    ),
    rerun="python -m scenarios run scenarios/cases/first-paid-invoice.yaml",
)

FEE_TRAP = ScenarioResult(
    case_id="fee-from-deposit",
    name="The gateway fee drawn from the deposit account",
    location=Location("scenarios/cases/fee-from-deposit.yaml", 1, 1),
    failures=(
        Failure(
            Layer.OBJECTS,
            "value differs",
            Location("scenarios/cases/fee-from-deposit.yaml", 31, 18),
            step="steps[1] expect",
            path="objects.invoices.inv_1.AmountDue",
            expected='"0.00"',
            actual='"15.00"',
        ),
        Failure(
            Layer.REQUESTS,
            "more calls than expected",
            Location("scenarios/cases/fee-from-deposit.yaml", 36, 9),
            step="steps[1] expect",
            path="requests.calls.PUT /Payments",
            expected="1",
            actual="2",
        ),
        Failure(
            Layer.RECONCILE,
            "clearing account does not net to zero",
            Location("scenarios/cases/fee-from-deposit.yaml", 40, 7),
            step="steps[1] expect",
            path="reconcile.clearing.610",
            expected='"0.00"',
            actual='"3.20"',
        ),
    ),
    duration_seconds=0.655,
    requests=(
        "POST /connect/token 200 Authorization: [redacted]",
        "PUT /api.xro/2.0/Payments 200",
        "PUT /api.xro/2.0/Payments 200",
    ),
    rerun="python -m scenarios run scenarios/cases/fee-from-deposit.yaml",
)

DISCOUNT_USD = ScenarioResult(
    case_id="discounts[currency=USD,tax=inclusive]",
    name="Discounts in both modes",
    location=Location("scenarios/cases/discounts.yaml", 4, 3),
    failures=(
        Failure(
            Layer.LEDGER,
            "balance differs",
            Location("scenarios/cases/discounts.yaml", 52, 11),
            step="steps[2] expect",
            path="ledger.balances.200",
            expected='"-40.00"',
            actual='"-43.48"',
        ),
    ),
    tags=("matrix", "tax"),
    duration_seconds=0.201,
    rerun="python -m scenarios run scenarios/cases/discounts.yaml -k 'discounts[currency=USD,tax=inclusive]'",
)

RUN = RunResult((FIRST_INVOICE, FEE_TRAP, DISCOUNT_USD), duration_seconds=1.27)
