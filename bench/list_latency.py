"""Benchmark: list and single-record latency against the number of invoices.

The book grows to 1k, 10k and 100k approved sales invoices (``bench/books.py``: built through the backend,
one store transaction per step) while the app is served over real HTTP by the embedded (waitress) server. At
each size a ``requests`` keep-alive session times:

* ``GET /Invoices?page=1``: the first page of 100 invoices with their line items;
* ``GET /Invoices?page=1&pageSize=10``: a short page, where what the request costs beyond dumping its rows
  shows most (a scan of the table would dominate it);
* ``GET /Invoices/{InvoiceID}``: one invoice by id, chosen at random;
* ``GET /Invoices?page=1&where=Status=="PAID"``: a filtered page, for contrast. A ``where`` must read
  every record (so must Xero's, which warns high-volume organisations to filter efficiently), so this one is
  expected to grow with the book; the first two should stay flat.

Median and 95th percentile latency (wall) and median CPU per request (this process: client and server) are
reported. A script, not a test:

    python3 bench/list_latency.py                       # 1k, 10k, 100k; a few minutes
    python3 bench/list_latency.py --sizes 1000 10000 --pages 20 --gets 100
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import Books, authorised_session, benchmark_app, machine, median, percentile, quiet_server_logs, stamp, timed

from mockxero.serving import EmbeddedServer

FILTERED = '/Invoices?page=1&where=Status=="PAID"'


def fetch(session: requests.Session, url: str, expect_rows: int | None = None) -> None:
    answer = session.get(url, timeout=120)
    if answer.status_code != 200:
        raise SystemExit(f"GET {url} answered {answer.status_code}: {answer.text[:300]}")
    if expect_rows is not None:
        rows = len(answer.json()["Invoices"])
        if rows != expect_rows:
            raise SystemExit(f"GET {url} listed {rows} invoices, expected {expect_rows}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--pages", type=int, default=30, help="timed GET /Invoices?page=1 (and pageSize=10) per size")
    parser.add_argument("--gets", type=int, default=200, help="timed GET /Invoices/{id} per size")
    parser.add_argument("--filtered", type=int, default=5, help="timed filtered pages per size")
    args = parser.parse_args()

    quiet_server_logs()
    books = Books(benchmark_app())
    chooser = random.Random(20260115)
    results = []
    with EmbeddedServer(books.app) as server:
        session = authorised_session(server.url)
        api = server.url + "/api.xro/2.0"
        for size in sorted(args.sizes):
            books.grow_to(size)
            ids = books.invoice_ids()
            for _ in range(5):  # warm-up: the first calls after a build pay for caches and the collector
                fetch(session, api + "/Invoices?page=1", expect_rows=100)
                fetch(session, f"{api}/Invoices/{chooser.choice(ids)}", expect_rows=1)
            measured = {
                "page": timed(lambda: fetch(session, api + "/Invoices?page=1", expect_rows=100), args.pages),
                "short": timed(
                    lambda: fetch(session, api + "/Invoices?page=1&pageSize=10", expect_rows=10), args.pages
                ),
                "one": timed(
                    lambda ids=ids: fetch(session, f"{api}/Invoices/{chooser.choice(ids)}", expect_rows=1), args.gets
                ),
                "filtered": timed(lambda: fetch(session, api + FILTERED, expect_rows=100), args.filtered),
            }
            results.append((size, measured))

    lines = [
        "## List and get latency against book size (`bench/list_latency.py`)",
        "",
        f"- Date: {stamp()}",
        f"- Machine: {machine()}",
        f"- Command: `python3 bench/list_latency.py --sizes {' '.join(map(str, sorted(args.sizes)))} "
        f"--pages {args.pages} --gets {args.gets} --filtered {args.filtered}`",
        "- Over HTTP (embedded waitress server, one keep-alive `requests` session); every answer is JSON with "
        "line items",
        "",
        "| Invoices | Request | Median ms (wall) | p95 ms (wall) | Median CPU ms |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    labels = {
        "page": "`GET /Invoices?page=1` (100 invoices)",
        "short": "`GET /Invoices?page=1&pageSize=10`",
        "one": "`GET /Invoices/{InvoiceID}`",
        "filtered": '`GET /Invoices?page=1&where=Status=="PAID"`',
    }
    for size, measured in results:
        for key, label in labels.items():
            walls, cpus = measured[key]
            lines.append(
                f"| {size:,} | {label} | {median(walls) * 1000:,.1f} | "
                f"{percentile(walls, 0.95) * 1000:,.1f} | {median(cpus) * 1000:,.1f} |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
