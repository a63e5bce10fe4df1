"""The scenario loader: a good file becomes cases; a bad one gives every problem at file:line:column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scenarios.format.loader import ScenarioError, load_scenarios, parse_assertion
from scenarios.results import Layer

MAPPING = """\
  mapping:
    version: 1
    default_revenue_account: "200"
    currencies:
      NZD: {deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "429"}
    tax: {gst: OUTPUT2}
"""
SOURCE = """\
source:
  customers:
    - {id: cus_1, name: Acme Ltd, currency: NZD}
  invoices:
    - id: inv_1
      customer_id: cus_1
      number: INV-0001
      status: pending
      currency: ${currency}
      issue_date: 2026-01-10
      due_date: 2026-01-24
      tax_mode: exclusive
      total: "115.00"
      lines:
        - {id: l1, type: STANDING_CHARGE, description: Pro plan, quantity: "1", unit_price: "100.00",
           subtotal: "100.00", tax_amount: "15.00", tax_code: gst}
"""
STEPS = """\
steps:
  - faults: [{match: PUT /Invoices, nth: 1, status: 503}]
  - sync: {}
  - advance: {days: 1, hours: 2}
  - expect:
      objects: {invoices: {inv_1: {Status: AUTHORISED, InvoiceID: !uuid }}}
      ledger: {balances: {"610": "= 115.00"}}
"""


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_scenario_loads_with_its_steps_placed_on_their_lines(tmp_path):
    text = "name: First invoice\ntags: [smoke]\ngiven:\n" + MAPPING + SOURCE.replace("${currency}", "NZD") + STEPS
    (case,) = load_scenarios(write(tmp_path, text))
    assert case.case_id == "case" and case.tags == ("smoke",)
    assert [step.label for step in case.steps] == [
        "steps[0] faults",
        "steps[1] sync",
        "steps[2] advance",
        "steps[3] expect",
    ]
    assert case.steps[0].body == (
        {"nth": 1, "status": 503, "method": "PUT", "path": "/api.xro/2.0/Invoices", "effect": "status"},
    )
    assert case.steps[2].body == 93600.0
    assert case.book.invoices[0].total == Decimal("115.00")
    assert (case.steps[3].location.line, case.steps[3].location.column) == (30, 5)


def test_a_matrix_expands_to_one_named_case_per_value(tmp_path):
    text = "name: Currencies\nmatrix: {currency: [NZD, USD]}\ngiven:\n" + MAPPING + SOURCE + STEPS
    cases = load_scenarios(write(tmp_path, text))
    assert [case.case_id for case in cases] == ["case[currency=NZD]", "case[currency=USD]"]
    assert [case.book.invoices[0].currency for case in cases] == ["NZD", "USD"]


def test_extends_merges_the_fixture_under_the_scenario(tmp_path):
    (tmp_path / "fixtures").mkdir()
    write(
        tmp_path / "fixtures", "given:\n" + MAPPING + "  organisation: {name: Fixture Ltd, country: NZ}\n", "org.yaml"
    )
    text = "name: Extended\nextends: fixtures/org.yaml\ngiven:\n  organisation: {name: Mine Ltd}\n"
    text += SOURCE.replace("${currency}", "NZD") + STEPS
    (case,) = load_scenarios(write(tmp_path, text))
    assert case.organisation.name == "Mine Ltd" and case.organisation.country == "NZ"
    assert case.mapping.default_revenue_account == "200"


def test_a_bad_scenario_gets_every_problem_at_once_each_at_file_line_column(tmp_path):
    text = (
        "name: Broken\nflavour: vanilla\ngiven:\n"
        + MAPPING
        + "  organisation: {accounts: [{Code: '093', Name: X, Type: BANK, Balance: 1.10}]}\n"
        + SOURCE.replace("${currency}", "NZD").replace('total: "115.00"', "total: 115.00")
        + "steps:\n  - sync: {mode: fast}\n  - advance: {weeks: 1}\n"
        + "  - expect: {ledger: {balances: {'090': 'about 5'}}}\n"
        + "  - dance: {}\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(path)
    found = [(p.location.line, p.location.column, p.path, p.message) for p in caught.value.problems]
    assert all(p.layer is Layer.LOAD and p.location.file == str(path) for p in caught.value.problems)
    assert found == [
        (
            2,
            1,
            "flavour",
            "unknown key 'flavour'; a scenario has name, description, tags, extends, allow, matrix, "
            "given, source, statement, steps",
        ),
        (10, 64, "given.organisation.accounts.0.Balance", 'write 1.1 as a quoted string ("1.1"): amounts are exact'),
        (23, 7, "source.invoices.0.total", found[2][3]),
        (
            28,
            12,
            "steps.0.sync.mode",
            "unknown sync option 'mode'; the options are change_policy, integration, crash_after_writes",
        ),
        (29, 15, "steps.1.advance.weeks", "unknown unit 'weeks'; use seconds, minutes, hours, days"),
        (30, 34, "steps.2.expect.ledger.balances.090", found[5][3]),
        (31, 5, "steps.3.dance", "unknown step 'dance'; steps are sync, advance, change, faults, expect"),
    ]
    assert "string" in found[2][3]
    assert found[5][3].startswith("a balance assertion is an amount")


def test_a_web_app_connection_a_revoked_token_and_a_crash_are_read(tmp_path):
    text = "name: Cut off\ngiven:\n  auth: authorization_code\n" + MAPPING + SOURCE.replace("${currency}", "NZD")
    text += "steps:\n  - faults: [{match: PUT /Invoices, effect: revoke_token}]\n  - sync: {crash_after_writes: 2}\n"
    (case,) = load_scenarios(write(tmp_path, text))
    assert case.auth == "authorization_code"
    assert case.steps[0].body == ({"effect": "revoke_token", "method": "PUT", "path": "/api.xro/2.0/Invoices"},)
    assert case.steps[1].body == {"change_policy": "report", "integration": None, "crash_after_writes": 2}


def test_a_custom_connection_and_no_crash_are_the_defaults(tmp_path):
    text = "name: Plain\ngiven:\n" + MAPPING + SOURCE.replace("${currency}", "NZD") + STEPS
    (case,) = load_scenarios(write(tmp_path, text))
    assert case.auth == "client_credentials"
    assert case.steps[1].body == {"change_policy": "report", "integration": None}


def test_a_bad_connection_crash_count_and_fault_effect_are_each_placed(tmp_path):
    text = "name: Wrong\ngiven:\n  auth: password\n" + MAPPING + SOURCE.replace("${currency}", "NZD")
    text += "steps:\n  - faults: [{match: PUT /Invoices, effect: revoke}]\n  - sync: {crash_after_writes: 0}\n"
    text += "  - sync: {crash_after_writes: true}\n"
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(path)
    crash = (
        "crash_after_writes is a whole number of at least 1: the engine dies once that many writes reached Xero, "
        "before the last one is saved in its state"
    )
    assert [(p.location.line, p.location.column, p.path, p.message) for p in caught.value.problems] == [
        (3, 3, "given.auth", "auth is client_credentials or authorization_code (how the engine is connected)"),
        (27, 37, "steps.0.faults.0.effect", "effect is status, latency, drop, lost_response or revoke_token"),
        (28, 12, "steps.1.sync.crash_after_writes", crash),
        (29, 12, "steps.2.sync.crash_after_writes", crash),
    ]


def test_a_crash_is_accepted_with_integrations_too(tmp_path):
    text = "name: Two masters\ngiven:\n  integrations: [{name: Only}]\n" + MAPPING
    text += SOURCE.replace("${currency}", "NZD") + "steps:\n  - sync: {crash_after_writes: 1}\n"
    (case,) = load_scenarios(write(tmp_path, text))
    assert case.steps[0].body == {"change_policy": "report", "integration": None, "crash_after_writes": 1}


def test_a_file_that_is_not_yaml_is_placed_where_the_parser_stopped(tmp_path):
    path = write(tmp_path, "name: x\nsteps: [\n  - sync\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(path)
    (problem,) = caught.value.problems
    assert problem.location.file == str(path) and problem.location.line is not None
    assert problem.message.startswith("not valid YAML")


def test_a_fixture_cycle_and_a_missing_fixture_are_named(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path / "a.yaml")
    assert any("a cycle" in p.message for p in caught.value.problems)
    write(tmp_path, "name: x\nextends: nowhere.yaml\n", "c.yaml")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path / "c.yaml")
    assert "the fixture nowhere.yaml does not exist" in [p.message for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("10.00", ("=", Decimal("10.00"))), ("== -3.20", ("==", Decimal("-3.20"))), ("=* 0", ("=*", Decimal("0")))],
)
def test_balance_assertions_read_hledger_operators(text, parsed):
    assert parse_assertion(text) == parsed


@pytest.mark.parametrize("text", ["about 5", "= 1e3", 10, "=> 5"])
def test_a_balance_assertion_that_is_not_one_is_refused(text):
    assert parse_assertion(text) is None
