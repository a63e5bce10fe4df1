"""The client against the real mock over HTTP, with the mock's fault injection: exactly one object each time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from syncer.xero.client import ElementStatus
from syncer.xero.errors import DailyLimitReached, ValidationFailed
from syncer.xero.keys import idempotency_key

CONTACTS = "/api.xro/2.0/Contacts"


def key(source_id: str) -> str:
    return idempotency_key(DEFAULT_TENANT_ID, "contact", source_id, 1, "create")


def contact_body(number: str, name: str) -> dict:
    return {"Contacts": [{"Name": name, "ContactNumber": number}]}


def write_contact(served, number: str, name: str):
    client = served.client
    return client.write(
        "PUT",
        "/Contacts",
        contact_body(number, name),
        key(number),
        reconcile=lambda: client.find_by_natural_key("Contacts", "ContactNumber", number),
    )


def contacts_numbered(served, number: str) -> list[dict]:
    return [
        c
        for c in served.client.get("/Contacts", {"includeArchived": "true"})["Contacts"]
        if c.get("ContactNumber") == number
    ]


def test_a_write_and_a_read_back(served):
    result = write_contact(served, "c-1", "Ada")
    assert [c["Name"] for c in result.objects("Contacts")] == ["Ada"]
    assert served.client.find_by_natural_key("Contacts", "ContactNumber", "C-1")["Name"] == "Ada"
    assert served.client.find_by_natural_key("Contacts", "ContactNumber", "c-2") is None
    puts = served.requests("PUT", CONTACTS)
    assert [r["idempotency_key"] for r in puts] == [key("c-1")]


def test_a_lost_response_after_commit_is_reconciled_not_rewritten(served):
    served.fault(method="PUT", path=CONTACTS, effect="lost_response", nth=1)
    result = write_contact(served, "c-1", "Ada")
    assert result.body is None and result.found["Name"] == "Ada"  # found by its ContactNumber
    assert len(contacts_numbered(served, "c-1")) == 1
    assert len(served.requests("PUT", CONTACTS)) == 1  # the write was not sent again
    assert served.client.log.reconciles == 1


def test_a_dropped_connection_is_reconciled_then_written_once_with_the_same_key(served):
    served.fault(method="PUT", path=CONTACTS, effect="drop", nth=1)
    result = write_contact(served, "c-1", "Ada")
    assert result.objects("Contacts")[0]["Name"] == "Ada"
    puts = served.requests("PUT", CONTACTS)
    # the dropped call never reached the API, so the mock logged no key for it; the resend carries the key
    assert [(r["status"], r["idempotency_key"]) for r in puts] == [(None, None), (200, key("c-1"))]
    assert served.client.log.records[0].idempotency_key == key("c-1")  # ...which the first attempt sent too
    assert len(contacts_numbered(served, "c-1")) == 1


def test_without_reconcile_a_lost_response_is_replayed_under_the_same_key(served):
    served.fault(method="PUT", path=CONTACTS, effect="lost_response", nth=1)
    result = served.client.write("PUT", "/Contacts", contact_body("c-1", "Ada"), key("c-1"))
    assert result.replayed is True
    assert len(contacts_numbered(served, "c-1")) == 1


def test_a_429_waits_retry_after_and_retries_with_the_same_key(served):
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
    # the mock logs keys only of calls that reach the API, so the keys sent are read from the client's log
    assert [(r.status, r.idempotency_key) for r in served.client.log.records] == [(429, key("c-1")), (200, key("c-1"))]
    assert 7 in served.clock.sleeps
    assert served.client.log.retries == 1


def test_a_503_is_backed_off_and_retried(served):
    served.fault(method="PUT", path=CONTACTS, effect="status", status=503, nth=1)
    write_contact(served, "c-1", "Ada")
    assert [r["status"] for r in served.requests("PUT", CONTACTS)] == [503, 200]
    assert 1.0 in served.clock.sleeps  # the first backoff, without jitter (the rest is the budget's pacing)
    assert [r.idempotency_key for r in served.client.log.records] == [key("c-1")] * 2
    assert len(contacts_numbered(served, "c-1")) == 1


def test_a_day_limit_429_stops_with_a_resume_time(served):
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
    assert "the run can continue at" in str(raised.value)
    with pytest.raises(DailyLimitReached):  # the budget refuses further calls before sending them
        served.client.get("/Contacts")


def test_a_validation_error_is_not_retried(served):
    with pytest.raises(ValidationFailed) as raised:
        write_contact(served, "c-1", "")
    assert raised.value.messages == ["Contact Name cannot be empty."]
    assert len(served.requests("PUT", CONTACTS)) == 1


def test_a_batch_with_one_bad_element_creates_the_others(served):
    elements = [
        {"Name": "Ada", "ContactNumber": "c-1"},
        {"Name": "", "ContactNumber": "c-2"},
        {"Name": "Bob", "ContactNumber": "c-3"},
    ]
    outcomes = served.client.put_batch("Contacts", elements, [key("c-1"), key("c-2"), key("c-3")])
    assert [o.status for o in outcomes] == [ElementStatus.OK, ElementStatus.FAILED, ElementStatus.OK]
    assert outcomes[1].messages == ("Contact Name cannot be empty.",)
    assert [o.obj["Name"] for o in outcomes if o.status is ElementStatus.OK] == ["Ada", "Bob"]
    assert len(contacts_numbered(served, "c-1")) == len(contacts_numbered(served, "c-3")) == 1
    assert [r["path"] for r in served.requests("PUT")] == [CONTACTS]


def test_a_batch_whose_answer_is_lost_is_reconciled_element_by_element(served):
    served.fault(method="PUT", path=CONTACTS, effect="lost_response", nth=1)
    elements = [{"Name": f"N{i}", "ContactNumber": f"c-{i}"} for i in range(3)]
    outcomes = served.client.put_batch("Contacts", elements, [key(f"c-{i}") for i in range(3)], "ContactNumber")
    assert all(o.status is ElementStatus.OK and o.reconciled for o in outcomes)
    assert len(served.requests("PUT", CONTACTS)) == 1
    for i in range(3):
        assert len(contacts_numbered(served, f"c-{i}")) == 1


def test_batches_go_in_requests_of_at_most_fifty(served, unlimited):
    elements = [{"Name": f"N{i}", "ContactNumber": f"c-{i}"} for i in range(120)]
    outcomes = served.client.put_batch("Contacts", elements, [key(f"c-{i}") for i in range(120)])
    assert all(o.status is ElementStatus.OK for o in outcomes)
    assert len(served.requests("PUT", CONTACTS)) == 3


def test_pacing_keeps_seventy_calls_under_the_mocks_minute_limit(served):
    for _ in range(70):
        served.client.get("/Organisation")
    assert [r["status"] for r in served.requests("GET")].count(429) == 0
    assert served.client.log.retries == 0


def test_an_expired_token_is_refreshed(served, clock):
    served.client.get("/Organisation")
    first = served.tokens.store.load()
    served.clock.advance(1800)  # the access token's 30 minutes pass on both clocks
    served.client.get("/Organisation")
    assert served.tokens.store.load() != first
    assert served.tokens.refreshes == 2


def test_amounts_go_out_exact_and_come_back_as_decimal(served):
    item = {"Items": [{"Code": "plan-a", "Name": "Plan A", "SalesDetails": {"UnitPrice": Decimal("12.34")}}]}
    served.client.write("PUT", "/Items", item, idempotency_key("x", "item", "plan-a", 1, "create"))
    [read] = served.client.get("/Items")["Items"]
    assert read["SalesDetails"]["UnitPrice"] == Decimal("12.34")
    assert isinstance(read["SalesDetails"]["UnitPrice"], Decimal)
