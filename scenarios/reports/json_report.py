"""``--json FILE``: the run as a versioned document (contracts/scenario-report.schema.json).

Money is a string (``"96.80"``, exactly as the Decimal holds it) so no reader turns it into a float; dates
are ISO (``2026-01-07``). ``schema_version`` changes only when a field is removed or changes meaning;
fields may be added within a version.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from scenarios.reports.files import write_whole
from scenarios.reports.redaction import redact
from scenarios.results import Books, Failure, Location, RunResult, ScenarioResult

SCHEMA_VERSION = 1


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _location(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "column": location.column}


def _failure(failure: Failure) -> dict[str, Any]:
    return {
        "layer": str(failure.layer),
        "message": failure.message,
        "location": _location(failure.location),
        "step": failure.step,
        "path": failure.path,
        "expected": failure.expected,
        "actual": failure.actual,
        "text": str(failure),
    }


def _books(books: Books) -> dict[str, Any]:
    return {
        "base_currency": books.base_currency,
        "trial_balance": [
            {"code": t.code, "name": t.name, "account_type": t.account_type, "balance": _money(t.balance)}
            for t in books.trial_balance
        ],
        "bank_accounts": [
            {
                "code": b.code,
                "name": b.name,
                "currency": b.currency,
                "opening": _money(b.opening),
                "received": _money(b.received),
                "spent": _money(b.spent),
                "closing": _money(b.closing),
                "base_closing": _money(b.base_closing),
            }
            for b in books.bank_accounts
        ],
        "clearing": [
            {
                "code": c.code,
                "name": c.name,
                "currency": c.currency,
                "closing": _money(c.closing),
                "points": [{"date": day.isoformat(), "balance": _money(amount)} for day, amount in c.points],
            }
            for c in books.clearing
        ],
        "statement": [
            {
                "account_code": s.account_code,
                "currency": s.currency,
                "date": s.date.isoformat(),
                "amount": _money(s.amount),
                "description": s.description,
                "status": str(s.status),
                "xero_reference": s.xero_reference,
            }
            for s in books.statement
        ],
    }


def _scenario(result: ScenarioResult) -> dict[str, Any]:
    return {
        "case_id": result.case_id,
        "name": result.name,
        "location": _location(result.location),
        "passed": result.passed,
        "tags": list(result.tags),
        "allowed": list(result.allowed),
        "duration_seconds": round(result.duration_seconds, 3),
        "failures": [_failure(f) for f in result.failures],
        "requests": list(result.requests),
        "books": None if result.books is None else _books(result.books),
        "rerun": result.rerun,
    }


def report_document(run: RunResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": {
            "passed": run.passed,
            "failed": run.failed,
            "text": run.summary(),
            "duration_seconds": round(run.duration_seconds, 3),
        },
        "scenarios": [_scenario(r) for r in run.results],
    }


def write_json(run: RunResult, path: str | os.PathLike[str]) -> None:
    """Write the document whole or not at all."""
    text = json.dumps(_redacted(report_document(run)), indent=2, ensure_ascii=False) + "\n"
    write_whole(Path(path), text.encode("utf-8"))


def _redacted(value: Any) -> Any:
    """Every text of the document through ``redact``: a failure's expected or actual may quote a token."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_redacted(child) for child in value]
    return value
