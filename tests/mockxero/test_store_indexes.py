"""Store indexes whose key is a set: one record found under each of its members."""

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
