"""Fault injection: each effect, each way of firing, and rules loaded at start."""

from __future__ import annotations

import base64
import json
import random
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, ConfigError, MockConfig
from mockxero.traffic import ConnectionDropped
from tests.helpers import API, XeroTestClient, issue_token
from tests.mockxero.traffic.helpers import TENANT_B, two_tenant_config

ACME = {"Contacts": [{"Name": "Acme Ltd"}]}


def add_fault(client, **rule):
    response = client.post("/mock-api/faults", json=rule)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json["faults"][0]


def names(xero):
    return [c["Name"] for c in xero.get("/Contacts").json["Contacts"]]


# --- status ------------------------------------------------------------------------------------------------


def test_injected_503_answers_xeros_plain_text_and_runs_nothing(client, xero):
    add_fault(client, effect="status", status=503, method="PUT")
    response = xero.put("/Contacts", ACME)
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "The Xero API is temporarily unavailable"
    assert names(xero) == []


def test_injected_status_sends_the_given_headers_and_json_body(client, xero):
    add_fault(
        client,
        effect="status",
        status=429,
        headers={"Retry-After": "7", "X-Rate-Limit-Problem": "minute"},
        body={"Title": "Too Many Requests"},
    )
    response = xero.get("/Contacts")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.headers["X-Rate-Limit-Problem"] == "minute"
    assert response.json == {"Title": "Too Many Requests"}


def test_injected_status_without_a_body_gets_a_problem_body(client, xero):
    add_fault(client, effect="status", status=500)
    response = xero.get("/Contacts")
    assert response.status_code == 500
    assert response.json["Status"] == 500
    assert response.json["Detail"] == "mockxero fault rule #1"


def test_injected_text_body(client, xero):
    add_fault(client, effect="status", status=400, body="nope")
    assert xero.get("/Contacts").get_data(as_text=True) == "nope"


def test_faults_reach_the_identity_endpoints_too(client):
    add_fault(client, effect="status", status=503, path="/connect/token", times=1)
    form = {"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
    assert client.post("/connect/token", data=form).status_code == 503
    assert client.post("/connect/token", data=form).status_code == 200


def test_control_api_is_never_faulted(client):
    add_fault(client, effect="status", status=503)
    assert client.get("/mock-api/faults").status_code == 200


# --- when a rule fires ---------------------------------------------------------------------------------------


def test_nth_fires_on_the_nth_matching_call_only(client, xero):
    add_fault(client, effect="status", status=503, method="GET", nth=3)
    statuses = [xero.get("/Contacts").status_code for _ in range(5)]
    assert statuses == [200, 200, 503, 200, 200]


def test_nth_with_times_fires_on_consecutive_calls(client, xero):
    add_fault(client, effect="status", status=503, nth=2, times=2)
    assert [xero.get("/Contacts").status_code for _ in range(5)] == [200, 503, 503, 200, 200]


def test_without_nth_every_matching_call_fires_up_to_times(client, xero):
    add_fault(client, effect="status", status=503, times=2)
    assert [xero.get("/Contacts").status_code for _ in range(3)] == [503, 503, 200]


def test_without_times_every_matching_call_fires(client, xero):
    add_fault(client, effect="status", status=503)
    assert {xero.get("/Contacts").status_code for _ in range(4)} == {503}


def test_probability_is_seeded_so_a_run_repeats(client, xero):
    add_fault(client, effect="status", status=503, probability=0.5, seed=7)
    draws = random.Random(7)
    expected = [503 if draws.random() < 0.5 else 200 for _ in range(20)]
    assert [xero.get("/Contacts").status_code for _ in range(20)] == expected
    assert 0 < expected.count(503) < 20


def test_rules_match_method_and_glob_path(client, xero):
    add_fault(client, effect="status", status=503, method="put", path="/api.xro/2.0/Contact*")
    assert xero.get("/Contacts").status_code == 200
    assert xero.put("/Contacts", ACME).status_code == 503


def test_glob_covers_the_whole_path(client, xero):
    add_fault(client, effect="status", status=503, path="/api.xro/2.0/Contacts")
    assert xero.get("/Contacts/cus_1").status_code == 404
    assert xero.get("/Contacts").status_code == 503


def test_rules_match_a_regular_expression_over_the_whole_path(client, xero):
    add_fault(client, effect="status", status=503, path_regex=r"/api\.xro/2\.0/Contacts/[0-9a-f-]{36}")
    assert xero.get("/Contacts").status_code == 200
    assert xero.get("/Contacts/00000000-0000-0000-0000-00000000abcd").status_code == 503


def test_rules_match_the_tenant(clock):
    client = create_app(two_tenant_config(clock)).test_client()
    token = issue_token(client)
    add_fault(client, effect="status", status=503, tenant=TENANT_B.upper())
    assert XeroTestClient(client, token).get("/Contacts").status_code == 200
    assert XeroTestClient(client, token, TENANT_B).get("/Contacts").status_code == 503


def test_the_first_rule_that_fires_wins(client, xero):
    add_fault(client, effect="status", status=502, nth=2)
    add_fault(client, effect="status", status=503)
    assert [xero.get("/Contacts").status_code for _ in range(3)] == [503, 502, 503]


def test_rules_report_how_often_they_matched_and_fired(client, xero):
    add_fault(client, effect="status", status=503, nth=2)
    for _ in range(3):
        xero.get("/Contacts")
    rule = client.get("/mock-api/faults").json["faults"][0]
    assert (rule["matched"], rule["fired"]) == (3, 1)


# --- latency ---------------------------------------------------------------------------------------------------


def test_latency_moves_the_emulator_clock_and_the_call_still_runs(client, xero, clock):
    add_fault(client, effect="latency", latency=2.5, method="PUT")
    start = clock.now()
    response = xero.put("/Contacts", ACME)
    assert response.status_code == 200
    assert (clock.now() - start).total_seconds() == 2.5
    assert response.json["Contacts"][0]["UpdatedDateUTC"] == "/Date(1768467602500+0000)/"  # 09:00:02.5


def test_latency_before_another_effect(client, xero, clock):
    add_fault(client, effect="status", status=503, latency=10)
    start = clock.now()
    assert xero.get("/Contacts").status_code == 503
    assert (clock.now() - start).total_seconds() == 10


def test_sleep_mode_really_waits_and_leaves_a_manual_clock_alone(clock):
    app = create_app(MockConfig(clock=clock, testing=True, fault_latency="sleep"))
    slept: list[float] = []
    app.extensions["mockxero"].traffic.sleep = slept.append
    client = app.test_client()
    xero = XeroTestClient(client, issue_token(client))
    add_fault(client, effect="latency", latency=1.5)
    start = clock.now()
    assert xero.get("/Contacts").status_code == 200
    assert slept == [1.5]
    assert clock.now() == start


# --- cut connections, in process ---------------------------------------------------------------------------------


def test_drop_cuts_the_connection_before_anything_is_written(client, xero):
    add_fault(client, effect="drop", method="PUT", times=1)
    with pytest.raises(ConnectionDropped) as dropped:
        xero.put("/Contacts", ACME)
    assert dropped.value.effect == "drop"
    assert names(xero) == []


def test_lost_response_commits_the_write_then_cuts_the_connection(client, xero):
    add_fault(client, effect="lost_response", method="PUT", times=1)
    with pytest.raises(ConnectionDropped) as lost:
        xero.put("/Contacts", ACME)
    assert lost.value.effect == "lost_response"
    assert names(xero) == ["Acme Ltd"]


def test_a_retry_with_the_same_key_after_a_lost_response_is_replayed_not_duplicated(client, xero):
    add_fault(client, effect="lost_response", method="PUT", times=1)
    with pytest.raises(ConnectionError):
        xero.put("/Contacts", ACME, headers={"Idempotency-Key": "acme-1"})
    retried = xero.put("/Contacts", ACME, headers={"Idempotency-Key": "acme-1"})
    assert retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert names(xero) == ["Acme Ltd"]


# --- a revoked token --------------------------------------------------------------------------------------------


def user_tokens(client) -> dict:
    """A web app's connection: the authorization-code grant, with a refresh token (offline_access)."""
    authorised = client.get(
        "/connect/authorize",
        query_string={"response_type": "code", "client_id": DEFAULT_CLIENT_ID, "redirect_uri": "http://localhost/cb"},
    )
    code = parse_qs(urlsplit(authorised.headers["Location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost/cb"}
    answer = client.post("/connect/token", data=form, headers=BASIC)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


BASIC = {"Authorization": "Basic " + base64.b64encode(f"{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}".encode()).decode()}


def refreshed(client, refresh_token: str):
    return client.post(
        "/connect/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token}, headers=BASIC
    )


def unauthorised(response) -> None:
    """Xero's 401 for a token it no longer honours, exactly as the identity check answers a revoked one."""
    assert response.status_code == 401, response.get_data(as_text=True)
    body = response.json
    assert (body["Type"], body["Title"], body["Status"], body["Detail"]) == (
        None,
        "Unauthorized",
        401,
        "AuthenticationUnsuccessful",
    )


def test_revoke_token_refuses_the_call_and_every_later_one_and_the_refresh(client):
    tokens = user_tokens(client)
    xero = XeroTestClient(client, tokens["access_token"])
    assert xero.put("/Contacts", ACME).status_code == 200
    add_fault(client, effect="revoke_token", method="PUT", path=API + "/Contacts")
    unauthorised(xero.put("/Contacts", {"Contacts": [{"Name": "Beta Ltd"}]}))
    unauthorised(xero.get("/Contacts"))  # no rule fires on this one: the grant itself is gone
    refusal = refreshed(client, tokens["refresh_token"])
    assert (refusal.status_code, refusal.json) == (400, {"error": "invalid_grant"})
    # a new connection is a new grant: the books are as they were, the refused write never ran
    fresh = XeroTestClient(client, user_tokens(client)["access_token"])
    assert [c["Name"] for c in fresh.get("/Contacts").json["Contacts"]] == ["Acme Ltd"]
    puts = client.get("/mock-api/requests", query_string={"method": "PUT"}).json["requests"]
    assert [(row["status"], row["fault"]) for row in puts] == [(200, None), (401, "#1 revoke_token")]


def test_revoke_token_leaves_other_grants_alone(client):
    revoked, kept = user_tokens(client), user_tokens(client)
    add_fault(client, effect="revoke_token", times=1)
    unauthorised(XeroTestClient(client, revoked["access_token"]).get("/Contacts"))
    assert XeroTestClient(client, kept["access_token"]).get("/Contacts").status_code == 200
    assert refreshed(client, kept["refresh_token"]).status_code == 200


def test_revoke_token_lets_a_call_without_a_token_of_this_emulator_go_on(client):
    add_fault(client, effect="revoke_token", path="/connect/token", times=1)
    assert client.post("/connect/token", data={"grant_type": "client_credentials"}, headers=BASIC).status_code == 200
    assert client.get("/mock-api/faults").json["faults"][0]["fired"] == 1


def test_a_client_credentials_app_gets_a_new_grant_after_a_revoke(client, xero):
    add_fault(client, effect="revoke_token", times=1)
    unauthorised(xero.get("/Contacts"))
    assert XeroTestClient(client, issue_token(client)).get("/Contacts").status_code == 200


# --- cut connections, over a real socket ---------------------------------------------------------------------------


def live_headers(url):
    token = requests.post(
        url + "/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
        timeout=5,
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "xero-tenant-id": DEFAULT_TENANT_ID, "Accept": "application/json"}


def live_names(url, headers):
    return [c["Name"] for c in requests.get(url + API + "/Contacts", headers=headers, timeout=5).json()["Contacts"]]


def test_drop_over_http_closes_the_socket_without_an_answer(live_server):
    headers = live_headers(live_server)
    requests.post(live_server + "/mock-api/faults", json={"effect": "drop", "method": "PUT", "times": 1}, timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.put(live_server + API + "/Contacts", json=ACME, headers=headers, timeout=5)
    assert live_names(live_server, headers) == []


def test_lost_response_over_http_commits_the_write_the_client_never_heard_of(live_server):
    headers = live_headers(live_server)
    requests.post(
        live_server + "/mock-api/faults", json={"effect": "lost_response", "method": "PUT", "times": 1}, timeout=5
    )
    with pytest.raises(requests.ConnectionError):
        requests.put(
            live_server + API + "/Contacts", json=ACME, headers={**headers, "Idempotency-Key": "a1"}, timeout=5
        )
    assert live_names(live_server, headers) == ["Acme Ltd"]
    retried = requests.put(
        live_server + API + "/Contacts", json=ACME, headers={**headers, "Idempotency-Key": "a1"}, timeout=5
    )
    assert retried.status_code == 200 and retried.headers["Idempotent-Replayed"] == "true"
    assert live_names(live_server, headers) == ["Acme Ltd"]


# --- rules loaded at start ------------------------------------------------------------------------------------------


def test_rules_load_from_a_yaml_file_at_start(tmp_path, clock):
    rules = tmp_path / "faults.yaml"
    rules.write_text("faults:\n  - effect: status\n    status: 503\n    method: GET\n    nth: 2\n")
    client = create_app(MockConfig(clock=clock, testing=True, faults_file=str(rules))).test_client()
    xero = XeroTestClient(client, issue_token(client))
    assert [xero.get("/Contacts").status_code for _ in range(3)] == [200, 503, 200]


def test_rules_load_from_a_json_file_named_by_the_environment(tmp_path):
    rules = tmp_path / "faults.json"
    rules.write_text(json.dumps([{"effect": "drop", "path": "/api.xro/2.0/Invoices"}]))
    config = MockConfig.from_env({"MOCKXERO_FAULTS_FILE": str(rules)})
    listed = create_app(config).test_client().get("/mock-api/faults").json["faults"]
    assert [(r["effect"], r["path"]) for r in listed] == [("drop", "/api.xro/2.0/Invoices")]


def test_a_bad_rule_file_stops_the_start_naming_file_and_rule(tmp_path):
    rules = tmp_path / "faults.yaml"
    rules.write_text("- effect: status\n  status: 503\n- effect: explode\n")
    with pytest.raises(ConfigError, match=r"fault file .*faults.yaml: fault rule 2: effect must be one of"):
        create_app(MockConfig(testing=True, faults_file=str(rules)))


def test_a_missing_rule_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read fault file"):
        create_app(MockConfig(testing=True, faults_file=str(tmp_path / "absent.yaml")))


def test_latency_mode_must_be_clock_or_sleep():
    with pytest.raises(ConfigError, match="fault_latency must be 'clock' or 'sleep'"):
        MockConfig(fault_latency="nap")
