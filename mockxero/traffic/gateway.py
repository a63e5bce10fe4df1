"""The gateway in front of the APIs, where rate limits, idempotency, faults and the request log meet.

The path of one call (control-API calls under ``/mock-api`` skip all of it):

1. ``before_request``: open the call's log entry; if a fault rule fires, apply its latency, then answer
   its injected status, or mark the connection to be cut (``drop`` skips the view, ``lost_response`` lets
   it run and commit), or (``revoke_token``) revoke the grant of the call's bearer token and let the call
   go on to the identity check, which refuses it as it refuses any revoked token.
2. ``protocol.operation`` → ``Traffic.accounting_call`` (accounting calls, once the token, tenant and
   scope have passed): rate limits → ``Idempotency-Key`` → the view, in one store transaction together
   with the key's stored answer. Tenantless identity calls use ``Traffic.tenantless_call``.
3. ``after_request``: add the rate-limit headers, close the log entry.
4. ``SeverConnections`` (WSGI middleware): for a marked call, discard the response and cut the connection:
   over a socket served by mockxero.serving (or werkzeug) the socket is shut down, so the client sees the
   connection close with no answer; in-process (Flask's test client) ``ConnectionDropped`` is raised to the caller.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, g, request

from ..clock import Clock, time_scale
from ..config import ConfigError, MockConfig
from ..exceptions import RateLimitExceeded, XeroAPIError
from ..http import json_response, render_error
from ..identity.service import IdentityService
from ..ids import answer_id, is_guid, normalise_guid
from ..store import Store
from .faults import FaultInjector, FaultRule, FaultRuleError, load_rules_file
from .idempotency import WRITE_METHODS, IdempotencyKeys, fingerprint, read_key
from .ratelimit import Limits, RateLimiter
from .requestlog import LoggedCall, RequestLog

SEVER_KEY = "mockxero.sever"  # WSGI environ key: "drop" or "lost_response"
# WSGI environ key of the connection's socket, which mockxero's own server (mockxero.serving) provides;
# werkzeug's server provides it as "werkzeug.socket", looked up too for an app served by `flask run`
SOCKET_KEY = "mockxero.socket"
_STATE = "mockxero_call"  # flask.g attribute holding the current call's _CallState
XERO_503_TEXT = "The Xero API is temporarily unavailable"  # Xero's 503s are plain text


class ConnectionDropped(ConnectionError):
    """Raised to an in-process caller (Flask's test client) when a fault cuts the connection.

    ``effect`` is ``"drop"`` (the call never ran) or ``"lost_response"`` (it ran; its writes are committed).
    """

    def __init__(self, effect: str):
        self.effect = effect
        if effect == "drop":
            message = "mockxero fault: the connection was dropped before the request was processed"
        else:
            message = "mockxero fault: the request was processed, then the connection was dropped"
        super().__init__(message)


@dataclass
class _CallState:
    entry: LoggedCall
    rate_headers: dict[str, str] = field(default_factory=dict)


class Traffic:
    def __init__(self, config: MockConfig, clock: Clock, store: Store, identity: IdentityService):
        self.config = config
        self.identity = identity  # a revoke_token fault revokes the grant of the token a call presents
        self.clock = clock
        self.store = store
        self.limiter = RateLimiter(
            clock,
            Limits(
                minute=config.rate_limit_minute,
                day=config.rate_limit_day,
                concurrent=config.rate_limit_concurrent,
                app_minute=config.rate_limit_app_minute,
            ),
            enabled=config.rate_limits,
        )
        self.idempotency = IdempotencyKeys(store, clock, config.idempotency_ttl)
        self.faults = FaultInjector()
        if config.faults_file:
            rules = load_rules_file(config.faults_file)  # names the file itself when unreadable
            try:
                self.faults.add_all(rules)
            except FaultRuleError as exc:
                raise ConfigError(f"fault file {config.faults_file}: {exc}") from None
        self.log = RequestLog(config.request_log_size)
        self.sleep: Callable[[float], None] = time.sleep  # tests swap it to prove "sleep" mode sleeps

    def reset(self) -> None:
        """Forget rate-limit counters, fault rules and the request log (stored idempotency answers stay
        with the books they belong to)."""
        self.limiter.reset()
        self.faults.clear()
        self.log.clear()

    # -- accounting calls (called by protocol.operation) --

    def accounting_call(self, client_id: str, tenant_id: str, view: Callable[[], Any]) -> Response:
        state = g.get(_STATE)
        if state is not None:
            state.entry.client_id = client_id
            state.entry.tenant_id = tenant_id
        try:
            admission = self.limiter.admit(client_id, tenant_id)
        except RateLimitExceeded as refusal:
            if state is not None:
                state.entry.rate_limit_problem = refusal.problem
            raise
        if state is not None:
            state.rate_headers = admission.headers
        try:
            return self._run(client_id, tenant_id, view, state)
        finally:
            admission.release()

    def _run(self, client_id: str, tenant_id: str, view: Callable[[], Any], state: _CallState | None) -> Response:
        key = read_key(request.headers) if request.method in WRITE_METHODS else None
        if key is None:
            with self.store.transaction():
                return current_app.make_response(view())
        request_print = fingerprint(
            request.method, request.path, request.args.items(multi=True), request.get_data(cache=True)
        )
        if state is not None:
            state.entry.idempotency_key = key
        with self.store.transaction():
            stored = self.idempotency.lookup(tenant_id, client_id, key, request_print)
            if stored is not None:
                if state is not None:
                    state.entry.replayed = True
                return self.idempotency.replay(stored)
            try:
                with self.store.transaction():  # a savepoint: a refused call leaves only its stored answer
                    response = current_app.make_response(view())
            except XeroAPIError as error:
                if error.status >= 500:
                    raise
                response = render_error(error)
            if response.status_code < 500:
                self.idempotency.remember(
                    tenant_id, client_id, key, request_print, request.method, request.path, response
                )
            return response

    def tenantless_call(self, client_id: str) -> None:
        """Count a call that names no tenant (``/connections``) against the app-wide limit."""
        state = g.get(_STATE)
        if state is not None:
            state.entry.client_id = client_id
        try:
            headers = self.limiter.admit_tenantless(client_id)
        except RateLimitExceeded as refusal:
            if state is not None:
                state.entry.rate_limit_problem = refusal.problem
            raise
        if state is not None:
            state.rate_headers = headers

    # -- faults --

    def delay(self, seconds: float) -> None:
        """Latency in emulator seconds: moves the emulator clock, or (``fault_latency: sleep``) really waits
        for as long as the clock's scale makes that many emulator seconds."""
        if self.config.fault_latency == "sleep":
            self.sleep(seconds / time_scale(self.clock))
            return
        advance = getattr(self.clock, "advance", None)
        if advance is not None:
            advance(seconds)

    @staticmethod
    def injected_response(rule: FaultRule) -> Response:
        status = rule.status or 500
        body = rule.body
        if body is None and status == 503:
            body = XERO_503_TEXT
        elif body is None and status >= 400:
            body = {
                "Type": None,
                "Title": "Injected fault",
                "Status": status,
                "Detail": f"mockxero fault rule #{rule.id}",
                "Instance": answer_id(),
                "Extensions": {},
            }
        if body is None:
            response = Response(status=status)
        elif isinstance(body, str):
            response = Response(body, status=status, mimetype="text/plain")
        else:
            response = json_response(body, status)
        for name, value in rule.headers.items():
            response.headers[name] = value
        return response

    # -- the Flask hooks --

    def before_call(self) -> Response | None:
        tenant_header = (request.headers.get("xero-tenant-id") or "").strip()
        entry = LoggedCall(
            time=self.clock.now().isoformat(),
            method=request.method,
            path=request.path,
            tenant_id=normalise_guid(tenant_header) if is_guid(tenant_header) else None,
        )
        setattr(g, _STATE, _CallState(entry))
        rule = self.faults.pick(entry.method, entry.path, entry.tenant_id)
        if rule is None:
            return None
        entry.fault = rule.label
        if rule.latency:
            self.delay(rule.latency)
        if rule.effect == "status":
            return self.injected_response(rule)
        if rule.effect == "revoke_token":
            with self.store.transaction():
                self.identity.revoke_presented_grant(request.headers.get("Authorization"))
            return None  # the call goes on, to be refused by the identity check like any revoked token
        if rule.effect in ("drop", "lost_response"):
            request.environ[SEVER_KEY] = rule.effect
        if rule.effect == "drop":
            return Response(status=502)  # never sent: SeverConnections cuts the connection instead
        return None

    def after_call(self, response: Response) -> Response:
        state = g.get(_STATE)
        if state is None:
            return response
        for name, value in state.rate_headers.items():
            response.headers[name] = value
        state.entry.status = None if request.environ.get(SEVER_KEY) == "drop" else response.status_code
        self.log.record(state.entry)
        return response


def _discard(data: bytes) -> None:
    return None


class SeverConnections:
    """WSGI middleware cutting the connection of a call a fault marked with ``SEVER_KEY``."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start_unless_severed(status: str, headers: list, exc_info: Any = None) -> Callable[[bytes], Any]:
            if environ.get(SEVER_KEY):
                return _discard
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start_unless_severed)
        effect = environ.get(SEVER_KEY)
        if not effect:
            return body
        close = getattr(body, "close", None)
        if close is not None:
            close()
        sock = environ.get(SOCKET_KEY) or environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the client went away first: the connection is cut either way
        # A server treats a ConnectionError as "the client dropped" and sends nothing (werkzeug's does, and
        # mockxero.serving makes waitress do so).
        raise ConnectionDropped(effect)


def install(app: Flask, traffic: Traffic, skip_prefix: str) -> None:
    """Put the gateway in front of ``app``; paths under ``skip_prefix`` (the control API) pass untouched."""

    @app.before_request
    def _before_call() -> Response | None:
        if request.path.startswith(skip_prefix):
            return None
        return traffic.before_call()

    @app.after_request
    def _after_call(response: Response) -> Response:
        return traffic.after_call(response)

    app.wsgi_app = SeverConnections(app.wsgi_app)  # type: ignore[method-assign]
