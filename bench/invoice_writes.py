"""Benchmark: invoices created per second over HTTP, one per PUT and fifty per PUT.

The app is served by the embedded (waitress) server on a loopback port (as ``mockxero serve`` runs it) and
driven with ``requests`` through one keep-alive session, the way a sync client talks to it. Every invoice is
an approved sales invoice with two lines (one discounted), so each create prices the lines, numbers the
invoice, posts its journal and marks the contact. Rate limits are off (the point is the mock's own speed);
the request log stays on, as shipped.

The two shapes run in interleaved rounds so drift in the machine's load is shared out; the median round is
reported, as wall-clock invoices per second and as CPU milliseconds per invoice (this process's CPU time:
client, server and the ledger posting together), which is the figure to compare on a shared machine. The
book keeps growing through the run; ``--check`` runs the ledger check at the end. A script, not a test:

    python3 bench/invoice_writes.py                  # prints a markdown report
    python3 bench/invoice_writes.py --rounds 5 --singles 200 --batches 10
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import authorised_session, benchmark_app, machine, median, quiet_server_logs, stamp, timed, wire_invoice

from mockxero import wire
from mockxero.config import DEFAULT_TENANT_ID
from mockxero.ledger import validate_emulator
from mockxero.serving import EmbeddedServer

BATCH = 50


class Client:
    def __init__(self, base_url: str):
        self.base = base_url + "/api.xro/2.0"
        self.session = authorised_session(base_url)
        answer = self.session.put(
            self.base + "/Contacts", data='{"Contacts":[{"Name":"Harbour Cafe Ltd"}]}', timeout=30
        )
        answer.raise_for_status()
        self.contact_id = answer.json()["Contacts"][0]["ContactID"]

    def put_invoices(self, count: int) -> None:
        body = wire.dumps({"Invoices": [wire_invoice(self.contact_id) for _ in range(count)]})
        answer = self.session.put(self.base + "/Invoices", data=body, timeout=120)
        if answer.status_code != 200:
            raise SystemExit(f"PUT /Invoices answered {answer.status_code}: {answer.text[:500]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--singles", type=int, default=200, help="single-invoice PUTs per round")
    parser.add_argument("--batches", type=int, default=10, help=f"PUTs of {BATCH} invoices per round")
    parser.add_argument("--check", action="store_true", help="run the ledger check on the book at the end")
    args = parser.parse_args()

    quiet_server_logs()
    app = benchmark_app()
    rows: dict[str, tuple[list[float], list[float], int]] = {"single": ([], [], 0), "batch": ([], [], 0)}
    with EmbeddedServer(app) as server:
        client = Client(server.url)
        client.put_invoices(5)  # warm-up: first-request set-up is not what is measured
        for _ in range(args.rounds):
            for shape, calls, per_call in (("single", args.singles, 1), ("batch", args.batches, BATCH)):
                walls, cpus = timed(
                    lambda calls=calls, per_call=per_call: [client.put_invoices(per_call) for _ in range(calls)], 1
                )
                invoices = calls * per_call
                rate_list, cpu_list, _ = rows[shape]
                rate_list.append(invoices / walls[0])
                cpu_list.append(cpus[0] / invoices * 1000)
                rows[shape] = (rate_list, cpu_list, invoices)
        emulator = app.extensions["mockxero"]
        total = emulator.store.count(f"{DEFAULT_TENANT_ID}:Invoices")
        if args.check:
            errors = validate_emulator(emulator)
            assert not any(errors.values()), errors

    lines = [
        "## Invoice creates over HTTP (`bench/invoice_writes.py`)",
        "",
        f"- Date: {stamp()}",
        f"- Machine: {machine()}",
        f"- Command: `python3 bench/invoice_writes.py --rounds {args.rounds} --singles {args.singles} "
        f"--batches {args.batches}{' --check' if args.check else ''}`",
        f"- {args.rounds} interleaved rounds; median round shown; the book grew to {total} invoices",
        "",
        "| Request shape | Invoices per round | Invoices/s (wall, median) | CPU ms per invoice (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    labels = {"single": "one invoice per `PUT /Invoices`", "batch": f"{BATCH} invoices per `PUT /Invoices`"}
    for shape, (rates, cpus, invoices) in rows.items():
        lines.append(f"| {labels[shape]} | {invoices} | {median(rates):,.0f} | {median(cpus):.2f} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
