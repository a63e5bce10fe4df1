"""The request log: what each call did at the gateway, newest last, bounded, filterable."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, ConfigError, MockConfig
from mockxero.traffic import ConnectionDropped
from mockxero.traffic.requestlog import LoggedCall, RequestLog
from tests.helpers import XeroTestClient, issue_token


def logged(client, query=""):
    response = client.get("/mock-api/requests" + query)
    assert response.status_code == 200
    return response.json["requests"]


def test_every_call_is_logged_with_what_the_gateway_did(client, xero):
    xero.put("/Contacts", {"Contacts": [{"Name": "Acme"}]}, headers={"Idempotency-Key": "k1"})
    entry = logged(client)[-1]
    assert entry == {
        "sequence": 2,  # the token call came first
        "time": "2026-01-15T09:00:00+00:00",
        "method": "PUT",
        "path": "/api.xro/2.0/Contacts",
        "tenant_id": DEFAULT_TENANT_ID,
        "client_id": DEFAULT_CLIENT_ID,
        "status": 200,
        "idempotency_key": "k1",
        "replayed": False,
        "fault": None,
        "rate_limit_problem": None,
    }


def test_identity_calls_are_logged_and_control_calls_are_not(client, xero):
    client.get("/mock-api/faults")
    assert [(e["method"], e["path"], e["status"]) for e in logged(client)] == [("POST", "/connect/token", 200)]


def test_newest_last_with_the_time_of_each_call(client, xero, clock):
    xero.get("/Contacts")
    clock.advance(5)
    xero.get("/Organisation")
    entries = logged(client)[1:]
    assert [e["time"] for e in entries] == ["2026-01-15T09:00:00+00:00", "2026-01-15T09:00:05+00:00"]
    assert [e["sequence"] for e in entries] == [2, 3]


def test_replays_are_marked(client, xero):
    for _ in range(2):
        xero.put("/Contacts", {"Contacts": [{"Name": "Acme"}]}, headers={"Idempotency-Key": "k1"})
    assert [e["replayed"] for e in logged(client, "?method=PUT")] == [False, True]


def test_rate_limit_refusals_are_logged_with_the_problem(client, xero):
    for _ in range(61):
        xero.get("/Contacts")
    last = logged(client)[-1]
    assert (last["status"], last["rate_limit_problem"]) == (429, "minute")


def test_faults_are_logged_with_the_rule_that_fired(client, xero):
    client.post("/mock-api/faults", json={"effect": "status", "status": 503, "times": 1})
    client.post("/mock-api/faults", json={"effect": "drop", "times": 1})
    client.post("/mock-api/faults", json={"effect": "lost_response", "times": 1})
    xero.get("/Contacts")
    for _ in range(2):
        with pytest.raises(ConnectionDropped):
            xero.get("/Contacts")
    assert [(e["status"], e["fault"]) for e in logged(client)[1:]] == [
        (503, "#1 status 503"),
        (None, "#2 drop"),  # nothing was answered
        (200, "#3 lost_response"),  # answered, but the answer never left
    ]


def test_calls_refused_before_the_gateway_knows_the_caller_are_logged_too(client):
    client.get("/api.xro/2.0/Contacts", headers={"xero-tenant-id": DEFAULT_TENANT_ID.upper()})
    entry = logged(client)[-1]
    assert (entry["status"], entry["tenant_id"], entry["client_id"]) == (401, DEFAULT_TENANT_ID, None)


def test_filters_by_method_path_glob_tenant_and_sequence(client, xero):
    xero.get("/Contacts")
    xero.put("/Contacts", {"Contacts": [{"Name": "Acme"}]})
    xero.get("/Organisation")
    assert [e["path"] for e in logged(client, "?method=get")] == ["/api.xro/2.0/Contacts", "/api.xro/2.0/Organisation"]
    assert [e["method"] for e in logged(client, "?path=/api.xro/2.0/Contacts")] == ["GET", "PUT"]
    assert len(logged(client, "?path=/api.xro/*")) == 3
    assert len(logged(client, f"?tenant={DEFAULT_TENANT_ID.upper()}")) == 3
    assert [e["sequence"] for e in logged(client, "?since=3")] == [4]


def test_since_must_be_a_number(client):
    response = client.get("/mock-api/requests?since=yesterday")
    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_request",
        "detail": "since must be a sequence number (a whole number), got 'yesterday'",
    }


def test_delete_empties_the_log(client, xero):
    xero.get("/Contacts")
    assert client.delete("/mock-api/requests").status_code == 204
    assert logged(client) == []
    xero.get("/Contacts")
    assert [e["sequence"] for e in logged(client)] == [3]  # numbering carries on


def test_the_log_is_a_ring_of_the_newest_calls(clock):
    client = create_app(MockConfig(clock=clock, testing=True, request_log_size=3)).test_client()
    xero = XeroTestClient(client, issue_token(client))
    for _ in range(4):
        xero.get("/Contacts")
    body = client.get("/mock-api/requests").json
    assert body["size"] == 3
    assert [e["sequence"] for e in body["requests"]] == [3, 4, 5]


def test_size_zero_turns_the_log_off(clock):
    client = create_app(MockConfig(clock=clock, testing=True, request_log_size=0)).test_client()
    XeroTestClient(client, issue_token(client)).get("/Contacts")
    body = client.get("/mock-api/requests").json
    assert (body["enabled"], body["requests"]) == (False, [])


def test_size_from_the_environment_and_never_negative():
    assert MockConfig.from_env({"MOCKXERO_REQUEST_LOG_SIZE": "50"}).request_log_size == 50
    with pytest.raises(ConfigError, match="request_log_size must be at least 0, got -1"):
        MockConfig(request_log_size=-1)


def test_ring_unit():
    log = RequestLog(2)
    for path in ("/a", "/b", "/c"):
        log.record(LoggedCall(time="t", method="GET", path=path))
    assert [e["path"] for e in log.entries()] == ["/b", "/c"]
