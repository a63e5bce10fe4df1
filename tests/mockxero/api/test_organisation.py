"""/Organisation over HTTP: the tenant's organisation, read-only, and its permitted actions."""

from __future__ import annotations

from mockxero.config import DEFAULT_TENANT_ID


def test_organisation_comes_in_an_array_of_one(xero):
    response = xero.get("/Organisation")
    assert response.status_code == 200
    (org,) = response.json["Organisations"]
    assert org["OrganisationID"] == DEFAULT_TENANT_ID
    assert org["BaseCurrency"] == "NZD" and org["CountryCode"] == "NZ" and org["Version"] == "NZ"
    assert org["OrganisationStatus"] == "ACTIVE"
    assert org["CreatedDateUTC"].startswith("/Date(") and org["CreatedDateUTC"].endswith("+0000)/")
    assert org["PaymentTerms"] == {} and org["Addresses"] == []
    assert None not in org.values()


def test_post_and_put_are_not_implemented_as_in_xero(xero):
    for call in (xero.post, xero.put):
        response = call("/Organisation", {"Name": "Renamed"})
        assert response.status_code == 501
        assert response.json["Title"] == "Not Implemented"
    assert xero.get("/Organisation").json["Organisations"][0]["Name"] == "Demo Company (NZ)"


def test_actions_are_all_allowed(xero):
    response = xero.get("/Organisation/Actions")
    assert response.status_code == 200
    actions = response.json["Actions"]
    assert {"Name": "UseMulticurrency", "Status": "ALLOWED"} in actions
    assert {a["Status"] for a in actions} == {"ALLOWED"}


def test_a_token_without_a_settings_scope_is_refused(client):
    from tests.helpers import XeroTestClient, issue_token

    contacts_only = XeroTestClient(client, issue_token(client, scope="accounting.contacts"))
    response = contacts_only.get("/Organisation")
    assert response.status_code == 401
    assert response.json["Detail"] == "AuthorizationUnsuccessful"


def test_the_read_scope_may_read_but_not_write(client):
    from tests.helpers import XeroTestClient, issue_token

    reader = XeroTestClient(client, issue_token(client, scope="accounting.settings.read"))
    assert reader.get("/Organisation").status_code == 200
    assert reader.put("/Currencies", {"Code": "JPY"}).status_code == 401


def test_the_plural_path_pyxero_uses_answers_the_same(xero):
    response = xero.get("/Organisations")
    assert response.status_code == 200
    assert response.json["Organisations"][0]["OrganisationID"] == DEFAULT_TENANT_ID
    assert xero.get("/Organisations/Actions").status_code == 200
    assert xero.post("/Organisations", {"Name": "x"}).status_code == 501
