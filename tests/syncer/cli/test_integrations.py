"""xero-sync's integrations, credentials and mappings commands, and the documented plan example: the plan
output shown in docs/syncer/integrations.md is what the command prints for the example files beside it."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from syncer.cli import cli
from syncer.clock import FakeClock

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "syncer" / "examples" / "integrations"
PAGE = ROOT / "docs" / "syncer" / "integrations.md"


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    monkeypatch.setattr("syncer.xero.client.SystemClock", FakeClock)


@pytest.fixture
def xero_sync(live_server, unlimited, tmp_path):
    connection = ["--base-url", live_server + "/api.xro/2.0", "--identity-url", live_server]
    connection += ["--state", str(tmp_path / "state.db")]

    def run(*args: str, expect: int = 0):
        result = CliRunner().invoke(cli, [*connection, *args], catch_exceptions=False)
        assert result.exit_code == expect, result.output
        return result

    return run


def documented_block(heading: str) -> str:
    """The text block that follows ``heading`` in the integrations page."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(re.escape(heading) + r".*?```text\n(.*?)```", text, re.S)
    assert found, f"{PAGE} has no text block after {heading!r}"
    return found.group(1)


def test_the_documented_plan_example_is_what_plan_prints(xero_sync):
    xero_sync(
        "credentials", "create", "main", "--client-id", DEFAULT_CLIENT_ID, "--client-secret", DEFAULT_CLIENT_SECRET
    )
    xero_sync("integrations", "create", str(EXAMPLE / "integrations.yaml"))
    xero_sync("integrations", "connect", "UK bills", "--credential", "main")
    printed = xero_sync("plan", str(EXAMPLE / "source.yaml")).stdout
    heading, *plan_lines = printed.splitlines()
    assert re.fullmatch(r"== integration 'UK bills' \([0-9a-f-]{36}\) -> Demo Company \(NZ\) \(\S+\): planned", heading)
    documented = documented_block("<!-- plan output -->").splitlines()
    assert documented[1:] == plan_lines
    as_json = json.loads(xero_sync("plan", str(EXAMPLE / "source.yaml"), "--json").stdout)
    [invoice] = [w for w in as_json["integrations"][0]["plan"]["writes"] if w["kind"] == "invoice"]
    lines = json.dumps(invoice["body"]["LineItems"], indent=2)
    assert documented_block("<!-- plan lines -->").strip() == lines


def test_credentials_are_stored_0600_and_never_printed(xero_sync, tmp_path):
    created = xero_sync("credentials", "create", "main", "--client-id", "app-1", "--client-secret", "s3cret-value")
    assert "s3cret-value" not in created.output
    path = tmp_path / "state.db.credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = xero_sync("credentials", "list", "--json")
    assert "s3cret-value" not in listed.output
    assert [row["name"] for row in json.loads(listed.stdout)] == ["main"]
    again = xero_sync("credentials", "create", "MAIN", "--client-id", "x", "--client-secret", "y", expect=2)
    assert "a credential named 'MAIN' already exists" in again.output


def test_a_credential_in_use_cannot_be_deleted(xero_sync):
    xero_sync(
        "credentials", "create", "main", "--client-id", DEFAULT_CLIENT_ID, "--client-secret", DEFAULT_CLIENT_SECRET
    )
    xero_sync("integrations", "create", str(EXAMPLE / "integrations.yaml"))
    xero_sync("integrations", "connect", "UK bills", "--credential", "main")
    refused = xero_sync("credentials", "delete", "main", expect=2)
    assert "credential 'main' is used by 'UK bills'; disconnect them first" in refused.output
    xero_sync("integrations", "disconnect", "UK bills")
    assert "deleted credential" in xero_sync("credentials", "delete", "main").output


def test_integrations_create_list_show_disable_enable_delete(xero_sync, tmp_path):
    created = json.loads(xero_sync("integrations", "create", str(EXAMPLE / "integrations.yaml"), "--json").stdout)
    [record] = created
    assert record["name"] == "UK bills" and record["enabled"] is True and record["tenant_id"] is None
    twice = xero_sync("integrations", "create", str(EXAMPLE / "integrations.yaml"), expect=2)
    assert "integrations named 'UK bills' already exist; nothing was created" in twice.output
    shown = xero_sync("integrations", "show", record["id"]).output
    assert "account_filter: customFields != null AND customFields.country == UK" in shown
    disabled = json.loads(xero_sync("integrations", "disable", "uk bills", "--reason", "month end", "--json").stdout)
    assert disabled[0]["enabled"] is False and disabled[0]["disabled_reason"] == "month end"
    assert "DISABLED (month end)" in xero_sync("integrations", "list").output
    xero_sync("integrations", "enable", "UK bills")
    xero_sync("integrations", "delete", "UK bills")
    assert "no integrations yet" in xero_sync("integrations", "list").output
    missing = xero_sync("integrations", "show", "UK bills", expect=2)
    assert "no integration named or with id 'UK bills'; known: none yet" in missing.output


def test_a_bad_configuration_file_creates_nothing_and_names_every_problem(xero_sync, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nintegrations:\n  - name: A\n    mapping: nowhere.yaml\n  - name: B\n    mapping: nowhere.yaml\n"
        "    account_filter: 'country == UK'\n"
    )
    refused = xero_sync("integrations", "create", str(bad), expect=2)
    assert f"{bad}:4 (integrations.0.mapping): 'nowhere.yaml': " in refused.output
    assert f"{bad}:7 (integrations.1.account_filter): column 1: unknown account field 'country'" in refused.output
    assert "no integrations yet" in xero_sync("integrations", "list").output


def test_mappings_global_and_linked(xero_sync):
    xero_sync("integrations", "create", str(EXAMPLE / "integrations.yaml"))
    xero_sync("mappings", "add", "cus_1", "ACME-001")
    xero_sync("mappings", "add", "cus_1", "UK-001", "--integration", "UK bills")
    listed = json.loads(xero_sync("mappings", "list", "--json").stdout)
    assert [(row["code"], row["integration_id"] is None) for row in listed] == [("ACME-001", True), ("UK-001", False)]
    linked = json.loads(xero_sync("mappings", "list", "--integration", "UK bills", "--json").stdout)
    assert [row["code"] for row in linked] == ["UK-001"]
    xero_sync("mappings", "delete", "cus_1", "--integration", "UK bills")
    gone = xero_sync("mappings", "delete", "cus_1", "--integration", "UK bills", expect=2)
    assert "there is no linked to integration 'UK bills' external mapping for account 'cus_1'" in gone.output


def test_plan_without_a_mapping_or_integrations_is_bad_input(xero_sync):
    refused = xero_sync("plan", str(EXAMPLE / "source.yaml"), expect=2)
    assert "no --mapping was given and no integration exists in " in refused.output
    both = xero_sync(
        "plan", str(EXAMPLE / "source.yaml"), "--mapping", str(EXAMPLE / "mapping.yaml"), "--integration", "x", expect=2
    )
    assert "give --mapping (one mapping, no integration) or --integration, not both" in both.output
