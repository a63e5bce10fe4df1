"""Persistence: the data file is tinydb, survives restarts, is never torn, and nothing is half-written."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import requests
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, MockConfig
from mockxero.serving import EmbeddedServer
from mockxero.store import AtomicJSONStorage, Store, StoreFileError
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.cli.server_process import serve as serve_process

CONTACTS = f"{DEFAULT_TENANT_ID}:Contacts"


@pytest.fixture
def book(tmp_path):
    return tmp_path / "book.json"


def write(store: Store, table: str, key: str, record: dict) -> None:
    with store.transaction():
        store.put(table, key, record)


# --- the file format -----------------------------------------------------------------------------------


def test_the_data_file_is_a_tinydb_database(book, clock):
    client = create_app(MockConfig(clock=clock, testing=True, data_file=book)).test_client()
    XeroTestClient(client, issue_token(client)).put("/Contacts", {"Contacts": [{"Name": "Filed Ltd"}]})

    with TinyDB(book, storage=AtomicJSONStorage) as typed:
        (contact,) = typed.table(CONTACTS).all()
        assert contact["Name"] == "Filed Ltd" and contact["_key"] == contact["ContactID"]
        assert contact["UpdatedDateUTC"].tzinfo is not None  # dates come back as dates
        (rate,) = [r for r in typed.table(f"{DEFAULT_TENANT_ID}:TaxRates").all() if r["TaxType"] == "OUTPUT2"]
        assert rate["EffectiveRate"] == Decimal("15.0000")  # money comes back as Decimal
    with TinyDB(book, storage=JSONStorage, access_mode="r") as plain:  # tinydb's own storage reads it too
        assert [c["Name"] for c in plain.table(CONTACTS).all()] == ["Filed Ltd"]


def test_values_keep_their_types_across_a_reload(book):
    record = {
        "Total": Decimal("10.50"),
        "Date": date(2026, 1, 31),
        "At": datetime(2026, 1, 31, 12, 0, tzinfo=UTC),
        "Lines": [{"Amount": Decimal("0.10")}],
    }
    write(Store(book), "t:Things", "k", record)
    assert Store(book).get("t:Things", "k") == record


def test_a_missing_or_empty_file_is_a_new_book(book):
    assert Store(book).table_names() == []
    book.write_text("")
    assert Store(book).table_names() == []


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


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_a_crash_mid_write_leaves_the_previous_file_and_rolls_memory_back(book, monkeypatch, broken):
    store = Store(book)
    write(store, "t:Things", "a", {"Value": 1})
    before = book.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, broken, crash)
    with pytest.raises(OSError), store.transaction():
        store.put("t:Things", "a", {"Value": 2})
        store.put("t:Things", "b", {"Value": 3})
    monkeypatch.undo()

    assert book.read_bytes() == before
    assert Store(book).get("t:Things", "a") == {"Value": 1}  # the file on disk is readable
    assert store.get("t:Things", "a") == {"Value": 1} and not store.exists("t:Things", "b")  # and memory agrees
    assert [p.name for p in book.parent.iterdir()] == [book.name]  # no temp file left behind
    write(store, "t:Things", "c", {"Value": 4})  # and the store keeps working
    assert Store(book).get("t:Things", "c") == {"Value": 4}


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
}


@pytest.mark.parametrize("name", CORRUPT)
def test_a_corrupt_data_file_is_a_clear_store_file_error(book, name):
    book.write_bytes(CORRUPT[name])
    with pytest.raises(StoreFileError) as caught:
        Store(book)
    assert str(book) in str(caught.value)
    assert book.read_bytes() == CORRUPT[name]  # and the file is left as it was, for a person to look at


def test_the_app_refuses_to_start_on_a_corrupt_file(book, clock):
    book.write_text('{"t:Things": {"1": {"Name": "no key"}}}')
    with pytest.raises(StoreFileError, match="is not a mockxero data file"):
        create_app(MockConfig(clock=clock, testing=True, data_file=book))


def test_an_unreadable_data_file_is_a_store_file_error(tmp_path):
    directory = tmp_path / "actually-a-directory"
    directory.mkdir()
    with pytest.raises(StoreFileError, match="cannot read data file"):
        Store(directory)


def test_the_file_on_disk_is_json_with_tagged_values(book):
    write(Store(book), "t:Things", "a", {"Total": Decimal("1.10")})
    assert json.loads(book.read_text()) == {"t:Things": {"1": {"Total": {"$decimal": "1.10"}, "_key": "a"}}}
