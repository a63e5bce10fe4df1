import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncer.refs import Kind, Ref
from syncer.state import store
from syncer.state.store import SCHEMA_VERSION, Mapped, RunSummary, StateError, StateStore

TENANT = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"
INVOICE = Ref(Kind.INVOICE, "inv_1")
ROOT = Path(__file__).resolve().parents[3]


def test_a_completed_write_is_held_with_its_id_status_and_fingerprint(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        state.begin_write(TENANT, INVOICE, "key-1", '{"field": "InvoiceNumber"}')
        assert state.pending(TENANT) == {INVOICE: "key-1"}
        state.complete_write(TENANT, INVOICE, Mapped("id-1", "AUTHORISED", "abc", 2))
        assert state.pending(TENANT) == {}
        assert state.held(TENANT) == {INVOICE: Mapped("id-1", "AUTHORISED", "abc", 2)}
        assert state.held("another-tenant") == {}


def test_an_intent_survives_a_crash_between_the_write_and_the_save(tmp_path):
    path = tmp_path / "s.db"
    state = StateStore.open(path)
    state.begin_write(TENANT, INVOICE, "key-1", "")
    del state  # no close: the process died
    with StateStore.open(path) as reopened:
        assert reopened.pending(TENANT) == {INVOICE: "key-1"}
        reopened.abandon_write(TENANT, INVOICE)
        assert reopened.pending(TENANT) == {}


def test_an_intent_survives_the_process_being_killed_before_the_save(tmp_path):
    """A real crash: a child process begins a write and dies with os._exit, closing nothing."""
    path = tmp_path / "s.db"
    script = (
        "import os, sys\n"
        "from syncer.refs import Kind, Ref\n"
        "from syncer.state.store import StateStore\n"
        "state = StateStore.open(sys.argv[1])\n"
        f"state.begin_write({TENANT!r}, Ref(Kind.INVOICE, 'inv_1'), 'key-1', 'INV-0001')\n"
        "os._exit(9)\n"
    )
    died = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, timeout=60)
    assert died.returncode == 9, died.stderr
    with StateStore.open(path) as reopened:
        assert reopened.pending(TENANT) == {INVOICE: "key-1"}
        assert reopened.held(TENANT) == {}


def test_the_file_is_in_wal_mode_with_full_sync(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        assert state._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert state._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_the_run_ledger_keeps_every_outcome_and_the_plan(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        run = state.start_run(TENANT, "digest", [{"kind": "invoice", "source_id": "inv_1"}])
        state.record_outcome(run, "invoice", "inv_1", "created", "AUTHORISED id-1")
        state.record_outcome(run, "credit", "cr_1", "skipped", "standalone credit")
        state.finish_run(run, status="clean", calls=3, retries=1, seconds=0.5, resume_at=None)
        record = state.run(run)
        assert (record.status, record.calls, record.retries, record.plan) == (
            "clean",
            3,
            1,
            [{"kind": "invoice", "source_id": "inv_1"}],
        )
        assert [(o.kind, o.outcome) for o in record.outcomes] == [("invoice", "created"), ("credit", "skipped")]
        assert state.runs() == [
            RunSummary(run, TENANT, record.started_at, record.finished_at, "clean", "digest", 3, 1, 0.5, None)
        ]
        assert state.runs("another-tenant") == []
        with pytest.raises(StateError, match="there is no run 99$"):
            state.run(99)
        with pytest.raises(StateError, match="there is no run 99 to record an outcome in"):
            state.record_outcome(99, "invoice", "inv_1", "created", "")
        with pytest.raises(StateError, match="there is no run 99 to finish"):
            state.finish_run(99, status="clean", calls=0, retries=0, seconds=0, resume_at=None)


def test_a_run_stopped_by_a_limit_keeps_when_it_may_resume_and_runs_list_by_tenant(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        first = state.start_run(TENANT, "d1", [])
        state.finish_run(
            first,
            status="stopped",
            calls=60,
            retries=0,
            seconds=61.0,
            resume_at=datetime(2024, 2, 1, 9, 30, tzinfo=UTC),
        )
        other = state.start_run("tenant-2", "d2", [])
        assert [r.run_id for r in state.runs()] == [first, other]
        assert [(r.run_id, r.status, r.resume_at) for r in state.runs(TENANT)] == [
            (first, "stopped", "2024-02-01T09:30:00+00:00")
        ]
        assert state.run(other).status == "running" and state.run(other).finished_at is None


def test_held_after_a_thousand_completes_and_a_second_complete_replaces_the_mapping(tmp_path):
    path = tmp_path / "s.db"
    with StateStore.open(path) as state:
        for n in range(1000):
            ref = Ref(Kind.PAYMENT, f"pay_{n}")
            state.begin_write(TENANT, ref, f"key-{n}", "")
            state.complete_write(TENANT, ref, Mapped(f"id-{n}", "AUTHORISED", f"fp-{n}"))
        state.complete_write(TENANT, Ref(Kind.PAYMENT, "pay_7"), Mapped("id-7", "DELETED", "fp-7b", 2))
    with StateStore.open(path) as reopened:
        held = reopened.held(TENANT)
        assert len(held) == 1000 and reopened.pending(TENANT) == {}
        assert held[Ref(Kind.PAYMENT, "pay_999")] == Mapped("id-999", "AUTHORISED", "fp-999")
        assert held[Ref(Kind.PAYMENT, "pay_7")] == Mapped("id-7", "DELETED", "fp-7b", 2)


def test_an_abandoned_write_leaves_no_intent_and_no_mapping(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        state.begin_write(TENANT, INVOICE, "key-1", "")
        state.begin_write(TENANT, Ref(Kind.CONTACT, "cus_1"), "key-2", "")
        state.abandon_write(TENANT, INVOICE)
        assert state.pending(TENANT) == {Ref(Kind.CONTACT, "cus_1"): "key-2"}
        assert state.held(TENANT) == {}


def test_a_user_stated_mapping_is_held_and_sent_as_an_update(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        state.set_external_mapping(TENANT, Ref(Kind.CONTACT, "cus_1"), "contact-id")
        assert state.held(TENANT)[Ref(Kind.CONTACT, "cus_1")] == Mapped("contact-id", "", "", 1)


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "s.db"
    StateStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(
        StateError,
        match=f"written by a newer xero-sync \\(state version {SCHEMA_VERSION + 1}, this one reads up to "
        f"{SCHEMA_VERSION}\\); upgrade xero-sync",
    ):
        StateStore.open(path)
    assert path.read_bytes() == before


def test_a_new_file_records_its_schema_version_in_the_migration_table(tmp_path):
    path = tmp_path / "s.db"
    StateStore.open(path).close()
    StateStore.open(path).close()  # reopening applies nothing again
    db = sqlite3.connect(path)
    assert [row[0] for row in db.execute("SELECT version FROM migrations ORDER BY version")] == [1, 2]
    db.close()


def first_version_file(path, *, with_migrations_table: bool):
    """A state file as xero-sync wrote it before integrations: schema 1, one mapping, one intent, one run."""
    db = sqlite3.connect(path)
    db.executescript(store.MIGRATIONS[0])
    if with_migrations_table:
        db.executescript(store._MIGRATIONS_TABLE + " INSERT INTO migrations VALUES (1, 'then');")
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.execute(
        "INSERT INTO mappings VALUES (?, 'invoice', 'inv_1', 'id-1', 'AUTHORISED', 'abc', 1, 0, 'then')", (TENANT,)
    )
    db.execute("INSERT INTO intents VALUES (?, 'contact', 'c1', 'key-1', 'C1', 'then')", (TENANT,))
    db.execute(
        "INSERT INTO runs (tenant_id, started_at, status, source_digest, plan) VALUES (?, 'then', 'clean', 'd', '[]')",
        (TENANT,),
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("with_migrations_table", [True, False], ids=["migrations-table", "adopted"])
def test_a_first_version_file_is_migrated_keeping_its_mappings_intents_and_runs(tmp_path, with_migrations_table):
    path = tmp_path / "s.db"
    first_version_file(path, with_migrations_table=with_migrations_table)
    with StateStore.open(path) as reopened:
        assert reopened.held(TENANT) == {INVOICE: Mapped("id-1", "AUTHORISED", "abc")}
        assert reopened.pending(TENANT) == {Ref(Kind.CONTACT, "c1"): "key-1"}
        assert [(run.run_id, run.integration_id) for run in reopened.runs()] == [(1, "")]
        # the old rows belong to the single-mapping mode, not to any integration
        assert reopened.scoped("int-1").held(TENANT) == {}
    db = sqlite3.connect(path)
    assert [row[0] for row in db.execute("SELECT version FROM migrations ORDER BY version")] == [1, 2]
    assert [row[0] for row in db.execute("PRAGMA quick_check")] == ["ok"]
    db.close()


def test_each_integration_sees_only_its_own_mappings_intents_and_runs(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        uk, rest = state.scoped("int-uk"), state.scoped("int-rest")
        uk.complete_write(TENANT, INVOICE, Mapped("id-uk", "AUTHORISED", "abc"))
        rest.begin_write(TENANT, INVOICE, "key-rest", "")
        uk_run = uk.start_run(TENANT, "d", [])
        assert uk.held(TENANT) == {INVOICE: Mapped("id-uk", "AUTHORISED", "abc")}
        assert rest.held(TENANT) == {} and state.held(TENANT) == {}
        assert rest.pending(TENANT) == {INVOICE: "key-rest"} and uk.pending(TENANT) == {}
        assert [run.run_id for run in state.runs(integration_id="int-uk")] == [uk_run]
        assert state.runs(integration_id="int-rest") == []


def test_a_damaged_state_file_is_refused_untouched(tmp_path):
    path = tmp_path / "s.db"
    with StateStore.open(path) as state:
        for n in range(300):
            state.complete_write(TENANT, Ref(Kind.INVOICE, f"inv_{n}"), Mapped(f"id-{n}", "AUTHORISED", "x" * 64))
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page + 8 : 3 * page] = b"\xff" * (page - 8)  # a b-tree page overwritten past its header
    path.write_bytes(bytes(data))
    with pytest.raises(StateError) as refused:
        StateStore.open(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert "the state file is damaged (" in str(refused.value)
    assert str(refused.value).endswith("); refusing to use it")
    assert path.read_bytes() == bytes(data)


def test_a_file_that_is_not_a_state_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n" * 100)
    with pytest.raises(StateError, match="not a state file xero-sync can read"):
        StateStore.open(path)
    assert path.read_text() == "my notes\n" * 100
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(StateError, match="an SQLite file that is not a xero-sync state file; refusing to change it"):
        StateStore.open(other)
    assert other.read_bytes() == before and not (tmp_path / "other.db-wal").exists()


def test_a_save_that_sqlite_cannot_make_raises_state_error_and_writes_nothing(tmp_path):
    path = tmp_path / "s.db"
    with StateStore.open(path) as state:
        state._db.execute("PRAGMA busy_timeout=0")  # fail at once instead of waiting 30 s for the lock
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StateError, match=r"s\.db: the state could not be saved \(database is locked\); nothing"):
            state.complete_write(TENANT, INVOICE, Mapped("id-1", "AUTHORISED", "abc"))
        other.execute("ROLLBACK")
        other.close()
        assert state.held(TENANT) == {}
        state.complete_write(TENANT, INVOICE, Mapped("id-1", "AUTHORISED", "abc"))
        assert state.held(TENANT) == {INVOICE: Mapped("id-1", "AUTHORISED", "abc")}


def test_a_file_left_by_a_crash_before_the_first_schema_was_written_is_set_up(tmp_path):
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")  # what open() had done when the process died
    db.close()
    assert path.stat().st_size > 0
    with StateStore.open(path) as state:
        state.complete_write(TENANT, INVOICE, Mapped("id-1", "AUTHORISED", "abc"))
        assert state.held(TENANT) == {INVOICE: Mapped("id-1", "AUTHORISED", "abc")}
