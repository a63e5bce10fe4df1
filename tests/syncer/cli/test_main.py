"""xero-sync from the command line against the served emulator: plan, apply, a quiet re-run, status,
runs, check, and the exit codes (0 clean, 1 failed or unreconciled, 2 bad input, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from syncer.cli import cli
from syncer.clock import FakeClock

EXAMPLES = Path(__file__).resolve().parents[3] / "contracts" / "examples"
SOURCE = str(EXAMPLES / "billing-source.example.yaml")
MAPPING = str(EXAMPLES / "mapping.example.yaml")


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    """The command makes its own clock; here it is one that never really waits."""
    monkeypatch.setattr("syncer.xero.client.SystemClock", FakeClock)


@pytest.fixture
def xero_sync(live_server, unlimited, tmp_path):
    connection = [
        "--base-url",
        live_server + "/api.xro/2.0",
        "--identity-url",
        live_server,
        "--client-id",
        DEFAULT_CLIENT_ID,
        "--client-secret",
        DEFAULT_CLIENT_SECRET,
        "--state",
        str(tmp_path / "state.db"),
    ]

    def run(*args: str):
        return CliRunner().invoke(cli, [*connection, *args], catch_exceptions=False)

    return run


def test_plan_apply_and_a_second_apply_that_writes_nothing(xero_sync):
    planned = xero_sync("plan", SOURCE, "--mapping", MAPPING, "--json")
    assert planned.exit_code == 0, planned.output
    document = json.loads(planned.output)
    assert len(document["writes"]) == 13 and document["problems"] == []
    skipped = {skip["source_id"]: skip["reason"] for skip in document["skips"]}
    assert skipped["cr_1"] == "standalone credit: not pushed to Xero unless it is part of an issued credit note"
    applied = xero_sync("apply", SOURCE, "--mapping", MAPPING, "--json")
    assert applied.exit_code == 0, applied.output
    report = json.loads(applied.output[applied.output.index("{") :])
    assert report["status"] == "clean" and report["counts"]["created"] == 13 and report["settlement"] == []
    again = xero_sync("apply", SOURCE, "--mapping", MAPPING, "--json")
    report = json.loads(again.output[again.output.index("{") :])
    assert report["counts"]["created"] == 0 and report["counts"]["unchanged"] == 13
    runs = xero_sync("runs", "--json")
    assert [run["status"] for run in json.loads(runs.output)] == ["clean", "clean"]
    one = xero_sync("runs", "1")
    assert "created contact cus_1" in one.output
    status = xero_sync("status")
    assert "0 unfinished writes" in status.output and "3 transfer" in status.output
    check = xero_sync("check", SOURCE, "--mapping", MAPPING)
    assert check.exit_code == 0
    assert "settled: clearing nets to zero and deposits match the payouts" in check.output


def test_bad_input_is_exit_2_with_every_problem_and_nothing_is_written(xero_sync, tmp_path, emulator):
    source = tmp_path / "bad.yaml"
    source.write_text(
        "format_version: 1\n"
        "customers:\n"
        "  - {id: cus_1, name: Acme}\n"
        "invoices:\n"
        "  - id: inv_1\n"
        "    customer_id: cus_9\n"
        "    number: INV-1\n"
        "    status: pending\n"
        "    currency: NZD\n"
        "    issue_date: 2024-01-31\n"
        "    due_date: 2024-02-14\n"
        "    tax_mode: exclusive\n"
        "    total: 115.00\n"
        "    lines: []\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", str(source), "--mapping", MAPPING])
    assert result.exit_code == 2
    assert f'{source}:13: invoices[0] (inv_1).total: write amounts as quoted strings ("115.0")' in result.output
    before = len(emulator.traffic.log.entries())
    assert xero_sync("apply", str(source), "--mapping", MAPPING).exit_code == 2
    assert len(emulator.traffic.log.entries()) == before  # not even a read


def test_settings_come_from_a_config_file_when_no_flag_or_variable_gives_them(live_server, unlimited, tmp_path):
    config = tmp_path / "xero-sync.yaml"
    config.write_text(
        f"base_url: {live_server}/api.xro/2.0\nidentity_url: {live_server}\nclient_id: {DEFAULT_CLIENT_ID}\n"
        f"client_secret: {DEFAULT_CLIENT_SECRET}\nstate_path: {tmp_path / 's.db'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "plan", SOURCE, "--mapping", MAPPING])
    assert result.exit_code == 0, result.output
    assert "13 writes, 1 skipped, 0 unchanged, 0 problems" in result.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("base_uri: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(wrong), "status"])
    assert result.exit_code == 2 and "unknown settings base_uri" in result.output
