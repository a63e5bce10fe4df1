"""The HTTP edge shared by every blueprint: JSON with exact decimals, and the one error renderer."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, request
from flask.json.provider import JSONProvider
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed

from . import wire, xmlwire
from .exceptions import (
    ControlError,
    InternalError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    XeroAPIError,
)
from .ids import answer_id
from .paths import CONTROL_PREFIX

log = logging.getLogger("mockxero")


def is_control_call() -> bool:
    return request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + "/")


class XeroJSONProvider(JSONProvider):
    """Flask's default provider writes ``Decimal`` as a string and dates as HTTP-dates; Xero does neither."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        # the same writer as json_response, so every JSON answer (control API included) reads alike
        return wire.dumps_bytes(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return wire.loads(s)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(wire.dumps_bytes(body), status=status, content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def wants_json(default_format: str) -> bool:
    """Xero answers XML unless the client asks for JSON ("By default all successful responses on the
    accounting API are returned as XML"); ``default_format="json"`` relaxes that for ``*/*`` clients."""
    accept = request.headers.get("Accept", "")
    if "json" in accept:
        return True
    if "xml" in accept:
        return False
    return default_format == "json"


def negotiate(response: Response, default_format: str) -> Response:
    """Turn a JSON answer of the accounting API into XML for clients that did not ask for JSON.

    Gateway problem bodies (401/403/404/429...) stay JSON, as Xero's gateway sends them.
    """
    if response.mimetype != "application/json" or wants_json(default_format):
        return response
    body = wire.loads(response.get_data())
    if isinstance(body, dict) and "Title" in body and "Detail" in body:
        return response
    response.set_data(xmlwire.render(body))
    response.headers["Content-Type"] = "text/xml; charset=utf-8"
    return response


def render_error(error: XeroAPIError) -> Response:
    return json_response(error.body(answer_id()), error.status, error.headers)


def _from_http_exception(error: HTTPException) -> XeroAPIError:
    if is_control_call():
        return _control_error(error)
    if isinstance(error, RequestEntityTooLarge):
        return PayloadTooLarge("The request body is larger than the 3.5 MB Xero accepts in one call")
    if isinstance(error, WerkzeugMethodNotAllowed):
        return MethodNotAllowed(f"The method {request.method} is not allowed for {request.path}")
    if error.code == 404:
        return NotFound()
    problem = ProblemError(error.description or error.name)
    problem.status = error.code or 500
    problem.title = error.name
    return problem


def _control_error(error: HTTPException) -> ControlError:
    """The control API is ours: its routing errors use its own ``{"error", "detail"}`` shape."""
    code = error.code or 500
    slug = (error.name or "error").lower().replace(" ", "_")
    if code == 404:
        detail = f"There is no control endpoint {request.path}; the README's control API section lists them"
    elif code == 405:
        detail = f"The method {request.method} is not allowed for {request.path}"
    else:
        detail = error.description or error.name
    return ControlError(code, slug, detail)


def register_error_handlers(app: Flask) -> None:
    """On the app, not a blueprint, so routing 404s and 405s get Xero's shapes too."""

    @app.errorhandler(XeroAPIError)
    def _xero_error(error: XeroAPIError) -> Response:
        return render_error(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        return render_error(_from_http_exception(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # A 500 is always a bug in the mock; log it loudly, answer like Xero's gateway does.
        log.exception("unhandled error on %s %s", request.method, request.path)
        if is_control_call():
            return render_error(
                ControlError(500, "internal_error", "An unexpected error occurred in mockxero (this is a bug)")
            )
        return render_error(InternalError("An unexpected error occurred in mockxero (this is a bug)"))
