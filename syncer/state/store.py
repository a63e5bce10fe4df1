"""The engine's state: which Xero object each billing record became, the writes in flight, the run ledger.

SQLite in WAL mode, one short transaction per save. The engine saves after **every** Xero call, so a save
must cost the same with 100 000 mapped objects as with 1 000: an indexed row upsert does, where tinydb's
default JSON storage rewrites the whole file on every change (bench/bench_state_save.py measures it).
``synchronous=FULL``, not NORMAL: in WAL mode NORMAL is safe against a crash of the process but may lose
the last commits when the machine loses power, and a lost intent or mapping is exactly what exactly-once
cannot afford (the Xero object exists, the state does not know it, the next run writes it again). FULL
syncs the log on every commit; WAL keeps that cheap, since a commit is one sequential append to the log
(bench/RESULTS.md has the figures).

The schema is versioned: the ``migrations`` table holds one row per schema version applied. A file from
a newer xero-sync, a file that is not SQLite, a damaged one, or an SQLite file of someone else's is
refused with ``StateError`` before anything is written to it.

The intent journal is what makes a crash safe: ``begin_write`` is saved before the call goes out and
``complete_write`` after the answer. An intent still there when the next run starts means the call may
have committed; the engine looks the object up by its natural key before writing again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from syncer.refs import Kind, Ref

SCHEMA_VERSION = 2
_SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE mappings (
    tenant_id TEXT NOT NULL, kind TEXT NOT NULL, source_id TEXT NOT NULL,
    xero_id TEXT NOT NULL, status TEXT NOT NULL, fingerprint TEXT NOT NULL, version INTEGER NOT NULL,
    external INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, source_id)
) WITHOUT ROWID;
CREATE TABLE intents (
    tenant_id TEXT NOT NULL, kind TEXT NOT NULL, source_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL, natural_key TEXT NOT NULL, begun_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, source_id)
) WITHOUT ROWID;
CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, status TEXT NOT NULL, source_digest TEXT NOT NULL, plan TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0, retries INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0,
    resume_at TEXT
);
CREATE TABLE outcomes (
    run_id INTEGER NOT NULL REFERENCES runs(run_id), position INTEGER NOT NULL,
    kind TEXT NOT NULL, source_id TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
"""
# Version 2: integrations. Several integration configurations share one file; each has its own mappings,
# intents and runs, told apart by ``integration_id`` ('' for the single-mapping mode of
# ``xero-sync plan|apply --mapping``, which is what every row of a version 1 file becomes). SQLite cannot
# change a primary key in place, so the two keyed tables are copied into new ones. The key's columns come
# first, in key order: SQLite 3.40's quick_check misreports NOT NULL columns of a WITHOUT ROWID table whose
# key is not its leading columns, and the store runs quick_check on every open.
_SCHEMA_V2 = """
CREATE TABLE mappings_v2 (
    integration_id TEXT NOT NULL, tenant_id TEXT NOT NULL, kind TEXT NOT NULL, source_id TEXT NOT NULL,
    xero_id TEXT NOT NULL, status TEXT NOT NULL, fingerprint TEXT NOT NULL, version INTEGER NOT NULL,
    external INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, tenant_id, kind, source_id)
) WITHOUT ROWID;
INSERT INTO mappings_v2 SELECT '', * FROM mappings;
DROP TABLE mappings;
ALTER TABLE mappings_v2 RENAME TO mappings;
CREATE TABLE intents_v2 (
    integration_id TEXT NOT NULL, tenant_id TEXT NOT NULL, kind TEXT NOT NULL, source_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL, natural_key TEXT NOT NULL, begun_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, tenant_id, kind, source_id)
) WITHOUT ROWID;
INSERT INTO intents_v2 SELECT '', * FROM intents;
DROP TABLE intents;
ALTER TABLE intents_v2 RENAME TO intents;
ALTER TABLE runs ADD COLUMN integration_id TEXT NOT NULL DEFAULT '';
CREATE TABLE integrations (
    integration_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, config TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1, disabled_reason TEXT NOT NULL DEFAULT '',
    credential_id TEXT NOT NULL DEFAULT '', tenant_id TEXT NOT NULL DEFAULT '', tenant_name TEXT NOT NULL DEFAULT '',
    fatal_runs INTEGER NOT NULL DEFAULT 0, auth_failures INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
CREATE TABLE external_mappings (
    account_id TEXT NOT NULL, integration_id TEXT NOT NULL DEFAULT '', code TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, integration_id)
) WITHOUT ROWID;
"""
_MIGRATIONS_TABLE = "CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);"
# MIGRATIONS[n] takes a file from version n to n + 1; each runs in its own transaction with its row in
# ``migrations``, so a crash mid-way leaves the file at the last whole version.
MIGRATIONS: dict[int, str] = {0: _SCHEMA_V1, 1: _SCHEMA_V2}
assert max(MIGRATIONS) + 1 == SCHEMA_VERSION


class StateError(Exception):
    """The state file cannot be used as it is; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Mapped:
    """What the store knows about one billing record's Xero object."""

    xero_id: str
    status: str
    fingerprint: str
    version: int = 1


@dataclass(frozen=True)
class OutcomeRecord:
    kind: str
    source_id: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class RunSummary:
    """One run as the ledger lists it; times are ISO 8601 UTC text, ``resume_at`` when a limit stopped it."""

    run_id: int
    tenant_id: str
    started_at: str
    finished_at: str | None
    status: str
    source_digest: str
    calls: int
    retries: int
    seconds: float
    resume_at: str | None
    integration_id: str = ""


@dataclass(frozen=True)
class RunRecord(RunSummary):
    """One run with the plan it carried out (replayable) and its outcomes in the order they happened."""

    plan: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[OutcomeRecord] = field(default_factory=list)


def _summary(row: tuple[Any, ...]) -> RunSummary:
    """A ``runs`` row without its plan (column 6)."""
    return RunSummary(*row[:6], *row[7:])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StateStore:
    """``integration_id`` scopes mappings, intents and runs to one integration ('' for the single-mapping
    mode); ``scoped`` gives another view of the same file for another integration."""

    def __init__(self, connection: sqlite3.Connection, path: Path, integration_id: str = ""):
        self._db = connection
        self.path = path
        self.integration_id = integration_id

    def scoped(self, integration_id: str) -> StateStore:
        """The same file, seen as one integration's state (closing either closes both)."""
        return StateStore(self._db, self.path, integration_id)

    @classmethod
    def open(cls, path: str | Path) -> StateStore:
        """Open (or create) a state file, migrating it to this version; a file that is not ours, is damaged or
        comes from a newer version is refused untouched."""
        path = Path(path)
        connection: sqlite3.Connection | None = None
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=30)
            store = cls(connection, path)
            # judged before any pragma: switching to WAL writes to the file, which a refused file must not see
            version = store._version()
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            store._migrate(version)
        except sqlite3.DatabaseError as error:
            if connection is not None:
                connection.close()
            if getattr(error, "sqlite_errorname", "") == "SQLITE_CORRUPT":
                raise StateError(f"{path}: the state file is damaged ({error}); refusing to use it") from error
            raise StateError(f"{path}: not a state file xero-sync can read ({error})") from error
        except StateError:
            if connection is not None:
                connection.close()
            raise
        return store

    def _version(self) -> int:
        """The file's schema version: 0 for a new, empty file."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            # new, or SQLite with nothing in it: a crash while the first schema was written leaves exactly this
            # (switching to WAL writes the header first), and there is nothing in it to lose
            return 0
        if "meta" not in tables:
            raise StateError(f"{self.path}: an SQLite file that is not a xero-sync state file; refusing to change it")
        damage = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        if damage != ["ok"]:
            raise StateError(f"{self.path}: the state file is damaged ({'; '.join(damage[:3])}); refusing to use it")
        if "migrations" in tables:
            row = self._db.execute("SELECT MAX(version) FROM migrations").fetchone()
        else:  # the first files kept their version in meta only
            row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        if version > SCHEMA_VERSION:
            raise StateError(
                f"{self.path}: written by a newer xero-sync (state version {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade xero-sync"
            )
        if "migrations" not in tables:
            # adopt: record the version the file already has, in the table later migrations add rows to
            self._db.executescript(
                f"BEGIN IMMEDIATE; {_MIGRATIONS_TABLE} INSERT INTO migrations VALUES ({version}, '{_now()}'); COMMIT;"
            )
        return version

    def _migrate(self, version: int) -> None:
        for step in range(version, SCHEMA_VERSION):
            # one script, one transaction: a crash here leaves the file at the previous version
            head = _MIGRATIONS_TABLE if step == 0 else ""
            self._db.executescript(
                f"BEGIN IMMEDIATE; {head} {MIGRATIONS[step]} "
                f"INSERT INTO migrations VALUES ({step + 1}, '{_now()}'); "
                f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{step + 1}'); COMMIT;"
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query, for the modules that keep their own tables in this file (the integration registry)."""
        return list(self._db.execute(query, params))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One save for a module that keeps its own tables here; all or nothing, as every save of the store."""
        with self._transaction() as db:
            yield db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One save: all of it is written, or (with ``StateError``) none of it, whatever SQLite says."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StateError(f"{self.path}: the state could not be saved ({error}); nothing was written") from error

    # -- mappings and intents --

    def held(self, tenant_id: str) -> dict[Ref, Mapped]:
        rows = self._db.execute(
            "SELECT kind, source_id, xero_id, status, fingerprint, version FROM mappings "
            "WHERE tenant_id=? AND integration_id=?",
            (tenant_id, self.integration_id),
        )
        return {
            Ref(Kind(kind), source): Mapped(xero, status, print_, version)
            for kind, source, xero, status, print_, version in rows
        }

    def pending(self, tenant_id: str) -> dict[Ref, str]:
        rows = self._db.execute(
            "SELECT kind, source_id, idempotency_key FROM intents WHERE tenant_id=? AND integration_id=?",
            (tenant_id, self.integration_id),
        )
        return {Ref(Kind(kind), source): key for kind, source, key in rows}

    def begin_write(self, tenant_id: str, ref: Ref, idempotency_key: str, natural_key: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO intents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.integration_id, tenant_id, str(ref.kind), ref.source_id, idempotency_key, natural_key, _now()),
            )

    def complete_write(self, tenant_id: str, ref: Ref, mapped: Mapped) -> None:
        with self._transaction() as db:
            self._forget_intent(db, tenant_id, ref)
            db.execute(
                "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    self.integration_id,
                    tenant_id,
                    str(ref.kind),
                    ref.source_id,
                    mapped.xero_id,
                    mapped.status,
                    mapped.fingerprint,
                    mapped.version,
                    _now(),
                ),
            )

    def abandon_write(self, tenant_id: str, ref: Ref) -> None:
        with self._transaction() as db:
            self._forget_intent(db, tenant_id, ref)

    def _forget_intent(self, db: sqlite3.Connection, tenant_id: str, ref: Ref) -> None:
        db.execute(
            "DELETE FROM intents WHERE tenant_id=? AND kind=? AND source_id=? AND integration_id=?",
            (tenant_id, str(ref.kind), ref.source_id, self.integration_id),
        )

    def set_external_mapping(self, tenant_id: str, ref: Ref, xero_id: str, status: str = "") -> None:
        """A mapping the user states (an object that already exists in Xero); its fingerprint is unknown, so
        the next run sends the record as an update."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?, ?, ?, '', 1, 1, ?)",
                (self.integration_id, tenant_id, str(ref.kind), ref.source_id, xero_id, status, _now()),
            )

    # -- the run ledger --

    def start_run(self, tenant_id: str, source_digest: str, plan: list[dict[str, Any]]) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (tenant_id, started_at, status, source_digest, plan, integration_id) "
                "VALUES (?, ?, 'running', ?, ?, ?)",
                (tenant_id, _now(), source_digest, json.dumps(plan, sort_keys=True), self.integration_id),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_outcome(self, run_id: int, kind: str, source_id: str, outcome: str, detail: str) -> None:
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone() is None:
                raise StateError(f"{self.path}: there is no run {run_id} to record an outcome in")
            position = db.execute("SELECT COUNT(*) FROM outcomes WHERE run_id=?", (run_id,)).fetchone()[0]
            db.execute(
                "INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", (run_id, position, kind, source_id, outcome, detail)
            )

    def finish_run(
        self, run_id: int, *, status: str, calls: int, retries: int, seconds: float, resume_at: datetime | None
    ) -> None:
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone() is None:
                raise StateError(f"{self.path}: there is no run {run_id} to finish")
            db.execute(
                "UPDATE runs SET finished_at=?, status=?, calls=?, retries=?, seconds=?, resume_at=? WHERE run_id=?",
                (_now(), status, calls, retries, seconds, resume_at.isoformat() if resume_at else None, run_id),
            )

    def runs(self, tenant_id: str | None = None, integration_id: str | None = None) -> list[RunSummary]:
        """Every run in the file, or those of one tenant and/or one integration."""
        where, params = [], []
        for column, value in (("tenant_id", tenant_id), ("integration_id", integration_id)):
            if value is not None:
                where.append(f"{column}=?")
                params.append(value)
        query = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY run_id"
        return [_summary(row) for row in self._db.execute(query, params)]

    def run(self, run_id: int) -> RunRecord:
        row = self._db.execute("SELECT * FROM runs WHERE run_id=?", (run_id,)).fetchone()
        if row is None:
            raise StateError(f"{self.path}: there is no run {run_id}")
        outcomes = [
            OutcomeRecord(*found)
            for found in self._db.execute(
                "SELECT kind, source_id, outcome, detail FROM outcomes WHERE run_id=? ORDER BY position", (run_id,)
            )
        ]
        return RunRecord(**vars(_summary(row)), plan=json.loads(row[6]), outcomes=outcomes)

    def iter_tenants(self) -> Iterator[str]:
        rows = self._db.execute(
            "SELECT DISTINCT tenant_id FROM mappings WHERE integration_id=? ORDER BY tenant_id", (self.integration_id,)
        )
        for (tenant,) in rows:
            yield tenant
