"""Benchmark: the processor instructions one invoice create costs, counted, so a change to the write path can
be judged on a shared machine whose timings move by a third from run to run.

Wall and CPU times of the same build on this project's benchmark machine vary by 15-30 % between runs
(bench/RESULTS.md), which hides any one cut of a few per cent. An instruction count does not move: the
script runs the app under valgrind's ``cachegrind`` (no cache simulation, so it only counts), once with the
creates and once without, and reports the difference per invoice. What it measures is the app's WSGI call
in process, with no socket and no server: a raw environ for ``PUT /Invoices`` carrying the benchmarks' two-
line invoice (``books.wire_invoice``), one per call and 50 per call, after a few warm-up calls.

Instructions are not time (a cold cache makes the same instructions slower, bench/idle_gap.py), but fewer
of them is what every cut of the write path aims at, and two builds compare exactly. Needs ``valgrind`` on
the PATH (Debian: ``apt-get install valgrind``). A script, not a test:

    python3 bench/instructions.py                    # prints a markdown report
    python3 bench/instructions.py --creates 60 --batches 6
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import benchmark_app, json_headers, machine, stamp, token_form, wire_invoice

from mockxero import wire

BATCH = 50
WARM_UP_CALLS = 3
COUNT_LINE = re.compile(r"I\s+refs:\s+([\d,]+)")


class RawCreates:
    """``PUT /Invoices`` straight through the app's WSGI callable (what a server's worker calls)."""

    def __init__(self, per_call: int) -> None:
        self.app = benchmark_app()
        http = self.app.test_client()
        token = http.post("/connect/token", data=token_form()).get_json()["access_token"]
        self.headers = json_headers(token)
        answer = http.put(
            "/api.xro/2.0/Contacts", data='{"Contacts":[{"Name":"Harbour Cafe Ltd"}]}', headers=self.headers
        )
        contact_id = answer.get_json()["Contacts"][0]["ContactID"]
        self.body = wire.dumps({"Invoices": [wire_invoice(contact_id) for _ in range(per_call)]}).encode()

    def _environ(self) -> dict:
        environ = {
            "REQUEST_METHOD": "PUT",
            "PATH_INFO": "/api.xro/2.0/Invoices",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(self.body)),
            "CONTENT_TYPE": "application/json",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(self.body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            if name.lower() != "content-type":
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        return environ

    def call(self) -> None:
        statuses: list[str] = []
        answer = b"".join(self.app(self._environ(), lambda status, headers, exc_info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"PUT /Invoices answered {statuses[0]}: {answer[:500]!r}")


def child(per_call: int, calls: int) -> None:
    """Run inside valgrind: set up, warm up, then ``calls`` creates of ``per_call`` invoices."""
    creates = RawCreates(per_call)
    for _ in range(WARM_UP_CALLS + calls):
        creates.call()


def counted(per_call: int, calls: int) -> int:
    """Instructions of a child process that makes ``calls`` creates after its set-up and warm-up."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            f"--cachegrind-out-file={Path(scratch) / 'out'}",
            sys.executable,
            __file__,
            "--child",
            str(per_call),
            str(calls),
        ]
        # one hash seed for both runs, so set iteration and dict layout cost the same in each
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = COUNT_LINE.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_invoice(per_call: int, calls: int) -> int:
    """Instructions per invoice: the run with ``calls`` creates less the run with none, over the invoices."""
    return round((counted(per_call, calls) - counted(per_call, 0)) / (per_call * calls))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=60, help="single-invoice creates counted (default 60)")
    parser.add_argument("--batches", type=int, default=6, help=f"{BATCH}-invoice creates counted (default 6)")
    parser.add_argument("--child", nargs=2, type=int, metavar=("PER_CALL", "CALLS"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/instructions.py needs valgrind on the PATH (Debian: apt-get install valgrind)")
    single = per_invoice(1, options.creates)
    batched = per_invoice(BATCH, options.batches)
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    ).stdout.strip()
    print("## Instructions per invoice create (`bench/instructions.py`)")
    print()
    print(f"- Date: {stamp()}; main at `{revision or 'unknown'}`")
    print(f"- Machine: {machine()}")
    print(f"- Command: `python3 bench/instructions.py --creates {options.creates} --batches {options.batches}`")
    print("- The app's WSGI call in process under valgrind's cachegrind (counting only), after set-up and")
    print(f"  {WARM_UP_CALLS} warm-up calls, less a run without the creates subtracted")
    print()
    print("| Request shape | instructions per invoice |")
    print("| --- | ---: |")
    print(f"| one invoice per `PUT /Invoices` | {single:,} |")
    print(f"| {BATCH} invoices per `PUT /Invoices` | {batched:,} |")


if __name__ == "__main__":
    main()
