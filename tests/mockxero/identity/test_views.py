"""The identity endpoints: /connect/token (three grants), /connect/authorize, /connect/revocation, /connections."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, ClientConfig, MockConfig
from tests.helpers import (
    REDIRECT,
    XeroTestClient,
    authorize,
    basic,
    code_from,
    post_token,
    user_tokens,
)

DAY = 86_400


def refresh(client, refresh_token: str):
    return post_token(client, grant_type="refresh_token", refresh_token=refresh_token)


def oauth_error(response, error: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"] == error


def api(client, access_token: str) -> XeroTestClient:
    return XeroTestClient(client, access_token)


# --- client_credentials --------------------------------------------------------------------------------


def test_client_credentials_issues_a_bearer_token_without_refresh(client):
    response = post_token(client, grant_type="client_credentials")
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1800
    assert "refresh_token" not in body
    assert "accounting.contacts" in body["scope"].split()
    assert response.headers["Cache-Control"] == "no-store"
    assert api(client, body["access_token"]).get("/Contacts").status_code == 200


def test_client_credentials_with_form_fields_instead_of_basic(client):
    response = post_token(
        client,
        headers={},
        grant_type="client_credentials",
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        scope="accounting.contacts.read",
    )
    assert response.status_code == 200
    assert response.json["scope"] == "accounting.contacts.read"


def test_access_token_is_a_jwt_with_xeros_claims(client):
    access = post_token(client, grant_type="client_credentials").json["access_token"]
    payload = access.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["iss"] == "https://identity.xero.com"
    assert claims["client_id"] == DEFAULT_CLIENT_ID
    assert claims["exp"] - claims["nbf"] == 1800


# --- authorization_code --------------------------------------------------------------------------------


def test_authorize_redirects_back_with_code_and_state(client):
    response = authorize(client, state="s-123")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s-123"] and len(query["code"][0]) >= 32


def test_code_exchange_issues_access_refresh_and_id_tokens(client):
    tokens = user_tokens(client)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 1800
    assert tokens["refresh_token"] and tokens["id_token"]
    assert api(client, tokens["access_token"]).get("/Contacts").status_code == 200


def test_without_offline_access_there_is_no_refresh_token(client):
    tokens = user_tokens(client, scope="accounting.contacts")
    assert "refresh_token" not in tokens and "id_token" not in tokens


def test_a_code_is_single_use(client):
    code = code_from(authorize(client))
    assert post_token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT).status_code == 200
    oauth_error(post_token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT), "invalid_grant")


def test_a_refused_exchange_still_uses_up_the_code(client):
    code = code_from(authorize(client))
    oauth_error(
        post_token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "/other"),
        "invalid_grant",
    )
    oauth_error(post_token(client, grant_type="authorization_code", code=code, redirect_uri=REDIRECT), "invalid_grant")


def test_a_code_expires_after_five_minutes(client, clock):
    fresh = code_from(authorize(client))
    stale = code_from(authorize(client))
    clock.advance(299)
    assert post_token(client, grant_type="authorization_code", code=fresh, redirect_uri=REDIRECT).status_code == 200
    clock.advance(1)
    oauth_error(post_token(client, grant_type="authorization_code", code=stale, redirect_uri=REDIRECT), "invalid_grant")


def test_redirect_uri_must_match_the_authorization_request(client):
    code = code_from(authorize(client))
    response = post_token(client, grant_type="authorization_code", code=code, redirect_uri="https://evil.test/cb")
    oauth_error(response, "invalid_grant")


def test_a_code_belongs_to_the_client_it_was_issued_to(two_tenant_client):
    code = code_from(authorize(two_tenant_client, client_id="CLIENTA"))
    response = post_token(
        two_tenant_client,
        headers=basic("CLIENTB", "secret-b"),
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
    )
    oauth_error(response, "invalid_grant")


def test_authorize_with_a_scope_the_app_may_not_have_redirects_with_invalid_scope(client):
    response = authorize(client, scope="accounting.contacts payroll.everything", state="s1")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {"error": ["invalid_scope"], "state": ["s1"]}


def test_authorize_for_an_unknown_client_does_not_redirect(client):
    response = authorize(client, client_id="NOBODY")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_client"


def test_registered_redirect_uris_are_enforced(clock):
    app = create_app(MockConfig(clock=clock, testing=True, clients=(ClientConfig(redirect_uris=(REDIRECT,)),)))
    client = app.test_client()
    assert authorize(client).status_code == 302
    response = authorize(client, redirect_uri="https://elsewhere.test/cb")
    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_request",
        "error_description": "redirect_uri is not registered for this client",
    }


# --- refresh_token -------------------------------------------------------------------------------------


def test_each_refresh_rotates_the_refresh_token(client):
    first = user_tokens(client)["refresh_token"]
    second = refresh(client, first)
    assert second.status_code == 200
    third = refresh(client, second.json["refresh_token"])
    assert third.status_code == 200
    assert len({first, second.json["refresh_token"], third.json["refresh_token"]}) == 3
    assert api(client, third.json["access_token"]).get("/Contacts").status_code == 200


def test_a_superseded_refresh_token_works_within_the_grace_window_then_fails(client, clock):
    first = user_tokens(client)["refresh_token"]
    assert refresh(client, first).status_code == 200
    clock.advance(1799)
    replay = refresh(client, first)  # the response to the first refresh was "lost"
    assert replay.status_code == 200
    assert replay.json["refresh_token"] != first
    clock.advance(2)
    oauth_error(refresh(client, first), "invalid_grant")
    assert refresh(client, replay.json["refresh_token"]).status_code == 200


def test_an_unused_refresh_token_expires_after_60_days(client, clock):
    kept = user_tokens(client)["refresh_token"]
    dropped = user_tokens(client)["refresh_token"]
    clock.advance(60 * DAY - 1)
    assert refresh(client, kept).status_code == 200
    clock.advance(1)
    oauth_error(refresh(client, dropped), "invalid_grant")


def test_refresh_tokens_belong_to_their_client(two_tenant_client):
    code = code_from(authorize(two_tenant_client, client_id="CLIENTA"))
    tokens = post_token(
        two_tenant_client,
        headers=basic("CLIENTA", "secret-a"),
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
    ).json
    response = post_token(
        two_tenant_client,
        headers=basic("CLIENTB", "secret-b"),
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
    )
    oauth_error(response, "invalid_grant")


def test_unknown_refresh_token_is_invalid_grant(client):
    oauth_error(refresh(client, "not-a-token"), "invalid_grant")


def test_refresh_may_narrow_but_not_widen_the_scopes(client):
    first = user_tokens(client, scope="offline_access accounting.contacts")["refresh_token"]
    oauth_error(
        post_token(
            client, grant_type="refresh_token", refresh_token=first, scope="offline_access accounting.transactions"
        ),
        "invalid_scope",
    )
    narrowed = post_token(client, grant_type="refresh_token", refresh_token=first, scope="accounting.contacts")
    assert narrowed.status_code == 200 and narrowed.json["scope"] == "accounting.contacts"


# --- token endpoint errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, form",
    [
        (basic(DEFAULT_CLIENT_ID, "wrong"), {}),
        (basic("NOBODY", DEFAULT_CLIENT_SECRET), {}),
        ({}, {}),
        ({}, {"client_id": DEFAULT_CLIENT_ID}),
        ({"Authorization": "Basic !!!not-base64"}, {}),
    ],
)
def test_bad_client_credentials_are_invalid_client(client, headers, form):
    oauth_error(post_token(client, headers=headers, grant_type="client_credentials", **form), "invalid_client")


def test_unknown_grant_type_is_unsupported_grant_type(client):
    oauth_error(post_token(client, grant_type="password"), "unsupported_grant_type")


def test_missing_grant_type_is_invalid_request(client):
    oauth_error(post_token(client), "invalid_request")


def test_a_scope_the_app_may_not_have_is_invalid_scope(client):
    response = post_token(client, grant_type="client_credentials", scope="accounting.contacts payroll.everything")
    oauth_error(response, "invalid_scope")


# --- revocation ----------------------------------------------------------------------------------------


def test_revoking_a_refresh_token_ends_the_grant(client):
    tokens = user_tokens(client)
    response = client.post("/connect/revocation", data={"token": tokens["refresh_token"]}, headers=basic())
    assert response.status_code == 200
    oauth_error(refresh(client, tokens["refresh_token"]), "invalid_grant")
    denied = api(client, tokens["access_token"]).get("/Contacts")
    assert denied.status_code == 401 and denied.json["Detail"] == "AuthenticationUnsuccessful"


def test_revoking_an_unknown_token_is_not_an_error(client):
    assert client.post("/connect/revocation", data={"token": "nothing"}, headers=basic()).status_code == 200


def test_revocation_needs_the_client_credentials(client):
    tokens = user_tokens(client)
    response = client.post(
        "/connect/revocation", data={"token": tokens["refresh_token"]}, headers=basic(DEFAULT_CLIENT_ID, "wrong")
    )
    oauth_error(response, "invalid_client")
    assert refresh(client, tokens["refresh_token"]).status_code == 200


# --- connections ---------------------------------------------------------------------------------------

ISO7 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$")


@pytest.mark.parametrize("path", ["/connections", "/Connections"])
def test_connections_lists_the_tenants_of_the_grant(client, path):
    tokens = user_tokens(client)
    response = client.get(path, headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert response.status_code == 200
    (connection,) = response.json
    assert set(connection) == {
        "id",
        "authEventId",
        "tenantId",
        "tenantType",
        "tenantName",
        "createdDateUtc",
        "updatedDateUtc",
    }
    assert connection["tenantId"] == DEFAULT_TENANT_ID
    assert connection["tenantType"] == "ORGANISATION" and connection["tenantName"] == "Demo Company (NZ)"
    assert connection["createdDateUtc"] == "2026-01-15T09:00:00.0000000"
    assert ISO7.match(connection["updatedDateUtc"])


def test_connections_filter_by_auth_event_id(client):
    tokens = user_tokens(client)
    headers = {"Authorization": "Bearer " + tokens["access_token"]}
    event = client.get("/connections", headers=headers).json[0]["authEventId"]
    assert len(client.get(f"/connections?authEventId={event}", headers=headers).json) == 1
    assert client.get("/connections?authEventId=00000000-0000-0000-0000-000000000001", headers=headers).json == []


def test_connections_need_a_valid_token(client):
    response = client.get("/connections", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.json["Detail"] == "AuthenticationUnsuccessful"


def test_deleting_a_connection_closes_that_tenant(client):
    tokens = user_tokens(client)
    headers = {"Authorization": "Bearer " + tokens["access_token"]}
    connection_id = client.get("/connections", headers=headers).json[0]["id"]
    assert client.delete(f"/connections/{connection_id}", headers=headers).status_code == 204
    assert client.get("/connections", headers=headers).json == []
    denied = api(client, tokens["access_token"]).get("/Contacts")
    assert denied.status_code == 403
    assert denied.json["Title"] == "Forbidden" and denied.json["Detail"] == "AuthenticationUnsuccessful"


def test_deleting_an_unknown_connection_is_404(client):
    tokens = user_tokens(client)
    response = client.delete(
        "/connections/00000000-0000-0000-0000-000000000001",
        headers={"Authorization": "Bearer " + tokens["access_token"]},
    )
    assert response.status_code == 404
    assert response.json["Detail"] == "The resource you're looking for cannot be found"


def test_a_connection_of_another_grant_cannot_be_deleted(client):
    mine, theirs = user_tokens(client), user_tokens(client)
    their_connection = client.get("/connections", headers={"Authorization": "Bearer " + theirs["access_token"]}).json[0]
    response = client.delete(
        f"/connections/{their_connection['id']}", headers={"Authorization": "Bearer " + mine["access_token"]}
    )
    assert response.status_code == 404
    assert api(client, theirs["access_token"]).get("/Contacts").status_code == 200
