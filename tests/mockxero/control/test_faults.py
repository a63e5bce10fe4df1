"""/mock-api/faults: list, add, remove and clear fault rules; bad rules are refused with the field named."""

from __future__ import annotations

import pytest


def test_no_rules_at_start(client):
    assert client.get("/mock-api/faults").json == {"faults": []}


def test_add_one_rule_and_list_it(client):
    added = client.post(
        "/mock-api/faults",
        json={"effect": "status", "status": 503, "method": "post", "path": "/api.xro/2.0/Invoices*", "nth": 2},
    )
    assert added.status_code == 201
    rule = {
        "id": 1,
        "effect": "status",
        "method": "POST",
        "path": "/api.xro/2.0/Invoices*",
        "nth": 2,
        "times": 1,
        "status": 503,
        "matched": 0,
        "fired": 0,
    }
    assert added.json == {"faults": [rule]}
    assert client.get("/mock-api/faults").json == {"faults": [rule]}


def test_add_a_list_or_a_faults_document(client):
    client.post("/mock-api/faults", json=[{"effect": "drop"}, {"effect": "latency", "latency": 0.25}])
    client.post("/mock-api/faults", json={"faults": [{"effect": "lost_response", "probability": 0.5, "seed": 3}]})
    listed = client.get("/mock-api/faults").json["faults"]
    assert [(r["id"], r["effect"]) for r in listed] == [(1, "drop"), (2, "latency"), (3, "lost_response")]
    assert listed[1]["latency"] == 0.25
    assert (listed[2]["probability"], listed[2]["seed"]) == (0.5, 3)


def test_one_bad_rule_in_a_list_adds_none(client):
    response = client.post("/mock-api/faults", json=[{"effect": "drop"}, {"effect": "drop", "nth": 0}])
    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_fault",
        "detail": "fault rule 2: nth must be a whole number of at least 1, got 0",
    }
    assert client.get("/mock-api/faults").json["faults"] == []


@pytest.mark.parametrize(
    "rule, message",
    [
        (
            {"effect": "explode"},
            "effect must be one of status, latency, drop, lost_response, revoke_token, got 'explode'",
        ),
        ({"effect": "status"}, "a status rule needs status: an HTTP status from 200 to 599, got None"),
        ({"effect": "status", "status": 99}, "a status rule needs status: an HTTP status from 200 to 599, got 99"),
        ({"effect": "latency"}, "a latency rule needs latency: a number of seconds above 0"),
        ({"effect": "drop", "latency": -1}, "latency must be a number of seconds from 0 to 86400, got -1"),
        ({"effect": "drop", "latency": 1e300}, "latency must be a number of seconds from 0 to 86400, got 1E+300"),
        ({"effect": "drop", "status": 503}, "status applies only to effect 'status'"),
        ({"effect": "revoke_token", "body": "gone"}, "body applies only to effect 'status'"),
        ({"effect": "drop", "probability": 1.5}, "probability must be a number above 0 and at most 1, got 1.5"),
        ({"effect": "drop", "probability": 0.5, "nth": 2}, "give either nth or probability, not both"),
        ({"effect": "drop", "path": "/a", "path_regex": "/a"}, "give either path (a glob) or path_regex, not both"),
        (
            {"effect": "drop", "path_regex": "("},
            "path_regex is not a valid regular expression: missing ), unterminated subpattern at position 0",
        ),
        ({"effect": "drop", "tenant": "acme"}, "tenant must be a tenant id (a GUID), got 'acme'"),
        ({"effect": "drop", "when": "always"}, "unknown field 'when' in a fault rule"),
        ({"effect": "status", "status": 503, "headers": {"X": True}}, "headers must map header names to text"),
        ({"effect": "status", "status": 503, "body": 5}, "body must be an object, a list or text"),
        ({"effect": "drop", "seed": "x"}, "seed must be a whole number, got 'x'"),
        ({"effect": "drop", "method": ""}, "method must be non-empty text, got ''"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(client, rule, message):
    response = client.post("/mock-api/faults", json=rule)
    assert response.status_code == 400
    assert response.json == {"error": "invalid_fault", "detail": message}


def test_a_body_that_is_not_a_rule_document(client):
    assert client.post("/mock-api/faults", json=5).json["detail"] == (
        "expected a list of fault rules (or an object with a 'faults' list)"
    )
    unparseable = client.post("/mock-api/faults", data="{", headers={"Content-Type": "application/json"})
    assert unparseable.status_code == 400
    assert unparseable.json["error"] == "invalid_body"
    assert unparseable.json["detail"].startswith("the request body is not valid JSON")
    assert client.post("/mock-api/faults").json["detail"] == "the request body is empty; send a JSON document"


def test_delete_one_rule(client):
    client.post("/mock-api/faults", json=[{"effect": "drop"}, {"effect": "lost_response"}])
    assert client.delete("/mock-api/faults/1").status_code == 204
    assert [r["id"] for r in client.get("/mock-api/faults").json["faults"]] == [2]
    missing = client.delete("/mock-api/faults/1")
    assert missing.status_code == 404
    assert missing.json == {
        "error": "unknown_fault",
        "detail": "There is no fault rule 1; GET /mock-api/faults lists them",
    }


def test_delete_clears_all_rules_and_ids_keep_counting(client):
    client.post("/mock-api/faults", json={"effect": "drop"})
    assert client.delete("/mock-api/faults").status_code == 204
    assert client.get("/mock-api/faults").json["faults"] == []
    assert client.post("/mock-api/faults", json={"effect": "drop"}).json["faults"][0]["id"] == 2
