"""xero-python's own list arguments against the served mock: where, order, paging, IDs, searchTerm,
includeArchived and If-Modified-Since exactly as the SDK serialises them (csv lists, True/False, isoformat)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from xero_python.accounting import Contact, Contacts
from xero_python.exceptions import AccountingBadRequestException


@pytest.fixture
def contacts(sdk, clock):
    made = []
    for name in ("Acme Ltd", "Beta Traders", "Gamma Co"):
        made += sdk.accounting.create_contacts(sdk.tenant, Contacts(contacts=[Contact(name=name)])).contacts
        clock.advance(1)
    return made


def names(answer) -> list[str]:
    return [c.name for c in answer.contacts]


def test_where_order_and_paging_as_the_sdk_sends_them(sdk, contacts):
    answer = sdk.accounting.get_contacts(sdk.tenant, where='Name.Contains("a")', order="Name DESC", page=1, page_size=2)
    assert names(answer) == ["Gamma Co", "Beta Traders"]
    assert (
        answer.pagination.page,
        answer.pagination.page_size,
        answer.pagination.page_count,
        answer.pagination.item_count,
    ) == (1, 2, 2, 3)


def test_ids_search_term_and_include_archived(sdk, contacts):
    ids = [contacts[2].contact_id, contacts[0].contact_id]
    assert names(sdk.accounting.get_contacts(sdk.tenant, i_ds=ids)) == ["Gamma Co", "Acme Ltd"]
    assert names(sdk.accounting.get_contacts(sdk.tenant, search_term="TRADERS")) == ["Beta Traders"]
    sdk.accounting.update_contact(
        sdk.tenant, contacts[1].contact_id, Contacts(contacts=[Contact(contact_status="ARCHIVED")])
    )
    assert names(sdk.accounting.get_contacts(sdk.tenant, include_archived=False)) == ["Acme Ltd", "Gamma Co"]
    assert len(sdk.accounting.get_contacts(sdk.tenant, include_archived=True).contacts) == 3


def test_if_modified_since_naive_and_aware(sdk, contacts):
    naive_utc = datetime(2026, 1, 15, 9, 0, 1)
    assert names(sdk.accounting.get_contacts(sdk.tenant, if_modified_since=naive_utc)) == ["Beta Traders", "Gamma Co"]
    auckland = datetime(2026, 1, 15, 22, 0, 2, 250000, tzinfo=timezone(timedelta(hours=13)))
    assert names(sdk.accounting.get_contacts(sdk.tenant, if_modified_since=auckland)) == ["Gamma Co"]


def test_a_bad_where_reaches_the_sdk_as_a_bad_request(sdk, contacts):
    with pytest.raises(AccountingBadRequestException) as caught:
        sdk.accounting.get_contacts(sdk.tenant, where="Name ==")
    assert caught.value.status == 400
    assert caught.value.error_data["Type"] == "QueryParseException"
