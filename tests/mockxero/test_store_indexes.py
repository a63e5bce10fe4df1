"""Store indexes: one defined on a filled table, and those whose key is a set (a record found under each of
its members)."""

import gc

import pytest

from mockxero.store import Store


def lines_index(store: Store) -> None:
    store.define_index("Journals", "account", lambda r: frozenset(r["Accounts"]) or None)


def test_a_record_is_found_under_every_member_of_a_set_key():
    store = Store()
    lines_index(store)
    with store.transaction():
        store.put("t:Journals", "j1", {"Accounts": ["a", "b"]})
        store.put("t:Journals", "j2", {"Accounts": ["b"]})
    assert store.keys("t:Journals", "account", "a") == ["j1"]
    assert store.keys("t:Journals", "account", "b") == ["j1", "j2"]
    assert store.keys("t:Journals", "account", "c") == []


def test_rewriting_or_deleting_a_record_moves_it_out_of_every_member():
    store = Store()
    lines_index(store)
    with store.transaction():
        store.put("t:Journals", "j1", {"Accounts": ["a", "b"]})
    with store.transaction():
        store.put("t:Journals", "j1", {"Accounts": ["c"]})
    assert store.keys("t:Journals", "account", "a") == []
    assert store.keys("t:Journals", "account", "c") == ["j1"]
    with store.transaction():
        store.delete("t:Journals", "j1")
    assert store.keys("t:Journals", "account", "c") == []


def test_a_rolled_back_write_leaves_the_set_index_as_it_was():
    store = Store()
    lines_index(store)
    try:
        with store.transaction():
            store.put("t:Journals", "j1", {"Accounts": ["a"]})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.keys("t:Journals", "account", "a") == []


def test_an_empty_set_indexes_nothing():
    store = Store()
    lines_index(store)
    with store.transaction():
        store.put("t:Journals", "j1", {"Accounts": []})
    assert store.keys("t:Journals", "account", None) == []


def test_an_index_defined_on_a_filled_table_finds_what_was_there_and_leaves_the_others_as_they_were():
    store = Store()
    store.define_index("Things", "colour", lambda record: record.get("Colour"))
    with store.transaction():
        store.put("t:Things", "a", {"Colour": "red", "Size": "S"})
        store.put("t:Things", "b", {"Colour": "blue", "Size": "S"})
    store.define_index("Things", "size", lambda record: record.get("Size"))  # defined after the writes
    assert store.keys("t:Things", "size", "S") == ["a", "b"]
    assert store.keys("t:Things", "colour", "red") == ["a"]
    with store.transaction():
        store.put("t:Things", "a", {"Colour": "blue", "Size": "M"})
    assert (store.keys("t:Things", "size", "S"), store.keys("t:Things", "size", "M")) == (["b"], ["a"])
    assert store.keys("t:Things", "colour", "blue") == ["b", "a"]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_data_file_leaves_the_cycle_collector_as_it_found_it(tmp_path, enabled):
    Store(tmp_path / "books.sqlite").close()
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        Store(tmp_path / "books.sqlite").close()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
