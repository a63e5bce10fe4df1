"""The emulator inside another program's tests: ``with mockxero.running() as xero:`` (or ``@mockxero.running()``).

``running()`` builds a fresh emulator and serves it on a free loopback port (or, with ``serve=False``, on no
socket at all: ``xero.session()`` is a ``requests`` session whose calls go straight into the WSGI app). The
handle it gives (``RunningMock``) knows the base URL, the default app's client id and secret, a valid access
token and the default tenant id, and drives the control API (``/mock-api``) as Python methods: reset,
snapshot and restore, lock dates, fault rules, rate limits, the request log, the ledger check, the clock, and tenants
added while running, each with an app of its own. Leaving the block stops the server.

Control calls go through the app in-process (Flask's test client) in both modes, so they cost no socket
and take the same path, checks and error messages as ``/mock-api`` does over HTTP.

``connect(url)`` gives the same handle for a server running elsewhere (``mockxero serve``, a CI service
container): every control call then goes over HTTP to its ``/mock-api``, and only ``emulator`` and ``app``
(which live in that other process) are missing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from io import BytesIO
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from flask import Flask
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

from . import wire
from .app import create_app
from .clock import Clock
from .config import MockConfig
from .emulator import Emulator
from .paths import API_PREFIX, CONTROL_PREFIX
from .serving import EmbeddedServer

__all__ = ["ControlAPIError", "LedgerBroken", "RunningMock", "Tenant", "WSGIAdapter", "connect", "running"]

NO_SOCKET_URL = "http://mockxero.invalid"  # .invalid never resolves (RFC 2606): only the WSGI adapter answers it
F = TypeVar("F", bound=Callable[..., Any])


class ControlAPIError(RuntimeError):
    """A control call the emulator refused: its status, error code and the detail it gave."""

    def __init__(self, status: int, error: str, detail: str):
        self.status, self.error, self.detail = status, error, detail
        super().__init__(f"{status} {error}: {detail}")


class LedgerBroken(AssertionError):
    """The ledger check found broken invariants; the message lists every one, tenant by tenant."""

    def __init__(self, report: dict[str, Any]):
        self.report = report
        lines = [
            f"  [{tenant['tenant_id']} {tenant['name']}] {error}"
            for tenant in report["tenants"]
            for error in tenant["errors"]
        ]
        super().__init__("the ledger check failed:\n" + "\n".join(lines))


@dataclass
class Tenant:
    """One organisation and the app that calls it: what a client under test needs to reach its books."""

    mock: RunningMock = field(repr=False)
    tenant_id: str
    name: str
    client_id: str
    client_secret: str
    _token: tuple[str, datetime] | None = field(default=None, repr=False)

    @property
    def access_token(self) -> str:
        """A bearer token of this tenant's app (client credentials), issued again once the emulator's clock
        has passed its expiry."""
        now = self.mock.now()
        if self._token is None or self._token[1] <= now:
            self._token = self.mock.issue_token(self.client_id, self.client_secret)
        return self._token[0]

    @property
    def headers(self) -> dict[str, str]:
        """What every accounting call sends: the bearer token, the tenant, and a request for JSON."""
        return {
            "Authorization": f"Bearer {self.access_token}",
            "xero-tenant-id": self.tenant_id,
            "Accept": "application/json",
        }

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """A fault rule (see ``mockxero.traffic.faults``) that fires only on this tenant's calls."""
        return self.mock.add_fault(tenant=self.tenant_id, **rule)

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The request log's calls for this tenant, oldest first."""
        return self.mock.requests(tenant=self.tenant_id, **filters)

    def snapshot(self) -> dict[str, Any]:
        return self.mock.snapshot(self.tenant_id)

    def restore(self, snapshot: Mapping[str, Any]) -> dict[str, Any]:
        return self.mock.restore(snapshot)

    def reset(self) -> None:
        self.mock.reset(self.tenant_id)

    def ledger(self) -> dict[str, Any]:
        return self.mock.ledger(self.tenant_id)

    def check_ledger(self) -> None:
        self.mock.check_ledger(self.tenant_id)


class RunningMock:
    """A running emulator: where it answers, who may call it, and its control API as methods."""

    def __init__(
        self, app: Flask | None, base_url: str, server: EmbeddedServer | None, *, control: _HTTPControl | None = None
    ):
        """``app`` is the emulator's app in this process, or None for a server elsewhere, whose control API
        ``control`` reaches over HTTP (``connect``)."""
        self.app = app
        self.base_url = base_url
        self.server = server
        self._control: Any = app.test_client() if app is not None else control or _HTTPControl(base_url)
        if app is not None:
            config = self.emulator.config
            tenant_id, tenant_name = config.default_tenant.tenant_id, config.default_tenant.name
            client_id, client_secret = config.default_client.client_id, config.default_client.client_secret
        else:  # the server's first tenant and first app are its defaults, as in its configuration
            first_tenant = self._call("GET", "/tenants")["tenants"][0]
            first_client = self._call("GET", "/clients")["clients"][0]
            tenant_id, tenant_name = first_tenant["tenant_id"], first_tenant["name"]
            client_id, client_secret = first_client["client_id"], first_client["client_secret"]
        self.tenant = Tenant(
            self, tenant_id=tenant_id, name=tenant_name, client_id=client_id, client_secret=client_secret
        )

    # -- where and who --

    @property
    def emulator(self) -> Emulator:
        if self.app is None:
            raise RuntimeError(
                f"the emulator at {self.base_url} runs in another process: use this handle's control API "
                "methods (its /mock-api), which work the same there"
            )
        return self.app.extensions["mockxero"]

    @property
    def api_url(self) -> str:
        """The Accounting API's base path, what SDKs call ``base_url`` or ``basePath``."""
        return self.base_url + API_PREFIX

    @property
    def token_url(self) -> str:
        return self.base_url + "/connect/token"

    @property
    def client_id(self) -> str:
        return self.tenant.client_id

    @property
    def client_secret(self) -> str:
        return self.tenant.client_secret

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    @property
    def access_token(self) -> str:
        """A valid bearer token of the default app for the default tenant."""
        return self.tenant.access_token

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, datetime]:
        """A new client-credentials token and the emulator time it expires at."""
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        issued_at = self.now()
        response = self._control.post("/connect/token", data=form)
        body = response.get_json()
        if response.status_code != 200:
            raise ControlAPIError(response.status_code, str(body.get("error")), "the token endpoint refused the app")
        return body["access_token"], issued_at + timedelta(seconds=int(body["expires_in"]))

    def session(self) -> requests.Session:
        """A ``requests`` session for the emulator: over the socket when serving, else straight into the app."""
        http = requests.Session()
        if self.app is not None and self.server is None:
            http.mount(NO_SOCKET_URL, WSGIAdapter(self.app))
        return http

    # -- tenants --

    def add_tenant(self, name: str, country_code: str = "NZ", tenant_id: str | None = None) -> Tenant:
        """A new organisation with fresh books and an app connected only to it."""
        body: dict[str, Any] = {"name": name, "country_code": country_code}
        if tenant_id is not None:
            body["tenant_id"] = tenant_id
        added = self._call("POST", "/tenants", json=body)
        return Tenant(
            self,
            tenant_id=added["tenant"]["tenant_id"],
            name=added["tenant"]["name"],
            client_id=added["client"]["client_id"],
            client_secret=added["client"]["client_secret"],
        )

    def tenants(self) -> list[dict[str, Any]]:
        return self._call("GET", "/tenants")["tenants"]

    def clients(self) -> list[dict[str, Any]]:
        return self._call("GET", "/clients")["clients"]

    # -- books --

    def reset(self, tenant_id: str | None = None) -> None:
        """Wipe one tenant's books, or (with no tenant) everything: books, tokens, fault rules, the log."""
        self._call("POST", "/reset", json={"tenant_id": tenant_id} if tenant_id else None)

    def snapshot(self, tenant_id: str | None = None) -> dict[str, Any]:
        return self._call("GET", "/snapshot", query={"tenant_id": tenant_id} if tenant_id else None)

    def restore(self, snapshot: Mapping[str, Any]) -> dict[str, Any]:
        """Put back what ``snapshot`` took (the whole book, or the one tenant it was taken of)."""
        return self._call("POST", "/restore", json=dict(snapshot))["restored"]

    def ledger(self, tenant_id: str | None = None) -> dict[str, Any]:
        """The ledger check's report (``GET /mock-api/ledger``) for every tenant or one."""
        return self._call("GET", "/ledger", query={"tenant_id": tenant_id} if tenant_id else None)

    def check_ledger(self, tenant_id: str | None = None) -> None:
        """Raise ``LedgerBroken`` naming every broken invariant, if any."""
        report = self.ledger(tenant_id)
        if not report["balanced"]:
            raise LedgerBroken(report)

    def lock_dates(self, tenant_id: str | None = None) -> dict[str, Any]:
        """The tenant's (default: the default tenant's) period and end-of-year lock dates, ISO text or None."""
        return self._call("GET", f"/tenants/{tenant_id or self.tenant_id}/lock-dates")

    def set_lock_dates(self, tenant_id: str | None = None, **dates: date | None) -> dict[str, Any]:
        """Set (a date) or clear (None) ``period_lock_date`` / ``end_of_year_lock_date``; those not named stay."""
        body = {key: value.isoformat() if value else None for key, value in dates.items()}
        return self._call("PUT", f"/tenants/{tenant_id or self.tenant_id}/lock-dates", json=body)

    def exchange_rates(self, tenant_id: str | None = None) -> list[dict[str, Any]]:
        """The tenant's rate table: ``{"currency", "date" (ISO or None: every date), "rate" (text)}`` entries."""
        return self._call("GET", f"/tenants/{tenant_id or self.tenant_id}/exchange-rates")["rates"]

    def set_exchange_rates(
        self, rates: Mapping[str, Any], tenant_id: str | None = None, on: date | None = None
    ) -> list[dict[str, Any]]:
        """Set ``{"USD": Decimal("0.61")}`` from ``on`` (default: every date); a rate of None removes it."""
        body = [
            {
                "currency": currency,
                "date": on.isoformat() if on else None,
                "rate": None if rate is None else format(rate, "f") if not isinstance(rate, str) else rate,
            }
            for currency, rate in rates.items()
        ]
        return self._call("PUT", f"/tenants/{tenant_id or self.tenant_id}/exchange-rates", json={"rates": body})[
            "rates"
        ]

    # -- the gateway --

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """One fault rule, as ``POST /mock-api/faults`` takes it; the rule as stored, with its id."""
        return self._call("POST", "/faults", json=rule)["faults"][0]

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The request log, oldest first; filters as ``GET /mock-api/requests`` (method, path, tenant, since)."""
        query = {key: str(value) for key, value in filters.items() if value is not None}
        return self._call("GET", "/requests", query=query)["requests"]

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def rate_limits(self, **changes: Any) -> dict[str, Any]:
        """The rate limiter's state; with keyword arguments (enabled, minute, day, ...) change it first."""
        if changes:
            return self._call("POST", "/rate-limits", json=changes)
        return self._call("GET", "/rate-limits")

    # -- time --

    def now(self) -> datetime:
        if self.app is None:
            return datetime.fromisoformat(self._call("GET", "/clock")["now"])
        return self.emulator.clock.now()

    def advance_clock(self, seconds: float) -> datetime:
        """Move the emulator's time forward: tokens expire, rate-limit windows pass. The new time."""
        state = self._call("POST", "/clock", json={"advance_seconds": seconds})
        return datetime.fromisoformat(state["now"])

    # -- plumbing --

    def _call(
        self, method: str, path: str, *, json: Any = None, query: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        response = self._control.open(CONTROL_PREFIX + path, method=method, json=json, query_string=query)
        if response.status_code >= 400:
            body = response.get_json(silent=True) or {}
            raise ControlAPIError(
                response.status_code,
                str(body.get("error", "error")),
                str(body.get("detail", response.get_data(as_text=True))),
            )
        return response.get_json() if response.data else {}


def connect(url: str, *, timeout: float = 30.0) -> RunningMock:
    """A handle on a mockxero server already running at ``url`` (``http://127.0.0.1:8765``): its control API
    as methods, over HTTP. ``ConnectionError`` when nothing there answers like mockxero."""
    base_url = url.rstrip("/")
    control = _HTTPControl(base_url, timeout)
    try:
        health = control.open(CONTROL_PREFIX + "/health", method="GET")
    except requests.RequestException as exc:
        raise ConnectionError(f"no mockxero server answers at {base_url}: {exc}") from None
    if health.status_code != 200 or (health.get_json(silent=True) or {}).get("status") != "ok":
        raise ConnectionError(
            f"{base_url} does not answer like a mockxero server "
            f"(GET {CONTROL_PREFIX}/health: HTTP {health.status_code})"
        )
    return RunningMock(None, base_url, None, control=control)  # every later call keeps the timeout


class _HTTPControl:
    """The control calls of ``RunningMock`` over HTTP, answering in the shape of Flask's test client's."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url, self.timeout = base_url, timeout
        self.http = requests.Session()

    def open(
        self, path: str, *, method: str, json: Any = None, query_string: Mapping[str, str] | None = None
    ) -> _HTTPAnswer:
        answer = self.http.request(method, self.base_url + path, json=json, params=query_string, timeout=self.timeout)
        return _HTTPAnswer(answer)

    def post(self, path: str, *, data: Mapping[str, str]) -> _HTTPAnswer:
        return _HTTPAnswer(self.http.post(self.base_url + path, data=data, timeout=self.timeout))


class _HTTPAnswer:
    def __init__(self, answer: requests.Response):
        self.status_code = answer.status_code
        self.data = answer.content

    def get_json(self, silent: bool = False) -> Any:
        try:
            return wire.loads(self.data)
        except ValueError:
            if silent:
                return None
            raise

    def get_data(self, as_text: bool = False) -> str | bytes:
        return self.data.decode("utf-8", "replace") if as_text else self.data


class WSGIAdapter(BaseAdapter):
    """A ``requests`` transport that hands each call to a WSGI app in-process: no socket, no port.

    Mount it on the URL prefix the calls use (``session.mount("http://mockxero.invalid", WSGIAdapter(app))``).
    """

    def __init__(self, app: Flask):
        super().__init__()
        self._client = Client(app)

    def send(  # the transport options mean nothing without a socket; they are accepted and unused
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body.encode() if isinstance(request.body, str) else request.body
        answer = self._client.open(
            url.path,
            method=request.method or "GET",
            query_string=url.query,
            headers=list(request.headers.items()),
            data=body or b"",
            base_url=f"{url.scheme}://{url.netloc}",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(answer.headers.items())
        response.raw = BytesIO(answer.get_data())
        response.url = request.url or ""
        response.request = request
        response.encoding = answer.mimetype_params.get("charset")
        return response

    def close(self) -> None:
        """Nothing to release: the app lives as long as its emulator."""


class running:  # lower case: it is used like a function (``with mockxero.running():``), as contextlib's helpers are
    """Start a fresh emulator for a block or a function, and stop it afterwards.

    ``config`` is a ``MockConfig`` or a mapping of its fields (tenants, clients, rate limits, ...); the
    environment is never read, so a test is hermetic. ``clock`` (a ``mockxero.clock.ManualClock``, say)
    and ``seed`` (reproducible ids) override the configuration's. ``serve=False`` opens no socket: use
    ``xero.session()`` or mount ``WSGIAdapter(xero.app)``. ``host`` and ``port`` say where to listen
    (``port=0``, the default, takes a free one).

    As a decorator the function gets the handle as its ``mock`` keyword argument, which is taken out of the
    signature it shows (pytest asks for fixtures by signature); each call starts its own emulator.
    """

    def __init__(
        self,
        config: MockConfig | Mapping[str, Any] | None = None,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        serve: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        settings = config if isinstance(config, MockConfig) else MockConfig.from_mapping(config or {})
        overrides: dict[str, Any] = {}
        if clock is not None:
            overrides["clock"] = clock
        if seed is not None:
            overrides["seed"] = seed
        self.config = replace(settings, **overrides)
        self.serve, self.host, self.port = serve, host, port
        self._stack: list[AbstractContextManager[RunningMock]] = []

    @contextmanager
    def _run(self) -> Iterator[RunningMock]:
        app = create_app(self.config)
        if not self.serve:
            yield RunningMock(app, NO_SOCKET_URL, None)
            return
        with EmbeddedServer(app, self.host, self.port) as server:
            yield RunningMock(app, server.url, server)

    def __enter__(self) -> RunningMock:
        block = self._run()  # one per entry, so a nested or repeated ``with`` gets its own emulator
        mock = block.__enter__()
        self._stack.append(block)
        return mock

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stack.pop().__exit__(exc_type, exc, tb)

    def __call__(self, function: F) -> F:
        signature = inspect.signature(function)
        if "mock" not in signature.parameters:
            raise TypeError(f"{function.__qualname__} must take a 'mock' argument to receive the running emulator")

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._run() as mock:
                return function(*args, mock=mock, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for name, p in signature.parameters.items() if name != "mock"]
        )
        return wrapper  # type: ignore[return-value]
