"""The control API's administration endpoints: tenants, clients, reset, snapshot/restore, clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.helpers import TENANT_A, TENANT_B, add_contact, contact_names

UNKNOWN_TENANT = "99999999-9999-4999-8999-999999999999"


def control_error(response, status: int, error: str) -> str:
    """Assert the control API's error shape; return the detail for message checks."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"error", "detail"} and body["error"] == error
    return body["detail"]


# --- tenants and clients -------------------------------------------------------------------------------


def test_tenants_lists_every_configured_tenant_without_a_token(two_tenant_client):
    response = two_tenant_client.get("/mock-api/tenants")
    assert response.status_code == 200
    assert response.json["tenants"] == [
        {
            "tenant_id": TENANT_A,
            "name": "Alpha Ltd",
            "country_code": "NZ",
            "tenant_type": "ORGANISATION",
            "base_currency": "NZD",
            "client_ids": ["CLIENTA"],
        },
        {
            "tenant_id": TENANT_B,
            "name": "Beta Ltd",
            "country_code": "GB",
            "tenant_type": "ORGANISATION",
            "base_currency": "GBP",
            "client_ids": ["CLIENTB"],
        },
    ]


def test_clients_shows_ids_names_secrets_and_tenants(two_tenant_client):
    clients = two_tenant_client.get("/mock-api/clients").json["clients"]
    assert [(c["client_id"], c["client_secret"], c["name"], c["tenant_ids"]) for c in clients] == [
        ("CLIENTA", "secret-a", "App A", [TENANT_A]),
        ("CLIENTB", "secret-b", "App B", [TENANT_B]),
    ]
    assert "accounting.contacts" in clients[0]["scopes"]


def test_default_client_is_listed(client):
    (only,) = client.get("/mock-api/clients").json["clients"]
    assert (only["client_id"], only["client_secret"], only["tenant_ids"]) == (
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        [DEFAULT_TENANT_ID],
    )


def test_a_tenant_added_while_running_gets_fresh_books_and_an_app_of_its_own(client):
    response = client.post("/mock-api/tenants", json={"name": "Kiwi Test Ltd", "country_code": "au"})
    assert response.status_code == 201, response.get_data(as_text=True)
    tenant, app = response.json["tenant"], response.json["client"]
    assert tenant["name"] == "Kiwi Test Ltd" and tenant["country_code"] == "AU" and tenant["base_currency"] == "AUD"
    assert tenant["client_ids"] == [app["client_id"]] and app["tenant_ids"] == [tenant["tenant_id"]]
    assert tenant["tenant_id"] in [t["tenant_id"] for t in client.get("/mock-api/tenants").json["tenants"]]
    token = issue_token(client, app["client_id"], app["client_secret"])
    theirs = XeroTestClient(client, token, tenant["tenant_id"])
    add_contact(theirs, "Only Here")
    assert contact_names(theirs) == ["Only Here"]
    assert contact_names(XeroTestClient(client, issue_token(client))) == []
    # the new app reaches its own tenant only, and the default app does not reach the new one
    assert XeroTestClient(client, token).get("/Contacts").status_code == 403
    assert XeroTestClient(client, issue_token(client), tenant["tenant_id"]).get("/Contacts").status_code == 403


def test_a_seeded_emulator_adds_the_same_tenant_ids_every_run(clock):
    def first_added_id():
        app = create_app({"seed": 7, "clock": clock, "testing": True})
        return app.test_client().post("/mock-api/tenants", json={"name": "Again"}).json["tenant"]["tenant_id"]

    assert first_added_id() == first_added_id()


def test_an_added_tenant_may_be_given_its_id(client):
    wanted = "0d0d0d0d-1111-4222-8333-444444444444"
    response = client.post("/mock-api/tenants", json={"name": "Chosen", "tenant_id": wanted.upper()})
    assert response.status_code == 201
    assert response.json["tenant"]["tenant_id"] == wanted


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, 'name must be a non-empty string, such as "Acme Ltd"'),
        ({"name": "  "}, 'name must be a non-empty string, such as "Acme Ltd"'),
        (
            {"name": "X", "colour": "red", "tenant_id": "nope"},
            "unknown field 'colour'; tenant_id must be a GUID, got 'nope'",
        ),
        ({"name": "X", "country_code": 64}, 'country_code must be a country code such as "NZ", got 64'),
        ({"name": "X", "country_code": "FR"}, "country_code must be one of NZ, AU, GB, US, got 'FR'"),
    ],
)
def test_a_tenant_that_cannot_be_added_is_400_and_nothing_is_added(client, body, message):
    response = client.post("/mock-api/tenants", json=body)
    assert message in control_error(response, 400, "invalid_tenant")
    assert [t["tenant_id"] for t in client.get("/mock-api/tenants").json["tenants"]] == [DEFAULT_TENANT_ID]
    assert len(client.get("/mock-api/clients").json["clients"]) == 1


def test_adding_a_tenant_id_already_configured_is_409_and_adds_no_app(client):
    response = client.post("/mock-api/tenants", json={"name": "Twin", "tenant_id": DEFAULT_TENANT_ID})
    assert control_error(response, 409, "tenant_exists") == f"tenant {DEFAULT_TENANT_ID} is already configured"
    assert len(client.get("/mock-api/clients").json["clients"]) == 1


# --- reset ---------------------------------------------------------------------------------------------


def test_reset_everything_wipes_books_and_tokens(two_tenant_client, xero_a, xero_b):
    add_contact(xero_a, "Alpha customer")
    add_contact(xero_b, "Beta customer")
    response = two_tenant_client.post("/mock-api/reset")
    assert response.status_code == 200
    assert response.json == {"reset": "everything", "tenant_ids": [TENANT_A, TENANT_B]}
    assert xero_a.get("/Contacts").status_code == 401  # tokens went with everything else
    assert xero_a.get("/Contacts").json["Detail"] == "AuthenticationUnsuccessful"


def test_reset_everything_leaves_fresh_books(two_tenant_client, xero_a):
    add_contact(xero_a, "Alpha customer")
    two_tenant_client.post("/mock-api/reset", json={})
    fresh = XeroTestClient(two_tenant_client, issue_token(two_tenant_client, "CLIENTA", "secret-a"), TENANT_A)
    assert contact_names(fresh) == []
    tables = _whole(two_tenant_client)["tables"]
    assert f"{TENANT_A}:Organisation" in tables and f"{TENANT_B}:Accounts" in tables  # bootstrapped afresh


def test_reset_one_tenant_leaves_the_other_and_the_tokens(two_tenant_client, xero_a, xero_b):
    add_contact(xero_a, "Alpha customer")
    add_contact(xero_b, "Beta customer")
    response = two_tenant_client.post("/mock-api/reset", json={"tenant_id": TENANT_A.upper()})
    assert response.status_code == 200
    assert response.json == {"reset": "tenant", "tenant_ids": [TENANT_A]}
    assert contact_names(xero_a) == []
    assert contact_names(xero_b) == ["Beta customer"]


def test_reset_of_an_unknown_tenant_is_404_and_changes_nothing(two_tenant_client, xero_a):
    add_contact(xero_a, "Alpha customer")
    detail = control_error(
        two_tenant_client.post("/mock-api/reset", json={"tenant_id": UNKNOWN_TENANT}), 404, "unknown_tenant"
    )
    assert detail == f"No tenant '{UNKNOWN_TENANT}' is configured here; GET /mock-api/tenants lists them"
    assert contact_names(xero_a) == ["Alpha customer"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"tenant"'])
def test_reset_with_a_bad_body_is_400(client, body):
    response = client.post("/mock-api/reset", data=body, content_type="application/json")
    control_error(response, 400, "invalid_body")


# --- snapshot and restore ------------------------------------------------------------------------------


def test_snapshot_of_the_whole_book_holds_every_tenant_and_the_identity_tables(two_tenant_client, xero_a):
    add_contact(xero_a, "Alpha customer")
    snapshot = two_tenant_client.get("/mock-api/snapshot").json
    assert snapshot["mockxero_snapshot"] == 1 and snapshot["tenant_id"] is None
    namespaces = {table.split(":")[0] for table in snapshot["tables"]}
    assert namespaces == {"system", TENANT_A, TENANT_B}
    (contact,) = snapshot["tables"][f"{TENANT_A}:Contacts"].values()
    assert contact["Name"] == "Alpha customer"
    assert set(contact["UpdatedDateUTC"]) == {"$datetime"}  # types survive JSON as tagged values


def test_snapshot_of_one_tenant(two_tenant_client):
    snapshot = two_tenant_client.get(f"/mock-api/snapshot?tenant_id={TENANT_B}").json
    assert snapshot["tenant_id"] == TENANT_B
    assert {table.split(":")[0] for table in snapshot["tables"]} == {TENANT_B}


def test_snapshot_of_an_unknown_tenant_is_404(client):
    control_error(client.get(f"/mock-api/snapshot?tenant_id={UNKNOWN_TENANT}"), 404, "unknown_tenant")


def test_restore_brings_the_book_back_to_the_snapshot(two_tenant_client, xero_a):
    add_contact(xero_a, "Before")
    snapshot = two_tenant_client.get("/mock-api/snapshot").json
    add_contact(xero_a, "After")
    response = two_tenant_client.post("/mock-api/restore", json=snapshot)
    assert response.status_code == 200
    assert response.json["restored"]["tenant_id"] is None
    assert contact_names(xero_a) == ["Before"]  # the token is in the snapshot too, so it still works
    assert two_tenant_client.get("/mock-api/snapshot").json["tables"] == snapshot["tables"]


def test_restore_of_one_tenant_leaves_the_other_alone(two_tenant_client, xero_a, xero_b):
    add_contact(xero_a, "Alpha before")
    snapshot = two_tenant_client.get(f"/mock-api/snapshot?tenant_id={TENANT_A}").json
    add_contact(xero_a, "Alpha after")
    add_contact(xero_b, "Beta after")
    assert two_tenant_client.post("/mock-api/restore", json=snapshot).status_code == 200
    assert contact_names(xero_a) == ["Alpha before"]
    assert contact_names(xero_b) == ["Beta after"]


def _whole(client):
    return client.get("/mock-api/snapshot").json


def _tenant_snapshot(client):
    return client.get(f"/mock-api/snapshot?tenant_id={TENANT_A}").json


BAD_SNAPSHOTS = {
    "not a snapshot": (_whole, lambda s: {"tables": s["tables"]}, 'expected "mockxero_snapshot": 1'),
    "future format": (_whole, lambda s: {**s, "mockxero_snapshot": 2}, 'expected "mockxero_snapshot": 1'),
    "tables not an object": (_whole, lambda s: {**s, "tables": []}, '"tables" must be an object'),
    "unknown tenant": (_whole, lambda s: {**s, "tenant_id": UNKNOWN_TENANT}, "which is not configured here"),
    "table outside the tenant": (
        _tenant_snapshot,
        lambda s: {**s, "tables": {**s["tables"], f"{TENANT_B}:Contacts": {}}},
        f"is outside tenant {TENANT_A}",
    ),
    "table of an unknown tenant": (
        _whole,
        lambda s: {**s, "tables": {**s["tables"], f"{UNKNOWN_TENANT}:Contacts": {}}},
        "belongs to a tenant that is not configured here",
    ),
    "table name without kind": (_whole, lambda s: {**s, "tables": {"Contacts": {}}}, "is not named"),
    "rows not an object": (
        _whole,
        lambda s: {**s, "tables": {f"{TENANT_A}:Contacts": [1]}},
        "must be an object of records",
    ),
    "record not an object": (
        _whole,
        lambda s: {**s, "tables": {f"{TENANT_A}:Contacts": {"k": 5}}},
        f"record {TENANT_A}:Contacts/k must be an object",
    ),
    "bad tagged decimal": (
        _whole,
        lambda s: {**s, "tables": {f"{TENANT_A}:Contacts": {"k": {"Total": {"$decimal": "ten"}}}}},
        "is not a valid tagged value",
    ),
    "naive tagged datetime": (
        _whole,
        lambda s: {**s, "tables": {f"{TENANT_A}:Contacts": {"k": {"At": {"$datetime": "2026-01-01T00:00"}}}}},
        "has no time zone",
    ),
}


@pytest.mark.parametrize("name", BAD_SNAPSHOTS)
def test_a_bad_snapshot_is_refused_and_changes_nothing(two_tenant_client, xero_a, name):
    take, spoil, message = BAD_SNAPSHOTS[name]
    add_contact(xero_a, "Kept")
    bad = spoil(take(two_tenant_client))
    before = _whole(two_tenant_client)["tables"]
    detail = control_error(two_tenant_client.post("/mock-api/restore", json=bad), 400, "invalid_snapshot")
    assert detail.startswith("The snapshot was refused and nothing changed: ")
    assert message in detail
    assert _whole(two_tenant_client)["tables"] == before


def test_restore_of_a_body_that_is_not_json_is_400(client):
    response = client.post("/mock-api/restore", data=b"\xff\xfe", content_type="application/json")
    control_error(response, 400, "invalid_body")


def test_snapshot_survives_a_json_round_trip_through_a_file(two_tenant_client, xero_a, tmp_path):
    add_contact(xero_a, "Filed")
    file = tmp_path / "snapshot.json"
    file.write_text(two_tenant_client.get("/mock-api/snapshot").get_data(as_text=True))
    two_tenant_client.post("/mock-api/reset", json={"tenant_id": TENANT_A})
    restored = two_tenant_client.post("/mock-api/restore", data=file.read_text(), content_type="application/json")
    assert restored.status_code == 200
    assert contact_names(xero_a) == ["Filed"]
    assert json.loads(file.read_text())["tables"] == _whole(two_tenant_client)["tables"]


# --- the clock -----------------------------------------------------------------------------------------


def test_clock_shows_the_emulator_time(client, clock):
    body = client.get("/mock-api/clock").json
    assert body["now"] == clock.now().isoformat() == "2026-01-15T09:00:00+00:00"
    assert body["clock"] == "ManualClock"


def test_advancing_the_clock_expires_tokens(client, xero):
    assert xero.get("/Contacts").status_code == 200
    moved = client.post("/mock-api/clock", json={"advance_seconds": 1800})
    assert moved.status_code == 200
    assert moved.json["now"] == "2026-01-15T09:30:00+00:00"
    expired = xero.get("/Contacts")
    assert expired.status_code == 401
    assert expired.json["Detail"] == "TokenExpired: token expired at 01/15/2026 09:30:00"


def test_fractional_seconds_advance_too(client):
    assert (
        client.post("/mock-api/clock", json={"advance_seconds": 0.5}).json["now"] == "2026-01-15T09:00:00.500000+00:00"
    )


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "advance_seconds must be a number of seconds, such as 1800"),
        ({"advance_seconds": "60"}, "advance_seconds must be a number of seconds, such as 1800"),
        ({"advance_seconds": True}, "advance_seconds must be a number of seconds, such as 1800"),
        ({"advance_seconds": -1}, "advance_seconds must be zero or more: the clock only moves forward"),
    ],
)
def test_bad_clock_moves_are_refused(client, clock, body, message):
    before = clock.now()
    assert control_error(client.post("/mock-api/clock", json=body), 400, "invalid_request") == message
    assert clock.now() == before


def test_a_move_past_the_year_9999_is_refused_and_the_clock_keeps_working(client, clock):
    before = clock.now()
    response = client.post("/mock-api/clock", json={"advance_seconds": 10**15})
    assert control_error(response, 400, "invalid_request") == (
        "advance_seconds 1000000000000000 would move the clock past the year 9999"
    )
    assert clock.now() == before


def test_the_system_clock_refuses_a_move_past_the_year_9999_and_keeps_working():
    client = create_app({"TESTING": True}).test_client()
    response = client.post("/mock-api/clock", json={"advance_seconds": 10**15})
    assert control_error(response, 400, "invalid_request") == (
        "advance_seconds 1000000000000000 would move the clock past the year 9999"
    )
    assert client.get("/mock-api/clock").status_code == 200


def test_the_system_clock_can_be_advanced_too():
    app = create_app({"TESTING": True})  # the real clock, as `mockxero serve` runs it
    client = app.test_client()
    before = client.get("/mock-api/clock").json
    assert before["clock"] == "SystemClock"
    after = client.post("/mock-api/clock", json={"advance_seconds": 86_400}).json
    moved = datetime.fromisoformat(after["now"]) - datetime.fromisoformat(before["now"])
    assert timedelta(days=1) <= moved < timedelta(days=1, minutes=1)


# --- routing errors in the control API's own shape -----------------------------------------------------


def test_unknown_control_path_is_404_in_the_control_shape(client):
    detail = control_error(client.get("/mock-api/no-such-thing"), 404, "not_found")
    assert "/mock-api/no-such-thing" in detail


def test_wrong_method_is_405_in_the_control_shape(client):
    assert control_error(client.delete("/mock-api/tenants"), 405, "method_not_allowed") == (
        "The method DELETE is not allowed for /mock-api/tenants"
    )


def test_reset_everything_also_clears_fault_rules_and_the_request_log(client, xero):
    client.post("/mock-api/faults", json={"effect": "status", "status": 503})
    xero.get("/Contacts")
    assert client.get("/mock-api/requests").json["requests"]
    client.post("/mock-api/reset")
    assert client.get("/mock-api/faults").json == {"faults": []}
    assert client.get("/mock-api/requests").json["requests"] == []


def test_reset_of_one_tenant_keeps_fault_rules(client, emulator):
    client.post("/mock-api/faults", json={"effect": "status", "status": 503})
    client.post("/mock-api/reset", json={"tenant_id": emulator.config.default_tenant.tenant_id})
    assert len(client.get("/mock-api/faults").json["faults"]) == 1


def test_health_answers_ok_with_the_tenant_count_and_the_emulator_time(client, clock):
    response = client.get("/mock-api/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "tenants": 1, "now": clock.now().isoformat()}
