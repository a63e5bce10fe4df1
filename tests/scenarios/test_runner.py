"""The runner judged by scenarios written to fail: every layer names its YAML line, step and path."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from scenarios.cli import cli
from scenarios.format.loader import load_scenarios
from scenarios.results import Layer
from scenarios.runner import discover, load_all, run_all, run_scenario

CASES = Path(__file__).resolve().parents[2] / "scenarios" / "cases"
FIXTURES = Path(__file__).resolve().parents[2] / "scenarios" / "fixtures"

WRONG = f"""\
name: Every layer is told something false
extends: {FIXTURES / "one-paid-invoice.yaml"}
steps:
  - sync: {{}}
  - expect:
      sync: {{created: 4}}
      objects:
        invoices: {{inv_1: {{Status: AUTHORISED, AmountDue: "115.00"}}}}
        contacts: {{cus_1: null}}
      requests:
        calls: {{PUT /Invoices: 2}}
      ledger:
        balances: {{"090": "= 100.00"}}
      reconcile:
        clearing: {{"091": "1.00"}}
"""


def test_a_scenario_that_should_fail_fails_in_every_layer_at_its_line(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG, encoding="utf-8")
    (scenario,) = load_scenarios(path)
    result = run_scenario(scenario)
    found = [(f.layer, f.location.line, f.step, f.path, f.expected, f.actual) for f in result.failures]
    assert found == [
        (Layer.RUN, 6, "steps[1] expect", "steps.1.expect.sync.created", "4", found[0][5]),
        (Layer.OBJECTS, 8, "steps[1] expect", "steps.1.expect.objects.invoices.inv_1.Status", '"AUTHORISED"', '"PAID"'),
        (Layer.OBJECTS, 8, "steps[1] expect", "steps.1.expect.objects.invoices.inv_1.AmountDue", '"115.00"', "0.00"),
        (Layer.OBJECTS, 9, "steps[1] expect", "steps.1.expect.objects.contacts.cus_1", "not in Xero", found[3][5]),
        (Layer.REQUESTS, 11, "steps[1] expect", "steps.1.expect.requests.calls.PUT /Invoices", "2", "1"),
        (Layer.LEDGER, 13, "steps[1] expect", "steps.1.expect.ledger.balances.090", "= 100.00", "111.80"),
        (Layer.RECONCILE, 15, "steps[1] expect", "steps.1.expect.reconcile.clearing.091", "1.00", "0.00"),
    ]
    assert found[0][5].startswith("5 ['contact cus_1: ACTIVE")  # what was created, to see what is extra
    assert result.rerun == f"xero-scenarios run {path} -k 'wrong'"
    assert result.books is not None and result.books.base_currency == "NZD"


def test_a_broken_standing_invariant_fails_unless_the_scenario_allows_it(tmp_path):
    trap = (CASES / "fee-from-deposit-trap.yaml").read_text(encoding="utf-8")
    trap = trap.replace("../fixtures/", f"{FIXTURES}/").replace(
        "allow: [clearing-nets-to-zero, statement-matches]\n", ""
    )
    path = tmp_path / "trap.yaml"
    path.write_text(trap, encoding="utf-8")
    result = run_scenario(load_scenarios(path)[0])
    assert [(f.layer, f.message, f.actual) for f in result.failures] == [
        (Layer.INVARIANT, "clearing-nets-to-zero: a clearing account does not net to zero", "091: 3.20"),
        (
            Layer.INVARIANT,
            "statement-matches: the deposits do not match the bank statement",
            "not on statement: 090 2026-01-06 -3.20 fee:pay_1",
        ),
    ]


def test_parallel_and_serial_runs_give_the_same_results():
    scenarios = load_all(discover([CASES])).scenarios
    assert len(scenarios) >= 6

    def judged(run):
        return {r.case_id: (r.passed, [str(f) for f in r.failures], list(r.requests), r.books) for r in run.results}

    serial, parallel = judged(run_all(scenarios, jobs=1)), judged(run_all(scenarios, jobs=3))
    assert list(serial) == list(parallel)
    for case_id, alone in serial.items():
        # compared case by case, so a difference names its case and its first differing request line
        together = parallel[case_id]
        assert alone[:2] == together[:2], case_id
        differing = [(a, b) for a, b in zip(alone[2], together[2], strict=False) if a != b][:1]
        assert len(alone[2]) == len(together[2]) and not differing, (
            case_id,
            len(alone[2]),
            len(together[2]),
            differing,
        )
        assert alone[3] == together[3], case_id


def test_the_command_exits_0_on_passes_1_on_failures_and_2_on_bad_files(tmp_path):
    runner = CliRunner()
    passing = runner.invoke(cli, ["run", str(CASES / "first-paid-invoice.yaml")])
    assert passing.exit_code == 0, passing.output
    assert "1 passed, 0 failed" in passing.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(WRONG, encoding="utf-8")
    failing = runner.invoke(
        cli, ["run", str(wrong), "--junit", str(tmp_path / "j.xml"), "--json", str(tmp_path / "r.json")]
    )
    assert failing.exit_code == 1 and "0 passed, 1 failed" in failing.output
    assert (tmp_path / "j.xml").read_text().count("<testcase") == 1 and (tmp_path / "r.json").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps: []\n", encoding="utf-8")
    refused = runner.invoke(cli, ["run", str(bad)])
    assert refused.exit_code == 2
    assert f"{bad}:1:1: [load] given: given.mapping is required" in refused.output
    assert "3 problem(s) in the scenario files; nothing was run" in refused.output


def test_new_writes_a_template_that_loads_and_runs(tmp_path):
    runner = CliRunner()
    made = runner.invoke(cli, ["new", "my-story", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    (scenario,) = load_scenarios(tmp_path / "my-story.yaml")
    assert run_scenario(scenario).passed
    again = runner.invoke(cli, ["new", "my-story", "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "exists" in again.output


def test_an_allowance_for_an_invariant_that_held_fails_at_its_line(tmp_path):
    # the trap breaks both invariants it allows; a story that breaks none must not keep allowances
    result = _story(
        tmp_path,
        "name: Nothing to excuse\nextends: ../fixtures/one-paid-invoice.yaml\n"
        "allow: [ledger-balanced]\nsteps:\n  - sync: {}\n",
    )
    assert [(f.layer, f.message, f.location.line, f.path, f.expected, f.actual) for f in result.failures] == [
        (
            Layer.INVARIANT,
            "ledger-balanced is allowed to break but held throughout: take it out of allow:, or it would hide "
            "a real break",
            3,
            "allow.0",
            "ledger-balanced broken",
            "held",
        )
    ]
    trap = _story(tmp_path, (CASES / "fee-from-deposit-trap.yaml").read_text(encoding="utf-8"))
    assert trap.passed and trap.allowed == ("clearing-nets-to-zero", "statement-matches")  # both were needed


def _story(tmp_path, text: str):
    path = tmp_path / "story.yaml"
    path.write_text(text.replace("../fixtures/", f"{FIXTURES}/"), encoding="utf-8")
    return run_scenario(load_scenarios(path)[0])


def test_a_sync_asked_to_crash_that_finishes_first_fails_at_its_step(tmp_path):
    result = _story(
        tmp_path,
        "name: Too few writes\nextends: ../fixtures/one-paid-invoice.yaml\n"
        "steps:\n  - sync: {crash_after_writes: 50}\n",
    )
    assert [(f.layer, f.message, f.step, f.location.line) for f in result.failures] == [
        (
            Layer.RUN,
            "the sync was to crash after 50 write(s), but it made fewer and finished",
            "steps[0] sync",
            4,
        )
    ]


def test_the_crash_and_authentication_expectations_say_what_differs(tmp_path):
    result = _story(
        tmp_path,
        "name: Nothing went wrong\nextends: ../fixtures/two-invoices.yaml\nsteps:\n  - sync: {}\n"
        "  - expect:\n      sync: {auth_failure: true, crashed: true, pending: 1, crash: 1}\n",
    )
    assert [(f.layer, f.path, f.message, f.expected, f.actual) for f in result.failures] == [
        (
            Layer.RUN,
            "steps.1.expect.sync.auth_failure",
            "the last sync did not fail its authentication as expected",
            "True",
            "null",
        ),
        (Layer.RUN, "steps.1.expect.sync.crashed", "the last sync did not crash", "True", "null"),
        (
            Layer.RUN,
            "steps.1.expect.sync.pending",
            "the writes begun and never saved in the engine's state differ",
            "1",
            "0 []",
        ),
        (
            Layer.LOAD,
            "steps.1.expect.sync.crash",
            "unknown sync expectation 'crash'; use created, updated, unchanged, skipped, failed, deferred, problems, "
            "stopped, auth_failure, crashed, pending, integrations",
            None,
            None,
        ),
    ]


def test_a_crash_leaves_its_intent_and_an_authentication_failure_not_expected_is_reported(tmp_path):
    crashed = _story(
        tmp_path,
        "name: Crash\nextends: ../fixtures/two-invoices.yaml\nsteps:\n  - sync: {crash_after_writes: 1}\n"
        "  - expect:\n      sync: {crashed: false, pending: 0}\n",
    )
    assert [(f.path, f.expected, f.actual) for f in crashed.failures] == [
        (
            "steps.1.expect.sync.crashed",
            "False",
            '"the engine died after write 1 reached Xero, before it was saved"',
        ),
        ("steps.1.expect.sync.pending", "0", "1 ['contact cus_1']"),
    ]
    revoked = _story(
        tmp_path,
        "name: Cut off\nextends: ../fixtures/two-invoices.yaml\ngiven: {auth: authorization_code}\nsteps:\n"
        "  - faults: [{match: PUT /Invoices, effect: revoke_token}]\n  - sync: {}\n"
        "  - expect:\n      sync: {created: 1}\n",
    )
    assert [(f.layer, f.path, f.message.split(": ")[0]) for f in revoked.failures] == [
        (Layer.RUN, "steps.2.expect.sync", "the last sync lost its authentication")
    ]
    assert revoked.failures[0].message.endswith("refused the refresh_token grant: invalid_grant")


def test_a_crash_inside_the_integrations_runner_leaves_that_integrations_intent_for_the_next_sync(tmp_path):
    (case,) = load_scenarios(CASES / "crash-mid-integrations.yaml")
    assert run_scenario(case).passed  # crashed with one intent left, then recovered with every bill once
    short = (
        (CASES / "crash-mid-integrations.yaml")
        .read_text(encoding="utf-8")
        .replace("{crash_after_writes: 7}", "{crash_after_writes: 11}")
    )
    result = _story(tmp_path, short)
    assert [(f.layer, f.message, f.step) for f in result.failures][:1] == [
        (Layer.RUN, "the sync was to crash after 11 write(s), but it made fewer and finished", "steps[0] sync")
    ]


def test_a_foreign_clearing_account_runs_in_its_own_currency_and_a_foreign_bank_has_its_base_closing():
    (scenario,) = load_scenarios(CASES / "realised-exchange-gain.yaml")
    books = run_scenario(scenario).books
    assert books is not None and books.base_currency == "NZD"
    clearing = {balance.code: balance for balance in books.clearing}
    # in dollars, as the reconcile layer judges it; the journals would have charted NZD and a 6.47 difference
    assert (clearing["093"].currency, [amount for _, amount in clearing["093"].points]) == (
        "USD",
        [Decimal("100.00"), Decimal("97.00"), Decimal("0.00")],
    )
    assert clearing["091"].points == ()  # the NZD clearing account never moved
    closing = {line.code: (line.currency, line.closing, line.base_closing) for line in books.bank_accounts}
    assert closing["092"] == ("USD", Decimal("97.00"), Decimal("155.20"))
    assert closing["093"] == ("USD", Decimal("0.00"), Decimal("6.47"))  # squares in dollars, not in NZD
    assert closing["090"] == ("NZD", Decimal("0.00"), None)  # a base-currency account needs no conversion
