"""The client against the served mock with its fault injection: whatever the network does, one object each."""

from __future__ import annotations

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from syncer.xero.errors import DailyLimitReached
from syncer.xero.keys import idempotency_key

CONTACTS = "/api.xro/2.0/Contacts"


def key(source_id: str) -> str:
    return idempotency_key(DEFAULT_TENANT_ID, "contact", source_id, 1, "create")


def write_contact(served, number: str, name: str, reconcile: bool = True) -> dict:
    client = served.client

    def look_up():
        found = client.find("Contacts", "ContactNumber", number)
        return found[0] if found else None

    return client.write(
        "PUT",
        "/Contacts",
        {"Contacts": [{"Name": name, "ContactNumber": number}]},
        idempotency_key=key(number),
        reconcile=look_up if reconcile else None,
    )


def numbered(served, number: str) -> list[dict]:
    contacts = served.client.get("/Contacts", {"includeArchived": "true"})["Contacts"]
    return [c for c in contacts if c.get("ContactNumber") == number]


def test_a_lost_response_after_commit_is_reconciled_not_written_again(served):
    served.fault(method="PUT", path=CONTACTS, effect="lost_response", nth=1)
    found = write_contact(served, "c-1", "Ada")
    assert found["Name"] == "Ada" and found["ContactNumber"] == "c-1"  # the committed object, by its number
    assert len(served.requests("PUT", CONTACTS)) == 1  # the write was not sent again
    assert served.client.counts.reconciled == 1
    assert len(numbered(served, "c-1")) == 1


def test_a_dropped_connection_is_looked_up_then_written_once(served):
    served.fault(method="PUT", path=CONTACTS, effect="drop", nth=1)
    answer = write_contact(served, "c-1", "Ada")
    assert [c["Name"] for c in answer["Contacts"]] == ["Ada"]
    puts = served.requests("PUT", CONTACTS)
    # the dropped call never reached the API (the mock logs no key for it); the resend carries the key
    assert [(r["status"], r["idempotency_key"]) for r in puts] == [(None, None), (200, key("c-1"))]
    assert served.client.counts.reconciled == 0
    assert len(numbered(served, "c-1")) == 1


def test_without_reconcile_a_lost_response_is_replayed_under_the_same_key(served):
    served.fault(method="PUT", path=CONTACTS, effect="lost_response", nth=1)
    answer = write_contact(served, "c-1", "Ada", reconcile=False)
    assert answer["Contacts"][0]["Name"] == "Ada"
    puts = served.requests("PUT", CONTACTS)
    assert [(r["idempotency_key"], r["replayed"]) for r in puts] == [(key("c-1"), False), (key("c-1"), True)]
    assert len(numbered(served, "c-1")) == 1


def test_a_429_is_waited_out_as_retry_after_says(served):
    served.fault(
        method="PUT",
        path=CONTACTS,
        effect="status",
        status=429,
        nth=1,
        headers={"Retry-After": "7", "X-Rate-Limit-Problem": "minute"},
    )
    write_contact(served, "c-1", "Ada")
    assert [r["status"] for r in served.requests("PUT", CONTACTS)] == [429, 200]
    assert 7 in served.clock.sleeps
    assert served.client.retries == 1
    assert len(numbered(served, "c-1")) == 1


def test_a_503_is_backed_off_and_retried(served):
    served.fault(method="PUT", path=CONTACTS, effect="status", status=503, nth=1)
    write_contact(served, "c-1", "Ada")
    assert [r["status"] for r in served.requests("PUT", CONTACTS)] == [503, 200]
    assert 1.0 in served.clock.sleeps  # the first backoff, without jitter
    assert len(numbered(served, "c-1")) == 1


def test_a_day_limit_429_stops_the_run_with_a_resume_time(served):
    served.fault(
        method="PUT",
        path=CONTACTS,
        effect="status",
        status=429,
        nth=1,
        headers={"Retry-After": "3600", "X-Rate-Limit-Problem": "day"},
    )
    with pytest.raises(DailyLimitReached) as raised:
        write_contact(served, "c-1", "Ada")
    assert str(raised.value).endswith("the run can continue at 2026-01-15T10:00:00+00:00")
    with pytest.raises(DailyLimitReached):  # the budget refuses the next call before sending it
        served.client.get("/Organisation")
    assert len(served.requests("GET", "/api.xro/2.0/Organisation")) == 0


def test_pacing_keeps_seventy_calls_under_the_mocks_minute_limit(served):
    for _ in range(70):
        served.client.get("/Organisation")
    statuses = [r["status"] for r in served.requests("GET", "/api.xro/2.0/Organisation")]
    assert statuses == [200] * 70  # the mock enforces 60 a minute; none was refused
    assert served.client.retries == 0


def test_an_expired_token_is_renewed_before_the_call(served, clock):
    served.client.get("/Organisation")
    first = served.client.auth.store.load()
    served.clock.advance(1800)  # the access token's 30 minutes pass on both clocks
    served.client.get("/Organisation")
    assert served.client.auth.store.load() != first
    assert [r["status"] for r in served.requests("GET", "/api.xro/2.0/Organisation")] == [200, 200]


def test_an_archived_contact_is_still_found_by_its_number(served):
    [contact] = write_contact(served, "c-1", "Ada")["Contacts"]
    served.client.write(
        "POST",
        f"/Contacts/{contact['ContactID']}",
        {"Contacts": [{"ContactID": contact["ContactID"], "ContactStatus": "ARCHIVED"}]},
        idempotency_key=idempotency_key(DEFAULT_TENANT_ID, "contact", "c-1", 1, "archive"),
    )
    assert [c["ContactID"] for c in served.client.find("Contacts", "ContactNumber", "c-1")] == [contact["ContactID"]]
