"""The answers generated requests cannot provoke, provoked on purpose for every operation of the contract.

Generated requests always carry a valid token and tenant and small bodies, so 401, 403 and 413 never come
from them, and neither do the identity endpoints' successes (they need the client's secret). This test
provokes each of them for every operation the contract documents them for, and checks each answer
against the contract like any other.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MAX_BODY_BYTES

from .conftest import CONFORMANCE_CHECKS

UNKNOWN_TENANT = "0c0ffee0-0000-4000-8000-000000000000"
UNKNOWN_ID = "0decaf00-0000-4000-8000-000000000000"


def _path_parameters(operation) -> dict[str, str]:
    return {param.name: UNKNOWN_ID for param in operation.path_parameters}


def _case(operation, params, body):
    if body is None:
        return operation.Case(path_parameters=params)
    return operation.Case(path_parameters=params, body=body, media_type="application/json")


def _call(case, headers, ledger, *, expected: int):
    response = case.call(headers=headers)
    case.validate_response(response, checks=CONFORMANCE_CHECKS)
    ledger.record(case.operation.label, response.status_code, "targeted")
    assert response.status_code == expected, (case.operation.label, response.status_code, response.text)
    return response


def _accounting_operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api.xro/2.0/"):
            yield operation


def test_gateway_errors_conform(accounting_schema, auth_headers, status_ledger):
    for operation in _accounting_operations(accounting_schema):
        documented = set(operation.definition.raw["responses"])
        params = _path_parameters(operation)
        body = {} if "requestBody" in operation.definition.raw else None

        anonymous = {k: v for k, v in auth_headers.items() if k != "Authorization"}
        _call(_case(operation, params, body), anonymous, status_ledger, expected=401)

        elsewhere = {**auth_headers, "xero-tenant-id": UNKNOWN_TENANT}
        _call(_case(operation, params, body), elsewhere, status_ledger, expected=403)

        if "404" in documented:
            _call(_case(operation, params, body), auth_headers, status_ledger, expected=404)

        if "413" in documented:
            # One element whose text alone is over the limit; the body is refused before it is read.
            oversized = {"Name": "x" * (MAX_BODY_BYTES + 1)}
            _call(_case(operation, params, oversized), auth_headers, status_ledger,
                  expected=413)


def test_identity_successes_conform(accounting_schema, status_ledger):
    token_op = accounting_schema["/connect/token"]["POST"]
    form = {"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET}
    issued = _call(token_op.Case(body=form, media_type="application/x-www-form-urlencoded"), {}, status_ledger,
                   expected=200).json()
    bearer = {"Authorization": f"Bearer {issued['access_token']}"}

    connections_op = accounting_schema["/connections"]["GET"]
    connections = _call(connections_op.Case(), bearer, status_ledger, expected=200).json()
    _call(connections_op.Case(), {}, status_ledger, expected=401)
    _call(accounting_schema["/connections/{id}"]["DELETE"].Case(path_parameters={"id": connections[0]["id"]}),
          {}, status_ledger, expected=401)
    _call(accounting_schema["/connections/{id}"]["DELETE"].Case(path_parameters={"id": connections[0]["id"]}),
          bearer, status_ledger, expected=204)

    authorize = accounting_schema["/connect/authorize"]["GET"].Case(query={
        "response_type": "code", "client_id": DEFAULT_CLIENT_ID,
        "redirect_uri": "https://app.example/callback", "scope": "offline_access accounting.contacts",
        "state": "s1"})
    redirected = _call(authorize, {}, status_ledger, expected=302)
    code = parse_qs(urlsplit(redirected.headers["location"][0]).query)["code"][0]

    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": "https://app.example/callback",
                "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
    tokens = _call(token_op.Case(body=exchange, media_type="application/x-www-form-urlencoded"), {},
                   status_ledger, expected=200).json()
    revoke = {"token": tokens["refresh_token"], "client_id": DEFAULT_CLIENT_ID,
              "client_secret": DEFAULT_CLIENT_SECRET}
    _call(accounting_schema["/connect/revocation"]["POST"].Case(
        body=revoke, media_type="application/x-www-form-urlencoded"), {}, status_ledger, expected=200)
