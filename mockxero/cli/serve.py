"""``mockxero serve``: run the emulator on a local port until Ctrl-C.

Every flag has a ``MOCKXERO_*`` environment variable; a flag beats its variable, which beats the
``--config`` file, which beats the defaults (``MockConfig.from_env`` does the layering).
"""

from __future__ import annotations

import signal
import socket
import threading
from typing import Any

import click
from werkzeug.serving import BaseWSGIServer, make_server, select_address_family

from ..api import API_PREFIX
from ..app import create_app
from ..config import SUPPORTED_COUNTRIES, ConfigError, MockConfig
from ..control import CONTROL_PREFIX
from ..ids import is_guid, normalise_guid
from ..store import StoreFileError


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


TEXT = TextParam()


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
    "--data-file",
    envvar="MOCKXERO_DATA_FILE",
    type=click.Path(dir_okay=False),
    help="Keep the books in this tinydb JSON file so they survive restarts. Default: in memory.",
)
@click.option(
    "--config",
    "config_file",
    envvar="MOCKXERO_CONFIG_FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="A YAML or JSON file with tenants, clients and any other setting.",
)
@click.option(
    "--token-ttl",
    envvar="MOCKXERO_TOKEN_TTL",
    type=click.IntRange(min=1),
    help="Access-token lifetime in seconds.  [default: 1800, as Xero]",
)
@click.option("--tenant-id", envvar="MOCKXERO_TENANT_ID", type=GuidParam(), help="The first (default) tenant's id.")
@click.option(
    "--tenant-name",
    envvar="MOCKXERO_TENANT_NAME",
    type=TEXT,
    help="The first tenant's organisation name.  [default: Demo Company (NZ)]",
)
@click.option(
    "--country",
    envvar="MOCKXERO_COUNTRY",
    type=click.Choice(SUPPORTED_COUNTRIES, case_sensitive=False),
    help="The first tenant's country: its currency, chart of accounts and tax rates.  [default: NZ]",
)
@click.option("--client-id", envvar="MOCKXERO_CLIENT_ID", type=TEXT, help="The first (default) app's client id.")
@click.option("--client-secret", envvar="MOCKXERO_CLIENT_SECRET", type=TEXT, help="The first app's client secret.")
@click.option(
    "--unknown-fields",
    envvar="MOCKXERO_UNKNOWN_FIELDS",
    type=click.Choice(["ignore", "reject"]),
    help="Ignore body fields the API does not know (as Xero does) or reject them to catch typos.  [default: ignore]",
)
@click.option(
    "--clock-scale",
    envvar="MOCKXERO_CLOCK_SCALE",
    type=click.FloatRange(min=0, min_open=True),
    help="Run the emulator's clock this many times faster than real time.  [default: 1]",
)
@click.option("--seed", envvar="MOCKXERO_SEED", type=int, help="Seed for reproducible ids and tokens.")
@click.option(
    "--rate-limits/--no-rate-limits",
    default=None,
    envvar="MOCKXERO_RATE_LIMITS",
    help="Enforce Xero's rate limits (429 with Retry-After).  [default: on]",
)
@click.option(
    "--rate-limit-minute",
    envvar="MOCKXERO_RATE_LIMIT_MINUTE",
    type=click.IntRange(min=1),
    help="Calls per tenant per app in any rolling minute.  [default: 60, as Xero]",
)
@click.option(
    "--rate-limit-day",
    envvar="MOCKXERO_RATE_LIMIT_DAY",
    type=click.IntRange(min=1),
    help="Calls per tenant per app in any rolling 24 hours.  [default: 5000, as Xero]",
)
@click.option(
    "--rate-limit-concurrent",
    envvar="MOCKXERO_RATE_LIMIT_CONCURRENT",
    type=click.IntRange(min=1),
    help="Calls per tenant per app in flight at once.  [default: 5, as Xero]",
)
@click.option(
    "--rate-limit-app-minute",
    envvar="MOCKXERO_RATE_LIMIT_APP_MINUTE",
    type=click.IntRange(min=1),
    help="Calls per app across all tenants in any rolling minute.  [default: 10000, as Xero]",
)
@click.option(
    "--idempotency-ttl",
    envvar="MOCKXERO_IDEMPOTENCY_TTL",
    type=click.IntRange(min=1),
    help="Seconds an Idempotency-Key's answer is replayed.  [default: 86400]",
)
@click.option(
    "--faults-file",
    envvar="MOCKXERO_FAULTS_FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="A YAML or JSON file of fault rules to load at start (see /mock-api/faults).",
)
@click.option(
    "--fault-latency",
    envvar="MOCKXERO_FAULT_LATENCY",
    type=click.Choice(["clock", "sleep"]),
    help="How a latency fault delays a call: move the emulator clock, or really sleep.  [default: clock]",
)
@click.option(
    "--request-log-size",
    envvar="MOCKXERO_REQUEST_LOG_SIZE",
    type=click.IntRange(min=0),
    help="Calls kept in the request log (GET /mock-api/requests); 0 turns it off.  [default: 1000]",
)
def serve(
    host: str,
    port: int,
    config_file: str | None,
    data_file: str | None,
    token_ttl: int | None,
    tenant_id: str | None,
    tenant_name: str | None,
    country: str | None,
    client_id: str | None,
    client_secret: str | None,
    unknown_fields: str | None,
    clock_scale: float | None,
    seed: int | None,
    **gateway: Any,
) -> None:
    """Serve the Xero Accounting API emulator until Ctrl-C."""
    try:
        config = MockConfig.from_env(
            config_file=config_file,
            tenant={"tenant_id": tenant_id, "name": tenant_name, "country_code": country and country.upper()},
            client={"client_id": client_id, "client_secret": client_secret},
            data_file=data_file,
            token_ttl=token_ttl,
            unknown_fields=unknown_fields,
            clock_scale=clock_scale,
            seed=seed,
            **gateway,  # rate limits, Idempotency-Key window, faults, request log (mockxero.traffic)
        )
        app = create_app(config)
    except ConfigError as exc:
        raise click.UsageError(f"invalid configuration: {exc}") from exc
    except StoreFileError as exc:
        raise click.ClickException(str(exc)) from exc
    with _listen(host, port) as listener:  # werkzeug serves on its own duplicate of this socket
        server = make_server(host, port, app, threaded=True, fd=listener.fileno())
    _announce(server, config)
    _serve_until_interrupted(server)
    click.echo("mockxero stopped.")


def _listen(host: str, port: int) -> socket.socket:
    """Bind the port here: werkzeug would print its own message and exit, which a caller cannot catch."""
    try:
        return socket.create_server((host, port), family=select_address_family(host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def base_url(server: BaseWSGIServer) -> str:
    host = server.host
    if ":" in host:  # an IPv6 address needs brackets in a URL
        host = f"[{host}]"
    return f"http://{host}:{server.port}"


def _announce(server: BaseWSGIServer, config: MockConfig) -> None:
    url = base_url(server)
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


def _serve_until_interrupted(server: BaseWSGIServer) -> None:
    """Serve until Ctrl-C or SIGTERM (what container runtimes and process managers send), then close.

    SIGINT gets an explicit handler too: a shell starts background jobs with SIGINT ignored, and
    ``mockxero serve &`` should still stop on ``kill -INT``.
    """
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
