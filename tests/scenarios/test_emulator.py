"""Scenarios against an external emulator (``--url``): a real ``mockxero serve`` in a subprocess, the same
stories and the same results as on the embedded one; a URL that cannot be used is a clear exit 2."""

from __future__ import annotations

import json
import re
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from scenarios.cli import cli
from scenarios.emulator import EmulatorUnavailable, ExternalEmulator
from scenarios.format.loader import DEFAULT_START, load_scenarios
from scenarios.results import Layer
from scenarios.runner import run_scenario
from tests.mockxero.cli.server_process import serve

CASES = Path(__file__).resolve().parents[2] / "scenarios" / "cases"
# each reaches the emulator through a different part of the control API: a paid invoice (tenants, the
# request log, the ledger), a lost response (fault rules), a 429 storm (faults with Retry-After on the
# clock), a locked period (lock dates), a realised gain (currencies and exchange rates), the daily limit
# (rate limits and a day's advance of the clock), a revoked token (a web app's connection over HTTP, the
# revoke_token fault), a crash between runs (the engine's state file, whatever the emulator)
STORIES = (
    "first-paid-invoice",
    "lost-response-after-commit",
    "rate-limit-storm",
    "write-into-locked-period",
    "realised-exchange-gain",
    "daily-limit-resumes-next-day",
    "revoked-token-mid-run",
    "crash-between-runs",
)
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def server():
    with serve() as process:
        yield process


def _results(path: Path) -> dict[str, dict]:
    """Each case's result as the JSON report has it, without what differs between two runs of one case
    by nature: its wall time, and the ids the emulator drew (a shared server's are not the case's seed's)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for case in document["scenarios"]:
        case.pop("duration_seconds")
        out[case["case_id"]] = json.loads(GUID.sub("<id>", json.dumps(case)))
    return out


def test_the_stories_pass_on_a_served_emulator_with_the_results_of_the_embedded_one(server, tmp_path):
    paths = [str(CASES / f"{story}.yaml") for story in STORIES]
    runner = CliRunner()
    embedded = runner.invoke(cli, ["run", *paths, "--json", str(tmp_path / "embedded.json")])
    external = runner.invoke(cli, ["run", *paths, "--url", server.url, "--json", str(tmp_path / "external.json")])
    assert embedded.exit_code == 0, embedded.output
    assert external.exit_code == 0, external.output
    assert f"{len(STORIES)} passed, 0 failed" in external.output
    on_embedded, on_served = _results(tmp_path / "embedded.json"), _results(tmp_path / "external.json")
    assert sorted(on_served) == sorted(STORIES)
    assert on_served == on_embedded
    # the lost response's line is numbered as the case's own: its first rule, whatever the server's id
    lost = on_served["lost-response-after-commit"]["requests"]
    assert any(line.endswith("[fault: #1 lost_response]") for line in lost), lost


def test_a_case_numbers_its_calls_from_1_even_after_the_servers_log_was_emptied(server, tmp_path):
    story = str(CASES / "lost-response-after-commit.yaml")
    runner = CliRunner()
    runner.invoke(cli, ["run", story, "--url", server.url])  # so the server's counter is well past 1
    assert requests.delete(server.url + "/mock-api/requests", timeout=10).status_code == 204
    external = runner.invoke(cli, ["run", story, "--url", server.url, "--json", str(tmp_path / "external.json")])
    embedded = runner.invoke(cli, ["run", story, "--json", str(tmp_path / "embedded.json")])
    assert external.exit_code == embedded.exit_code == 0, external.output + embedded.output
    lines = _results(tmp_path / "external.json")["lost-response-after-commit"]["requests"]
    assert lines == _results(tmp_path / "embedded.json")["lost-response-after-commit"]["requests"]
    assert lines[0] == "   2 GET /api.xro/2.0/Organisation → 200"  # 1 is the token request, which names no tenant


def test_a_run_leaves_the_servers_limits_and_fault_rules_as_it_found_them(server):
    before = requests.get(server.url + "/mock-api/rate-limits", timeout=10).json()
    paths = [str(CASES / "daily-limit-resumes-next-day.yaml"), str(CASES / "server-error-then-success.yaml")]
    result = CliRunner().invoke(cli, ["run", *paths, "--url", server.url])
    assert result.exit_code == 0, result.output
    after = requests.get(server.url + "/mock-api/rate-limits", timeout=10).json()
    assert (after["enabled"], after["limits"]) == (before["enabled"], before["limits"])
    assert requests.get(server.url + "/mock-api/faults", timeout=10).json() == {"faults": []}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_url_is_exit_2_naming_the_url():
    url = f"http://127.0.0.1:{_free_port()}"  # bound, then closed: nothing listens there
    result = CliRunner().invoke(cli, ["run", str(CASES / "first-paid-invoice.yaml"), "--url", url])
    assert result.exit_code == 2
    assert f"cannot run against --url {url}: no emulator answers at {url}:" in result.output


def test_a_url_without_the_control_api_is_exit_2_saying_so(server):
    url = server.url + "/not-the-emulator"  # a server that answers, but not with a control API there
    result = CliRunner().invoke(cli, ["run", str(CASES / "first-paid-invoice.yaml"), "--url", url])
    assert result.exit_code == 2
    assert (
        f"cannot run against --url {url}: {url} has no mockxero control API: "
        f"GET {url}/mock-api/health answered 404 NOT FOUND; start the emulator with `mockxero serve`"
    ) in result.output


def test_parallel_jobs_with_a_url_are_refused_as_the_emulator_has_one_clock(server):
    result = CliRunner().invoke(cli, ["run", str(CASES / "first-paid-invoice.yaml"), "--url", server.url, "-j", "2"])
    assert result.exit_code == 2
    assert f"-j 2 cannot be used with --url: the emulator at {server.url} has one clock" in result.output


def test_the_health_check_accepts_a_served_emulator(server):
    assert ExternalEmulator(server.url + "/").check()["status"] == "ok"


def test_an_emulator_with_its_request_log_off_is_refused(tmp_path):
    config = tmp_path / "mockxero.yaml"
    config.write_text("request_log_size: 0\n", encoding="utf-8")
    with serve("--config", str(config)) as quiet, pytest.raises(EmulatorUnavailable) as refused:
        ExternalEmulator(quiet.url).check()
    assert str(refused.value) == (
        f"the emulator at {quiet.url} keeps no request log (request_log_size is 0); the requests layer and the "
        "reports read it"
    )


def test_advancing_a_case_moves_the_served_clock_by_as_much(server):
    def now():
        return datetime.fromisoformat(requests.get(server.url + "/mock-api/clock", timeout=10).json()["now"])

    external = ExternalEmulator(server.url)
    with external.for_case(DEFAULT_START) as handle:
        before = now()
        handle.advance_clock(86_400)
        moved = now() - before
    # a served clock also runs in real time, so the day is a floor with a few real seconds above it
    assert timedelta(days=1) <= moved < timedelta(days=1, seconds=30)


def test_an_emulator_that_goes_away_mid_run_is_a_located_failure_not_a_crash():
    (scenario,) = load_scenarios(CASES / "first-paid-invoice.yaml")
    with serve() as doomed:
        external = ExternalEmulator(doomed.url)
        external.check()
        doomed.stop()
        result = run_scenario(scenario, external)
    (failure,) = result.failures
    assert failure.layer is Layer.RUN
    assert failure.message.startswith(
        f"the scenario could not go on: EmulatorUnavailable: GET {doomed.url}/mock-api/requests failed:"
    )
