"""What the transaction benchmarks share: building big books fast, the machine they ran on, and timing.

Books are built by calling the backend directly inside one store transaction per growth step, so a
hundred thousand invoices take a minute instead of the half hour the HTTP path would. The invoices are
the ones the HTTP benchmark sends: a sales invoice with two lines (one discounted) at 15 % GST, approved;
every second one gets a payment into the bank account 090 (alternately the whole amount and a part).
"""

from __future__ import annotations

import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from mockxero import create_app
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, MockConfig

INVOICE_DATE = date(2026, 1, 15)
DUE_DATE = date(2026, 2, 14)
PAYMENT_DATE = date(2026, 1, 20)
PART_PAYMENT = Decimal("10.00")


def quiet_server_logs() -> None:
    """werkzeug logs every request at INFO; a benchmark would mostly measure its own terminal."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def benchmark_app(**settings):
    """An app for measuring: rate limits off (a benchmark makes thousands of calls a minute), tokens that
    outlive the run, every other setting as shipped (request log on, XML default, real clock)."""
    return create_app(MockConfig(rate_limits=False, token_ttl=86_400, **settings))


def invoice_lines() -> list[dict]:
    """2 × 50.00 and 1 × 40.00 less 10 %: 136.00 net, 156.40 with GST."""
    return [
        {
            "Description": "Espresso machine service",
            "Quantity": Decimal("2"),
            "UnitAmount": Decimal("50.00"),
            "AccountCode": "200",
            "TaxType": "OUTPUT2",
        },
        {
            "Description": "Descaling kit",
            "Quantity": Decimal("1"),
            "UnitAmount": Decimal("40.00"),
            "AccountCode": "200",
            "TaxType": "OUTPUT2",
            "DiscountRate": Decimal("10"),
        },
    ]


def wire_invoice(contact_id: str) -> dict:
    """The same invoice as a client sends it over HTTP (ISO dates; send it with ``mockxero.wire.dumps``,
    which writes the Decimals as JSON numbers)."""
    return {
        "Type": "ACCREC",
        "Contact": {"ContactID": contact_id},
        "Status": "AUTHORISED",
        "Date": INVOICE_DATE.isoformat(),
        "DueDate": DUE_DATE.isoformat(),
        "LineAmountTypes": "Exclusive",
        "LineItems": invoice_lines(),
    }


class Books:
    """One tenant's books, grown in steps through the backend."""

    def __init__(self, app=None):
        self.app = app or benchmark_app()
        self.emulator = self.app.extensions["mockxero"]
        self.backend = self.emulator.backend(DEFAULT_TENANT_ID)
        self.invoices = 0
        self.payments = 0
        with self.emulator.store.transaction():
            self.contact_id = self.backend.create_contact({"Name": "Harbour Cafe Ltd"})["ContactID"]

    def table(self, kind: str) -> str:
        return f"{DEFAULT_TENANT_ID}:{kind}"

    def count(self, kind: str) -> int:
        return self.emulator.store.count(self.table(kind))

    def grow_to(self, invoices: int) -> float:
        """Add invoices (and their payments) until the book holds ``invoices``; the seconds it took."""
        started = time.perf_counter()
        with self.emulator.store.transaction():
            while self.invoices < invoices:
                invoice = self.backend.create_invoice(
                    {
                        "Type": "ACCREC",
                        "Contact": {"ContactID": self.contact_id},
                        "Status": "AUTHORISED",
                        "Date": INVOICE_DATE,
                        "DueDate": DUE_DATE,
                        "LineAmountTypes": "Exclusive",
                        "LineItems": invoice_lines(),
                    }
                )
                if self.invoices % 2 == 0:
                    amount = invoice["Total"] if self.invoices % 4 == 0 else PART_PAYMENT
                    self.backend.create_payment(
                        {
                            "Invoice": {"InvoiceID": invoice["InvoiceID"]},
                            "Account": {"Code": "090"},
                            "Date": PAYMENT_DATE,
                            "Amount": amount,
                        }
                    )
                    self.payments += 1
                self.invoices += 1
        return time.perf_counter() - started

    def invoice_ids(self) -> list[str]:
        return self.emulator.store.keys(self.table("Invoices"))


def timed(action: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return walls, cpus


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def machine() -> str:
    """One line naming the machine, so numbers from different runs can be told apart."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.platform()}, {platform.python_implementation()} "
        f"{platform.python_version()}; load average at the end {load}"
    )


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def token_form() -> dict[str, str]:
    """The default app's client-credentials grant, as every benchmark asks ``/connect/token`` for a token."""
    return {"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


def json_headers(token: str) -> dict[str, str]:
    """A call on the default tenant with ``token``, sending and accepting JSON."""
    return {
        "Authorization": f"Bearer {token}",
        "xero-tenant-id": DEFAULT_TENANT_ID,
        "Accept": "application/json",
        "Content-Type": "application/json",
    }


def authorised_session(base_url: str) -> requests.Session:
    """A keep-alive session with the default app's client-credentials token and the default tenant, sending
    and accepting JSON: what every HTTP benchmark calls the emulator with."""
    session = requests.Session()
    token = session.post(base_url + "/connect/token", data=token_form(), timeout=30).json()["access_token"]
    session.headers.update(json_headers(token))
    return session
