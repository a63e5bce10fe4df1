"""Benchmark: one single-invoice create over HTTP against ``mockxero serve --data-file`` at 1k, 10k, 100k invoices.

The question is whether a write costs more as the book grows (issue 8 measured the tinydb file at 74 ms per
create at 1 000 invoices and 1 s at 10 000, because every commit rewrote the whole file). For each size the
book is built in process, through the backend in one store transaction (every second invoice paid, as
``books.Books`` builds it), written to a fresh data file, and closed. Then the real ``mockxero serve
--data-file`` starts on that file in a subprocess (its start-up, which reads the whole book, is reported
too) and one keep-alive ``requests`` session times single two-line invoice creates one after another,
after a few unmeasured ones. The median and 95th percentile are reported, with the file's size. A script,
not a test:

    PYTHONPATH=. python bench/data_file.py                                   # 1k, 10k and 100k
    PYTHONPATH=. python bench/data_file.py --sizes 1000 10000 --creates 20   # a quicker look

The data file lives in a temporary folder (on this machine the same ext4 disk as the repository), so each
create pays a real fsync.
To measure another checkout's store the same way, copy this script into that checkout's ``bench/`` and run it
from that checkout's root (it uses only the store's and the backend's public interface).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import Books, authorised_session, benchmark_app, machine, median, percentile, stamp, wire_invoice

from mockxero import wire

WARM_UP = 3
START_TIMEOUT = 600  # seconds; reading 100k invoices takes a while, a hang does not


def build(path: Path, invoices: int) -> tuple[str, float]:
    """A data file holding ``invoices`` invoices; the contact to invoice and the seconds the build took."""
    started = time.perf_counter()
    books = Books(benchmark_app(data_file=str(path)))
    books.grow_to(invoices)
    close = getattr(books.emulator.store, "close", None)  # an older store has nothing to close
    if close is not None:
        close()
    return books.contact_id, time.perf_counter() - started


class Served:
    """``mockxero serve --data-file`` in a subprocess, on a free loopback port."""

    def __init__(self, path: Path):
        command = [sys.executable, "-m", "mockxero", "serve", "--port", "0", "--data-file", str(path)]
        command.append("--no-rate-limits")
        started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if "serving at" not in first:
            self.process.kill()
            raise SystemExit(f"mockxero serve did not start on {path}: {first!r}")
        self.url = first.split("serving at ", 1)[1].strip()
        for line in self.process.stdout:
            if line.startswith("Press Ctrl-C"):
                break
        self.start_seconds = time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=START_TIMEOUT)


def time_creates(url: str, contact_id: str, creates: int) -> list[float]:
    """Seconds of each of ``creates`` single-invoice ``PUT /Invoices``, after ``WARM_UP`` unmeasured ones."""
    session = authorised_session(url)
    body = wire.dumps({"Invoices": [wire_invoice(contact_id)]})
    timings = []
    for number in range(WARM_UP + creates):
        started = time.perf_counter()
        answer = session.put(url + "/api.xro/2.0/Invoices", data=body, timeout=120)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"PUT /Invoices answered {answer.status_code}: {answer.text[:500]}")
        if number >= WARM_UP:
            timings.append(elapsed)
    session.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--creates", type=int, default=50, help="single creates timed at each size")
    args = parser.parse_args()

    began = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mockxero-data-file-") as folder:
        for size in args.sizes:
            path = Path(folder) / f"books-{size}.sqlite"
            contact_id, build_seconds = build(path, size)
            file_bytes = sum(p.stat().st_size for p in Path(folder).iterdir() if p.name.startswith(path.name))
            server = Served(path)
            try:
                timings = time_creates(server.url, contact_id, args.creates)
            finally:
                server.stop()
            rows.append((size, file_bytes, build_seconds, server.start_seconds, timings))
            print(f"  {size} invoices done", file=sys.stderr)
            for leftover in Path(folder).iterdir():
                os.unlink(leftover)

    print("## One invoice create against book size on a data file (`bench/data_file.py`)\n")
    print(f"- Date: {stamp()}")
    print(f"- Machine: {machine()}, SQLite {sqlite3.sqlite_version}")
    print(
        f"- Command: `PYTHONPATH=. python bench/data_file.py --sizes {' '.join(map(str, args.sizes))} "
        f"--creates {args.creates}`\n"
    )
    print("| invoices stored | data file MB | build s | serve start-up s | creates timed | median ms | p95 ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, file_bytes, build_seconds, start_seconds, timings in rows:
        print(
            f"| {size:,} | {file_bytes / 1e6:.1f} | {build_seconds:.1f} | {start_seconds:.1f} | {len(timings)} | "
            f"{median(timings) * 1000:.1f} | {percentile(timings, 0.95) * 1000:.1f} |"
        )
    first, last = rows[0], rows[-1]
    if len(rows) > 1:
        ratio = median(last[4]) / median(first[4])
        print(f"\nMedian create at {last[0]:,} invoices / at {first[0]:,}: {ratio:.2f}× (issue 8's goal: within 2×).")
    print(f"Wall time {time.perf_counter() - began:.0f} s; load average at the end {machine_load()}.")


def machine_load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
