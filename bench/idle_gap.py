"""Benchmark: what one invoice create costs hot, and what it costs when the processor was idle before it.

A served request never runs hot: between two requests the worker thread sleeps while the client reads the
answer and writes the next request, and the core it ran on idles or runs something else. This script runs
the same create in process (the app's WSGI callable through Flask's test client, no socket) in four ways,
round by round:

* **hot**: creates back to back, as a profiler or an in-process benchmark runs them;
* **after an idle gap**: the thread sleeps ``--gap`` seconds before each create (1 ms: about what a
  keep-alive client takes to read an answer and send the next request);
* **after a cache sweep**: the thread writes over ``--sweep-mb`` of memory before each create, as another
  process on the same core would;
* **both**.

Only the create is timed, as the thread's CPU time (``time.thread_time``), so the sleep and the sweep are
not counted; what moves is the price of the create's own instructions on a core whose caches and clock
have gone cold. The gap between hot and the others is the part of the served cost that no cut in the write
path's instruction count removes (bench/RESULTS.md, "A create hot and after an idle gap"). A script, not a
test:

    python3 bench/idle_gap.py                   # prints a markdown report
    python3 bench/idle_gap.py --rounds 7 --creates 400 --gap 0.001 --sweep-mb 8
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import benchmark_app, json_headers, machine, median, stamp, token_form, wire_invoice

from mockxero import wire

WAYS = ("hot", "after an idle gap", "after a cache sweep", "after both")


class InProcessClient:
    """Single two-line invoice creates through the app's WSGI callable, with a bearer token."""

    def __init__(self) -> None:
        self.http = benchmark_app().test_client()
        token = self.http.post("/connect/token", data=token_form()).get_json()["access_token"]
        self.headers = json_headers(token)
        answer = self.http.put(
            "/api.xro/2.0/Contacts", data='{"Contacts":[{"Name":"Harbour Cafe Ltd"}]}', headers=self.headers
        )
        contact_id = answer.get_json()["Contacts"][0]["ContactID"]
        self.body = wire.dumps({"Invoices": [wire_invoice(contact_id)]})

    def create(self) -> None:
        answer = self.http.put("/api.xro/2.0/Invoices", data=self.body, headers=self.headers)
        if answer.status_code != 200:
            raise SystemExit(f"PUT /Invoices answered {answer.status_code}: {answer.get_data(as_text=True)[:500]}")


def before_each(way: str, gap: float, sweep: bytearray) -> Callable[[], None]:
    """What runs (untimed) before each create of one way."""
    zeros = bytes(len(sweep) // 64)

    def idle() -> None:
        time.sleep(gap)

    def swept() -> None:
        sweep[::64] = zeros  # one write per 64-byte cache line

    def both() -> None:
        idle()
        swept()

    return {"hot": lambda: None, WAYS[1]: idle, WAYS[2]: swept, WAYS[3]: both}[way]


def microseconds_per_create(client: InProcessClient, creates: int, prepare: Callable[[], None]) -> float:
    spent = 0.0
    for _ in range(creates):
        prepare()
        started = time.thread_time()
        client.create()
        spent += time.thread_time() - started
    return spent / creates * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--creates", type=int, default=400, help="creates per way per round")
    parser.add_argument("--gap", type=float, default=0.001, help="seconds of sleep before each create")
    parser.add_argument("--sweep-mb", type=int, default=8, help="megabytes written over before each create")
    args = parser.parse_args()

    client = InProcessClient()
    sweep = bytearray(args.sweep_mb * 1024 * 1024)
    for _ in range(50):  # warm-up: first-request set-up is not what is measured
        client.create()
    measured: dict[str, list[float]] = {way: [] for way in WAYS}
    for round_number in range(args.rounds):
        order = WAYS if round_number % 2 == 0 else WAYS[::-1]
        for way in order:
            measured[way].append(microseconds_per_create(client, args.creates, before_each(way, args.gap, sweep)))
    print(report(args, measured))


def report(args: argparse.Namespace, measured: dict[str, list[float]]) -> str:
    hot = median(measured["hot"])
    lines = [
        "## A create hot and after an idle gap (`bench/idle_gap.py`)",
        "",
        f"- Date: {stamp()}",
        f"- Machine: {machine()}",
        f"- Command: `python3 bench/idle_gap.py --rounds {args.rounds} --creates {args.creates} "
        f"--gap {args.gap} --sweep-mb {args.sweep_mb}`",
        f"- One two-line invoice per `PUT /Invoices` through Flask's test client; the create's thread CPU "
        f"only; {args.rounds} rounds, the ways' order flipping every round; median round shown",
        "",
        "| Before each create | µs per create (thread CPU, median) | × hot |",
        "| --- | ---: | ---: |",
    ]
    for way in WAYS:
        value = median(measured[way])
        lines.append(f"| {way} | {value:,.0f} | {value / hot:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
