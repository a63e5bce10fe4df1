"""Benchmark: Xero calls per synced object, and the run's time at Xero's real limits.

Builds a book of N customers, each with one paid invoice, a card payment with its gateway fee, and payouts
of 50 payments each; syncs it with the engine (xero-sync's code path: client, state store, batches)
against the emulator on a loopback port with rate limits off; and counts the calls by kind. The time at
Xero's limits is computed from the calls made, at 60 calls a minute per tenant (the floor a run cannot
beat), since that is what a real organisation allows. A script, not a test:

    python3 bench/sync_calls.py --objects 1000
    python3 bench/sync_calls.py --objects 10000 --limits   # Xero's real limits, on a compressed clock

With ``--limits`` the emulator enforces Xero's limits (60 calls a minute, 5 in flight, 5,000 a day per
tenant) on a manual clock, and the engine's client waits on a fake clock that moves the emulator's in step:
nothing really sleeps, and the virtual time the run took is compared with the floor (calls ÷ 60 a minute).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from books import benchmark_app, machine, quiet_server_logs, stamp

from mockxero.app import create_app
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, MockConfig
from mockxero.serving import EmbeddedServer
from syncer.clock import FakeClock
from syncer.engine import apply, plan, read_org
from syncer.mapping.config import load_mapping_config
from syncer.source.model import (
    BillingBook,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineItemType,
    Payment,
    Payout,
    TaxMode,
)
from syncer.state.store import StateStore
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore

D = Decimal
MAPPING = Path(__file__).resolve().parents[1] / "contracts" / "examples" / "mapping.example.yaml"


def book(count: int) -> BillingBook:
    customers, invoices, payments, payouts = [], [], [], []
    for n in range(count):
        line = InvoiceLine(
            f"l{n}",
            LineItemType.STANDING_CHARGE,
            "Pro plan",
            D(1),
            D("100.00"),
            D("100.00"),
            tax_amount=D("15.00"),
            tax_code="gst",
        )
        customers.append(Customer(f"cus_{n}", f"Customer {n}"))
        invoices.append(
            Invoice(
                f"inv_{n}",
                f"cus_{n}",
                f"INV-{n:06d}",
                InvoiceStatus.PAID,
                "NZD",
                date(2024, 1, 31),
                date(2024, 2, 14),
                TaxMode.EXCLUSIVE,
                (line,),
                D("115.00"),
            )
        )
        payments.append(
            Payment(
                f"pay_{n}", f"inv_{n}", D("115.00"), "NZD", date(2024, 2, 1), fee=D("3.20"), payout_id=f"po_{n // 50}"
            )
        )
    for start in range(0, count, 50):
        settled = tuple(p.id for p in payments[start : start + 50])
        payouts.append(
            Payout(
                f"po_{start // 50}",
                "NZD",
                date(2024, 2, 3) + timedelta(days=start // 50),
                D("111.80") * len(settled),
                payment_ids=settled,
            )
        )
    return BillingBook(
        customers=tuple(customers), invoices=tuple(invoices), payments=tuple(payments), payouts=tuple(payouts)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1000, help="paid invoices (each with a customer and a payment)")
    parser.add_argument("--limits", action="store_true", help="Xero's real rate limits, on a compressed clock")
    args = parser.parse_args()
    quiet_server_logs()
    mock_clock = ManualClock()
    if args.limits:
        app = create_app(MockConfig(clock=mock_clock, token_ttl=86_400))
    else:
        app = benchmark_app()
    billing = book(args.objects)
    config = load_mapping_config(MAPPING)
    with EmbeddedServer(app) as server, tempfile.TemporaryDirectory() as scratch:
        clock = FakeClock(mock_clock.now(), on_advance=mock_clock.advance) if args.limits else FakeClock()
        session = requests.Session()
        auth = Authenticator(server.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), clock, session)
        client = XeroClient(server.url + "/api.xro/2.0", DEFAULT_TENANT_ID, auth, clock, session=session)
        started, virtual_start = time.perf_counter(), clock.now()
        with StateStore.open(Path(scratch) / "state.db") as state:
            planned = plan(billing, config, read_org(client), state.held(DEFAULT_TENANT_ID))
            report = apply(planned, client, state, DEFAULT_TENANT_ID)
        wall = time.perf_counter() - started
        virtual = (clock.now() - virtual_start).total_seconds()
    assert not report.failed, [o for o in report.outcomes if o[2] == "failed"][:3]
    rows = app.extensions["mockxero"].traffic.log.entries()
    calls = Counter(row["path"].removeprefix("/api.xro/2.0/").split("/")[0] for row in rows if row["method"] == "PUT")
    objects = Counter(str(kind) for kind, *_ in report.outcomes)
    total = client.calls
    print(f"## Calls per synced object (`bench/sync_calls.py`)\n\n- Date: {stamp()}\n- Machine: {machine()}")
    limits = " --limits" if args.limits else ""
    print(f"- Command: `python3 bench/sync_calls.py --objects {args.objects}{limits}`\n")
    print("| Xero object | objects | PUT calls | calls per object |\n| --- | ---: | ---: | ---: |")
    for kind, collection in [
        ("contact", "Contacts"),
        ("invoice", "Invoices"),
        ("payment", "Payments"),
        ("fee", "BankTransactions"),
        ("transfer", "BankTransfers"),
    ]:
        print(
            f"| {kind} ({collection}) | {objects[kind]} | {calls[collection]} | "
            f"{calls[collection] / max(objects[kind], 1):.3f} |"
        )
    floor = timedelta(minutes=total / 60)
    print(
        f"\n{total} calls in all (including {total - sum(calls.values())} reads of the organisation); "
        f"wall time against the emulator {wall:.1f} s. At Xero's 60 calls a minute per tenant the run needs "
        f"at least {floor.total_seconds() / 60:.1f} minutes; the day limit of 5,000 calls then allows about "
        f"{args.objects * 5000 / total:,.0f} paid invoices a day per organisation at this shape."
    )
    if args.limits:
        floor_seconds = floor.total_seconds()
        print(
            f"\nWith Xero's limits enforced by the emulator: the run took {virtual / 60:.1f} virtual minutes against "
            f"a floor of {floor_seconds / 60:.1f} ({(virtual / floor_seconds - 1) * 100:+.1f} %), with "
            f"{client.counts.retries} retries (429s met: "
            f"{sum(1 for row in rows if row.get('status') == 429)})."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
