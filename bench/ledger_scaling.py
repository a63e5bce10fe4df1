"""Benchmark: the ledger check's time against the number of invoices, and the backend's write time.

One tenant's books grow to 1k, 10k and 100k approved sales invoices (every second one with a payment),
built through the backend inside one store transaction per step (``bench/books.py``). At each size
``mockxero.ledger.validate_emulator`` runs several times; the median is reported with the time per invoice,
which stays roughly constant when the check is linear (one pass over the journals, one over each kind of
document, lookups by id). The time per invoice of each growth step shows the write path does not slow
down as the book grows either. A script, not a test:

    python3 bench/ledger_scaling.py                      # 1k, 10k, 100k; a few minutes
    python3 bench/ledger_scaling.py --sizes 1000 10000 --rounds 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import Books, machine, median, stamp, timed

from mockxero.ledger import validate_emulator


def check(books: Books) -> None:
    errors = validate_emulator(books.emulator)
    assert not any(errors.values()), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    books = Books()
    rows = []
    previous = 0
    for size in sorted(args.sizes):
        build_seconds = books.grow_to(size)
        walls, cpus = timed(lambda: check(books), args.rounds)
        rows.append(
            (
                size,
                books.payments,
                books.count("Journals"),
                (build_seconds / (size - previous)) * 1e6,
                median(walls),
                median(cpus),
            )
        )
        previous = size

    lines = [
        "## Ledger check against book size (`bench/ledger_scaling.py`)",
        "",
        f"- Date: {stamp()}",
        f"- Machine: {machine()}",
        f"- Command: `python3 bench/ledger_scaling.py --sizes {' '.join(map(str, sorted(args.sizes)))} "
        f"--rounds {args.rounds}`",
        f"- Check: median of {args.rounds} runs of `validate_emulator` (wall and CPU); build: invoices (and their "
        "payments) written through the backend in one transaction per step",
        "",
        "| Invoices | Payments | Journals | Build µs per invoice | Check ms (wall) | Check ms (CPU) | "
        "Check µs per invoice (CPU) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, payments, journals, build_us, wall, cpu in rows:
        lines.append(
            f"| {size:,} | {payments:,} | {journals:,} | {build_us:,.0f} | {wall * 1000:,.0f} | "
            f"{cpu * 1000:,.0f} | {cpu / size * 1e6:.1f} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
