"""One process at a time on a data file: an OS lock on ``<data file>.lock``, held while the store is open.

Why: every server keeps its book in memory and writes only what its own transactions change. Two servers on
one file would each answer from their own copy and write over each other's rows: writes acknowledged by
one would be lost to readers of the other, and a ledger checked against either would be wrong. A second
process is refused at start-up instead, with the holder's process id.

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on a file beside the
data file, not on the data file itself: SQLite takes and drops its own locks on that one, and on POSIX
closing any handle of a file drops every ``fcntl`` lock the process holds on it. The OS releases the lock
when the process ends however it ends (kill -9 included), so a crash never leaves the file locked; the lock
file it leaves behind is taken over by the next process. A clean close removes the lock file, so a stopped
server leaves only the data file. Removing a lock file others may have open is safe because a process
that gets a lock then checks that the name still leads to the file it locked, and starts again if not.

Within one process the lock is shared by reference count, so code (and tests) may open a second store on a
file the process already holds; only other processes are kept out. Readers (``Store(read_only=True)``,
``mockxero ledger --data-file``) take no lock: SQLite's write-ahead log lets them read while a server writes.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

LOCK_SUFFIX = ".lock"


class FileInUse(Exception):
    """Another process holds the data file; ``holder`` is its process id when the lock file names it."""

    def __init__(self, path: Path, holder: int | None):
        self.path, self.holder = path, holder
        who = f"another mockxero (process {holder})" if holder else "another process"
        super().__init__(
            f"{path} is in use by {who}: one server per data file, or each would write over the other's "
            "books. Stop it, or give this one another data file"
        )


_guard = threading.Lock()
_held: dict[Path, tuple[int, int]] = {}  # lock file -> (its open descriptor, how many stores share it)


def lock_path(data_file: Path) -> Path:
    return data_file.with_name(data_file.name + LOCK_SUFFIX)


def acquire(data_file: Path) -> Path:
    """Hold the data file for this process (``FileInUse`` if another holds it); returns the key to release."""
    key = lock_path(data_file).resolve()
    with _guard:
        if key in _held:
            descriptor, count = _held[key]
            _held[key] = (descriptor, count + 1)
            return key
        key.parent.mkdir(parents=True, exist_ok=True)
        while True:
            descriptor = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                _lock(descriptor)
            except OSError:
                os.close(descriptor)
                raise FileInUse(data_file, _holder(key)) from None
            if _still_named(descriptor, key):
                break
            os.close(descriptor)  # its holder removed it as we locked it: lock the file now at that name
        _name_holder(descriptor)
        _held[key] = (descriptor, 1)
        return key


def release(key: Path) -> None:
    """Let go of one store's hold; the lock goes when the last store of this process lets go."""
    with _guard:
        if key not in _held:
            return
        descriptor, count = _held[key]
        if count > 1:
            _held[key] = (descriptor, count - 1)
            return
        del _held[key]
        if sys.platform == "win32":  # pragma: no cover - Windows cannot remove a file that is open
            os.close(descriptor)
            _remove(key)
        else:
            _remove(key)  # while still locked: whoever opens it next finds it gone and makes a new one
            os.close(descriptor)  # closing the descriptor releases the lock


def _remove(key: Path) -> None:
    try:
        key.unlink()
    except OSError:
        pass  # another process holds it now, or it is gone already: either way it is not ours to remove


def _still_named(descriptor: int, key: Path) -> bool:
    try:
        named = os.stat(key)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(descriptor: int) -> None:
        # A region past the pid's digits, so the holder's id stays readable to the process refused.
        os.lseek(descriptor, 64, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _name_holder(descriptor: int) -> None:
    """Write this process's id at the start of the lock file, for the message another process gets."""
    text = f"{os.getpid():<20}\n".encode()
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, text)


def _holder(key: Path) -> int | None:
    try:
        first = key.read_bytes()[:20].decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(first) if first.isdigit() else None
