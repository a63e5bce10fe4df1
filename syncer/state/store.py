"""The engine's state: which Xero object each billing record became, the writes in flight, the run ledger.

SQLite in WAL mode, one short transaction per save. The engine saves after **every** Xero call, so a save
must cost the same with 100 000 mapped objects as with 1 000: an indexed row upsert does, where tinydb's
default JSON storage rewrites the whole file on every change (bench/bench_state_save.py measures it).
``synchronous=FULL``: a save that returned is on disk even if the machine loses power, which is the
promise exactly-once rests on (an intent lost to a power cut would let a re-run write twice); WAL keeps
that cheap, since a commit is one sequential append to the log.

The intent journal is what makes a crash safe: ``begin_write`` is saved before the call goes out and
``complete_write`` after the answer. An intent still there when the next run starts means the call may
have committed; the engine looks the object up by its natural key before writing again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from syncer.refs import Kind, Ref

SCHEMA_VERSION = 1
_SCHEMA = """
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
class RunRecord:
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
    plan: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[OutcomeRecord] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StateStore:
    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> StateStore:
        """Open (or create) a state file; a file that is not ours, or from a newer version, is refused untouched."""
        path = Path(path)
        existed = path.exists() and path.stat().st_size > 0
        try:
            connection = sqlite3.connect(path, isolation_level=None, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            store = cls(connection, path)
            store._prepare(existed)
        except sqlite3.DatabaseError as error:
            raise StateError(f"{path}: not a state file xero-sync can read ({error})") from error
        return store

    def _prepare(self, existed: bool) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            if existed:
                raise StateError(f"{self.path}: an SQLite file without xero-sync's tables; refusing to change it")
            # one script, one transaction: a crash here leaves an empty file, never half a schema
            self._db.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}'); COMMIT;"
            )
            return
        if "meta" not in tables:
            raise StateError(f"{self.path}: an SQLite file that is not a xero-sync state file; refusing to change it")
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StateError(
                f"{self.path}: written by a newer xero-sync (state version {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade xero-sync"
            )
        # migrations from older versions go here, one step per version, each in its own transaction

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    class _Tx:
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _transaction(self) -> StateStore._Tx:
        return StateStore._Tx(self._db)

    # -- mappings and intents --

    def held(self, tenant_id: str) -> dict[Ref, Mapped]:
        rows = self._db.execute(
            "SELECT kind, source_id, xero_id, status, fingerprint, version FROM mappings WHERE tenant_id=?",
            (tenant_id,),
        )
        return {
            Ref(Kind(kind), source): Mapped(xero, status, print_, version)
            for kind, source, xero, status, print_, version in rows
        }

    def pending(self, tenant_id: str) -> dict[Ref, str]:
        rows = self._db.execute("SELECT kind, source_id, idempotency_key FROM intents WHERE tenant_id=?", (tenant_id,))
        return {Ref(Kind(kind), source): key for kind, source, key in rows}

    def begin_write(self, tenant_id: str, ref: Ref, idempotency_key: str, natural_key: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO intents VALUES (?, ?, ?, ?, ?, ?)",
                (tenant_id, str(ref.kind), ref.source_id, idempotency_key, natural_key, _now()),
            )

    def complete_write(self, tenant_id: str, ref: Ref, mapped: Mapped) -> None:
        with self._transaction() as db:
            db.execute(
                "DELETE FROM intents WHERE tenant_id=? AND kind=? AND source_id=?",
                (tenant_id, str(ref.kind), ref.source_id),
            )
            db.execute(
                "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
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
            db.execute(
                "DELETE FROM intents WHERE tenant_id=? AND kind=? AND source_id=?",
                (tenant_id, str(ref.kind), ref.source_id),
            )

    def set_external_mapping(self, tenant_id: str, ref: Ref, xero_id: str, status: str = "") -> None:
        """A mapping the user states (an object that already exists in Xero); its fingerprint is unknown, so
        the next run sends the record as an update."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?, ?, '', 1, 1, ?)",
                (tenant_id, str(ref.kind), ref.source_id, xero_id, status, _now()),
            )

    # -- the run ledger --

    def start_run(self, tenant_id: str, source_digest: str, plan: list[dict[str, Any]]) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (tenant_id, started_at, status, source_digest, plan) VALUES (?, ?, 'running', ?, ?)",
                (tenant_id, _now(), source_digest, json.dumps(plan, sort_keys=True)),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_outcome(self, run_id: int, kind: str, source_id: str, outcome: str, detail: str) -> None:
        with self._transaction() as db:
            position = db.execute("SELECT COUNT(*) FROM outcomes WHERE run_id=?", (run_id,)).fetchone()[0]
            db.execute(
                "INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", (run_id, position, kind, source_id, outcome, detail)
            )

    def finish_run(
        self, run_id: int, *, status: str, calls: int, retries: int, seconds: float, resume_at: datetime | None
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, status=?, calls=?, retries=?, seconds=?, resume_at=? WHERE run_id=?",
                (_now(), status, calls, retries, seconds, resume_at.isoformat() if resume_at else None, run_id),
            )

    def runs(self, tenant_id: str | None = None) -> list[RunRecord]:
        query = "SELECT * FROM runs" + (" WHERE tenant_id=?" if tenant_id else "") + " ORDER BY run_id"
        rows = self._db.execute(query, (tenant_id,) if tenant_id else ())
        return [self._run(row, with_details=False) for row in rows]

    def run(self, run_id: int) -> RunRecord:
        row = self._db.execute("SELECT * FROM runs WHERE run_id=?", (run_id,)).fetchone()
        if row is None:
            raise StateError(f"{self.path}: there is no run {run_id}")
        return self._run(row, with_details=True)

    def _run(self, row: tuple[Any, ...], *, with_details: bool) -> RunRecord:
        run_id, tenant, started, finished, status, digest, plan, calls, retries, seconds, resume_at = row
        outcomes: list[OutcomeRecord] = []
        if with_details:
            outcomes = [
                OutcomeRecord(*found)
                for found in self._db.execute(
                    "SELECT kind, source_id, outcome, detail FROM outcomes WHERE run_id=? ORDER BY position",
                    (run_id,),
                )
            ]
        return RunRecord(
            run_id,
            tenant,
            started,
            finished,
            status,
            digest,
            calls,
            retries,
            seconds,
            resume_at,
            json.loads(plan) if with_details else [],
            outcomes,
        )

    def iter_tenants(self) -> Iterator[str]:
        for (tenant,) in self._db.execute("SELECT DISTINCT tenant_id FROM mappings ORDER BY tenant_id"):
            yield tenant
