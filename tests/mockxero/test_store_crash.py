"""kill -9 of a served ``mockxero serve --data-file`` under concurrent writers: every acknowledged write survives.

Each round starts the real server on the same data file, lets six writers create invoices, and sends SIGKILL
once enough creates have been acknowledged, while the writers are still sending. After the last round the
file must hold every invoice the server answered 200 for, and the ledger check must pass: nothing
half-written (an invoice without its journal, a journal without its invoice) reached the file.
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import requests

from mockxero.config import DEFAULT_TENANT_ID
from mockxero.store import Store
from tests.mockxero.cli.server_process import serve as serve_process

WRITERS = 6
ROUNDS = 3
ACKNOWLEDGED_BEFORE_KILL = 30  # per round: enough that the kill lands among writes in flight
SAFETY_TIMEOUT = 60  # seconds; only a server that stopped answering ever waits this long


def invoice(reference: str) -> dict:
    return {
        "Type": "ACCREC",
        "Contact": {"Name": "Crash Test Ltd"},
        "Date": "2026-01-15",
        "DueDate": "2026-02-14",
        "Status": "AUTHORISED",
        "Reference": reference,
        "LineItems": [
            {"Description": "Two lines", "Quantity": 3, "UnitAmount": "19.99", "AccountCode": "200"},
            {"Description": "to post", "Quantity": 1, "UnitAmount": "0.01", "AccountCode": "200"},
        ],
    }


def write_until_killed(
    url: str, headers: dict, round_number: int, acknowledged: dict, refusals: list, enough: threading.Event
) -> list[threading.Thread]:
    """Start six writers creating invoices until the server dies; ``enough`` is set once a round's target is met."""
    lock = threading.Lock()

    def writer(number: int) -> None:
        with requests.Session() as session:
            for sequence in range(10_000):
                reference = f"round {round_number} writer {number} #{sequence}"
                body = {"Invoices": [invoice(reference)]}
                try:
                    answer = session.put(url + "/api.xro/2.0/Invoices", json=body, headers=headers, timeout=30)
                except requests.RequestException:
                    return  # killed (refused, reset or cut mid-answer): this write was never acknowledged
                if answer.status_code != 200:
                    refusals.append(answer.text)
                    return
                created = json.loads(answer.text, parse_float=Decimal)["Invoices"][0]
                with lock:
                    acknowledged[created["InvoiceID"]] = (reference, created["Total"])
                    if sum(ref.startswith(f"round {round_number} ") for ref, _ in acknowledged.values()) >= (
                        ACKNOWLEDGED_BEFORE_KILL
                    ):
                        enough.set()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    return threads


def test_every_acknowledged_write_survives_kill_9_under_concurrent_writers(tmp_path):
    book = tmp_path / "books.sqlite"
    acknowledged: dict[str, tuple[str, Decimal]] = {}  # InvoiceID -> (Reference, Total) of each create answered 200
    refusals: list[str] = []  # any answer but 200 while the server lived
    for round_number in range(ROUNDS):
        with serve_process("--data-file", str(book), "--no-rate-limits") as server:
            headers = {
                "Authorization": f"Bearer {server.access_token()}",
                "xero-tenant-id": DEFAULT_TENANT_ID,
                "Accept": "application/json",
            }
            enough = threading.Event()
            threads = write_until_killed(server.url, headers, round_number, acknowledged, refusals, enough)
            assert enough.wait(SAFETY_TIMEOUT), "the writers did not get enough creates acknowledged"
            server.process.kill()  # SIGKILL: no handler runs, no file is closed
            server.process.wait(timeout=SAFETY_TIMEOUT)
            for thread in threads:
                thread.join(SAFETY_TIMEOUT)
                assert not thread.is_alive()
    assert refusals == []
    assert len(acknowledged) >= ROUNDS * ACKNOWLEDGED_BEFORE_KILL

    with serve_process("--data-file", str(book)) as server:
        ledger = requests.get(server.url + "/mock-api/ledger", timeout=30).json()
        assert server.stop()[0] == 0
    assert ledger["balanced"] is True, ledger["tenants"][0]["errors"]

    stored = Store(book, read_only=True)
    invoices = {row["InvoiceID"]: row for row in stored.scan(f"{DEFAULT_TENANT_ID}:Invoices")}
    missing = {invoice_id: ref for invoice_id, ref in acknowledged.items() if invoice_id not in invoices}
    assert missing == {}
    assert {i: (invoices[i]["Reference"], invoices[i]["Total"]) for i in acknowledged} == acknowledged
    assert {total for _, total in acknowledged.values()} == {Decimal("68.98")}  # 59.98 + GST 9.00 per line rounding
