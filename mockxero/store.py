"""The one place the emulator keeps state.

Layout: named tables (``"<tenant-id>:Invoices"``, ``"system:Tokens"``) of records keyed by id. Records are
plain dicts whose values are JSON types plus ``Decimal``, ``date`` and ``datetime``.

Why not tinydb's ``Table`` for the working set: it re-reads and rewrites the whole table on every insert and
answers every query with a scan, so a book of 100k invoices would make each write and each lookup O(n).
The store therefore keeps the working set in indexed dicts, and uses tinydb as the durable format: the data
file is a tinydb database (one tinydb table per store table) written through ``AtomicJSONStorage``, so
``TinyDB(path, storage=AtomicJSONStorage)`` opens it directly.

Guarantees:

* **Isolation.** Every request runs inside ``transaction()``, which holds one re-entrant lock, so the
  threaded dev server cannot interleave two writers and lose one of them.
* **No half-writes.** Changes are undo-logged; an exception inside a transaction (or a nested
  ``transaction()`` used as a savepoint) rolls back exactly what it changed, indexes included.
* **Durability.** With a data file, the outermost transaction that changed anything rewrites the file via a
  temp file, ``fsync`` and ``os.replace``: a crash mid-write leaves the previous file readable.
* **No aliasing.** ``get``/``find`` hand out copies and ``put`` stores a copy, so a caller mutating a
  record cannot change the book behind the store's back. ``scan`` yields the stored records themselves
  for read-only filtering, which keeps listing from copying the whole book.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

IndexKey = Callable[[dict], Any]


def clone(value: Any) -> Any:
    """Copy the containers of a record; the leaves (str, Decimal, date, ...) are immutable."""
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


def _decode_object(obj: dict) -> Any:
    if len(obj) == 1:
        ((tag, raw),) = obj.items()
        parse = _TAGS.get(tag)
        if parse is not None:
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
    return obj


def decode_value(value: Any) -> Any:
    """The inverse of ``encode_value`` for data that has already been parsed."""
    if isinstance(value, dict):
        return _decode_object({key: decode_value(item) for key, item in value.items()})
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    return value


class AtomicJSONStorage(Storage):
    """A tinydb storage that never leaves a torn file behind: write to a temp file, fsync, rename."""

    def __init__(self, path: str | os.PathLike, **_: Any):
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreFileError(f"cannot read data file {self.path}: {exc}") from exc
        if not text.strip():
            return None
        return json.loads(text, object_hook=_decode_object)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(encode_value(data), separators=(",", ":"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp:
                temp.write(payload)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            try:
                os.unlink(temp_name)
            except FileNotFoundError:
                pass
            raise
        try:  # make the rename itself durable where the platform allows it
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)

    def close(self) -> None:
        pass


class StoreFileError(RuntimeError):
    """The data file exists but is not a mockxero/tinydb database."""


# --- the store -----------------------------------------------------------------------------------------

_KEY_FIELD = "_key"  # where a record's key travels inside its tinydb document


class Store:
    def __init__(self, path: str | os.PathLike | None = None):
        self._lock = threading.RLock()
        self._tables: dict[str, dict[str, dict]] = {}
        self._index_defs: dict[str, dict[str, IndexKey]] = {}
        self._indexes: dict[str, dict[str, dict[Any, dict[str, None]]]] = {}
        self._undo: list[tuple[str, str, dict | None]] = []
        self._depth = 0
        self._dirty = False
        # Record writes ever made (rolled-back ones included): lets a caller tell whether anything was
        # written since it last looked, e.g. the test suite's ledger check after each test.
        self.write_count = 0
        self._storage = AtomicJSONStorage(path) if path else None
        if self._storage is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        return self._storage.path if self._storage else None

    # -- indexes --

    def define_index(self, kind: str, name: str, key: IndexKey) -> None:
        """Index every table whose name ends in ``:<kind>`` by ``key(record)`` (``None`` is not indexed).

        A ``frozenset`` key indexes the record under each of its members (a journal under every account its
        lines touch), so one-to-many lookups stay indexed too.
        """
        with self._lock:
            self._index_defs.setdefault(kind, {})[name] = key
            for table in self._tables:
                if _kind_of(table) == kind:
                    self._rebuild_indexes(table)

    def _defs_for(self, table: str) -> dict[str, IndexKey]:
        return self._index_defs.get(_kind_of(table), {})

    def _rebuild_indexes(self, table: str) -> None:
        self._indexes[table] = {name: {} for name in self._defs_for(table)}
        for key, record in self._tables.get(table, {}).items():
            self._index_add(table, key, record)

    def _index_add(self, table: str, key: str, record: dict) -> None:
        defs = self._defs_for(table)
        if not defs:
            return
        indexes = self._indexes.setdefault(table, {name: {} for name in defs})
        for name, key_fn in defs.items():
            for value in _index_values(key_fn(record)):
                indexes.setdefault(name, {}).setdefault(value, {})[key] = None

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
                    self._flush()
            except BaseException:
                self._rollback_to(mark)
                if outermost:
                    self._dirty = False  # memory is back to what the file holds
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
        else:
            rows[key] = record
            self._index_add(table, key, record)
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

    def put(self, table: str, key: str, record: dict) -> None:
        with self._lock:
            self._write(table, key, clone(record))

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

    def _flush(self) -> None:
        if self._storage is None:
            self._dirty = False
            return
        layout: dict[str, dict[str, Any]] = {}
        for table, rows in self._tables.items():
            if rows:
                layout[table] = {
                    str(number): {**record, _KEY_FIELD: key}
                    for number, (key, record) in enumerate(rows.items(), start=1)
                }
        self._storage.write(layout)
        self._dirty = False

    def _load(self) -> None:
        assert self._storage is not None
        path = self._storage.path
        try:
            layout = self._storage.read()
            if layout is None:
                return  # no file yet, or an empty one: a new book
            if not isinstance(layout, dict) or not all(
                isinstance(rows, dict) and all(isinstance(doc, dict) for doc in rows.values())
                for rows in layout.values()
            ):
                raise StoreFileError(
                    f"{path} is not a mockxero data file: expected tinydb's layout {{table: {{document id: document}}}}"
                )
            database = TinyDB(path, storage=AtomicJSONStorage)
            for table in database.tables():
                for document in database.table(table).all():
                    record = dict(document)
                    key = record.pop(_KEY_FIELD, None)
                    if not isinstance(key, str):
                        raise StoreFileError(f"{path} is not a mockxero data file: a record in {table!r} has no key")
                    self._tables.setdefault(table, {})[key] = record
        except StoreFileError:
            raise
        except (ValueError, TypeError, AttributeError, LookupError) as exc:  # JSONDecodeError is a ValueError
            raise StoreFileError(f"{path} is not a mockxero data file: {exc}") from exc
        for table in self._tables:
            self._rebuild_indexes(table)


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
