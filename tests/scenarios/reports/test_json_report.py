import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from scenarios.reports.json_report import SCHEMA_VERSION, report_document, write_json
from scenarios.results import RunResult
from tests.scenarios.reports.runs import FEE_TRAP, FIRST_INVOICE, RUN

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "contracts" / "scenario-report.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_itself_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_written_file_validates_against_the_schema(tmp_path):
    path = tmp_path / "run.json"
    write_json(RUN, path)
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    assert sorted(e.message for e in VALIDATOR.iter_errors(document)) == []
    assert document["schema_version"] == SCHEMA_VERSION == 1
    assert document["summary"] == {
        "passed": 1,
        "failed": 2,
        "text": "1 passed, 2 failed",
        "duration_seconds": Decimal("1.27"),
    }


def test_money_is_a_string_and_dates_are_iso():
    books = report_document(RUN)["scenarios"][0]["books"]
    assert books["trial_balance"][1] == {"code": "200", "name": "Sales", "account_type": "REVENUE", "balance": "-86.96"}
    assert books["clearing"][0]["points"][-1] == {"date": "2026-01-07", "balance": "0.00"}
    assert books["clearing"][0]["closing"] == "0.00"
    assert books["statement"][0]["amount"] == "96.80" and books["statement"][0]["status"] == "matched"
    assert books["bank_accounts"][0]["base_closing"] is None


def test_each_failure_keeps_its_location_and_its_printed_text():
    (_, fee_trap, _) = report_document(RUN)["scenarios"]
    assert fee_trap["passed"] is False
    first = fee_trap["failures"][0]
    assert first["location"] == {"file": "scenarios/cases/fee-from-deposit.yaml", "line": 31, "column": 18}
    assert (first["layer"], first["expected"], first["actual"]) == ("objects", '"0.00"', '"15.00"')
    assert first["text"] == str(FEE_TRAP.failures[0])
    assert fee_trap["rerun"] == FEE_TRAP.rerun


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["scenarios"][0]["books"]["trial_balance"][0].update(balance=96.8), "is not of type 'string'"),
        (lambda d: d["scenarios"][0]["books"]["statement"][0].update(date="07/01/2026"), "does not match"),
        (lambda d: d["scenarios"][1]["failures"][0].update(layer="vibes"), "is not one of"),
        (lambda d: d.update(schema_version=2), "1 was expected"),
    ],
)
def test_the_schema_refuses_float_money_non_iso_dates_unknown_layers_and_other_versions(change, reason):
    document = json.loads(json.dumps(report_document(RUN)))
    change(document)
    messages = [e.message for e in VALIDATOR.iter_errors(document)]
    assert len(messages) == 1 and reason in messages[0], messages


def test_a_scenario_without_books_writes_null():
    (only,) = report_document(RunResult((FIRST_INVOICE.__class__("x", "X", FIRST_INVOICE.location),)))["scenarios"]
    assert only["books"] is None and VALIDATOR.is_valid(report_document(RunResult()))
