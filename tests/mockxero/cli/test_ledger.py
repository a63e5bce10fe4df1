"""``mockxero ledger``: against a served mock and against a data file; exit 0, 1 or 2."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from mockxero import create_app
from mockxero.cli import cli
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.helpers import add_spend as spend
from tests.mockxero.helpers import break_first_journal


def run(*args):
    return CliRunner().invoke(cli, ["ledger", *args])


def test_balanced_books_over_http_exit_0(live_server, xero):
    spend(xero)
    result = run("--url", live_server)
    assert result.exit_code == 0, result.output
    assert f"Demo Company (NZ) ({DEFAULT_TENANT_ID}): balanced" in result.output
    assert "Trial balance NZD: debits 115.00, credits 115.00" in result.output


def test_json_output_is_the_control_apis_answer(live_server, xero):
    spend(xero)
    result = run("--url", live_server, "--json", "--tenant-id", DEFAULT_TENANT_ID)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["balanced"] is True and [t["tenant_id"] for t in body["tenants"]] == [DEFAULT_TENANT_ID]


@pytest.mark.ledger_unchecked
def test_unbalanced_books_exit_1_and_show_the_errors(live_server, xero, emulator):
    spend(xero)
    break_first_journal(emulator)
    result = run("--url", live_server)
    assert result.exit_code == 1
    assert "NOT BALANCED (2 errors)" in result.output
    assert "does not balance: debits exceed credits by 0.01 NZD" in result.output


def test_an_unreachable_server_exits_2():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("--url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert "cannot reach the mock" in result.output


def test_an_unknown_tenant_exits_2(live_server):
    result = run("--url", live_server, "--tenant-id", "99999999-9999-4999-8999-999999999999")
    assert result.exit_code == 2
    assert "No tenant" in result.output


@pytest.fixture
def data_file(tmp_path, clock):
    """A data file holding books with one spend, written by an emulator that is then dropped."""
    path = tmp_path / "books.mockxero.json"
    app = create_app(MockConfig(clock=clock, testing=True, data_file=str(path)))
    client = app.test_client()
    spend(XeroTestClient(client, issue_token(client)))
    return path, app.extensions["mockxero"]


def test_a_data_file_is_checked_without_a_server(data_file):
    path, _ = data_file
    result = run("--data-file", str(path))
    assert result.exit_code == 0, result.output
    assert "balanced" in result.output and "090" in result.output


@pytest.mark.ledger_unchecked
def test_a_broken_data_file_exits_1(data_file):
    path, emulator = data_file
    break_first_journal(emulator)  # written through to the file
    assert run("--data-file", str(path)).exit_code == 1


def test_a_data_file_without_the_tenant_exits_2(data_file):
    path, _ = data_file
    result = run("--data-file", str(path), "--tenant-id", "99999999-9999-4999-8999-999999999999")
    assert result.exit_code == 2
    assert "holds no books for tenant" in result.output


def test_a_corrupt_data_file_exits_2(tmp_path):
    path = tmp_path / "corrupt.json"
    path.write_text("{not json")
    result = run("--data-file", str(path))
    assert result.exit_code == 2


def test_url_and_data_file_together_are_a_usage_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("")
    result = run("--url", "http://127.0.0.1:1", "--data-file", str(path))
    assert result.exit_code == 2
    assert "either --url or --data-file" in result.output


def test_a_missing_data_file_is_a_usage_error(tmp_path):
    assert run("--data-file", str(tmp_path / "absent.json")).exit_code == 2
