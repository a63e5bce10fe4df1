"""The one place the emulator keeps state.

Layout: named tables (``"<tenant-id>:Invoices"``, ``"system:Tokens"``) of records keyed by id. Records are
plain dicts whose values are JSON types plus ``Decimal``, ``date`` and ``datetime``.

The working set lives in indexed dicts: lookups and listing never touch the disk. The data file is an SQLite
database (standard-library ``sqlite3``, WAL mode) with one row per record, and a commit writes only the rows
the transaction changed. Why not the tinydb JSON file the store used to write: tinydb's storage writes the
whole document on every change, so one invoice create cost 74 ms at 1 000 invoices and 1 s at 10 000; a row
upsert costs the same at any size (bench/data_file.py measures it). A data file of that older format is
migrated on open, with the original kept beside it (see ``_migrate_tinydb_file``).

Guarantees:

* **Isolation.** Every request runs inside ``transaction()``, which holds one re-entrant lock, so a threaded
  server cannot interleave two writers and lose one of them.
* **No half-writes.** Changes are undo-logged; an exception inside a transaction (or a nested
  ``transaction()`` used as a savepoint) rolls back exactly what it changed, indexes included.
* **Durability.** With a data file, the outermost transaction that changed anything writes its rows in one
  SQLite transaction, with ``synchronous=FULL``: when ``transaction()`` returns, the commit is in the
  write-ahead log and synced, so it survives a kill -9 and a power cut; a crash before that leaves none of
  it. If the commit fails, the block is rolled back in memory too, so memory never holds what the file lacks.
* **No aliasing.** ``get``/``find`` hand out copies and ``put`` stores a copy, so a caller mutating a
  record cannot change the book behind the store's back. ``scan`` yields the stored records themselves
  for read-only filtering, which keeps listing from copying the whole book; ``peek``, ``peek_find`` and
  ``peek_first`` do the same for lookups that only read (a write path looks up its organisation,
  accounts and tax rates a dozen times per document, and copying each was a fifth of a create's time).
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from . import file_lock

IndexKey = Callable[[dict], Any]


# The immutable types a record's leaves have, by exact type: a leaf of one of these is kept as it is
# without a call. Anything else goes through ``clone``, which copies dicts and lists (and their
# subclasses, as plain ones) and keeps every other value.
_LEAVES = frozenset({str, Decimal, int, bool, type(None), date, datetime, float})


def clone(value: Any) -> Any:
    """Copy the containers of a record; the leaves (str, Decimal, date, ...) are immutable.

    Every ``put`` and ``get`` clones a record, which was a third of an invoice create's time; testing each
    leaf's type in place instead of making a call per leaf makes it about a third faster."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _LEAVES else clone(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _LEAVES else clone(item) for item in value]
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


# --- file codec ----------------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """Make a record JSON-safe without losing its types: ``{"$decimal": "1.00"}`` and friends."""
    if isinstance(value, dict):
        return {key: encode_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


_TAGS: dict[str, Callable[[str], Any]] = {
    "$decimal": Decimal,
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
}


def _decode_tagged(tag: str, raw: Any, parse: Callable[[str], Any]) -> Any:
    # One error type for every unreadable tag, so loaders can name the bad file or snapshot.
    try:
        if not isinstance(raw, str):
            raise TypeError(type(raw).__name__)
        value = parse(raw)
    except (ArithmeticError, ValueError, TypeError):
        raise ValueError(f"{{{tag!r}: {raw!r}}} is not a valid tagged value") from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{{{tag!r}: {raw!r}}} is not a finite number")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"{{{tag!r}: {raw!r}}} has no time zone")
    return value


def decode_value(value: Any) -> Any:
    """The inverse of ``encode_value`` for data that has already been parsed, as a new tree.

    Leaves are kept by exact type without a call, as ``clone`` keeps them: a book is read
    through here at start-up, about 19 tagged values a record."""
    kind = type(value)
    if kind is dict:
        if len(value) == 1:
            ((tag, raw),) = value.items()
            parse = _TAGS.get(tag)
            if parse is not None:
                return _decode_tagged(tag, raw, parse)
        return {key: item if type(item) in _LEAVES else decode_value(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _LEAVES else decode_value(item) for item in value]
    if isinstance(value, dict):  # a subclass (tinydb's Document): read as a plain dict
        return decode_value(dict(value))
    if isinstance(value, list):
        return decode_value(list(value))
    return value


def _encode_row(record: dict) -> str:
    return json.dumps(encode_value(record), separators=(",", ":"))


def _decode_row(body: str) -> dict:
    # orjson parses a row in a fraction of the standard library's time (most of a start-up is reading rows);
    # what it refuses and the standard library reads (an integer beyond 64 bits) goes the slow way.
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        parsed = json.loads(body)
    record = decode_value(parsed)
    if not isinstance(record, dict):
        raise ValueError(f"a record must be an object, got {type(record).__name__}")
    return record


# --- the data file -------------------------------------------------------------------------------------


class StoreFileError(RuntimeError):
    """The data file cannot be used: not a mockxero database, damaged, unreadable or from a newer mockxero."""


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
FILE_FORMAT = "mockxero books"  # meta row "format": tells our file from someone else's SQLite database
FILE_VERSION = 1  # meta row "version": bump (and migrate) when the schema changes
BACKUP_SUFFIX = ".tinydb-backup"  # where a migrated tinydb file is kept: books.json -> books.json.tinydb-backup

# ``position`` is the rowid and orders the records as they were first inserted, which is the order
# ``keys``, ``scan`` and ``window`` promise; it is kept when a record is updated.
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE records (position INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,"
    " UNIQUE (tbl, key))",
)
_UPSERT = "INSERT OR REPLACE INTO records (position, tbl, key, body) VALUES (?, ?, ?, ?)"
_DELETE = "DELETE FROM records WHERE tbl = ? AND key = ?"
_KEY_FIELD = "_key"  # where a record's key travels inside a tinydb document

Layout = dict[str, dict[str, dict]]  # table -> key -> record, in insertion order


def _file_kind(path: Path) -> str:
    """``"new"`` (missing or empty), ``"sqlite"`` or ``"tinydb"`` (anything else, checked when it is read)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise StoreFileError(f"cannot read data file {path}: {exc}") from exc
    if not head:
        return "new"
    return "sqlite" if head == SQLITE_HEADER else "tinydb"


def read_tinydb_file(path: Path) -> Layout:
    """The records of a data file in the tinydb format mockxero wrote before SQLite, every problem named at once.

    The format: ``{table: {tinydb document id: {**record, "_key": key}}}`` with tagged decimals and dates.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreFileError(f"cannot read data file {path}: {exc}") from exc
    if not text.strip():
        return {}
    not_ours = f"{path} is not a mockxero data file"
    try:
        layout = json.loads(text)
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise StoreFileError(f"{not_ours}: {exc}") from exc
    if not isinstance(layout, dict) or not all(isinstance(rows, dict) for rows in layout.values()):
        raise StoreFileError(f"{not_ours}: expected tinydb's layout {{table: {{document id: document}}}}")
    problems: list[str] = []
    tables: Layout = {}
    for table, documents in layout.items():
        rows: dict[str, dict] = {}
        for doc_id, document in documents.items():
            where = f"document {doc_id!r} of table {table!r}"
            if not doc_id.isdigit():
                problems.append(f"{where}: its id is not a number, as tinydb numbers documents")
            if not isinstance(document, dict):
                problems.append(f"{where}: not an object")
                continue
            key = document.get(_KEY_FIELD)
            if not isinstance(key, str):
                problems.append(f"{where}: no {_KEY_FIELD!r} (the record's key)")
                continue
            try:
                record = decode_value({field: value for field, value in document.items() if field != _KEY_FIELD})
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            rows[key] = record
        if rows:
            tables[table] = rows
    if problems:
        raise StoreFileError(f"{not_ours}: " + "; ".join(problems))
    return tables


def _sync_directory(directory: Path) -> None:
    """Make a rename durable where the platform allows it (not on Windows)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _free_backup_path(path: Path) -> Path:
    """``books.json.tinydb-backup``, or ``...-2``, ``-3`` when an earlier migration left one: never overwrite."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    number = 2
    while backup.exists():
        backup = path.with_name(f"{path.name}{BACKUP_SUFFIX}-{number}")
        number += 1
    return backup


def _create_schema(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    for statement in _SCHEMA:
        db.execute(statement)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FILE_FORMAT), ("version", str(FILE_VERSION))])
    db.execute("COMMIT")


def _migrate_tinydb_file(path: Path, layout: Layout) -> Path:
    """Replace a tinydb data file by an SQLite one holding the same records; the original is kept as a backup.

    Done on open rather than by a separate command so that every way of naming the file (``--data-file``,
    ``MOCKXERO_DATA_FILE``, a config file, a CI service) keeps working unchanged: the path stays, its format
    changes. Crash-safe at every step: the SQLite file is built and committed beside the original, the
    original is copied to the backup and synced, and only then does one atomic rename put the new file in
    its place; a crash before the rename leaves the original where it was (and the next open migrates again).
    """
    temp = path.with_name(path.name + ".migrating")
    backup = _free_backup_path(path)
    backed_up = False
    try:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):  # an earlier migration that crashed
            leftover.unlink(missing_ok=True)
        # A rollback journal, not WAL, while building: once committed and closed the file is whole on its
        # own, so it can be renamed without a -wal file beside it.
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            _create_schema(db)
            db.execute("BEGIN IMMEDIATE")
            rows = (
                (position, table, key, _encode_row(record))
                for position, (table, key, record) in enumerate(
                    ((table, key, record) for table, records in layout.items() for key, record in records.items()),
                    start=1,
                )
            )
            db.executemany(_UPSERT, rows)
            db.execute("COMMIT")
        finally:
            db.close()
        shutil.copyfile(path, backup)
        backed_up = True
        with backup.open("rb+") as handle:
            os.fsync(handle.fileno())
        for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)  # cannot belong to a JSON file, and SQLite would read them as ours
        os.replace(temp, path)
        _sync_directory(path.parent)
    except (OSError, sqlite3.Error) as exc:
        temp.unlink(missing_ok=True)
        if backed_up:  # the original is still in its place, so its copy would only confuse
            backup.unlink(missing_ok=True)
        raise StoreFileError(f"cannot migrate data file {path} to SQLite ({exc}); it is left as it was") from exc
    return backup


def _connect(path: Path, read_only: bool) -> sqlite3.Connection | None:
    """An open, checked mockxero database at ``path`` (created when missing), or None for a read of nothing."""
    not_ours = f"{path} is not a mockxero data file"
    db: sqlite3.Connection | None = None
    try:
        if read_only:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, check_same_thread=False)
        db.isolation_level = None  # transactions are begun and committed explicitly
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            # new, or left empty by a crash while the schema was written: nothing in it to lose
            if read_only:
                db.close()
                return None
            _create_schema(db)
        elif not {"meta", "records"} <= tables:
            raise StoreFileError(f"{not_ours}: an SQLite database of something else; refusing to change it")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FILE_FORMAT:
            raise StoreFileError(f"{not_ours}: an SQLite database of something else; refusing to change it")
        version = int(meta.get("version", "0"))
        if version > FILE_VERSION:
            raise StoreFileError(
                f"{path} was written by a newer mockxero (data file version {version}, this one reads up to "
                f"{FILE_VERSION}); upgrade mockxero"
            )
        if not read_only:
            # Judged above before these: switching to WAL writes to the file, which a refused file must not see.
            # FULL syncs the log on every commit, so an acknowledged write survives a power cut, not only a
            # crash of the process (NORMAL's promise in WAL mode); WAL keeps that to one sequential append.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
    except StoreFileError:
        if db is not None:
            db.close()
        raise
    except (sqlite3.Error, ValueError) as exc:
        if db is not None:
            db.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT":
            raise StoreFileError(f"{path} is damaged ({exc}); refusing to use it") from exc
        raise StoreFileError(f"{not_ours}: {exc}") from exc
    return db


def _read_rows(db: sqlite3.Connection, path: Path) -> tuple[Layout, dict[str, dict[str, int]]]:
    """Every record of an open database, in insertion order, with its position; every bad row named at once."""
    tables: Layout = {}
    positions: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    try:
        for position, table, key, body in db.execute("SELECT position, tbl, key, body FROM records ORDER BY position"):
            try:
                record = _decode_row(body)
            except (ValueError, TypeError) as exc:
                problems.append(f"record {table}/{key}: {exc}")
                continue
            tables.setdefault(table, {})[key] = record
            positions.setdefault(table, {})[key] = position
    except sqlite3.Error as exc:
        raise StoreFileError(f"{path} is damaged ({exc}); refusing to use it") from exc
    if problems:
        raise StoreFileError(f"{path} is not a mockxero data file: " + "; ".join(problems))
    return tables, positions


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a book is read into memory, and back as it was afterwards.

    Reading a book makes millions of objects that all stay alive; each collection the allocations set off
    walks every one made so far, for nothing (records hold no cycles, and refcounting frees what is
    dropped). That was a third of the start-up on a book of 10 000 invoices. Pauses nest: an inner one
    leaves the collector off for the outer one (``mockxero serve`` holds one around the whole start)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- the store -----------------------------------------------------------------------------------------


class Store:
    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        """A store in memory, or kept in the data file at ``path`` (created when missing).

        A file in the older tinydb format is migrated to SQLite first (``backup`` then names the original's
        copy), unless ``read_only``: then it is read as it is, nothing on disk changes, and a commit that
        would write is refused.
        """
        self._lock = threading.RLock()
        self._tables: dict[str, dict[str, dict]] = {}
        self._positions: dict[str, dict[str, int]] = {}  # each record's row position in the file
        self._next_position = 1
        self._index_defs: dict[str, dict[str, IndexKey]] = {}
        # each table's entry of _index_defs, looked up once: every write asks for it (a dozen a create)
        self._table_defs: dict[str, dict[str, IndexKey]] = {}
        self._indexes: dict[str, dict[str, dict[Any, dict[str, None]]]] = {}
        self._undo: list[tuple[str, str, dict | None]] = []
        self._depth = 0
        self._dirty = False
        self._changed: dict[tuple[str, str], None] = {}  # (table, key) written since the last commit
        # Record writes ever made (rolled-back ones included): lets a caller tell whether anything was
        # written since it last looked, e.g. the test suite's ledger check after each test.
        self.write_count = 0
        self._path = Path(path) if path else None
        self._read_only = read_only
        self._db: sqlite3.Connection | None = None
        self.backup: Path | None = None
        self._held: Path | None = None  # this store's hold on the file (file_lock), when it may write
        if self._path is not None:
            if not read_only:
                try:
                    self._held = file_lock.acquire(self._path)
                except file_lock.FileInUse as exc:
                    raise StoreFileError(str(exc)) from None
            try:
                with collector_paused():
                    self._open(self._path)
            except BaseException:
                self._release()
                raise

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        """Close the data file: SQLite folds the write-ahead log into it, so the file alone holds the books.

        Reads still answer from memory afterwards; a commit that would write is refused (sqlite3 raises
        ``ProgrammingError`` on a closed connection), so nothing is silently kept in memory only.
        """
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._release()

    def _release(self) -> None:
        if self._held is not None:
            file_lock.release(self._held)
            self._held = None

    def _open(self, path: Path) -> None:
        kind = _file_kind(path)
        if kind == "new" and self._read_only:
            return  # nothing to read, and a reader creates nothing
        if kind == "tinydb":
            layout = read_tinydb_file(path)  # refused untouched if it is not ours
            if self._read_only:
                self._adopt(layout, {})
                return
            self.backup = _migrate_tinydb_file(path, layout)
        self._db = _connect(path, self._read_only)
        if self._db is not None:
            self._adopt(*_read_rows(self._db, path))

    def _adopt(self, tables: Layout, positions: dict[str, dict[str, int]]) -> None:
        self._tables = tables
        if not positions:  # read from a tinydb file: positions in file order
            numbers = itertools.count(1)
            positions = {table: {key: next(numbers) for key in rows} for table, rows in tables.items()}
        self._positions = positions
        self._next_position = 1 + max((max(keys.values(), default=0) for keys in positions.values()), default=0)
        for table in self._tables:
            self._rebuild_indexes(table)

    # -- indexes --

    def define_index(self, kind: str, name: str, key: IndexKey) -> None:
        """Index every table whose name ends in ``:<kind>`` by ``key(record)`` (``None`` is not indexed).

        A ``frozenset`` key indexes the record under each of its members (a journal under every account its
        lines touch), so one-to-many lookups stay indexed too.
        """
        with self._lock, collector_paused():
            self._index_defs.setdefault(kind, {})[name] = key
            self._table_defs.clear()  # a table of a kind that had no index yet was remembered with none
            for table, rows in self._tables.items():
                if _kind_of(table) != kind:
                    continue
                # only the new index is built: the table's others are already up to date
                index: dict[Any, dict[str, None]] = {}
                for record_key, record in rows.items():
                    _index_record(index, key, record_key, record)
                self._indexes.setdefault(table, {})[name] = index

    def _defs_for(self, table: str) -> dict[str, IndexKey]:
        defs = self._table_defs.get(table)
        if defs is None:
            defs = self._table_defs[table] = self._index_defs.setdefault(_kind_of(table), {})
        return defs

    def _rebuild_indexes(self, table: str) -> None:
        self._indexes[table] = {name: {} for name in self._defs_for(table)}
        for key, record in self._tables.get(table, {}).items():
            self._index_add(table, key, record)

    def _index_add(self, table: str, key: str, record: dict) -> None:
        defs = self._defs_for(table)
        if not defs:
            return
        indexes = self._indexes.get(table)
        if indexes is None:  # (built only for a table's first record: a fresh dict per write was waste)
            indexes = self._indexes[table] = {name: {} for name in defs}
        for name, key_fn in defs.items():
            _index_record(indexes.setdefault(name, {}), key_fn, key, record)

    def _index_remove(self, table: str, key: str, record: dict) -> None:
        defs = self._defs_for(table)
        indexes = self._indexes.get(table)
        if not defs or indexes is None:
            return
        for name, key_fn in defs.items():
            for value in _index_values(key_fn(record)):
                bucket = indexes.get(name, {}).get(value)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del indexes[name][value]

    # -- transactions --

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the store; roll back this block's changes if it raises. Nested blocks are savepoints."""
        with self._lock:
            mark = len(self._undo)
            self._depth += 1
            outermost = self._depth == 1
            try:
                yield self
                if outermost and self._dirty:
                    # Written before the undo log is dropped: if the file cannot be written, the block
                    # is rolled back too, so memory never holds what the file lacks.
                    self._commit()
            except BaseException:
                self._rollback_to(mark)
                if outermost:
                    self._dirty = False  # memory is back to what the file holds
                    self._changed.clear()
                raise
            finally:
                self._depth -= 1
                if outermost:
                    self._undo.clear()

    def _rollback_to(self, mark: int) -> None:
        while len(self._undo) > mark:
            table, key, previous = self._undo.pop()
            self._raw_set(table, key, previous)

    def _raw_set(self, table: str, key: str, record: dict | None) -> None:
        rows = self._tables.setdefault(table, {})
        old = rows.get(key)
        if old is not None:
            self._index_remove(table, key, old)
        if record is None:
            rows.pop(key, None)
            self._positions.get(table, {}).pop(key, None)
        else:
            if old is None:  # a new key goes to the end of the dict, so it gets the next position
                self._positions.setdefault(table, {})[key] = self._next_position
                self._next_position += 1
            rows[key] = record
            self._index_add(table, key, record)
        self._changed[(table, key)] = None
        self._dirty = True

    def _write(self, table: str, key: str, record: dict | None) -> None:
        if self._depth == 0:
            raise RuntimeError("store writes must happen inside store.transaction()")
        self._undo.append((table, key, self._tables.get(table, {}).get(key)))
        self._raw_set(table, key, record)
        self.write_count += 1

    # -- records --

    def get(self, table: str, key: str) -> dict | None:
        with self._lock:
            record = self._tables.get(table, {}).get(key)
            return clone(record) if record is not None else None

    def peek(self, table: str, key: str) -> dict | None:
        """The stored record itself, uncopied, for read-only filtering (like ``scan``). Never mutate it."""
        with self._lock:
            return self._tables.get(table, {}).get(key)

    def exists(self, table: str, key: str) -> bool:
        with self._lock:
            return key in self._tables.get(table, {})

    def put(self, table: str, key: str, record: dict, *, copy: bool = True) -> None:
        """Store a copy of ``record``. ``copy=False`` stores the record itself, for a record built only to be
        stored (a new journal): the caller hands it over and must never change it afterwards, as with
        ``peek``. A journal's copy was a twentieth of an invoice create."""
        with self._lock:
            self._write(table, key, clone(record) if copy else record)

    def delete(self, table: str, key: str) -> None:
        with self._lock:
            if key in self._tables.get(table, {}):
                self._write(table, key, None)

    def keys(self, table: str, index: str | None = None, value: Any = None) -> list[str]:
        """All keys in insertion order, or the keys whose ``index`` value equals ``value``."""
        with self._lock:
            if index is None:
                return list(self._tables.get(table, {}))
            if index not in self._defs_for(table):
                raise KeyError(f"no index {index!r} on {table}")
            return list(self._indexes.get(table, {}).get(index, {}).get(value, {}))

    def find(self, table: str, index: str, value: Any) -> list[dict]:
        with self._lock:
            rows = self._tables.get(table, {})
            return [clone(rows[key]) for key in self.keys(table, index, value)]

    def first(self, table: str, index: str, value: Any) -> dict | None:
        found = self.keys(table, index, value)
        return self.get(table, found[0]) if found else None

    def peek_find(self, table: str, index: str, value: Any) -> list[dict]:
        """``find`` without the copies, for read-only lookups (like ``scan``). Never mutate what it returns."""
        with self._lock:
            rows = self._tables.get(table, {})
            return [rows[key] for key in self.keys(table, index, value)]

    def peek_first(self, table: str, index: str, value: Any) -> dict | None:
        """``first`` without the copy, for read-only lookups. Never mutate what it returns."""
        with self._lock:
            found = self.keys(table, index, value)
            return self._tables.get(table, {}).get(found[0]) if found else None

    def scan(self, table: str) -> Iterator[dict]:
        """The stored records themselves, in insertion order. Read them; never mutate them."""
        # Not a generator: one that is abandoned half-way would keep holding the lock until collected.
        with self._lock:
            return iter(list(self._tables.get(table, {}).values()))

    def window(self, table: str, offset: int, limit: int) -> list[dict]:
        """The stored records at positions ``offset`` to ``offset + limit`` in insertion order, read-only.

        A page of an unfiltered list without copying the table: the cost is the position reached, not
        the size of the table.
        """
        with self._lock:
            rows = self._tables.get(table, {})
            return list(itertools.islice(rows.values(), max(offset, 0), max(offset, 0) + max(limit, 0)))

    def count(self, table: str) -> int:
        with self._lock:
            return len(self._tables.get(table, {}))

    def table_names(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [name for name in self._tables if name.startswith(prefix)]

    def drop_tables(self, prefix: str) -> None:
        """Delete every table whose name starts with ``prefix``, inside the current transaction."""
        with self._lock:
            for table in self.table_names(prefix):
                for key in list(self._tables[table]):
                    self._write(table, key, None)

    # -- snapshots and the data file --

    def export(self, prefix: str = "") -> dict[str, dict[str, Any]]:
        """A JSON-safe copy of the tables (tagged decimals and dates), for snapshots."""
        with self._lock:
            return {
                table: {key: encode_value(record) for key, record in rows.items()}
                for table, rows in self._tables.items()
                if table.startswith(prefix) and rows
            }

    def restore(self, snapshot: dict[str, dict[str, Any]], prefix: str = "") -> None:
        """Replace the tables under ``prefix`` with a snapshot's, inside the current transaction."""
        if not isinstance(snapshot, dict) or not all(isinstance(rows, dict) for rows in snapshot.values()):
            raise ValueError("a snapshot maps table names to objects of records")
        with self._lock:
            self.drop_tables(prefix)
            for table, rows in snapshot.items():
                if not table.startswith(prefix):
                    raise ValueError(f"table {table!r} is outside {prefix!r}")
                for key, record in rows.items():
                    if not isinstance(record, dict):
                        raise ValueError(f"record {table}/{key} is not an object")
                    self._write(table, key, decode_value(record))

    def _commit(self) -> None:
        """Write the rows this transaction changed, in one SQLite transaction; nothing else is touched."""
        if self._read_only:
            raise StoreFileError(f"{self._path} is open read-only; nothing was written")
        if self._db is None:
            self._changed.clear()
            self._dirty = False
            return
        upserts: list[tuple[int, str, str, str]] = []
        deletions: list[tuple[str, str]] = []
        for table, key in self._changed:
            record = self._tables.get(table, {}).get(key)
            if record is None:
                deletions.append((table, key))
            else:
                upserts.append((self._positions[table][key], table, key, _encode_row(record)))
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(_DELETE, deletions)
            db.executemany(_UPSERT, upserts)
            db.execute("COMMIT")
        except BaseException:
            try:
                if db.in_transaction:
                    db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # (a closed connection, a lost disk) the error that got us here is the one to report
            raise
        self._changed.clear()
        self._dirty = False


def _index_record(index: dict[Any, dict[str, None]], key_fn: IndexKey, key: str, record: dict) -> None:
    """File ``record`` (stored under ``key``) in ``index`` under each value ``key_fn`` gives it."""
    for value in _index_values(key_fn(record)):
        index.setdefault(value, {})[key] = None


def _index_values(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, frozenset):
        return tuple(value)
    return (value,)


def _kind_of(table: str) -> str:
    return table.rpartition(":")[2]


def table_name(namespace: str, kind: str) -> str:
    return f"{namespace}:{kind}"
