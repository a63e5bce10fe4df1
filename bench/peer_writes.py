"""Benchmark: invoice creates over HTTP, mockxero against the peer emulator ``localstack-xero``, in one run.

Both emulators run as their own server processes on loopback ports, started the way a user starts them
(``mockxero serve`` and the peer's ``xero-local``), and one client drives both through a keep-alive
``requests`` session per server. Two request shapes, as in ``bench/invoice_writes.py``: one two-line
invoice per ``PUT /Invoices``, and 50 invoices in one ``PUT /Invoices``. The servers take turns shape by
shape and round by round (the order flips every round), so drift in the machine's load falls on both.

The peer computes no totals, keeps no ledger and enforces no rule; mockxero prices every line, numbers the
invoice, posts its journal and keeps every rule it keeps in normal use (request log on, request lines on
its stderr, rate limits off since a benchmark makes thousands of calls a minute). The invoice has a
discounted line with its ``LineAmount``, because the peer refuses a discount without one.

The peer is installed from the package index into its own virtual environment (a cache folder, so it never
touches this environment); ``--peer-command`` uses one you have. Reported per shape: the median round's
invoices per second for each server, mockxero's rate over the peer's (above 1 is faster), the median
seconds of one 50-invoice ``PUT`` for each and mockxero's time over the peer's (below 1 is faster), and the
CPU each server process spent per invoice (Linux only), which is steadier than wall time on a shared
machine. A script, not a test:

    python3 bench/peer_writes.py                         # installs the peer on first use, prints markdown
    python3 bench/peer_writes.py --rounds 7 --singles 300 --batches 10
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import authorised_session, machine, median, stamp, wire_invoice

from mockxero import wire

REPO_ROOT = Path(__file__).resolve().parent.parent
PEER_PACKAGE = "localstack-xero==0.1.2"  # pinned so runs on different days compare the same peer
PEER_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mockxero-bench" / "localstack-xero"
BATCH = 50
START_TIMEOUT = 60.0


def invoice(contact_id: str) -> dict:
    """The benchmarks' invoice (``books.wire_invoice``) with each line's LineAmount, which the peer requires
    on a discounted line (40.00 less 10 % is 36.00)."""
    body = wire_invoice(contact_id)
    for line in body["LineItems"]:
        gross = line["Quantity"] * line["UnitAmount"]
        line["LineAmount"] = (gross * (100 - line.get("DiscountRate", 0)) / 100).quantize(gross)
    return body


# --- the servers ----------------------------------------------------------------------------------------


def peer_command(given: str | None) -> list[str]:
    """The peer's ``xero-local`` command, installing the pinned release into the cache folder if needed."""
    if given:
        return [given]
    executable = PEER_HOME / ("Scripts" if os.name == "nt" else "bin") / "xero-local"
    if not executable.exists():
        print(f"installing {PEER_PACKAGE} into {PEER_HOME} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_HOME)], check=True)
        pip = PEER_HOME / ("Scripts" if os.name == "nt" else "bin") / "pip"
        subprocess.run([str(pip), "install", "--quiet", PEER_PACKAGE], check=True)
    return [str(executable)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listened on port {port} within {START_TIMEOUT:.0f} s")


@contextmanager
def peer_server(command: list[str], log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    environment = os.environ | {"XERO_PORT": str(port), "XERO_HOST": "127.0.0.1"}
    with log.open("w") as sink:
        process = subprocess.Popen(command, env=environment, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}", process
        finally:
            stop(process)


@contextmanager
def mock_server(log: Path, extra: list[str]) -> Iterator[tuple[str, subprocess.Popen]]:
    command = [sys.executable, "-m", "mockxero", "serve", "--port", "0", "--no-rate-limits", "--token-ttl", "86400"]
    environment = os.environ | {"PYTHONPATH": str(REPO_ROOT)}
    with log.open("w") as sink:  # its request lines go here, as they would to a log collector
        process = subprocess.Popen(
            [*command, *extra], env=environment, stdout=subprocess.PIPE, stderr=sink, text=True, cwd=REPO_ROOT
        )
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            found = re.search(r"serving at (http://\S+)", banner)
            if not found:
                raise SystemExit(f"mockxero serve did not start: {banner!r} (see {log})")
            yield found.group(1), process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def cpu_seconds(process: subprocess.Popen) -> float | None:
    """User plus system CPU the process has used, from /proc (None elsewhere)."""
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the clients ----------------------------------------------------------------------------------------


class Target:
    def __init__(self, name: str, base_url: str, process: subprocess.Popen, create_contact: str):
        self.name, self.process = name, process
        self.api = base_url + "/api.xro/2.0"
        self.session = authorised_session(base_url)
        # The peer creates contacts by POST only; Xero (and mockxero) take both.
        answer = self.session.request(
            create_contact, self.api + "/Contacts", data='{"Contacts":[{"Name":"Harbour Cafe Ltd"}]}', timeout=30
        )
        answer.raise_for_status()
        self.contact_id = answer.json()["Contacts"][0]["ContactID"]
        self.single_body = wire.dumps({"Invoices": [invoice(self.contact_id)]})
        self.batch_body = wire.dumps({"Invoices": [invoice(self.contact_id) for _ in range(BATCH)]})

    def put(self, body: str, expected: int) -> None:
        answer = self.session.put(self.api + "/Invoices", data=body, timeout=120)
        if answer.status_code != 200:
            raise SystemExit(f"{self.name}: PUT /Invoices answered {answer.status_code}: {answer.text[:500]}")
        if len(answer.json()["Invoices"]) != expected:
            raise SystemExit(f"{self.name}: PUT /Invoices did not create {expected} invoices")


class Measure:
    """Wall seconds and server CPU seconds per invoice, round by round, for one server and one shape."""

    def __init__(self) -> None:
        self.rates: list[float] = []
        self.call_seconds: list[float] = []
        self.cpu_ms: list[float] = []

    def run(self, target: Target, calls: int, per_call: int) -> None:
        body = target.single_body if per_call == 1 else target.batch_body
        cpu_before = cpu_seconds(target.process)
        started = time.perf_counter()
        for _ in range(calls):
            target.put(body, per_call)
        wall = time.perf_counter() - started
        cpu_after = cpu_seconds(target.process)
        self.rates.append(calls * per_call / wall)
        self.call_seconds.append(wall / calls)
        if cpu_before is not None and cpu_after is not None:
            self.cpu_ms.append((cpu_after - cpu_before) / (calls * per_call) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--singles", type=int, default=300, help="single-invoice PUTs per server per round")
    parser.add_argument("--batches", type=int, default=10, help=f"PUTs of {BATCH} invoices per server per round")
    parser.add_argument("--peer-command", help="the peer's xero-local executable (default: install it)")
    parser.add_argument("--mock-arg", action="append", default=[], help="an extra `mockxero serve` argument")
    args = parser.parse_args()

    command = peer_command(args.peer_command)
    logs = Path(tempfile.mkdtemp(prefix="peer-writes-"))
    measures: dict[tuple[str, str], Measure] = {}
    with (
        peer_server(command, logs / "peer.log") as (peer_url, peer_process),
        mock_server(logs / "mockxero.log", args.mock_arg) as (mock_url, mock_process),
    ):
        targets = [
            Target("localstack-xero", peer_url, peer_process, "POST"),
            Target("mockxero", mock_url, mock_process, "PUT"),
        ]
        for target in targets:  # warm-up: first-request set-up is not what is measured
            target.put(target.batch_body, BATCH)
            for _ in range(20):
                target.put(target.single_body, 1)
        for round_number in range(args.rounds):
            order = targets if round_number % 2 == 0 else targets[::-1]
            for shape, calls, per_call in (("single", args.singles, 1), ("batch", args.batches, BATCH)):
                for target in order:
                    measures.setdefault((target.name, shape), Measure()).run(target, calls, per_call)
    shutil.rmtree(logs, ignore_errors=True)
    print(report(args, measures))


def report(args: argparse.Namespace, measures: dict[tuple[str, str], Measure]) -> str:
    def figure(name: str, shape: str, pick: Callable[[Measure], list[float]]) -> float:
        values = pick(measures[(name, shape)])
        return median(values) if values else float("nan")

    mock, peer = "mockxero", "localstack-xero"
    single_ratio = figure(mock, "single", lambda m: m.rates) / figure(peer, "single", lambda m: m.rates)
    batch_ratio = figure(mock, "batch", lambda m: m.call_seconds) / figure(peer, "batch", lambda m: m.call_seconds)
    extra = f" --mock-arg {' --mock-arg '.join(args.mock_arg)}" if args.mock_arg else ""
    lines = [
        "## mockxero against localstack-xero, side by side (`bench/peer_writes.py`)",
        "",
        f"- Date: {stamp()}",
        f"- Machine: {machine()}",
        f"- Command: `python3 bench/peer_writes.py --rounds {args.rounds} --singles {args.singles} "
        f"--batches {args.batches}{extra}`",
        f"- Peer: {PEER_PACKAGE} (`xero-local`, werkzeug's development server); mockxero: `mockxero serve "
        "--no-rate-limits`; one keep-alive `requests` session per server; servers alternate round by round; "
        "median round shown",
        "",
        "| Request shape | Server | Invoices/s (wall, median) | s per `PUT` (median) | server CPU ms per invoice |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    labels = {"single": "one invoice per `PUT /Invoices`", "batch": f"{BATCH} invoices per `PUT /Invoices`"}
    for shape in ("single", "batch"):
        for name in (peer, mock):
            lines.append(
                f"| {labels[shape]} | {name} | {figure(name, shape, lambda m: m.rates):,.0f} | "
                f"{figure(name, shape, lambda m: m.call_seconds):.4f} | {figure(name, shape, lambda m: m.cpu_ms):.2f} |"
            )
    lines += [
        "",
        f"- Single creates: mockxero runs at **{single_ratio:.2f}×** the peer's rate (goal ≥ 1.00×).",
        f"- One `PUT` of {BATCH}: mockxero takes **{batch_ratio:.2f}×** the peer's time (goal ≤ 1.00×).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
