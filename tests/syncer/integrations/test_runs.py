"""Integrations end to end against the emulator served on a loopback port, driven through xero-sync's own
commands: two integrations for one organisation chosen by the account filter, an overlap refused, a
revoked credential that disables an integration and emails its users through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from syncer.cli import cli
from syncer.clock import FakeClock
from syncer.engine import Outcome, RunReport
from syncer.integrations.credentials import CredentialsFile
from syncer.integrations.notify import Mailer
from syncer.integrations.registry import Registry
from syncer.integrations.runs import Endpoint, run_integrations, run_status
from syncer.settlement import SettlementProblem, SettlementReport
from syncer.source.files import load_book
from syncer.state.store import StateStore
from syncer.xero.errors import GaveUp
from tests.helpers import USER_SCOPES, basic, user_tokens

MAPPING = """\
version: 1
default_revenue_account: "{revenue}"
currencies:
  NZD: {{deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "429"}}
tax:
  gst: OUTPUT2
"""
INTEGRATIONS = """\
version: 1
integrations:
  - name: UK bills
    mapping: mapping.uk.yaml
    account_filter: "customFields != null AND customFields.country == UK"
    disabled_notification_users: [finance@example.test]
  - name: Rest of world
    mapping: mapping.rest.yaml
    account_filter: "NOT customFields.country = UK"
"""
EVERYONE = """\
version: 1
integrations:
  - name: Everyone
    mapping: mapping.rest.yaml
"""


def invoice(ident: str, customer: str, number: str) -> str:
    return f"""\
  - id: {ident}
    customer_id: {customer}
    number: {number}
    status: pending
    currency: NZD
    issue_date: 2024-01-31
    due_date: 2024-02-14
    tax_mode: exclusive
    total: "115.00"
    lines:
      - {{id: {ident}_l1, type: STANDING_CHARGE, description: Pro plan, quantity: "1", unit_price: "100.00",
         subtotal: "100.00", tax_amount: "15.00", tax_code: gst}}
"""


SOURCE = (
    "format_version: 1\n"
    "customers:\n"
    "  - {id: cus_uk, name: Brit Ltd, currency: NZD, custom_fields: {country: UK}}\n"
    "  - {id: cus_us, name: Yank Inc, currency: NZD, custom_fields: {country: US}}\n"
    "invoices:\n" + invoice("inv_uk", "cus_uk", "INV-UK-1") + invoice("inv_us", "cus_us", "INV-US-1") + "payments:\n"
    '  - {id: pay_uk, invoice_id: inv_uk, amount: "115.00", fee: "3.20", currency: NZD, captured_on: 2024-02-01,'
    " payout_id: po_uk}\n"
    '  - {id: pay_us, invoice_id: inv_us, amount: "115.00", fee: "3.20", currency: NZD, captured_on: 2024-02-01,'
    " payout_id: po_us}\n"
    "payouts:\n"
    '  - {id: po_uk, currency: NZD, arrival_date: 2024-02-03, net: "111.80", payment_ids: [pay_uk]}\n'
    '  - {id: po_us, currency: NZD, arrival_date: 2024-02-04, net: "111.80", payment_ids: [pay_us]}\n'
)


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    monkeypatch.setattr("syncer.xero.client.SystemClock", FakeClock)


@pytest.fixture
def files(tmp_path) -> Path:
    (tmp_path / "mapping.uk.yaml").write_text(MAPPING.format(revenue="200"))
    (tmp_path / "mapping.rest.yaml").write_text(MAPPING.format(revenue="260"))
    (tmp_path / "integrations.yaml").write_text(INTEGRATIONS)
    (tmp_path / "everyone.yaml").write_text(EVERYONE)
    (tmp_path / "source.yaml").write_text(SOURCE)
    return tmp_path


@pytest.fixture
def xero_sync(live_server, unlimited, files):
    connection = [
        "--base-url",
        live_server + "/api.xro/2.0",
        "--identity-url",
        live_server,
        "--state",
        str(files / "state.db"),
        "--outbox",
        str(files / "outbox"),
    ]

    def run(*args: str, expect: int = 0):
        result = CliRunner().invoke(cli, [*connection, *args], catch_exceptions=False)
        assert result.exit_code == expect, result.output
        return result

    return run


def connected(xero_sync, files, config: str = "integrations.yaml") -> list[dict]:
    xero_sync(
        "credentials", "create", "main app", "--client-id", DEFAULT_CLIENT_ID, "--client-secret", DEFAULT_CLIENT_SECRET
    )
    created = json.loads(xero_sync("integrations", "create", str(files / config), "--json").stdout)
    for record in created:
        xero_sync("integrations", "connect", record["name"], "--credential", "main app")
    return created


def test_two_integrations_for_one_organisation_send_every_bill_once_into_their_own_accounts(xero_sync, files, xero):
    connected(xero_sync, files)
    listed = xero_sync("integrations", "list").output
    assert "UK bills  enabled  Demo Company (NZ)" in listed and "Rest of world  enabled" in listed

    planned = json.loads(xero_sync("plan", str(files / "source.yaml"), "--json").stdout)["integrations"]
    by_name = {found["name"]: found for found in planned}
    uk = by_name["UK bills"]["plan"]
    assert sorted(write["source_id"] for write in uk["writes"]) == ["cus_uk", "inv_uk", "pay_uk", "pay_uk", "po_uk"]
    skipped = {skip["source_id"]: skip["reason"] for skip in uk["skips"]}
    assert skipped["inv_us"] == (
        "its customer cus_us is excluded: account cus_us does not match the account filter of integration "
        "'UK bills': customFields != null AND customFields.country == UK"
    )
    assert skipped["po_us"].startswith("every payment it settles is left out: pay_us: customer cus_us is excluded")

    applied = json.loads(xero_sync("apply", str(files / "source.yaml"), "--json").stdout)["integrations"]
    assert [(run["name"], run["status"], run["counts"]["created"]) for run in applied] == [
        ("Rest of world", "clean", 5),
        ("UK bills", "clean", 5),
    ]
    invoices = {found["InvoiceNumber"]: found for found in xero.get("/Invoices").json["Invoices"]}
    assert sorted(invoices) == ["INV-UK-1", "INV-US-1"]  # each bill landed once

    def account_of(number: str) -> str:
        [found] = xero.get(f"/Invoices/{invoices[number]['InvoiceID']}").json["Invoices"]
        return found["LineItems"][0]["AccountCode"]

    assert account_of("INV-UK-1") == "200" and account_of("INV-US-1") == "260"
    assert {found["Status"] for found in invoices.values()} == {"PAID"}
    contacts = [
        found["ContactNumber"] for found in xero.get("/Contacts").json["Contacts"] if found.get("ContactNumber")
    ]
    assert sorted(contacts) == ["cus_uk", "cus_us"]
    assert xero.client.get("/mock-api/ledger").json["balanced"] is True

    again = json.loads(xero_sync("apply", str(files / "source.yaml"), "--json").stdout)["integrations"]
    assert [(run["counts"]["created"], run["counts"]["updated"], run["counts"]["unchanged"]) for run in again] == [
        (0, 0, 5),
        (0, 0, 5),
    ]
    runs = json.loads(xero_sync("runs", "--json").stdout)
    assert len({run["integration_id"] for run in runs}) == 2 and {run["status"] for run in runs} == {"clean"}
    status = json.loads(xero_sync("status", "--json").stdout)["tenants"]
    assert {facts["integration"]: facts["mapped"] for facts in status.values()} == {
        "UK bills": {"contact": 1, "invoice": 1, "payment": 1, "fee": 1, "transfer": 1},
        "Rest of world": {"contact": 1, "invoice": 1, "payment": 1, "fee": 1, "transfer": 1},
    }

    only_uk = json.loads(xero_sync("plan", str(files / "source.yaml"), "--integration", "uk BILLS", "--json").stdout)
    assert [found["name"] for found in only_uk["integrations"]] == ["UK bills"]


def test_an_account_two_integrations_select_is_sent_by_neither_and_reported(xero_sync, files, xero):
    connected(xero_sync, files)
    created = json.loads(xero_sync("integrations", "create", str(files / "everyone.yaml"), "--json").stdout)
    xero_sync("integrations", "connect", created[0]["id"], "--credential", "main app")
    planned = json.loads(xero_sync("plan", str(files / "source.yaml"), "--json", expect=1).stdout)["integrations"]
    everyone = next(found for found in planned if found["name"] == "Everyone")["plan"]
    assert everyone["writes"] == []
    assert sorted(everyone["problems"]) == [
        "contact.cus_uk: account cus_uk is also selected by 'UK bills': not sent by 'Everyone' (set allow_overlap "
        "on every one of them to send it from each)",
        "contact.cus_us: account cus_us is also selected by 'Rest of world': not sent by 'Everyone' (set "
        "allow_overlap on every one of them to send it from each)",
    ]
    uk = next(found for found in planned if found["name"] == "UK bills")["plan"]
    assert uk["writes"] == [] and len(uk["problems"]) == 1
    # the plan wrote nothing
    assert xero.get("/Invoices").json["Invoices"] == []


def test_an_integration_without_a_credential_does_not_run_and_says_so(xero_sync, files):
    xero_sync("integrations", "create", str(files / "integrations.yaml"))
    result = xero_sync("apply", str(files / "source.yaml"), "--integration", "UK bills", expect=1)
    assert (
        "integration 'UK bills' is not connected to a credential; run "
        "`xero-sync integrations connect 'UK bills' --credential NAME`" in result.output
    )


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls the hook by this name
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_a_credential_revoked_mid_run_disables_the_integration_and_emails_its_users(
    live_server, unlimited, files, client, xero_sync, smtp_server
):
    inbox, port = smtp_server
    tokens = user_tokens(client, scope=USER_SCOPES + " accounting.settings")
    token_file = files / "consent.json"
    token_file.write_text(
        json.dumps(
            {
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "expires_at": "2099-01-01T00:00:00+00:00",
            }
        )
    )
    xero_sync(
        "credentials", "create", "user app", "--kind", "authorization_code", "--client-id", DEFAULT_CLIENT_ID,
        "--client-secret", DEFAULT_CLIENT_SECRET, "--token-file", str(token_file),
    )  # fmt: skip
    xero_sync("integrations", "create", str(files / "integrations.yaml"))
    xero_sync("integrations", "connect", "UK bills", "--credential", "user app")
    credentials = CredentialsFile(files / "state.db.credentials.json")

    def revoke_after_the_first_write(record, done, total):
        if done == 1:
            current = credentials.find("user app").refresh_token
            answer = requests.post(
                f"{live_server}/connect/revocation", data={"token": current}, headers=basic(), timeout=10
            )
            assert answer.status_code == 200

    with StateStore.open(files / "state.db") as state:
        [result] = run_integrations(
            load_book(files / "source.yaml"),
            "digest",
            state,
            Endpoint(live_server + "/api.xro/2.0", live_server),
            credentials,
            Mailer(outbox=files / "outbox", smtp_host="127.0.0.1", smtp_port=port, sender="sync@example.test"),
            only="UK bills",
            execute=True,
            on_progress=revoke_after_the_first_write,
        )
        record = Registry(state).find("UK bills")
        ledger = state.run(result.run_id)
    assert result.status == "failed" and not record.enabled
    assert record.disabled_reason.startswith("authentication failed: ")
    assert "refused the refresh_token grant: invalid_grant" in record.disabled_reason
    assert result.notice == "emailed finance@example.test through 127.0.0.1:" + str(port)
    [mail] = inbox.messages
    assert mail.rcpt_tos == ["finance@example.test"] and mail.mail_from == "sync@example.test"
    message = email.message_from_bytes(mail.content, policy=email.policy.default)
    assert message["Subject"] == "xero-sync: integration 'UK bills' was disabled"
    body = message.get_content()
    assert f"Reason: {record.disabled_reason}" in body and record.integration_id in body
    assert ledger.status == "fatal"
    assert [(o.outcome, o.kind) for o in ledger.outcomes if o.kind == "integration"] == [
        ("fatal", "integration"),
        ("disabled", "integration"),
    ]
    assert not (files / "outbox").exists()  # with SMTP configured, nothing goes to the outbox
    # a disabled integration does not run, and says why, until it is enabled again, explicitly
    refused = xero_sync("apply", str(files / "source.yaml"), "--integration", "UK bills", "--json", expect=1).stdout
    [not_run] = json.loads(refused)["integrations"]
    assert not_run["status"] == "not-run"
    assert not_run["message"] == f"integration 'UK bills' is disabled: {record.disabled_reason}"
    enabled = json.loads(xero_sync("integrations", "enable", "UK bills", "--json").stdout)
    assert enabled[0]["enabled"] is True and enabled[0]["disabled_reason"] is None


def test_money_in_the_plan_is_exact(xero_sync, files):
    connected(xero_sync, files)
    planned = json.loads(xero_sync("plan", str(files / "source.yaml"), "--json").stdout)["integrations"]
    amounts = [
        Decimal(write["body"]["Amount"])
        for found in planned
        for write in found["plan"]["writes"]
        if "Amount" in write["body"]
    ]
    # payments carry the gross, transfers the payout's net (the fee is a SPEND with a line, not an Amount)
    assert sorted(amounts) == [
        Decimal("111.80"),
        Decimal("111.80"),
        Decimal("115.00"),
        Decimal("115.00"),
    ]


def test_consecutive_fatal_runs_disable_the_integration_and_leave_a_notice_in_the_outbox(xero_sync, files):
    """Xero unreachable (here: a connector that gives up) is fatal but may mend: counted, and only the
    configured number in a row disables."""
    (files / "fragile.yaml").write_text(
        "version: 1\nintegrations:\n  - name: Fragile\n    mapping: mapping.uk.yaml\n"
        "    disable_after_fatal_runs: 2\n    disabled_notification_users: [ops@example.test]\n"
    )
    connected(xero_sync, files, "fragile.yaml")

    def unreachable(record, endpoint, credentials):
        raise GaveUp("GET Organisation", 5, "503 Service Unavailable", 503)

    def run_once():
        with StateStore.open(files / "state.db") as state:
            [result] = run_integrations(
                load_book(files / "source.yaml"),
                "digest",
                state,
                Endpoint("http://127.0.0.1:9/api.xro/2.0", "http://127.0.0.1:9"),
                CredentialsFile(files / "state.db.credentials.json"),
                Mailer(outbox=files / "outbox"),
                execute=True,
                connector=unreachable,
            )
            return result, Registry(state).find("Fragile"), state.run(result.run_id)

    first, record, ledger = run_once()
    reason = "cannot read the organisation: GET Organisation: gave up after 5 attempt(s): 503 Service Unavailable"
    assert (first.status, first.message, record.enabled, record.fatal_runs) == ("failed", reason, True, 1)
    assert ledger.status == "fatal" and [(o.outcome, o.detail) for o in ledger.outcomes] == [("fatal", reason)]
    assert not (files / "outbox").exists()
    second, record, ledger = run_once()
    assert not record.enabled
    assert record.disabled_reason == f"disabled after 2 consecutive fatal run(s); the last: {reason}"
    [notice] = (files / "outbox").iterdir()
    assert second.notice == f"no SMTP server is configured; the notice for ops@example.test is in {notice}"
    assert [o.outcome for o in ledger.outcomes] == ["fatal", "disabled"]


def test_a_runs_status_puts_a_lost_authentication_before_everything_else():
    def report(**fields) -> RunReport:
        made = RunReport(**fields)
        made.record("invoice", "inv_1", Outcome.CREATED)
        return made

    failed = report()
    failed.record("invoice", "inv_2", Outcome.FAILED, "refused")
    lost = report(auth_failure="invalid_grant")
    lost.record("invoice", "inv_2", Outcome.FAILED, "not sent: invalid_grant")
    residue = SettlementReport(problems=(SettlementProblem("clearing nets to 3.20", "po_1", "NZD"),))
    assert run_status(lost, None) == "fatal"
    assert run_status(failed, SettlementReport()) == "failed"
    assert run_status(report(stopped_for_day=datetime(2026, 1, 2, tzinfo=UTC)), None) == "deferred"
    assert run_status(report(), residue) == "unreconciled"
    assert run_status(report(), SettlementReport()) == "clean"
