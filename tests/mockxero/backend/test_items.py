"""The item lookups other resources build on (invoice lines fill themselves from an item's details)."""

from __future__ import annotations

import pytest

from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.emulator import Emulator


@pytest.fixture
def books():
    emulator = Emulator(MockConfig(clock=ManualClock()))
    with emulator.store.transaction():
        yield emulator.backend(DEFAULT_TENANT_ID)


def test_item_by_code_ignores_case_and_answers_none_for_unknown_codes(books):
    created = books.create_item({"Code": "Widget", "SalesDetails": {"AccountCode": "200"}})
    assert books.item_by_code("WIDGET")["ItemID"] == created["ItemID"]
    assert books.item_by_code("nope") is None
    assert books.item_by_code(None) is None


def test_item_by_code_follows_a_renamed_code(books):
    created = books.create_item({"Code": "Old"})
    books.update_item(created["ItemID"], {"Code": "New"})
    assert books.item_by_code("Old") is None
    assert books.item_by_code("new")["ItemID"] == created["ItemID"]
