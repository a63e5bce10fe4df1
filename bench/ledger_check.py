"""Benchmark: how the ledger check's time grows with the book.

Builds one tenant's books of growing size in process (bank transactions written through the backend, no
HTTP), then times ``mockxero.ledger.validate_emulator`` on each. The check is meant to be linear: one pass
over the journals and one over each kind of document, so the time per transaction should stay flat.
A script, not a test:

    python3 bench/ledger_check.py                  # prints a markdown table
    python3 bench/ledger_check.py --sizes 1000 10000 --write bench/results/ledger_check.md
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockxero import create_app
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.ledger import validate_emulator

SPEND = {
    "Type": "SPEND",
    "Contact": {"Name": "Acme"},
    "BankAccount": {"Code": "090"},
    "LineItems": [{"UnitAmount": Decimal("10.00"), "AccountCode": "429"}],
}


def grow(emulator, size: int) -> None:
    backend = emulator.backend(DEFAULT_TENANT_ID)
    table = f"{DEFAULT_TENANT_ID}:BankTransactions"
    with emulator.store.transaction():
        while emulator.store.count(table) < size:
            backend.create_bank_transaction(dict(SPEND))


def time_check(emulator, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        errors = validate_emulator(emulator)
        timings.append(time.perf_counter() - started)
        assert not any(errors.values()), errors
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", type=Path, help="also write the report to this file")
    args = parser.parse_args()

    emulator = create_app(MockConfig(clock=ManualClock(), testing=True)).extensions["mockxero"]
    lines = [
        "# Ledger check: time against book size",
        "",
        f"{datetime.date.today()} · {platform.python_implementation()} {platform.python_version()} · "
        f"{platform.machine()} · median of {args.rounds} rounds",
        "",
        "| bank transactions | journals | check (ms) | µs per transaction |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for size in sorted(args.sizes):
        grow(emulator, size)
        seconds = time_check(emulator, args.rounds)
        journals = emulator.store.count(f"{DEFAULT_TENANT_ID}:Journals")
        lines.append(f"| {size} | {journals} | {seconds * 1000:.1f} | {seconds / size * 1e6:.1f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
