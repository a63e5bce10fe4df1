"""The answers generated requests cannot provoke, provoked on purpose for every operation of the contract.

Generated requests carry a valid token and tenant, well-formed parameters and small bodies, and the
contract app runs without rate limits; so 401, 403, 413, 429, most 400s and 422s never come from them,
and neither do the identity endpoints' successes (they need the client's secret). This test provokes each
of them for every operation that documents them, and checks each answer against the contract like any
other.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MAX_BODY_BYTES
from mockxero.openapi.catalogue import UNPARSEABLE_QUERY

from .conftest import checks_for

UNKNOWN_TENANT = "0c0ffee0-0000-4000-8000-000000000000"
UNKNOWN_ID = "0decaf00-0000-4000-8000-000000000000"
TOO_LONG_KEY = "k" * 129
WRITES = ("PUT", "POST", "DELETE", "PATCH")


def _case(operation, *, body=None, query=None):
    kwargs = {"path_parameters": {param.name: UNKNOWN_ID for param in operation.path_parameters}}
    if query:
        kwargs["query"] = query
    if body is not None:
        kwargs.update(body=body, media_type="application/json")
    return operation.Case(**kwargs)


def _call(case, headers, ledger, *, expected: int):
    response = case.call(headers=headers)
    case.validate_response(response, checks=checks_for(case.operation))
    ledger.record(case.operation.label, response.status_code, "targeted")
    assert response.status_code == expected, (case.operation.label, response.status_code, response.text)
    return response


def _accounting_operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api.xro/2.0/"):
            yield operation


def test_gateway_errors_conform(contract_app, accounting_schema, auth_headers, status_ledger):
    control = contract_app.test_client()
    for operation in _accounting_operations(accounting_schema):
        documented = set(operation.definition.raw["responses"])
        body = {} if "requestBody" in operation.definition.raw else None
        query_names = {param.name for param in operation.query}

        anonymous = {k: v for k, v in auth_headers.items() if k != "Authorization"}
        _call(_case(operation, body=body), anonymous, status_ledger, expected=401)

        elsewhere = {**auth_headers, "xero-tenant-id": UNKNOWN_TENANT}
        _call(_case(operation, body=body), elsewhere, status_ledger, expected=403)

        if "404" in documented and operation.path_parameters:
            _call(_case(operation, body=body), auth_headers, status_ledger, expected=404)

        if "413" in documented:
            # One element whose text alone is over the limit: refused before anything reads it.
            _call(
                _case(operation, body={"Name": "x" * (MAX_BODY_BYTES + 1)}), auth_headers, status_ledger, expected=413
            )

        if "400" in documented:
            unparseable = sorted(query_names & set(UNPARSEABLE_QUERY))
            if unparseable:
                bad = {unparseable[0]: UNPARSEABLE_QUERY[unparseable[0]]}
                _call(_case(operation, body=body, query=bad), auth_headers, status_ledger, expected=400)
            if operation.method.upper() in WRITES:
                keyed = {**auth_headers, "Idempotency-Key": TOO_LONG_KEY}
                _call(_case(operation, body=body), keyed, status_ledger, expected=400)

        if "422" in documented:
            # A key that already holds the answer to another request is refused for this one.
            keyed = {**auth_headers, "Idempotency-Key": f"reuse {operation.label}"}
            claimed = control.put("/api.xro/2.0/Contacts?claim=1", json={}, headers=keyed)
            assert claimed.status_code == 400, claimed.get_data(as_text=True)  # stored, as any answer below 500
            _call(_case(operation, body=body), keyed, status_ledger, expected=422)

        if "429" in documented:
            assert control.post("/mock-api/rate-limits", json={"enabled": True, "minute": 1}).status_code == 200
            assert control.delete("/mock-api/rate-limits").status_code == 204
            admitted = _case(operation, body=body).call(headers=auth_headers)
            status_ledger.record(operation.label, admitted.status_code, "targeted")
            _call(_case(operation, body=body), auth_headers, status_ledger, expected=429)
            assert control.post("/mock-api/rate-limits", json={"enabled": False}).status_code == 200


def test_identity_answers_conform(contract_app, accounting_schema, status_ledger):
    token_op = accounting_schema["/connect/token"]["POST"]
    form = {"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
    issued = _call(
        token_op.Case(body=form, media_type="application/x-www-form-urlencoded"), {}, status_ledger, expected=200
    ).json()
    bearer = {"Authorization": f"Bearer {issued['access_token']}"}

    connections_op = accounting_schema["/connections"]["GET"]
    disconnect_op = accounting_schema["/connections/{id}"]["DELETE"]
    connections = _call(connections_op.Case(), bearer, status_ledger, expected=200).json()
    connection = {"id": connections[0]["id"]}
    _call(connections_op.Case(), {}, status_ledger, expected=401)
    _call(disconnect_op.Case(path_parameters=connection), {}, status_ledger, expected=401)

    control = contract_app.test_client()
    assert control.post("/mock-api/rate-limits", json={"enabled": True, "app_minute": 1}).status_code == 200
    _call(connections_op.Case(), bearer, status_ledger, expected=200)
    _call(connections_op.Case(), bearer, status_ledger, expected=429)
    _call(disconnect_op.Case(path_parameters=connection), bearer, status_ledger, expected=429)
    assert control.post("/mock-api/rate-limits", json={"enabled": False}).status_code == 200

    _call(disconnect_op.Case(path_parameters=connection), bearer, status_ledger, expected=204)

    authorize = accounting_schema["/connect/authorize"]["GET"].Case(
        query={
            "response_type": "code",
            "client_id": DEFAULT_CLIENT_ID,
            "redirect_uri": "https://app.example/callback",
            "scope": "offline_access accounting.contacts",
            "state": "s1",
        }
    )
    redirected = _call(authorize, {}, status_ledger, expected=302)
    code = parse_qs(urlsplit(redirected.headers["location"][0]).query)["code"][0]

    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "https://app.example/callback",
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
    }
    tokens = _call(
        token_op.Case(body=exchange, media_type="application/x-www-form-urlencoded"), {}, status_ledger, expected=200
    ).json()
    oversized = {"grant_type": "client_credentials", "scope": "x" * (MAX_BODY_BYTES + 1)}
    for form_op in (token_op, accounting_schema["/connect/revocation"]["POST"]):
        _call(
            form_op.Case(body=oversized, media_type="application/x-www-form-urlencoded"),
            {},
            status_ledger,
            expected=413,
        )
    revoke = {"token": tokens["refresh_token"], "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
    _call(
        accounting_schema["/connect/revocation"]["POST"].Case(
            body=revoke, media_type="application/x-www-form-urlencoded"
        ),
        {},
        status_ledger,
        expected=200,
    )
