"""Benchmark: the processor instructions one invoice create costs, counted, so a change to the write path can
be judged on a shared machine whose timings move by a third from run to run.

Wall and CPU times of the same build on this project's benchmark machine vary by 15-30 % between runs
(bench/RESULTS.md), which hides any one cut of a few per cent. An instruction count does not move: the
script runs the app under valgrind's ``cachegrind`` (no cache simulation, so it only counts), once with the
creates and once without, and reports the difference per invoice. What it measures is the app's WSGI call
in process, with no socket and no server: a raw environ for ``PUT /Invoices`` carrying the benchmarks' two-
line invoice (``books.wire_invoice``), one per call and 50 per call, after a few warm-up calls.

With ``--peer`` the peer emulator ``localstack-xero`` (bench/peer_writes.py installs it) is counted the same
way: its WSGI app in process, run by its own virtual environment's Python, given the invoice bench/peer_writes.py
sends it. The peer computes no totals, keeps no ledger and enforces no rule, so its count is what parsing,
routing, storing and answering an invoice costs with no accounting at all.

Instructions are not time (a cold cache makes the same instructions slower, bench/idle_gap.py), but fewer
of them is what every cut of the write path aims at, and two builds compare exactly. Needs ``valgrind`` on
the PATH (Debian: ``apt-get install valgrind``). A script, not a test:

    python3 bench/instructions.py                    # prints a markdown report
    python3 bench/instructions.py --creates 60 --batches 6 --peer
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
from typing import Any

BENCH = Path(__file__).resolve().parent
# The children import nothing at the top but the standard library: the peer's child runs under the peer's
# own Python, which has neither mockxero nor its dependencies.
sys.path.insert(0, str(BENCH))

BATCH = 50
PEER_TENANT = "0b5e4a6e-2b1c-4f3a-9a55-1e2f3a4b5c6d"  # the peer checks neither tenant nor contact
WARM_UP_CALLS = 3
COUNT_LINE = re.compile(r"I\s+refs:\s+([\d,]+)")


class RawCreates:
    """``PUT /Invoices`` of ``body`` straight through a WSGI callable (what a server's worker calls)."""

    def __init__(self, app: Any, headers: dict[str, str], body: bytes) -> None:
        self.app = app
        self.headers = headers
        self.body = body

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


def mockxero_creates(per_call: int) -> RawCreates:
    """The benchmarks' app with a token and a contact, and a body of ``per_call`` invoices to that contact."""
    from books import benchmark_app, json_headers, token_form, wire_invoice

    from mockxero import wire

    app = benchmark_app()
    http = app.test_client()
    token = http.post("/connect/token", data=token_form()).get_json()["access_token"]
    headers = json_headers(token)
    answer = http.put("/api.xro/2.0/Contacts", data='{"Contacts":[{"Name":"Harbour Cafe Ltd"}]}', headers=headers)
    contact_id = answer.get_json()["Contacts"][0]["ContactID"]
    body = wire.dumps({"Invoices": [wire_invoice(contact_id) for _ in range(per_call)]}).encode()
    return RawCreates(app, headers, body)


def peer_creates(body_file: str) -> RawCreates:
    """The peer's WSGI app (what its ``xero-local`` serves) and the body bench/peer_writes.py sends it."""
    from xero_local.server import create_router  # type: ignore[import-not-found]  # the peer's, in its environment

    headers = {"Authorization": "Bearer any", "xero-tenant-id": PEER_TENANT, "Accept": "application/json"}
    return RawCreates(create_router().wsgi(), headers, Path(body_file).read_bytes())


def peer_body(per_call: int) -> bytes:
    from peer_writes import invoice

    from mockxero import wire

    return wire.dumps({"Invoices": [invoice(PEER_TENANT) for _ in range(per_call)]}).encode()


def child(server: str, per_call: int, calls: int, body_file: str) -> None:
    """Run inside valgrind: set up, warm up, then ``calls`` creates of ``per_call`` invoices."""
    creates = mockxero_creates(per_call) if server == "mockxero" else peer_creates(body_file)
    for _ in range(WARM_UP_CALLS + calls):
        creates.call()


def counted(python: str, server: str, per_call: int, calls: int, body_file: str) -> int:
    """Instructions of a child process that makes ``calls`` creates after its set-up and warm-up."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            f"--cachegrind-out-file={Path(scratch) / 'out'}",
            python,
            __file__,
            "--child",
            server,
            str(per_call),
            str(calls),
            body_file,
        ]
        # one hash seed for both runs, so set iteration and dict layout cost the same in each
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = COUNT_LINE.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_invoice(python: str, server: str, per_call: int, calls: int) -> int:
    """Instructions per invoice: the run with ``calls`` creates less the run with none, over the invoices."""
    with tempfile.TemporaryDirectory() as scratch:
        body_file = Path(scratch) / "body.json"
        if server == "localstack-xero":
            body_file.write_bytes(peer_body(per_call))
        runs = [counted(python, server, per_call, n, str(body_file)) for n in (calls, 0)]
    return round((runs[0] - runs[1]) / (per_call * calls))


def peer_python(peer_command: str | None) -> str:
    """The Python of the peer's virtual environment: beside its ``xero-local`` (installed if needed)."""
    from peer_writes import peer_command as find_peer

    executable = Path(find_peer(peer_command)[0])
    return str(executable.with_name("python.exe" if os.name == "nt" else "python"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=60, help="single-invoice creates counted (default 60)")
    parser.add_argument("--batches", type=int, default=6, help=f"{BATCH}-invoice creates counted (default 6)")
    parser.add_argument("--peer", action="store_true", help="count localstack-xero too (installed on first use)")
    parser.add_argument("--peer-command", help="the peer's xero-local executable (default: install it)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        server, per_call, calls, body_file = options.child
        child(server, int(per_call), int(calls), body_file)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/instructions.py needs valgrind on the PATH (Debian: apt-get install valgrind)")
    from books import machine, stamp

    servers = {"mockxero": sys.executable}
    if options.peer or options.peer_command:
        servers["localstack-xero"] = peer_python(options.peer_command)
    counts = {
        server: (per_invoice(python, server, 1, options.creates), per_invoice(python, server, BATCH, options.batches))
        for server, python in servers.items()
    }
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent
    ).stdout.strip()
    print("## Instructions per invoice create (`bench/instructions.py`)")
    print()
    print(f"- Date: {stamp()}; main at `{revision or 'unknown'}`")
    print(f"- Machine: {machine()}")
    peer_flag = ""
    if options.peer_command:
        peer_flag = f" --peer-command {options.peer_command}"
    elif options.peer:
        peer_flag = " --peer"
    print(
        f"- Command: `python3 bench/instructions.py --creates {options.creates} --batches {options.batches}{peer_flag}`"
    )
    print("- The app's WSGI call in process under valgrind's cachegrind (counting only), after set-up and")
    print(f"  {WARM_UP_CALLS} warm-up calls, less the same run without the creates")
    print()
    print("| Request shape | Server | instructions per invoice |")
    print("| --- | --- | ---: |")
    for index, shape in enumerate(("one invoice", f"{BATCH} invoices")):
        for server, shapes in counts.items():
            print(f"| {shape} per `PUT /Invoices` | {server} | {shapes[index]:,} |")
    if len(counts) > 1:
        print()
        for index, shape in enumerate(("Single creates", f"One `PUT` of {BATCH}")):
            ratio = counts["mockxero"][index] / counts["localstack-xero"][index]
            print(f"- {shape}: mockxero runs **{ratio:.2f}×** the peer's instructions per invoice.")


if __name__ == "__main__":
    main()
