"""Idempotency-Key on writes: replay, refusal of a reused key, scoping, the window, what is not stored."""

from __future__ import annotations

import json

import pytest

from mockxero import create_app
from mockxero.backend import AccountingBackend
from mockxero.clock import ManualClock
from mockxero.config import MockConfig
from mockxero.traffic.idempotency import fingerprint
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.traffic.helpers import CLIENT_B, SECRET_B, TENANT_B, two_tenant_config

ACME = {"Contacts": [{"Name": "Acme Ltd", "EmailAddress": "ap@acme.test"}]}


def put(xero, body, key, path="/Contacts", **kwargs):
    return xero.put(path, body, headers={"Idempotency-Key": key}, **kwargs)


def renewed(xero):
    """The same caller with a fresh token, after the clock moved past the old one's 30 minutes."""
    return XeroTestClient(xero.client, issue_token(xero.client), xero.headers["xero-tenant-id"])


def names(xero):
    return [c["Name"] for c in xero.get("/Contacts").json["Contacts"]]


def test_same_key_and_body_replays_the_answer_without_writing_again(xero):
    first = put(xero, ACME, "create-acme")
    again = put(xero, ACME, "create-acme")
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()  # the same envelope Id, DateTimeUTC and ContactID
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert "Idempotent-Replayed" not in first.headers
    assert names(xero) == ["Acme Ltd"]


def test_replay_gets_fresh_rate_limit_headers(xero):
    first = put(xero, ACME, "k")
    again = put(xero, ACME, "k")
    assert int(again.headers["X-MinLimit-Remaining"]) == int(first.headers["X-MinLimit-Remaining"]) - 1


def test_key_order_and_spacing_do_not_make_a_different_request(xero):
    put(xero, {"Contacts": [{"Name": "Acme Ltd", "EmailAddress": "ap@acme.test"}]}, "k")
    reordered = json.dumps({"Contacts": [{"EmailAddress": "ap@acme.test", "Name": "Acme Ltd"}]}, indent=2)
    again = xero.put("/Contacts", data=reordered, headers={"Idempotency-Key": "k", "Content-Type": "application/json"})
    assert again.headers["Idempotent-Replayed"] == "true"


def test_same_key_with_a_different_body_is_refused_and_the_first_answer_kept(xero):
    put(xero, ACME, "k")
    reused = put(xero, {"Contacts": [{"Name": "Other Ltd"}]}, "k")
    assert reused.status_code == 422
    assert reused.json["Title"] == "Unprocessable Entity"
    assert reused.json["Detail"] == (
        "The Idempotency-Key 'k' was already used for a different request "
        "(PUT /api.xro/2.0/Contacts); use a new key for a new request"
    )
    assert names(xero) == ["Acme Ltd"]
    assert put(xero, ACME, "k").headers["Idempotent-Replayed"] == "true"


def test_same_key_on_another_method_or_query_is_a_different_request(xero):
    put(xero, ACME, "k")
    assert xero.post("/Contacts", ACME, headers={"Idempotency-Key": "k"}).status_code == 422
    assert put(xero, ACME, "k", path="/Contacts?summarizeErrors=false").status_code == 422


def test_numbers_are_compared_exactly():
    base = fingerprint("PUT", "/p", [], b'{"Amount": 1.0}')
    assert fingerprint("PUT", "/p", [], b'{"Amount": 1.00}') != base
    assert fingerprint("PUT", "/p", [], b'{"Amount": "1.0"}') != base
    assert fingerprint("PUT", "/p", [], b'{ "Amount":1.0 }') == base


def test_a_body_that_is_not_json_is_compared_byte_for_byte():
    assert fingerprint("PUT", "/p", [], b"{oops") == fingerprint("PUT", "/p", [], b"{oops")
    assert fingerprint("PUT", "/p", [], b"{oops") != fingerprint("PUT", "/p", [], b"{oops ")


def test_keys_are_scoped_per_tenant(clock):
    client = create_app(two_tenant_config(clock)).test_client()
    token = issue_token(client)
    tenant_a, tenant_b = XeroTestClient(client, token), XeroTestClient(client, token, TENANT_B)
    put(tenant_a, ACME, "k")
    in_b = put(tenant_b, ACME, "k")
    assert in_b.status_code == 200 and "Idempotent-Replayed" not in in_b.headers
    assert names(tenant_a) == names(tenant_b) == ["Acme Ltd"]


def test_keys_are_scoped_per_app_client(clock):
    client = create_app(two_tenant_config(clock)).test_client()
    app_one = XeroTestClient(client, issue_token(client))
    app_two = XeroTestClient(client, issue_token(client, CLIENT_B, SECRET_B))
    put(app_one, {"Contacts": [{"Name": "From app one"}]}, "k")
    other = put(app_two, {"Contacts": [{"Name": "From app two"}]}, "k")
    assert other.status_code == 200 and "Idempotent-Replayed" not in other.headers
    assert names(app_one) == ["From app one", "From app two"]


def test_answers_are_replayed_for_24_hours_then_forgotten(xero, clock):
    put(xero, ACME, "k")
    clock.advance(86_400 - 1)
    xero = renewed(xero)
    assert put(xero, ACME, "k").headers["Idempotent-Replayed"] == "true"
    clock.advance(1)
    rerun = put(xero, ACME, "k")  # runs again, so meets the contact it made the first time
    assert "Idempotent-Replayed" not in rerun.headers
    assert rerun.status_code == 400


def test_window_is_configurable(clock):
    client = create_app(MockConfig(clock=clock, testing=True, idempotency_ttl=60)).test_client()
    xero = XeroTestClient(client, issue_token(client))
    put(xero, {"Contacts": [{"Name": "A"}]}, "k")
    clock.advance(60)
    put(xero, {"Contacts": [{"Name": "B"}]}, "k")  # the old answer is gone: no conflict
    assert names(xero) == ["A", "B"]


def test_expired_answers_are_swept_from_the_store(xero, clock, emulator):
    put(xero, {"Contacts": [{"Name": "A"}]}, "old")
    clock.advance(86_400)
    assert put(renewed(xero), {"Contacts": [{"Name": "B"}]}, "new").status_code == 200
    stored = emulator.store.keys(f"{xero.headers['xero-tenant-id']}:IdempotencyKeys")
    assert [key.split("/", 1)[1] for key in stored] == ["new"]


def test_key_of_128_characters_is_accepted_and_129_refused(xero):
    assert put(xero, ACME, "k" * 128).status_code == 200
    refused = put(xero, {"Contacts": [{"Name": "Too long"}]}, "k" * 129)
    assert refused.status_code == 400
    assert refused.json["Title"] == "Bad Request"
    assert refused.json["Detail"] == "The Idempotency-Key header must be at most 128 characters long (got 129)"
    assert names(xero) == ["Acme Ltd"]


def test_a_blank_key_is_no_key(xero):
    put(xero, {"Contacts": [{"Name": "A"}]}, " ")
    second = put(xero, {"Contacts": [{"Name": "B"}]}, " ")
    assert "Idempotent-Replayed" not in second.headers
    assert names(xero) == ["A", "B"]


def test_reads_ignore_the_key(xero):
    xero.get("/Contacts", headers={"Idempotency-Key": "k"})
    put(xero, ACME, "k")  # the GET did not claim the key
    assert names(xero) == ["Acme Ltd"]


def test_a_refused_batch_answer_is_replayed_so_its_saved_elements_are_not_duplicated(xero):
    batch = {"Contacts": [{"Name": "Good"}, {"Name": ""}]}
    first = put(xero, batch, "k")
    again = put(xero, batch, "k")
    assert first.status_code == again.status_code == 400
    assert again.headers["Idempotent-Replayed"] == "true"
    assert names(xero) == ["Good"]


def test_a_raised_validation_error_is_stored_too(xero):
    first = put(xero, {"Contacts": [{"Name": "x" * 256}]}, "k")
    again = put(xero, {"Contacts": [{"Name": "x" * 256}]}, "k")
    assert first.status_code == again.status_code == 400
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_data() == first.get_data()


def test_a_server_error_is_not_stored(xero, monkeypatch):
    real_create = AccountingBackend.create_contact
    failures = iter([True])

    def fail_once(self, values):
        if next(failures, False):
            raise RuntimeError("a bug in the mock")
        return real_create(self, values)

    monkeypatch.setattr(AccountingBackend, "create_contact", fail_once)
    assert put(xero, ACME, "k").status_code == 500
    retried = put(xero, ACME, "k")
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers
    assert names(xero) == ["Acme Ltd"]


def test_an_injected_fault_status_is_not_stored(xero, client):
    client.post("/mock-api/faults", json={"effect": "status", "status": 503, "method": "PUT", "times": 1})
    assert put(xero, ACME, "k").status_code == 503
    retried = put(xero, ACME, "k")
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers


def test_a_rate_limited_call_is_not_stored(xero, clock, unlimited):
    unlimited.traffic.limiter.enabled = True
    for _ in range(60):
        xero.get("/Contacts")
    assert put(xero, ACME, "k").status_code == 429
    clock.advance(60)
    retried = put(xero, ACME, "k")
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers


def test_stored_answers_survive_a_restart_with_a_data_file(tmp_path):
    clock = ManualClock()
    config = MockConfig(clock=clock, testing=True, data_file=str(tmp_path / "books.json"))
    before = create_app(config).test_client()
    first = put(XeroTestClient(before, issue_token(before)), ACME, "k")
    after = create_app(config).test_client()
    xero = XeroTestClient(after, issue_token(after))
    again = put(xero, ACME, "k")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_data() == first.get_data()
    assert names(xero) == ["Acme Ltd"]


def test_resetting_a_tenant_forgets_its_keys(xero, emulator):
    put(xero, ACME, "k")
    emulator.reset(xero.headers["xero-tenant-id"])
    rerun = put(xero, ACME, "k")
    assert rerun.status_code == 200 and "Idempotent-Replayed" not in rerun.headers


@pytest.mark.parametrize("ttl", [0, -1])
def test_window_must_be_positive(ttl):
    from mockxero.config import ConfigError

    with pytest.raises(ConfigError, match="idempotency_ttl must be at least 1"):
        MockConfig(idempotency_ttl=ttl)
