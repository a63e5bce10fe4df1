"""``mockxero serve``: run the emulator on a local port until Ctrl-C.

Every flag has a ``MOCKXERO_*`` environment variable; a flag beats its variable, which beats the
``--config`` file, which beats the defaults (``MockConfig.from_env`` does the layering). The flags of the
emulator's settings and of the default tenant and client are made from the tables in ``mockxero.config``;
only the server's own (host, port, configuration file) are written here.
"""

from __future__ import annotations

import gc
import json
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from ..app import create_app
from ..config import (
    CHOICE,
    IDENTITY_SETTINGS,
    NUMBER,
    PATH,
    SETTINGS,
    SUPPORTED_COUNTRIES,
    SWITCH,
    WHOLE,
    ConfigError,
    IdentitySetting,
    MockConfig,
    Setting,
)
from ..ids import is_guid, normalise_guid
from ..paths import API_PREFIX, CONTROL_PREFIX
from ..serving import WaitressServer, listen
from ..store import StoreFileError, collector_paused


class GuidParam(click.ParamType):
    name = "GUID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not is_guid(value):
            self.fail(f"{value!r} is not a GUID (for example 6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01)", param, ctx)
        return normalise_guid(value)


class TextParam(click.ParamType):
    name = "TEXT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not str(value).strip():
            self.fail("must not be empty", param, ctx)
        return str(value)


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD (for example 2026-03-31)", param, ctx)


TEXT = TextParam()
FC = TypeVar("FC", bound=Callable[..., Any])


def _setting_type(spec: Setting) -> click.ParamType | None:
    if spec.kind is WHOLE:
        return click.IntRange(min=spec.minimum) if spec.minimum is not None else click.INT
    if spec.kind is NUMBER:
        return click.FloatRange(min=0, min_open=True)
    if spec.kind is CHOICE:
        return click.Choice(spec.choices)
    if spec.kind is PATH:
        return click.Path(exists=spec.must_exist, dir_okay=False)
    return None  # a switch: an on/off flag pair


def _setting_option(spec: Setting) -> Callable[[FC], FC]:
    """The ``mockxero serve`` flag of one setting. No click default: an absent flag must not hide the
    environment or the configuration file, so the default is shown in the help instead."""
    help_text = f"{spec.help}  [default: {spec.default_text}]"
    if spec.kind is SWITCH:
        flag = spec.option.removeprefix("--")
        return click.option(f"--{flag}/--no-{flag}", spec.name, default=None, envvar=spec.env, help=help_text)
    return click.option(spec.option, spec.name, envvar=spec.env, type=_setting_type(spec), help=help_text)


_IDENTITY_TYPES: dict[str, click.ParamType] = {
    "tenant_id": GuidParam(),
    "country_code": click.Choice(SUPPORTED_COUNTRIES, case_sensitive=False),
    "period_lock_date": DateParam(),
    "end_of_year_lock_date": DateParam(),
}


def _identity_option(spec: IdentitySetting) -> Callable[[FC], FC]:
    return click.option(
        spec.option,
        f"{spec.target}_{spec.name}",
        envvar=spec.env,
        type=_IDENTITY_TYPES.get(spec.name, TEXT),
        help=f"{spec.help}  [default: {spec.default}]",
    )


def _with_options(options: list[Callable[[FC], FC]]) -> Callable[[FC], FC]:
    def apply(command: FC) -> FC:
        for option in reversed(options):  # the first listed is shown first in --help
            command = option(command)
        return command

    return apply


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="MOCKXERO_HOST",
    type=TEXT,
    help="Interface to listen on. Keep the loopback default unless other machines must reach it.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    envvar="MOCKXERO_PORT",
    type=click.IntRange(0, 65535),
    help="TCP port; 0 picks a free one (the real port is printed).",
)
@click.option(
    "--config",
    "config_file",
    envvar="MOCKXERO_CONFIG_FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="A YAML or JSON file with tenants, clients and any other setting.",
)
@click.option(
    "--load",
    "snapshot_file",
    envvar="MOCKXERO_LOAD",
    type=click.Path(exists=True, dir_okay=False),
    help="Start with the books of a snapshot file (GET /mock-api/snapshot writes one), so a CI service "
    "container starts ready.",
)
@_with_options([_identity_option(spec) for spec in IDENTITY_SETTINGS])
@_with_options([_setting_option(spec) for spec in SETTINGS if spec.flag])
def serve(host: str, port: int, config_file: str | None, snapshot_file: str | None, **given: Any) -> None:
    """Serve the Xero Accounting API emulator until Ctrl-C."""
    identity: dict[str, dict[str, Any]] = {"tenant": {}, "client": {}}
    for spec in IDENTITY_SETTINGS:
        identity[spec.target][spec.name] = given.pop(f"{spec.target}_{spec.name}")
    with _collector_off_while_the_book_is_read():
        try:
            config = MockConfig.from_env(
                config_file=config_file, tenant=identity["tenant"], client=identity["client"], **given
            )
            app = create_app(config)
        except ConfigError as exc:
            raise click.UsageError(f"invalid configuration: {exc}") from exc
        except StoreFileError as exc:
            raise click.ClickException(str(exc)) from exc
        if snapshot_file is not None:
            _load_snapshot(app, snapshot_file)
    listener = _listen(host, port)
    app.wsgi_app = RequestLines(app.wsgi_app, sys.stderr)  # type: ignore[method-assign]
    # RequestLines is the access log, one JSON line per request a log collector can parse; waitress's own
    # logger says only what goes wrong (a client gone, a full queue), at WARNING and above
    logging.getLogger("waitress").setLevel(logging.WARNING)
    # on SIGTERM, requests already being answered finish and their answers are sent before the process
    # exits (WaitressServer.shutdown drains); a process manager must not cut a write half-answered
    server = make_server(app, listener)
    _announce(server, config, app.extensions["mockxero"].store.backup)
    _serve_until_interrupted(server)
    # every request has finished (server_close joined them): fold the data file's write-ahead log back in
    app.extensions["mockxero"].store.close()
    click.echo("mockxero stopped.")


@contextmanager
def _collector_off_while_the_book_is_read() -> Iterator[None]:
    """The store's collector pause (``store.collector_paused``) around the whole start, and what was read
    frozen out of the collector's sight once it is done.

    A big book is millions of objects that live as long as the process. Each full collection while serving
    would walk all of them again (1.2 s at 100 000 invoices), and the app's set-up after the store has read
    its rows sets off collections that do (about 4 s of that start-up). ``gc.freeze`` moves everything made
    so far where no collection looks; the process is this command's, so it may.
    """
    with collector_paused():
        yield
        gc.freeze()


def _load_snapshot(app: Any, path: str) -> None:
    """Restore a snapshot through the control API's own restore, so it gets the same checks and messages."""
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read the snapshot {path}: {exc.strerror or exc}") from exc
    answer = app.test_client().post(
        CONTROL_PREFIX + "/restore", data=body, headers={"Content-Type": "application/json"}
    )
    if answer.status_code != 200:
        detail = (answer.get_json(silent=True) or {}).get("detail", answer.get_data(as_text=True))
        raise click.ClickException(f"the snapshot {path} cannot be loaded: {detail}")
    restored = answer.get_json()["restored"]
    click.echo(f"loaded {restored['records']} records from {path}")


def make_server(app: Any, listener: socket.socket) -> WaitressServer:
    return WaitressServer(app, listener)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the port here, so that a port in use is one clear message rather than a server's traceback."""
    try:
        return listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _announce(server: WaitressServer, config: MockConfig, migrated_backup: Path | None = None) -> None:
    url = server.url
    client = config.default_client
    rows = [
        ("Accounting API", url + API_PREFIX),
        ("Token endpoint", url + "/connect/token"),
        ("Control API", url + CONTROL_PREFIX),
        ("Client id", client.client_id),
        ("Client secret", client.client_secret),
    ]
    if len(config.clients) > 1:
        rows.append(("Other clients", f"{len(config.clients) - 1} more: GET {url}{CONTROL_PREFIX}/clients"))
    for tenant in config.tenants:
        rows.append(("Tenant id", f"{tenant.tenant_id}  {tenant.name} ({tenant.country_code})"))
    rows.append(("Data file", config.data_file or "none (in memory, gone on exit)"))
    if migrated_backup is not None:
        rows.append(("Migrated", f"from the tinydb JSON format to SQLite; the original is kept as {migrated_backup}"))
    if config.rate_limits:
        rows.append(
            (
                "Rate limits",
                f"{config.rate_limit_minute}/min, {config.rate_limit_day}/day, "
                f"{config.rate_limit_concurrent} in flight per tenant; "
                f"{config.rate_limit_app_minute}/min per app",
            )
        )
    else:
        rows.append(("Rate limits", "off"))
    click.echo(f"mockxero serving at {url}")
    for label, value in rows:
        click.echo(f"  {label:<15} {value}")
    click.echo("Press Ctrl-C to stop.")


def _serve_until_interrupted(server: WaitressServer) -> None:
    """Serve until Ctrl-C or SIGTERM (what container runtimes and process managers send), then close.

    The handlers ask the server to drain rather than raising KeyboardInterrupt wherever the serving loop
    happens to be. SIGINT gets an explicit handler too: a shell starts background jobs with SIGINT ignored,
    and ``mockxero serve &`` should still stop on ``kill -INT``.
    """
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda signum, frame: server.shutdown())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class RequestLines:
    """WSGI middleware: one JSON line per request on ``stream`` (time, method, path, status, milliseconds).

    ``status`` is null when no answer was sent (a fault cut the connection). Query strings are left out:
    they may carry ids a log need not keep, and the path is what a reader looks for.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], stream: IO[str], now: Callable[[], float] = time.time):
        self.wsgi_app, self.stream, self.now = wsgi_app, stream, now

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = self.now()
        answered: dict[str, int] = {}

        def recording_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            answered["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return list(self.wsgi_app(environ, recording_start_response))  # the app's bodies are small
        finally:
            line = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": answered.get("status"),
                "ms": round((self.now() - started) * 1000, 1),
            }
            self.stream.write(json.dumps(line) + "\n")
            self.stream.flush()
