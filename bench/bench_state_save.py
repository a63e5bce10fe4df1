"""Benchmark: the cost of one state save (``StateStore.complete_write``) at 1 000 and 100 000 mapped objects.

The engine saves after every Xero call, so a save must not grow with the number of objects already mapped.
The state file is filled straight through sqlite3 with one ``executemany`` (filling is not what is measured),
then each save is one ``complete_write`` of a new record, timed one by one; the median and the 95th
percentile are reported. For contrast the same save is timed on tinydb's default JSON storage, which
rewrites the whole file on every change (a few saves only: each one costs the whole file). A script, not a
test:

    PYTHONPATH=. python bench/bench_state_save.py                  # 1k and 100k; well under two minutes
    PYTHONPATH=. python bench/bench_state_save.py --sizes 1000 10000 --saves 200
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tinydb import TinyDB

from syncer.refs import Kind, Ref
from syncer.state.store import Mapped, StateStore

TENANT = "bench-tenant"
FINGERPRINT = "0" * 64


def fill(path: Path, count: int) -> None:
    StateStore.open(path).close()
    db = sqlite3.connect(path)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = (
        (TENANT, "invoice", f"inv_{n}", f"00000000-0000-0000-0000-{n:012d}", "AUTHORISED", FINGERPRINT, 1, 0, now)
        for n in range(count)
    )
    with db:
        db.executemany("INSERT INTO mappings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()


def time_store_saves(path: Path, count: int, saves: int) -> list[float]:
    timings = []
    with StateStore.open(path) as state:
        assert len(state.held(TENANT)) == count
        for n in range(saves):
            ref = Ref(Kind.INVOICE, f"new_{n}")
            started = time.perf_counter()
            state.complete_write(TENANT, ref, Mapped(f"id-{n}", "AUTHORISED", FINGERPRINT))
            timings.append(time.perf_counter() - started)
    return timings


def time_tinydb_saves(path: Path, count: int, saves: int) -> list[float]:
    db = TinyDB(path)
    db.insert_multiple(
        {"kind": "invoice", "source_id": f"inv_{n}", "xero_id": f"id-{n}", "fingerprint": FINGERPRINT}
        for n in range(count)
    )
    timings = []
    for n in range(saves):
        started = time.perf_counter()
        db.insert({"kind": "invoice", "source_id": f"new_{n}", "xero_id": f"id-{n}", "fingerprint": FINGERPRINT})
        timings.append(time.perf_counter() - started)
    db.close()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--saves", type=int, default=500, help="complete_write calls timed at each size")
    parser.add_argument("--tinydb-saves", type=int, default=5, help="tinydb saves timed at each size (0: skip)")
    arguments = parser.parse_args()
    started = time.perf_counter()
    print(f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"- Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}, "
        f"CPython {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(f"- Command: `PYTHONPATH=. python {' '.join(sys.argv)}`")
    print()
    print("| storage | mapped objects | saves timed | median ms per save | p95 ms per save |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            path = Path(folder) / f"state-{size}.db"
            fill(path, size)
            timings = time_store_saves(path, size, arguments.saves)
            print(
                f"| StateStore (SQLite WAL, synchronous=FULL) | {size} | {len(timings)} | "
                f"{statistics.median(timings) * 1000:.3f} | {percentile(timings, 0.95) * 1000:.3f} |"
            )
            if arguments.tinydb_saves:
                timings = time_tinydb_saves(Path(folder) / f"tiny-{size}.json", size, arguments.tinydb_saves)
                print(
                    f"| tinydb default JSON storage | {size} | {len(timings)} | "
                    f"{statistics.median(timings) * 1000:.3f} | {percentile(timings, 0.95) * 1000:.3f} |"
                )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print()
    print(f"Wall time {time.perf_counter() - started:.1f} s; load average at the end {load}.")


if __name__ == "__main__":
    main()
