"""Identity endpoints: ``/connect/authorize``, ``/connect/token``, ``/connect/revocation``, ``/connections``.

Real Xero serves these from identity.xero.com, login.xero.com and api.xero.com; the mock serves them all
from one host so one base URL is enough.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from ..emulator import get_emulator
from ..exceptions import NotFound, OAuthError
from ..http import json_response

bp = Blueprint("identity", __name__)


def _client_credentials() -> tuple[str | None, str | None]:
    """Client authentication by HTTP Basic (tap-xero) or form fields (xero-python)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client") from None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return request.form.get("client_id"), request.form.get("client_secret")


@bp.post("/connect/token")
def token() -> Response:
    emulator = get_emulator()
    identity = emulator.identity
    refusal: OAuthError | None = None
    with emulator.store.transaction():
        # A refusal is raised after the commit, not through it: refusing an authorization code still uses
        # it up (RFC 6749 §10.5). The grants check everything else before they write.
        try:
            client = identity.authenticate_client(*_client_credentials())
            grant_type = request.form.get("grant_type")
            if grant_type == "client_credentials":
                issued = identity.client_credentials(client, request.form.get("scope"))
            elif grant_type == "authorization_code":
                issued = identity.exchange_code(client, request.form.get("code"), request.form.get("redirect_uri"))
            elif grant_type == "refresh_token":
                issued = identity.refresh(client, request.form.get("refresh_token"), request.form.get("scope"))
            elif not grant_type:
                raise OAuthError("invalid_request", "grant_type is required")
            else:
                raise OAuthError("unsupported_grant_type")
        except OAuthError as error:
            refusal = error
    if refusal is not None:
        raise refusal
    return json_response(issued, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@bp.get("/connect/authorize")
def authorize() -> BaseResponse:
    """Consent is automatic: the mock's one user approves every request for the client's tenants."""
    emulator = get_emulator()
    args = request.args
    redirect_uri = args.get("redirect_uri", "")
    with emulator.store.transaction():
        if args.get("response_type") != "code":
            client = emulator.identity.clients.get(args.get("client_id", ""))
            if client is None or not redirect_uri:
                raise OAuthError("invalid_request", "unknown client_id or missing redirect_uri")
            return _redirect_with(redirect_uri, error="unsupported_response_type", state=args.get("state"))
        try:
            code = emulator.identity.authorize(
                client_id=args.get("client_id", ""), redirect_uri=redirect_uri, scope=args.get("scope")
            )
        except OAuthError as error:
            if error.error == "invalid_scope":
                return _redirect_with(redirect_uri, error="invalid_scope", state=args.get("state"))
            raise
    return _redirect_with(redirect_uri, code=code, scope=args.get("scope"), state=args.get("state"))


def _redirect_with(uri: str, **params: str | None) -> BaseResponse:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query) + [(k, v) for k, v in params.items() if v is not None]
    return redirect(urlunsplit(parts._replace(query=urlencode(query))), code=302)


@bp.post("/connect/revocation")
def revoke() -> Response:
    emulator = get_emulator()
    with emulator.store.transaction():
        client = emulator.identity.authenticate_client(*_client_credentials())
        emulator.identity.revoke(client, request.form.get("token"))
    return Response(status=200)


def _iso7(instant: datetime) -> str:
    """The connections API's own date form: ``2019-12-07T18:46:19.5165400`` (UTC, 7 fractional digits)."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond:06d}0"


@bp.get("/connections")
@bp.get("/Connections")
def connections() -> Response:
    emulator = get_emulator()
    with emulator.store.transaction():
        context = emulator.identity.authenticate_bearer(request.headers.get("Authorization"))
        emulator.traffic.tenantless_call(context.client_id)
        rows = emulator.identity.connections(context)
        auth_event = request.args.get("authEventId")
        body = [
            {
                "id": row["ConnectionID"],
                "authEventId": row["GrantID"],
                "tenantId": row["TenantID"],
                "tenantType": emulator.identity.tenant(row["TenantID"]).tenant_type,
                "tenantName": emulator.identity.tenant(row["TenantID"]).name,
                "createdDateUtc": _iso7(row["CreatedAt"]),
                "updatedDateUtc": _iso7(row["UpdatedAt"]),
            }
            for row in rows
            if not auth_event or row["GrantID"] == auth_event
        ]
    return json_response(body)


@bp.delete("/connections/<connection_id>")
@bp.delete("/Connections/<connection_id>")
def delete_connection(connection_id: str) -> Response:
    emulator = get_emulator()
    with emulator.store.transaction():
        context = emulator.identity.authenticate_bearer(request.headers.get("Authorization"))
        emulator.traffic.tenantless_call(context.client_id)
        if not emulator.identity.delete_connection(context, connection_id.lower()):
            raise NotFound()
    return Response(status=204)
