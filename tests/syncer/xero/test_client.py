"""The client against the served emulator: headers, errors as types, batches where one bad element fails
alone, and the same Idempotency-Key on every attempt of a write."""

import pytest
import requests

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from syncer.clock import FakeClock
from syncer.xero.client import XeroClient
from syncer.xero.errors import GaveUp, NotFound, ValidationFailed
from syncer.xero.retry import RetryPolicy
from syncer.xero.tokens import Authenticator, MemoryTokenStore


@pytest.fixture
def client(live_server, unlimited):
    clock = FakeClock()
    auth = Authenticator(live_server, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), clock)
    return XeroClient(
        live_server + "/api.xro/2.0",
        DEFAULT_TENANT_ID,
        auth,
        clock,
        jitter=lambda: 0.0,
        policy=RetryPolicy(max_attempts=3),
    )


def faults(live_server, *rules):
    response = requests.post(f"{live_server}/mock-api/faults", json={"faults": list(rules)}, timeout=10)
    assert response.status_code == 201


def logged(live_server, method):
    rows = requests.get(f"{live_server}/mock-api/requests", params={"method": method}, timeout=10).json()
    return rows["requests"]


def test_a_batch_with_one_bad_element_creates_the_others(client):
    outcomes = client.put_batch(
        "Contacts", [{"Name": "Acme Ltd"}, {"Name": ""}, {"Name": "Globex"}], "sync1.test.batch"
    )
    assert [outcome.ok for outcome in outcomes] == [True, False, True]
    assert outcomes[1].errors and "name" in outcomes[1].errors[0].lower()
    assert {c["Name"] for c in client.get("Contacts")["Contacts"]} >= {"Acme Ltd", "Globex"}


def test_a_validation_error_carries_xeros_messages(client):
    with pytest.raises(ValidationFailed) as refused:
        client.write("PUT", "Invoices", {"Invoices": [{"Type": "ACCREC"}]}, idempotency_key="sync1.test.bad")
    assert refused.value.status == 400 and refused.value.messages


def test_an_unknown_object_is_not_found(client):
    with pytest.raises(NotFound):
        client.get("Invoices/9f5a0f1c-0000-4000-8000-000000000000")


def test_every_attempt_of_a_write_carries_the_same_key(client, live_server):
    faults(
        live_server,
        {"method": "PUT", "path": "/api.xro/2.0/Contacts", "nth": 1, "times": 2, "effect": "status", "status": 503},
    )
    sent = []
    send = client.session.request

    def recording(method, url, **kwargs):
        sent.append(kwargs["headers"].get("Idempotency-Key"))
        return send(method, url, **kwargs)

    client.session.request = recording
    client.write("PUT", "Contacts", {"Contacts": [{"Name": "Initech"}]}, idempotency_key="sync1.test.same")
    assert sent == ["sync1.test.same"] * 3 and client.retries == 2
    assert [row["idempotency_key"] for row in logged(live_server, "PUT")][-1] == "sync1.test.same"
    assert client.clock.sleeps == [1.0, 2.0]  # the policy's backoff, on the injected clock


def test_it_gives_up_after_the_policy_says_so(client, live_server):
    faults(live_server, {"method": "GET", "path": "/api.xro/2.0/Accounts", "effect": "status", "status": 503})
    with pytest.raises(GaveUp, match="gave up after 3 attempt"):
        client.get("Accounts")
