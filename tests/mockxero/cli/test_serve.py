"""``mockxero serve``: flags, their environment variables, the start-up banner and a clean Ctrl-C."""

from __future__ import annotations

import gc
import io
import json
import signal
import socket
from datetime import date

import pytest
import requests
from click.testing import CliRunner

from mockxero.cli import cli
from mockxero.cli import serve as serve_module
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from mockxero.store import Store
from tests.mockxero.cli.server_process import serve as serve_process

OTHER_TENANT = "0b7a1f52-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
FLAG_ENV = {
    "--host": "MOCKXERO_HOST",
    "--port": "MOCKXERO_PORT",
    "--data-file": "MOCKXERO_DATA_FILE",
    "--config": "MOCKXERO_CONFIG_FILE",
    "--token-ttl": "MOCKXERO_TOKEN_TTL",
    "--tenant-id": "MOCKXERO_TENANT_ID",
    "--tenant-name": "MOCKXERO_TENANT_NAME",
    "--country": "MOCKXERO_COUNTRY",
    "--period-lock-date": "MOCKXERO_PERIOD_LOCK_DATE",
    "--end-of-year-lock-date": "MOCKXERO_END_OF_YEAR_LOCK_DATE",
    "--client-id": "MOCKXERO_CLIENT_ID",
    "--client-secret": "MOCKXERO_CLIENT_SECRET",
    "--unknown-fields": "MOCKXERO_UNKNOWN_FIELDS",
    "--clock-scale": "MOCKXERO_CLOCK_SCALE",
    "--seed": "MOCKXERO_SEED",
    "--rate-limits": "MOCKXERO_RATE_LIMITS",
    "--rate-limit-minute": "MOCKXERO_RATE_LIMIT_MINUTE",
    "--rate-limit-day": "MOCKXERO_RATE_LIMIT_DAY",
    "--rate-limit-concurrent": "MOCKXERO_RATE_LIMIT_CONCURRENT",
    "--rate-limit-app-minute": "MOCKXERO_RATE_LIMIT_APP_MINUTE",
    "--idempotency-ttl": "MOCKXERO_IDEMPOTENCY_TTL",
    "--faults-file": "MOCKXERO_FAULTS_FILE",
    "--fault-latency": "MOCKXERO_FAULT_LATENCY",
    "--request-log-size": "MOCKXERO_REQUEST_LOG_SIZE",
    "--load": "MOCKXERO_LOAD",
}


class FakeServer:
    """Stands in for the waitress server: records the app, and 'serving' is an immediate Ctrl-C."""

    url = "http://127.0.0.1:54321"
    closed = False

    def __init__(self, app, listener):
        self.app = app
        self.requested = listener.getsockname()[:2]
        listener.close()

    def serve_forever(self):
        raise KeyboardInterrupt

    def server_close(self):
        self.closed = True


@pytest.fixture
def started(monkeypatch):
    """Invoke ``mockxero serve`` in-process; returns (result, server) once the fake Ctrl-C has stopped it."""
    servers = []

    def fake_make_server(app, listener):
        servers.append(FakeServer(app, listener))
        return servers[-1]

    monkeypatch.setattr(serve_module, "make_server", fake_make_server)

    def run(*args, env=None):
        # The listening socket is real (only serving is faked), so a free port keeps the tests independent.
        environment = {key: None for key in FLAG_ENV.values()} | {"MOCKXERO_PORT": "0"} | (env or {})
        result = CliRunner().invoke(cli, ["serve", *args], env=environment)
        return result, (servers[-1] if servers else None)

    return run


def config_of(server):
    return server.app.extensions["mockxero"].config


def test_group_and_command_have_help():
    runner = CliRunner()
    group = runner.invoke(cli, ["--help"])
    assert group.exit_code == 0 and "serve" in group.output
    command = runner.invoke(cli, ["serve", "--help"], terminal_width=200)
    assert command.exit_code == 0
    for flag in FLAG_ENV:
        assert flag in command.output
    assert "[default: 8765" in command.output and "[default: 127.0.0.1]" in command.output


def test_every_flag_has_its_environment_variable():
    options = {opt: param.envvar for param in serve_module.serve.params for opt in param.opts}
    assert {flag: options[flag] for flag in FLAG_ENV} == FLAG_ENV


def test_defaults_print_url_client_and_tenant_then_stop_cleanly(started):
    result, server = started()
    assert result.exit_code == 0, result.output
    assert server.requested[0] == "127.0.0.1" and server.requested[1] != 0  # port 0 was given: a free one
    assert "mockxero serving at http://127.0.0.1:54321" in result.output
    assert DEFAULT_CLIENT_ID in result.output and DEFAULT_CLIENT_SECRET in result.output
    assert DEFAULT_TENANT_ID in result.output
    assert result.output.rstrip().endswith("mockxero stopped.")
    assert server.closed


def test_port_zero_prints_the_port_actually_bound():
    # The real server binds a real port; serve_forever is the only thing replaced.
    result_holder = {}

    def interrupt(self):
        result_holder["port"] = self.port
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve_module.WaitressServer, "serve_forever", interrupt)
        result = CliRunner().invoke(cli, ["serve", "--port", "0"], env={k: None for k in FLAG_ENV.values()})
    assert result.exit_code == 0, result.output
    assert result_holder["port"] != 0
    assert f"serving at http://127.0.0.1:{result_holder['port']}\n" in result.output


def test_flags_reach_the_configuration(started, tmp_path):
    result, server = started(
        "--data-file",
        str(tmp_path / "book.json"),
        "--token-ttl",
        "60",
        "--tenant-id",
        OTHER_TENANT.upper(),
        "--tenant-name",
        "Flag Co",
        "--country",
        "au",
        "--client-id",
        "FLAGCLIENT",
        "--client-secret",
        "s3",
        "--unknown-fields",
        "reject",
        "--clock-scale",
        "60",
        "--seed",
        "7",
    )
    assert result.exit_code == 0, result.output
    config = config_of(server)
    assert config.data_file == str(tmp_path / "book.json")
    assert (config.token_ttl, config.unknown_fields, config.clock_scale, config.seed) == (60, "reject", 60.0, 7)
    tenant, client = config.default_tenant, config.default_client
    assert (tenant.tenant_id, tenant.name, tenant.country_code) == (OTHER_TENANT, "Flag Co", "AU")
    assert (client.client_id, client.client_secret, client.tenant_ids) == ("FLAGCLIENT", "s3", (OTHER_TENANT,))
    assert "FLAGCLIENT" in result.output and OTHER_TENANT in result.output


def test_environment_variables_are_read_and_flags_win(started):
    result, server = started(
        "--token-ttl",
        "90",
        env={
            "MOCKXERO_TOKEN_TTL": "30",
            "MOCKXERO_TENANT_NAME": "Env Co",
            "MOCKXERO_SEED": "3",
            "MOCKXERO_HOST": "127.0.0.1",
            "MOCKXERO_PORT": "0",
        },
    )
    assert result.exit_code == 0, result.output
    config = config_of(server)
    assert config.token_ttl == 90
    assert config.default_tenant.name == "Env Co"
    assert config.seed == 3
    assert server.requested[0] == "127.0.0.1"


def test_config_file_with_two_tenants_prints_both(started, tmp_path):
    file = tmp_path / "mock.yaml"
    file.write_text(
        "token_ttl: 120\n"
        "tenants:\n"
        f"  - {{tenant_id: {DEFAULT_TENANT_ID}, name: First Ltd}}\n"
        f"  - {{tenant_id: {OTHER_TENANT}, name: Second Ltd, country_code: GB}}\n"
    )
    result, server = started("--config", str(file))
    assert result.exit_code == 0, result.output
    assert config_of(server).token_ttl == 120
    assert f"{DEFAULT_TENANT_ID}  First Ltd (NZ)" in result.output
    assert f"{OTHER_TENANT}  Second Ltd (GB)" in result.output


@pytest.mark.parametrize(
    "args, named",
    [
        (["--port", "70000"], "'--port'"),
        (["--port", "http"], "'--port'"),
        (["--token-ttl", "0"], "'--token-ttl'"),
        (["--tenant-id", "not-a-guid"], "'--tenant-id'"),
        (["--tenant-name", " "], "'--tenant-name'"),
        (["--country", "FR"], "'--country'"),
        (["--period-lock-date", "31/03/2026"], "'--period-lock-date'"),
        (["--client-id", ""], "'--client-id'"),
        (["--unknown-fields", "warn"], "'--unknown-fields'"),
        (["--clock-scale", "0"], "'--clock-scale'"),
        (["--seed", "x"], "'--seed'"),
        (["--config", "/nonexistent/mock.yaml"], "'--config'"),
        (["--no-such-flag"], "--no-such-flag"),
    ],
)
def test_bad_flags_are_click_errors_naming_the_flag(started, args, named):
    result, server = started(*args)
    assert result.exit_code == 2
    assert named in result.output
    assert server is None


def test_bad_environment_value_names_the_flag(started):
    result, _ = started(env={"MOCKXERO_TOKEN_TTL": "soon"})
    assert result.exit_code == 2
    assert "'--token-ttl'" in result.output


def test_bad_config_file_is_a_usage_error_naming_the_setting(started, tmp_path):
    file = tmp_path / "mock.json"
    file.write_text(json.dumps({"tenants": [{"tenant_id": DEFAULT_TENANT_ID, "country_code": "FR"}]}))
    result, server = started("--config", str(file))
    assert result.exit_code == 2
    assert "invalid configuration" in result.output and "country_code" in result.output
    assert server is None


def test_corrupt_data_file_stops_start_up_with_a_clear_message(started, tmp_path):
    book = tmp_path / "book.json"
    book.write_text("{ this is not json")
    result, server = started("--data-file", str(book))
    assert result.exit_code == 1
    assert "is not a mockxero data file" in result.output
    assert server is None


def test_the_book_is_read_with_the_cycle_collector_off_and_then_frozen(started, tmp_path, heap_freezes):
    book = tmp_path / "books.sqlite"
    written = Store(book)
    with written.transaction():
        written.put(f"{DEFAULT_TENANT_ID}:Contacts", "c", {"Name": "Harbour Cafe Ltd"})
    written.close()
    result, server = started("--data-file", str(book))
    assert result.exit_code == 0, result.output
    assert heap_freezes == [False]  # frozen once, while the collector was still off
    assert gc.isenabled()  # and on again for serving


def test_a_start_up_that_fails_freezes_nothing_and_leaves_the_collector_on(started, tmp_path, heap_freezes):
    book = tmp_path / "book.json"
    book.write_text("{ this is not json")
    result, _ = started("--data-file", str(book))
    assert result.exit_code == 1
    assert heap_freezes == []
    assert gc.isenabled()


def test_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)], env={k: None for k in FLAG_ENV.values()})
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_real_process_serves_tokens_and_stops_on_ctrl_c():
    with serve_process() as server:
        token = requests.post(
            server.url + "/connect/token",
            timeout=10,
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
            },
        )
        assert token.status_code == 200
        organisation = requests.get(
            server.url + "/connections",
            timeout=10,
            headers={
                "Authorization": "Bearer " + token.json()["access_token"],
            },
        )
        assert organisation.json()[0]["tenantId"] == DEFAULT_TENANT_ID
        code, rest = server.stop()
    assert code == 0
    assert "mockxero stopped." in rest


# --- the gateway's flags (mockxero.traffic) -------------------------------------------------------------------


def test_gateway_flags_reach_the_configuration(started, tmp_path):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- effect: drop\n")
    result, server = started(
        "--no-rate-limits",
        "--rate-limit-minute",
        "10",
        "--rate-limit-day",
        "100",
        "--rate-limit-concurrent",
        "2",
        "--rate-limit-app-minute",
        "50",
        "--idempotency-ttl",
        "600",
        "--faults-file",
        str(faults),
        "--fault-latency",
        "sleep",
        "--request-log-size",
        "0",
    )
    assert result.exit_code == 0, result.output
    config = config_of(server)
    assert config.rate_limits is False
    assert (
        config.rate_limit_minute,
        config.rate_limit_day,
        config.rate_limit_concurrent,
        config.rate_limit_app_minute,
    ) == (10, 100, 2, 50)
    assert (config.idempotency_ttl, config.faults_file, config.fault_latency, config.request_log_size) == (
        600,
        str(faults),
        "sleep",
        0,
    )
    assert [r["effect"] for r in server.app.extensions["mockxero"].traffic.faults.rules()] == ["drop"]
    assert "Rate limits     off" in result.output


def test_rate_limits_are_on_by_default_and_switch_off_from_the_environment(started):
    result, server = started()
    assert config_of(server).rate_limits is True
    assert "60/min, 5000/day, 5 in flight per tenant; 10000/min per app" in result.output
    _, server = started(env={"MOCKXERO_RATE_LIMITS": "off"})
    assert config_of(server).rate_limits is False


def test_a_bad_fault_file_is_a_usage_error(started, tmp_path):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- effect: explode\n")
    result, _ = started("--faults-file", str(faults))
    assert result.exit_code == 2
    assert "fault rule 1: effect must be one of" in result.output


def test_a_served_process_answers_health_serves_a_call_and_exits_0_on_sigterm_with_its_data_file_intact(tmp_path):
    data_file = tmp_path / "books.sqlite"
    with serve_process("--data-file", str(data_file)) as server:
        health = requests.get(server.url + "/mock-api/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        token = server.access_token()
        created = requests.put(
            server.url + "/api.xro/2.0/Contacts",
            json={"Contacts": [{"Name": "Kept On Disk"}]},
            headers={
                "Authorization": "Bearer " + token,
                "xero-tenant-id": DEFAULT_TENANT_ID,
                "Accept": "application/json",
            },
            timeout=10,
        )
        assert created.status_code == 200, created.text
        server.process.send_signal(signal.SIGTERM)
        rest, _ = server.process.communicate(timeout=30)
    assert server.process.returncode == 0
    assert "mockxero stopped." in rest
    assert [p.name for p in tmp_path.iterdir()] == [data_file.name]  # the write-ahead log folded back in
    stored = Store(data_file, read_only=True)
    assert [row["Name"] for row in stored.scan(f"{DEFAULT_TENANT_ID}:Contacts")] == ["Kept On Disk"]


def test_lock_date_flags_reach_the_first_tenant(started):
    result, server = started("--period-lock-date", "2026-03-31", env={"MOCKXERO_END_OF_YEAR_LOCK_DATE": "2025-12-31"})
    assert result.exit_code == 0, result.output
    tenant = config_of(server).default_tenant
    assert (tenant.period_lock_date, tenant.end_of_year_lock_date) == (date(2026, 3, 31), date(2025, 12, 31))


def test_each_request_is_logged_as_one_json_line(started):
    result, server = started()
    assert result.exit_code == 0, result.output
    assert isinstance(server.app.wsgi_app, serve_module.RequestLines)
    lines = io.StringIO()
    ticks = iter([100.0, 100.25])
    server.app.wsgi_app = serve_module.RequestLines(server.app.wsgi_app.wsgi_app, lines, now=lambda: next(ticks))
    assert server.app.test_client().get("/mock-api/health?x=1").status_code == 200
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == [
        {"time": "1970-01-01T00:01:40Z", "method": "GET", "path": "/mock-api/health", "status": 200, "ms": 250.0}
    ]


def test_a_call_cut_off_by_a_fault_is_logged_with_no_status():
    lines = io.StringIO()

    def severed(environ, start_response):
        raise ConnectionResetError("cut")

    with pytest.raises(ConnectionResetError):
        serve_module.RequestLines(severed, lines, now=lambda: 0.0)({"REQUEST_METHOD": "GET", "PATH_INFO": "/x"}, None)
    assert json.loads(lines.getvalue())["status"] is None


def test_load_starts_with_the_books_of_a_snapshot(started, tmp_path):
    from mockxero.embedding import running

    with running(serve=False) as xero:
        session = xero.session()
        headers = {
            "Authorization": "Bearer " + xero.access_token,
            "xero-tenant-id": xero.tenant_id,
            "Accept": "application/json",
        }
        session.put(xero.api_url + "/Contacts", json={"Contacts": [{"Name": "From The Snapshot"}]}, headers=headers)
        snapshot = tmp_path / "books.json"
        snapshot.write_text(json.dumps(xero.snapshot()), encoding="utf-8")
    result, server = started("--load", str(snapshot))
    assert result.exit_code == 0, result.output
    assert "loaded " in result.output and str(snapshot) in result.output
    contacts = server.app.extensions["mockxero"].store.scan(f"{DEFAULT_TENANT_ID}:Contacts")
    assert [row["Name"] for row in contacts] == ["From The Snapshot"]


def test_a_snapshot_that_is_not_one_stops_the_start_with_the_restore_message(started, tmp_path):
    snapshot = tmp_path / "books.json"
    snapshot.write_text('{"tables": {}}', encoding="utf-8")
    result, _ = started("--load", str(snapshot))
    assert result.exit_code == 1
    assert (
        f"the snapshot {snapshot} cannot be loaded: The snapshot was refused and nothing changed: "
        'expected "mockxero_snapshot": 1'
    ) in result.output


def test_sigterm_lets_a_request_in_flight_finish_before_the_process_exits(tmp_path):
    import threading

    faults = tmp_path / "faults.yaml"
    # the server really sleeps 1 s inside the call, so the signal arrives while it is being answered
    faults.write_text("- {method: PUT, path: /api.xro/2.0/Contacts, effect: latency, latency: 1}\n")
    with serve_process("--faults-file", str(faults), "--fault-latency", "sleep") as server:
        token = server.access_token()
        answers: list[requests.Response] = []
        call = threading.Thread(
            target=lambda: answers.append(
                requests.put(
                    server.url + "/api.xro/2.0/Contacts",
                    json={"Contacts": [{"Name": "Finished"}]},
                    headers={
                        "Authorization": "Bearer " + token,
                        "xero-tenant-id": DEFAULT_TENANT_ID,
                        "Accept": "application/json",
                    },
                    timeout=30,
                )
            )
        )
        call.start()
        # the rule counts a call as fired before it sleeps, so a fired count of one means the call is
        # inside its 1 s sleep: the signal is sent then, however slowly the machine got the call there
        for _ in range(200):
            (rule,) = requests.get(server.url + "/mock-api/faults", timeout=10).json()["faults"]
            if rule["fired"] == 1:
                break
            threading.Event().wait(0.02)
        else:
            pytest.fail("the call never reached the server's sleep")
        assert call.is_alive()
        server.process.send_signal(signal.SIGTERM)
        call.join(timeout=30)
        rest, _ = server.process.communicate(timeout=30)
    assert server.process.returncode == 0
    assert answers and answers[0].status_code == 200, answers and answers[0].text
