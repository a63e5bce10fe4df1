"""A data file in the tinydb JSON format mockxero wrote before SQLite is migrated on open, every record kept."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest
import requests
from click.testing import CliRunner
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from mockxero import create_app
from mockxero.cli import cli
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.store import BACKUP_SUFFIX, SQLITE_HEADER, Store, StoreFileError, decode_value, encode_value
from tests.helpers import XeroTestClient, issue_token
from tests.mockxero.cli.server_process import serve as serve_process
from tests.mockxero.documents_helpers import create_credit_note, create_invoice, ok
from tests.mockxero.helpers import add_spend

INVOICES = f"{DEFAULT_TENANT_ID}:Invoices"


def write_tinydb_file(path, store: Store) -> None:
    """The file the store wrote before SQLite: one tinydb table per store table, ``_key`` in each document."""
    layout = {
        table: {
            str(number): {**encode_value(record), "_key": key}
            for number, (key, record) in enumerate(((key, store.peek(table, key)) for key in store.keys(table)), 1)
        }
        for table in store.table_names()
        if store.count(table)
    }
    path.write_text(json.dumps(layout, separators=(",", ":")), encoding="utf-8")


def records_as_tinydb_reads_them(path) -> dict[str, list[tuple[str, dict]]]:
    """What tinydb itself finds in the file, with the tagged values decoded: the truth a migration must keep."""
    found: dict[str, list[tuple[str, dict]]] = {}
    with TinyDB(path, storage=JSONStorage, access_mode="r") as database:
        for table in database.tables():
            for document in database.table(table).all():
                record = decode_value(dict(document))
                found.setdefault(table, []).append((record.pop("_key"), record))
    return found


def records_in(store: Store) -> dict[str, list[tuple[str, dict]]]:
    return {
        table: [(key, store.get(table, key)) for key in store.keys(table)]
        for table in store.table_names()
        if store.count(table)
    }


@pytest.fixture
def old_books(tmp_path, clock):
    """A tinydb data file holding real books: contacts, invoices paid and unpaid, a credit note, a spend, tokens."""
    app = create_app(MockConfig(clock=clock, testing=True))
    client = app.test_client()
    token = issue_token(client)
    xero = XeroTestClient(client, token)
    paid = create_invoice(xero, Reference="paid")
    create_invoice(
        xero, Reference="open", LineItems=[{"Description": "Tea", "UnitAmount": "0.10", "AccountCode": "200"}]
    )
    create_credit_note(xero)
    add_spend(xero, "12.34")
    payment = {"Invoice": {"InvoiceID": paid["InvoiceID"]}, "Account": {"Code": "090"}, "Date": "2026-01-20"}
    ok(xero.put("/Payments", {"Payments": [{**payment, "Amount": "115.00"}]}), "Payments")
    path = tmp_path / "books.mockxero.json"
    write_tinydb_file(path, app.extensions["mockxero"].store)
    return path, token


def test_opening_a_tinydb_file_migrates_every_record_and_keeps_the_original(old_books):
    path, _ = old_books
    original = path.read_bytes()
    expected = records_as_tinydb_reads_them(path)
    assert len(expected[INVOICES]) == 2 and sum(len(rows) for rows in expected.values()) > 40

    store = Store(path)

    assert records_in(store) == expected  # every table, every record, every value and type, in order
    assert store.backup == path.with_name(path.name + BACKUP_SUFFIX)
    assert store.backup.read_bytes() == original
    assert path.read_bytes()[:16] == SQLITE_HEADER
    store.close()
    reopened = Store(path)
    assert records_in(reopened) == expected and reopened.backup is None  # migrated once
    reopened.close()
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        path.name,
        path.name + BACKUP_SUFFIX,
    ]


def test_a_migrated_file_has_the_same_books_when_served(old_books):
    path, _ = old_books  # (its tokens were issued on the fixture's clock, long expired for a served process)
    with serve_process("--data-file", str(path)) as server:
        assert any(
            line.split()
            == ["Migrated", "from", "the", "tinydb", "JSON", "format", "to", "SQLite;", "the"]
            + ["original", "is", "kept", "as", str(path) + BACKUP_SUFFIX]
            for line in server.banner
        ), server.banner
        token = server.access_token()
        headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": DEFAULT_TENANT_ID,
            "Accept": "application/json",
        }
        listed = requests.get(server.url + "/api.xro/2.0/Invoices", headers=headers, timeout=10)
        assert listed.status_code == 200, listed.text
        invoices = json.loads(listed.text, parse_float=Decimal)["Invoices"]
        statuses = {i["Reference"]: (i["Status"], i["AmountDue"]) for i in invoices}
        assert statuses == {"paid": ("PAID", Decimal("0.00")), "open": ("AUTHORISED", Decimal("0.12"))}
        ledger = requests.get(server.url + "/mock-api/ledger", timeout=10).json()
        assert ledger["balanced"] is True, ledger
        assert server.stop()[0] == 0


def test_the_ledger_command_reads_a_tinydb_file_without_migrating_it(old_books):
    path, _ = old_books
    original = path.read_bytes()
    result = CliRunner().invoke(cli, ["ledger", "--data-file", str(path)])
    assert result.exit_code == 0, result.output
    assert f"({DEFAULT_TENANT_ID}): balanced" in result.output
    assert path.read_bytes() == original and [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_migration_that_fails_leaves_the_original_alone_and_nothing_beside_it(old_books, monkeypatch):
    path, _ = old_books
    original = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreFileError) as caught:
        Store(path)
    assert str(caught.value) == (
        f"cannot migrate data file {path} to SQLite ([Errno 28] No space left on device); it is left as it was"
    )
    assert path.read_bytes() == original and [p.name for p in path.parent.iterdir()] == [path.name]
    monkeypatch.undo()
    assert records_in(Store(path)) == records_as_tinydb_reads_them(path.with_name(path.name + BACKUP_SUFFIX))


def test_the_leftover_of_a_crashed_migration_is_rebuilt_from_the_original(old_books):
    path, _ = old_books
    leftover = path.with_name(path.name + ".migrating")
    leftover.write_bytes(SQLITE_HEADER + b"half a database")
    expected = records_as_tinydb_reads_them(path)
    assert records_in(Store(path)) == expected
    assert not leftover.exists()


def test_an_earlier_backup_is_never_overwritten(old_books):
    path, _ = old_books
    earlier = path.with_name(path.name + BACKUP_SUFFIX)
    earlier.write_text("a backup from an earlier migration")
    store = Store(path)
    assert store.backup == path.with_name(f"{path.name}{BACKUP_SUFFIX}-2")
    assert earlier.read_text() == "a backup from an earlier migration"


def test_an_empty_tinydb_book_migrates_to_an_empty_book(tmp_path):
    path = tmp_path / "books.json"
    path.write_text("  \n")
    store = Store(path)
    assert store.table_names() == [] and store.backup is not None and store.backup.read_text() == "  \n"
    with store.transaction():
        store.put("t:Things", "a", {"Total": Decimal("1.00")})
    assert Store(path).get("t:Things", "a") == {"Total": Decimal("1.00")}
