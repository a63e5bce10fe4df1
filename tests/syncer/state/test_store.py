import sqlite3

import pytest

from syncer.refs import Kind, Ref
from syncer.state.store import SCHEMA_VERSION, Mapped, StateError, StateStore

TENANT = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"
INVOICE = Ref(Kind.INVOICE, "inv_1")


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
        assert [r.run_id for r in state.runs()] == [run] and state.runs()[0].outcomes == []
        with pytest.raises(StateError, match="there is no run 99"):
            state.run(99)


def test_a_user_stated_mapping_is_held_and_sent_as_an_update(tmp_path):
    with StateStore.open(tmp_path / "s.db") as state:
        state.set_external_mapping(TENANT, Ref(Kind.CONTACT, "cus_1"), "contact-id")
        assert state.held(TENANT)[Ref(Kind.CONTACT, "cus_1")] == Mapped("contact-id", "", "", 1)


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "s.db"
    StateStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StateError, match="written by a newer xero-sync"):
        StateStore.open(path)


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
    with pytest.raises(StateError, match="not a xero-sync state file"):
        StateStore.open(other)
