"""Persistence: the data file is SQLite, survives restarts, is never torn, and nothing is half-written.

Migration from the older tinydb file is in test_store_migration.py; kill -9 under writers in test_store_crash.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import requests

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, MockConfig
from mockxero.serving import EmbeddedServer
from mockxero.store import FILE_FORMAT, FILE_VERSION, Store, StoreFileError, clone
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.cli.server_process import serve as serve_process

CONTACTS = f"{DEFAULT_TENANT_ID}:Contacts"


@pytest.fixture
def book(tmp_path):
    return tmp_path / "books.sqlite"


def write(store: Store, table: str, key: str, record: dict) -> None:
    with store.transaction():
        store.put(table, key, record)


# --- the file format -----------------------------------------------------------------------------------


def rows_on_disk(path) -> list[tuple[str, str, dict]]:
    """The records as any SQLite client sees them, in the order they were first inserted."""
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT tbl, key, body FROM records ORDER BY position").fetchall()
    db.close()
    return [(table, key, json.loads(body)) for table, key, body in found]


def test_the_data_file_is_an_sqlite_database_in_wal_mode(book, clock):
    client = create_app(MockConfig(clock=clock, testing=True, data_file=book)).test_client()
    XeroTestClient(client, issue_token(client)).put("/Contacts", {"Contacts": [{"Name": "Filed Ltd"}]})

    assert book.read_bytes()[:16] == b"SQLite format 3\x00"
    db = sqlite3.connect(book)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert dict(db.execute("SELECT key, value FROM meta")) == {"format": FILE_FORMAT, "version": str(FILE_VERSION)}
    db.close()
    rows = rows_on_disk(book)
    ((key, contact),) = [(key, body) for table, key, body in rows if table == CONTACTS]
    assert contact["Name"] == "Filed Ltd" and key == contact["ContactID"]
    assert set(contact["UpdatedDateUTC"]) == {"$datetime"}  # dates and money keep their types, tagged
    (rate,) = [b for t, _, b in rows if t == f"{DEFAULT_TENANT_ID}:TaxRates" and b["TaxType"] == "OUTPUT2"]
    assert rate["EffectiveRate"] == {"$decimal": "15.0000"}


def test_a_commit_writes_only_the_rows_it_changed(book):
    """What keeps a write's cost flat as the book grows: 1 000 records stored, one put is one row written."""
    store = Store(book)
    with store.transaction():
        for number in range(1000):
            store.put("t:Things", f"k{number}", {"Value": number})
    assert store._db is not None
    before = store._db.total_changes
    write(store, "t:Things", "k500", {"Value": -1})
    write(store, "t:Things", "new", {"Value": 1000})
    assert store._db.total_changes - before == 2
    with store.transaction():
        store.delete("t:Things", "k1")
    assert store._db.total_changes - before == 3
    reopened = Store(book)
    assert reopened.count("t:Things") == 1000 and reopened.get("t:Things", "k500") == {"Value": -1}
    assert not reopened.exists("t:Things", "k1")


def test_insertion_order_survives_a_reload(book):
    store = Store(book)
    with store.transaction():
        for key in "abcd":
            store.put("t:Things", key, {"Key": key})
    write(store, "t:Things", "b", {"Key": "B"})  # an update keeps the record's place
    with store.transaction():
        store.delete("t:Things", "a")
        store.put("t:Things", "a", {"Key": "A"})  # a deleted and re-added key goes to the end, as in memory
    assert store.keys("t:Things") == ["b", "c", "d", "a"]
    assert Store(book).keys("t:Things") == ["b", "c", "d", "a"]
    assert [r["Key"] for r in Store(book).window("t:Things", 0, 2)] == ["B", "c"]


def test_the_file_on_disk_holds_json_with_tagged_values(book):
    write(Store(book), "t:Things", "a", {"Total": Decimal("1.10")})
    assert rows_on_disk(book) == [("t:Things", "a", {"Total": {"$decimal": "1.10"}})]


def test_values_keep_their_types_across_a_reload(book):
    record = {
        "Total": Decimal("10.50"),
        "Date": date(2026, 1, 31),
        "At": datetime(2026, 1, 31, 12, 0, tzinfo=UTC),
        "Lines": [{"Amount": Decimal("0.10")}],
    }
    write(Store(book), "t:Things", "k", record)
    assert Store(book).get("t:Things", "k") == record


def test_every_kind_of_value_reads_back_as_it_was_written(book):
    record = {
        "Amounts": [Decimal("1E+2"), Decimal("-0.00"), Decimal("0.0001"), Decimal("123456789012345678.90")],
        "Rate": 0.1,
        "Flags": [True, False, None],
        "Nested": [[{"When": date(2026, 2, 28)}], {"Name": 'Ōtautahi \u2014 "quoted"'}],
        "Lookalike": {"$decimal": "1", "Other": 2},  # two keys: an object, not a tagged value
    }
    # Rows are read by orjson; one it refuses (an integer beyond 64 bits) by the standard library.
    beyond_64_bits = {"Big": 2**70, "Total": Decimal("1.50")}
    write(Store(book), "t:Things", "k", record)
    write(Store(book), "t:Things", "big", beyond_64_bits)
    reopened = Store(book)
    assert reopened.get("t:Things", "k") == record
    assert [str(amount) for amount in reopened.get("t:Things", "k")["Amounts"]] == [
        "1E+2",
        "-0.00",
        "0.0001",
        "123456789012345678.90",
    ]
    assert reopened.get("t:Things", "big") == beyond_64_bits


def test_a_missing_or_empty_file_is_a_new_book(tmp_path):
    assert Store(tmp_path / "missing.sqlite").table_names() == []
    (tmp_path / "empty.sqlite").write_text("")
    assert Store(tmp_path / "empty.sqlite").table_names() == []
    write(Store(tmp_path / "empty.sqlite"), "t:Things", "a", {"Value": 1})
    assert Store(tmp_path / "empty.sqlite").get("t:Things", "a") == {"Value": 1}


# --- restarts ------------------------------------------------------------------------------------------


def test_a_restarted_server_has_the_books_and_honours_its_tokens(book):
    """The real `mockxero serve`, twice, on the same data file."""
    with serve_process("--data-file", str(book)) as first:
        token = first.access_token()
        headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": DEFAULT_TENANT_ID,
            "Accept": "application/json",
        }
        created = requests.put(
            first.url + "/api.xro/2.0/Contacts",
            json={"Contacts": [{"Name": "Survivor Ltd"}]},
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 200
        assert first.stop()[0] == 0

    with serve_process("--data-file", str(book)) as second:
        listed = requests.get(second.url + "/api.xro/2.0/Contacts", headers=headers, timeout=10)
        assert listed.status_code == 200
        assert [c["Name"] for c in listed.json()["Contacts"]] == ["Survivor Ltd"]
        assert listed.json()["Contacts"][0]["ContactID"] == created.json()["Contacts"][0]["ContactID"]


def test_a_snapshot_restored_into_a_data_file_is_there_after_a_restart(tmp_path, clock):
    first = create_app(MockConfig(clock=clock, testing=True, data_file=tmp_path / "first.sqlite")).test_client()
    XeroTestClient(first, issue_token(first)).put("/Contacts", {"Contacts": [{"Name": "Snapshotted Ltd"}]})
    snapshot = first.get("/mock-api/snapshot").json

    second_file = tmp_path / "second.sqlite"
    second = create_app(MockConfig(clock=clock, testing=True, data_file=second_file)).test_client()
    restored = second.post("/mock-api/restore", json=snapshot)
    assert restored.status_code == 200, restored.get_data(as_text=True)

    again = create_app(MockConfig(clock=clock, testing=True, data_file=second_file)).test_client()
    tables = again.get("/mock-api/snapshot").json["tables"]
    assert tables.pop("system:Meta") == {"starts": {"Count": 2}}  # (each start counts itself, for seeded ids)
    assert tables == {name: rows for name, rows in snapshot["tables"].items() if name != "system:Meta"}
    assert [row["Name"] for row in Store(second_file, read_only=True).scan(CONTACTS)] == ["Snapshotted Ltd"]


def test_seeded_ids_do_not_repeat_after_a_restart(book, clock):
    def contact_id(app):
        client = app.test_client()
        response = XeroTestClient(client, issue_token(client)).put("/Contacts", {"Name": f"C{len(seen)}"})
        return response.json["Contacts"][0]["ContactID"]

    seen = []
    memory_only = create_app(MockConfig(clock=clock, testing=True, seed=42))
    seen.append(contact_id(create_app(MockConfig(clock=clock, testing=True, seed=42, data_file=book))))
    assert seen[0] == contact_id(memory_only)  # the first start is as reproducible as a memory-only run
    seen.append(contact_id(create_app(MockConfig(clock=clock, testing=True, seed=42, data_file=book))))
    assert seen[0] != seen[1]
    assert Store(book).exists(CONTACTS, seen[0]) and Store(book).exists(CONTACTS, seen[1])


# --- atomic writes -------------------------------------------------------------------------------------


def test_a_failed_commit_leaves_the_file_as_it_was_and_rolls_memory_back(book):
    store = Store(book)
    write(store, "t:Things", "a", {"Value": 1})
    assert store._db is not None
    # A disk that is full: the database may not grow by another page, so a large row cannot be written.
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"), store.transaction():
        store.put("t:Things", "a", {"Value": 2})
        store.put("t:Things", "b", {"Value": "x" * 100_000})

    assert Store(book).get("t:Things", "a") == {"Value": 1} and not Store(book).exists("t:Things", "b")
    assert store.get("t:Things", "a") == {"Value": 1} and not store.exists("t:Things", "b")  # memory agrees
    store._db.execute("PRAGMA max_page_count = 1073741823")
    write(store, "t:Things", "c", {"Value": 4})  # and the store keeps working
    assert Store(book).get("t:Things", "c") == {"Value": 4}
    assert Store(book).keys("t:Things") == ["a", "c"]


# --- transactions --------------------------------------------------------------------------------------


def test_a_transaction_that_raises_leaves_nothing_half_written(book):
    store = Store(book)
    store.define_index("Things", "colour", lambda r: r.get("Colour"))
    write(store, "t:Things", "a", {"Colour": "red"})
    with pytest.raises(RuntimeError), store.transaction():
        store.put("t:Things", "a", {"Colour": "blue"})
        store.put("t:Things", "b", {"Colour": "blue"})
        store.delete("t:Things", "a")
        raise RuntimeError("a rule failed half-way")
    assert store.get("t:Things", "a") == {"Colour": "red"}
    assert not store.exists("t:Things", "b")
    assert store.keys("t:Things", "colour", "blue") == [] and store.keys("t:Things", "colour", "red") == ["a"]
    assert Store(book).keys("t:Things") == ["a"]


def test_a_failed_savepoint_undoes_only_its_own_writes():
    store = Store()
    with store.transaction():
        store.put("t:Things", "kept", {"n": 1})
        with pytest.raises(ValueError), store.transaction():
            store.put("t:Things", "dropped", {"n": 2})
            raise ValueError("one batch element refused")
        store.put("t:Things", "also kept", {"n": 3})
    assert store.keys("t:Things") == ["kept", "also kept"]


def test_a_refused_batch_element_over_http_leaves_no_trace(xero):
    response = xero.put("/Contacts", {"Contacts": [{"Name": "Good"}, {"Name": "Good"}]})
    assert response.status_code == 400
    assert [c["Name"] for c in xero.get("/Contacts").json["Contacts"]] == ["Good"]


def test_writes_outside_a_transaction_are_refused():
    with pytest.raises(RuntimeError, match="inside store.transaction"):
        Store().put("t:Things", "a", {})


def test_records_handed_out_are_copies():
    store = Store()
    write(store, "t:Things", "a", {"Tags": ["x"]})
    store.get("t:Things", "a")["Tags"].append("mutated")
    assert store.get("t:Things", "a") == {"Tags": ["x"]}


def test_a_put_stores_a_copy_unless_the_record_is_handed_over():
    store = Store()
    copied, handed_over = {"Tags": ["x"]}, {"Tags": ["y"]}
    with store.transaction():
        store.put("t:Things", "a", copied)
        store.put("t:Things", "b", handed_over, copy=False)
    copied["Tags"].append("changed later")
    assert store.get("t:Things", "a") == {"Tags": ["x"]}
    assert store.peek("t:Things", "b") is handed_over  # kept itself, so the caller must leave it alone


def test_a_handed_over_record_is_rolled_back_like_any_other():
    store = Store()
    write(store, "t:Things", "a", {"Key": "first"})
    with pytest.raises(LookupError), store.transaction():
        store.put("t:Things", "a", {"Key": "second"}, copy=False)
        store.put("t:Things", "b", {"Key": "new"}, copy=False)
        raise LookupError("a later step of the same block fails")
    assert store.get("t:Things", "a") == {"Key": "first"} and store.get("t:Things", "b") is None


def test_a_window_is_a_slice_in_insertion_order():
    store = Store()
    with store.transaction():
        for key in "abcde":
            store.put("t:Things", key, {"Key": key})
        store.put("t:Things", "b", {"Key": "B"})  # an update keeps the record's place
    assert [r["Key"] for r in store.window("t:Things", 0, 2)] == ["a", "B"]
    assert [r["Key"] for r in store.window("t:Things", 3, 10)] == ["d", "e"]
    assert store.window("t:Things", 5, 10) == [] and store.window("t:Nothing", 0, 10) == []
    assert store.window("t:Things", -3, 1) == [{"Key": "a"}] and store.window("t:Things", 0, -1) == []


# --- concurrency ---------------------------------------------------------------------------------------


def test_concurrent_writers_over_http_lose_nothing(book, clock):
    # Xero's 5-in-flight limit would refuse some of these calls; this test is about the store.
    app = create_app(MockConfig(clock=clock, testing=True, data_file=book, rate_limits=False))
    threads_count, per_thread = 8, 5
    failures: list[str] = []
    with EmbeddedServer(app) as server:
        session = requests.Session()
        token = session.post(
            server.url + "/connect/token",
            timeout=10,
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
            },
        ).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": DEFAULT_TENANT_ID,
            "Accept": "application/json",
        }

        def create_many(worker: int) -> None:
            with requests.Session() as own:
                for n in range(per_thread):
                    response = own.put(
                        server.url + "/api.xro/2.0/Contacts",
                        headers=headers,
                        timeout=30,
                        json={"Contacts": [{"Name": f"Worker {worker} contact {n}"}]},
                    )
                    if response.status_code != 200:
                        failures.append(response.text)

        workers = [threading.Thread(target=create_many, args=(w,)) for w in range(threads_count)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        listed = session.get(server.url + "/api.xro/2.0/Contacts", headers=headers, timeout=30).json()["Contacts"]
        session.close()

    assert failures == []
    expected = {f"Worker {w} contact {n}" for w in range(threads_count) for n in range(per_thread)}
    assert {c["Name"] for c in listed} == expected
    assert len({c["ContactID"] for c in listed}) == threads_count * per_thread
    assert len(Store(book).keys(CONTACTS)) == threads_count * per_thread  # and all of them reached the file


# --- corrupt files -------------------------------------------------------------------------------------

CORRUPT = {
    "not json": b"{ this is not json",
    "not utf-8": b"\xff\xfe\x00garbage",
    "a list": b"[1, 2, 3]",
    "a table that is not an object": b'{"t:Things": [1]}',
    "a document that is not an object": b'{"t:Things": {"1": 5}}',
    "a document without its key": b'{"t:Things": {"1": {"Name": "x"}}}',
    "a document id that is not a number": b'{"t:Things": {"one": {"_key": "a"}}}',
    "a bad tagged decimal": b'{"t:Things": {"1": {"_key": "a", "Total": {"$decimal": "ten"}}}}',
    "a bad tagged date": b'{"t:Things": {"1": {"_key": "a", "Date": {"$date": "31/01/2026"}}}}',
    "damaged SQLite": b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\xab" * 2000,
}


@pytest.mark.parametrize("name", CORRUPT)
def test_a_corrupt_data_file_is_a_clear_store_file_error(book, name):
    book.write_bytes(CORRUPT[name])
    with pytest.raises(StoreFileError) as caught:
        Store(book)
    assert str(book) in str(caught.value)
    assert book.read_bytes() == CORRUPT[name]  # and the file is left as it was, for a person to look at
    assert [p.name for p in book.parent.iterdir()] == [book.name]  # no backup, no half-built database


def test_every_problem_of_a_corrupt_tinydb_file_is_named_at_once(book):
    book.write_text(
        '{"t:Things": {"1": {"Name": "no key"}, "2": {"_key": "b", "Total": {"$decimal": "ten"}}, "x": {"_key": "c"}}}'
    )
    with pytest.raises(StoreFileError) as caught:
        Store(book)
    assert str(caught.value) == (
        f"{book} is not a mockxero data file: document '1' of table 't:Things': no '_key' (the record's key); "
        "document '2' of table 't:Things': {'$decimal': 'ten'} is not a valid tagged value; "
        "document 'x' of table 't:Things': its id is not a number, as tinydb numbers documents"
    )


def test_every_bad_row_of_an_sqlite_file_is_named_at_once(book):
    write(Store(book), "t:Things", "a", {"Total": Decimal("1")})
    with sqlite3.connect(book) as db:
        db.execute("""UPDATE records SET body = '{"Total": {"$decimal": "ten"}}' WHERE key = 'a'""")
        db.execute("""INSERT INTO records (tbl, key, body) VALUES ('t:Things', 'b', '[1]')""")
    db.close()
    with pytest.raises(StoreFileError) as caught:
        Store(book)
    assert str(caught.value) == (
        f"{book} is not a mockxero data file: record t:Things/a: {{'$decimal': 'ten'}} is not a valid tagged "
        "value; record t:Things/b: a record must be an object, got list"
    )


def test_an_sqlite_database_of_something_else_is_refused_untouched(book):
    with sqlite3.connect(book) as db:
        db.execute("CREATE TABLE invoices (id TEXT)")
    db.close()
    before = book.read_bytes()
    with pytest.raises(StoreFileError, match="an SQLite database of something else; refusing to change it"):
        Store(book)
    assert book.read_bytes() == before


def test_a_file_from_a_newer_mockxero_is_refused(book):
    Store(book).close()
    with sqlite3.connect(book) as db:
        db.execute(f"UPDATE meta SET value = '{FILE_VERSION + 1}' WHERE key = 'version'")
    db.close()
    with pytest.raises(StoreFileError) as caught:
        Store(book)
    assert str(caught.value) == (
        f"{book} was written by a newer mockxero (data file version {FILE_VERSION + 1}, this one reads up to "
        f"{FILE_VERSION}); upgrade mockxero"
    )


def test_the_app_refuses_to_start_on_a_corrupt_file(book, clock):
    book.write_text('{"t:Things": {"1": {"Name": "no key"}}}')
    with pytest.raises(StoreFileError, match="is not a mockxero data file"):
        create_app(MockConfig(clock=clock, testing=True, data_file=book))


def test_an_unreadable_data_file_is_a_store_file_error(tmp_path):
    directory = tmp_path / "actually-a-directory"
    directory.mkdir()
    with pytest.raises(StoreFileError, match="cannot read data file"):
        Store(directory)


# --- read-only ----------------------------------------------------------------------------------------


def test_a_closed_store_answers_reads_and_refuses_to_commit(book):
    store = Store(book)
    write(store, "t:Things", "a", {"Value": 1})
    store.close()
    assert [p.name for p in book.parent.iterdir()] == [book.name]  # no -wal or -shm left beside it
    assert store.get("t:Things", "a") == {"Value": 1}
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"), store.transaction():
        store.put("t:Things", "a", {"Value": 2})
    assert store.get("t:Things", "a") == {"Value": 1} and Store(book).get("t:Things", "a") == {"Value": 1}


def test_a_read_only_store_changes_nothing_on_disk_and_refuses_to_commit(book):
    write(Store(book), "t:Things", "a", {"Value": 1})
    before = book.read_bytes()
    reader = Store(book, read_only=True)
    assert reader.get("t:Things", "a") == {"Value": 1}
    with pytest.raises(StoreFileError, match="is open read-only; nothing was written"), reader.transaction():
        reader.put("t:Things", "a", {"Value": 2})
    assert reader.get("t:Things", "a") == {"Value": 1}
    reader.close()
    assert book.read_bytes() == before and Store(book).get("t:Things", "a") == {"Value": 1}


def test_a_read_only_store_of_a_missing_file_is_empty_and_creates_nothing(book):
    assert Store(book, read_only=False).count("t:Things") == 0  # (a writable store creates the file)
    book.unlink()
    for leftover in book.parent.iterdir():
        leftover.unlink()
    assert Store(book, read_only=True).table_names() == []
    assert list(book.parent.iterdir()) == []


# --- read-only lookups without copies ------------------------------------------------------------------


def indexed_store() -> Store:
    store = Store()
    store.define_index("Things", "colour", lambda r: r.get("Colour"))
    write(store, "t:Things", "a", {"Colour": "red", "Parts": [{"n": 1}]})
    write(store, "t:Things", "b", {"Colour": "red", "Parts": []})
    return store


def test_find_and_first_hand_out_copies_a_caller_may_change():
    store = indexed_store()
    found = store.find("t:Things", "colour", "red")
    found[0]["Parts"][0]["n"] = 99
    store.first("t:Things", "colour", "red")["Colour"] = "blue"
    assert store.peek("t:Things", "a") == {"Colour": "red", "Parts": [{"n": 1}]}


def test_peek_find_and_peek_first_hand_out_the_stored_records_in_index_order():
    store = indexed_store()
    stored = [store.peek("t:Things", "a"), store.peek("t:Things", "b")]
    peeked = store.peek_find("t:Things", "colour", "red")
    assert [id(record) for record in peeked] == [id(record) for record in stored]
    assert store.peek_first("t:Things", "colour", "red") is stored[0]
    assert store.peek_find("t:Things", "colour", "green") == []
    assert store.peek_first("t:Things", "colour", "green") is None
    with pytest.raises(KeyError, match="no index 'size'"):
        store.peek_find("t:Things", "size", 1)


def test_clone_copies_every_container_and_keeps_the_leaves():
    from collections import OrderedDict
    from enum import StrEnum

    class Status(StrEnum):
        PAID = "PAID"

    record = {
        "Total": Decimal("1.50"),
        "Date": date(2026, 1, 15),
        "Status": Status.PAID,
        "Pair": (1, 2),
        "Lines": [{"Tracking": [{"Name": "Region"}]}, OrderedDict(Amount=Decimal("2"))],
        "Flags": [True, None, 3, 0.5, datetime(2026, 1, 15, tzinfo=UTC)],
    }
    copied = clone(record)
    assert copied == record
    assert copied is not record and copied["Lines"] is not record["Lines"]
    assert copied["Lines"][0]["Tracking"][0] is not record["Lines"][0]["Tracking"][0]
    assert type(copied["Lines"][1]) is dict and copied["Lines"][1] is not record["Lines"][1]  # a plain copy
    assert copied["Status"] is Status.PAID and copied["Pair"] is record["Pair"]  # immutable: kept
    copied["Lines"][0]["Tracking"][0]["Name"] = "changed"
    assert record["Lines"][0]["Tracking"][0]["Name"] == "Region"
