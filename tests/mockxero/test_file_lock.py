"""One process per data file: a second server is refused with the holder's id; a crash never leaves it locked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mockxero import file_lock
from mockxero.store import Store, StoreFileError

# Holds a store on the file named by argv[1] (after writing one record) until its stdin closes.
HOLDER = """
import sys
from mockxero.store import Store
store = Store(sys.argv[1])
with store.transaction():
    store.put("t:Things", "kept", {"Name": "written by the holder"})
print("ready", flush=True)
sys.stdin.read()
store.close()
"""

# Tries to open the file named by argv[1] for writing; prints what happened.
OPENER = """
import sys
from mockxero.store import Store, StoreFileError
try:
    Store(sys.argv[1]).close()
except StoreFileError as exc:
    print(exc)
    sys.exit(3)
print("opened")
"""


def in_use(path: Path, pid: int) -> str:
    return (
        f"{path} is in use by another mockxero (process {pid}): one server per data file, or each would write "
        "over the other's books. Stop it, or give this one another data file"
    )


@pytest.fixture
def holder(tmp_path):
    path = tmp_path / "books.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    yield path, process
    if process.poll() is None:
        process.kill()
    process.wait(30)
    for stream in (process.stdin, process.stdout):
        if stream is not None and not stream.closed:
            stream.close()


def open_elsewhere(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", OPENER, str(path)], capture_output=True, text=True, timeout=60)


def test_a_second_process_is_refused_with_the_holders_id_and_may_open_once_it_stops(holder):
    path, process = holder
    with pytest.raises(StoreFileError) as refused:
        Store(path)
    assert str(refused.value) == in_use(path, process.pid)
    process.communicate("", timeout=30)  # a clean stop
    assert process.returncode == 0
    store = Store(path)
    assert store.get("t:Things", "kept") == {"Name": "written by the holder"}
    store.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["books.sqlite"]  # the lock file went with it


def test_a_holder_killed_without_warning_leaves_the_file_free(holder):
    path, process = holder
    process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: the holder runs no clean-up
    process.wait(30)
    assert file_lock.lock_path(path).exists()  # left behind by the crash, and taken over below
    assert open_elsewhere(path).stdout == "opened\n"
    assert not file_lock.lock_path(path).exists()


def test_a_reader_reads_while_a_server_holds_the_file(holder):
    path, _ = holder
    reader = Store(path, read_only=True)  # what `mockxero ledger --data-file` opens
    assert reader.get("t:Things", "kept") == {"Name": "written by the holder"}
    reader.close()


def test_one_process_may_open_a_file_it_holds_twice_and_holds_it_until_the_last_store_closes(tmp_path):
    path = tmp_path / "books.sqlite"
    first, second = Store(path), Store(path)
    first.close()
    refused = open_elsewhere(path)
    assert (refused.returncode, refused.stdout) == (3, in_use(path, os.getpid()) + "\n")
    second.close()
    assert open_elsewhere(path).stdout == "opened\n"


def test_a_store_that_cannot_open_the_file_does_not_hold_it(tmp_path):
    path = tmp_path / "books.sqlite"
    path.write_bytes(b"not a database, and long enough to be read as one" * 4)
    with pytest.raises(StoreFileError):
        Store(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.sqlite"]
    assert open_elsewhere(path).returncode == 3  # refused for what the file is, not for a lock left held


def test_serve_refuses_a_data_file_another_server_holds(holder):
    path, process = holder
    served = subprocess.run(
        [sys.executable, "-m", "mockxero", "serve", "--port", "0", "--data-file", str(path)],
        capture_output=True,
        text=True,
        timeout=60,  # a server that started anyway would run until this ends the test as a failure
    )
    assert served.returncode == 1
    assert served.stderr.strip() == "Error: " + in_use(path, process.pid)


def test_a_lock_file_is_known_by_the_file_it_was_when_locked(tmp_path):
    key = tmp_path / "books.sqlite.lock"
    descriptor = os.open(key, os.O_RDWR | os.O_CREAT)
    try:
        assert file_lock._still_named(descriptor, key)
        key.unlink()
        assert not file_lock._still_named(descriptor, key)  # removed by its holder: start again
        key.write_text("made anew by another process")
        assert not file_lock._still_named(descriptor, key)
    finally:
        os.close(descriptor)
