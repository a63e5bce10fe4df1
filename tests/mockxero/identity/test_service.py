"""Bearer tokens on accounting calls: expiry on the injected clock, garbled tokens, tenants, scopes, isolation."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_TENANT_ID,
    ClientConfig,
    MockConfig,
    TenantConfig,
)
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.helpers import TENANT_A, TENANT_B, add_contact, contact_names

CONTACT = {"Contacts": [{"Name": "Scoped Ltd"}]}


def problem(response, status: int, detail: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert body["Type"] is None and body["Status"] == status and body["Detail"] == detail
    assert body["Title"] == {401: "Unauthorized", 403: "Forbidden"}[status]
    assert body["Instance"] and body["Extensions"] == {}


# --- expiry --------------------------------------------------------------------------------------------


def test_a_token_lasts_1800_seconds_by_default(xero, clock):
    clock.advance(1799)
    assert xero.get("/Contacts").status_code == 200
    clock.advance(1)
    problem(xero.get("/Contacts"), 401, "TokenExpired: token expired at 01/15/2026 09:30:00")


def test_token_lifetime_is_configurable(clock):
    client = create_app(MockConfig(clock=clock, testing=True, token_ttl=60)).test_client()
    issued = client.post(
        "/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
    )
    assert issued.json["expires_in"] == 60
    xero = XeroTestClient(client, issued.json["access_token"])
    clock.advance(59)
    assert xero.get("/Contacts").status_code == 200
    clock.advance(1)
    problem(xero.get("/Contacts"), 401, "TokenExpired: token expired at 01/15/2026 09:01:00")


# --- authentication ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2lnbmF0dXJl",
        "Bearer \u00e9\u00e9.\u00e9\u00e9.\u00e9\u00e9",
    ],
)
def test_missing_unknown_or_garbled_tokens_are_401(client, authorization):
    headers = {"xero-tenant-id": DEFAULT_TENANT_ID, "Accept": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    problem(client.get("/api.xro/2.0/Contacts", headers=headers), 401, "AuthenticationUnsuccessful")


def test_a_token_with_a_tampered_claim_is_401(client, xero):
    header, claims, signature = xero.headers["Authorization"].split()[1].split(".")
    forged = claims[:-2] + ("AA" if claims[-2:] != "AA" else "BB")
    xero.headers["Authorization"] = f"Bearer {header}.{forged}.{signature}"
    problem(xero.get("/Contacts"), 401, "AuthenticationUnsuccessful")


def test_a_token_checked_once_does_not_let_a_forgery_of_it_through(xero):
    assert xero.get("/Contacts").status_code == 200  # its signature check is now remembered
    genuine = xero.headers["Authorization"]
    header, claims, signature = genuine.split()[1].split(".")
    forged = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    xero.headers["Authorization"] = f"Bearer {header}.{claims}.{forged}"
    problem(xero.get("/Contacts"), 401, "AuthenticationUnsuccessful")
    xero.headers["Authorization"] = genuine
    assert xero.get("/Contacts").status_code == 200


def test_a_remembered_token_is_refused_once_the_books_signing_secret_changes(xero, emulator):
    # A restored book brings its own signing secret: tokens signed with the old one must stop working.
    assert xero.get("/Contacts").status_code == 200
    with emulator.store.transaction():
        emulator.store.put("system:Secrets", "jwt", {"Secret": "ab" * 32})
    problem(xero.get("/Contacts"), 401, "AuthenticationUnsuccessful")


def test_a_remembered_token_is_refused_once_its_grant_is_revoked(xero, emulator):
    assert xero.get("/Contacts").status_code == 200
    with emulator.store.transaction():
        assert emulator.identity.revoke_presented_grant(xero.headers["Authorization"]) is not None
    problem(xero.get("/Contacts"), 401, "AuthenticationUnsuccessful")


def test_the_bearer_scheme_is_case_insensitive(xero):
    xero.headers["Authorization"] = xero.headers["Authorization"].replace("Bearer", "bearer")
    assert xero.get("/Contacts").status_code == 200


# --- tenants -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tenant_header", [None, "", "not-a-guid", "00000000-0000-0000-0000-000000000001"])
def test_missing_malformed_or_unconnected_tenant_is_403(xero, tenant_header):
    if tenant_header is None:
        del xero.headers["xero-tenant-id"]
    else:
        xero.headers["xero-tenant-id"] = tenant_header
    problem(xero.get("/Contacts"), 403, "AuthenticationUnsuccessful")


def test_tenant_header_is_case_insensitive(xero):
    xero.headers["xero-tenant-id"] = DEFAULT_TENANT_ID.upper()
    assert xero.get("/Contacts").status_code == 200


def test_a_tenant_dropped_from_the_configuration_is_403_not_500(clock, tmp_path):
    """A restart with a data file and a new configuration: old connections point at a missing tenant."""
    book = str(tmp_path / "book.json")
    old = create_app(MockConfig(clock=clock, testing=True, data_file=book)).test_client()
    token = issue_token(old)
    new = create_app(
        MockConfig(
            clock=clock,
            testing=True,
            data_file=book,
            tenants=(TenantConfig(TENANT_A, "Other Ltd"),),
            clients=(ClientConfig(tenant_ids=(TENANT_A,)),),
        )
    )
    problem(XeroTestClient(new.test_client(), token).get("/Contacts"), 403, "AuthenticationUnsuccessful")


# --- scopes --------------------------------------------------------------------------------------------


def test_a_read_scope_allows_reading(client):
    xero = XeroTestClient(client, issue_token(client, scope="accounting.contacts.read"))
    assert xero.get("/Contacts").status_code == 200


def test_a_read_scope_does_not_allow_writing(client):
    xero = XeroTestClient(client, issue_token(client, scope="accounting.contacts.read"))
    problem(xero.put("/Contacts", CONTACT), 401, "AuthorizationUnsuccessful")
    assert contact_names(XeroTestClient(client, issue_token(client))) == []


def test_the_write_scope_allows_writing_and_reading(client):
    xero = XeroTestClient(client, issue_token(client, scope="accounting.contacts"))
    assert xero.put("/Contacts", CONTACT).status_code == 200
    assert xero.get("/Contacts").status_code == 200


def test_another_resources_scope_is_not_enough(client):
    xero = XeroTestClient(client, issue_token(client, scope="accounting.transactions accounting.settings"))
    problem(xero.get("/Contacts"), 401, "AuthorizationUnsuccessful")


# --- isolation -----------------------------------------------------------------------------------------


def test_neither_tenant_sees_the_others_contacts(xero_a, xero_b):
    add_contact(xero_a, "Only in Alpha")
    add_contact(xero_b, "Only in Beta")
    assert contact_names(xero_a) == ["Only in Alpha"]
    assert contact_names(xero_b) == ["Only in Beta"]


def test_a_contact_id_of_one_tenant_is_unknown_in_the_other(two_tenant_client, xero_a):
    contact = add_contact(xero_a, "Alpha's")
    token = issue_token(two_tenant_client, "CLIENTA", "secret-a")
    assert (
        XeroTestClient(two_tenant_client, token, TENANT_A).get(f"/Contacts/{contact['ContactID']}").status_code == 200
    )
    other_app = issue_token(two_tenant_client, "CLIENTB", "secret-b")
    response = XeroTestClient(two_tenant_client, other_app, TENANT_B).get(f"/Contacts/{contact['ContactID']}")
    assert response.status_code == 404


def test_an_app_cannot_reach_a_tenant_it_is_not_connected_to(xero_a, xero_b):
    xero_a.headers["xero-tenant-id"] = TENANT_B
    problem(xero_a.get("/Contacts"), 403, "AuthenticationUnsuccessful")
    problem(xero_a.put("/Contacts", CONTACT), 403, "AuthenticationUnsuccessful")
    assert contact_names(xero_b) == []


def test_the_same_name_may_exist_in_both_tenants(xero_a, xero_b):
    add_contact(xero_a, "Shared Name Ltd")
    add_contact(xero_b, "Shared Name Ltd")  # uniqueness is per organisation
    assert contact_names(xero_b) == ["Shared Name Ltd"]
