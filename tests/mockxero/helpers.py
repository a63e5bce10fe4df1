"""Plain helpers for the emulator's tests: the two-tenant set-up's ids and apps, and small book writers."""

from __future__ import annotations

from decimal import Decimal

from mockxero.config import DEFAULT_TENANT_ID, ClientConfig
from tests.helpers import XeroTestClient

TENANT_A = "a1a1a1a1-0000-4000-8000-00000000000a"
TENANT_B = "b2b2b2b2-0000-4000-8000-00000000000b"
CLIENT_A = ClientConfig(client_id="CLIENTA", client_secret="secret-a", name="App A", tenant_ids=(TENANT_A,))
CLIENT_B = ClientConfig(client_id="CLIENTB", client_secret="secret-b", name="App B", tenant_ids=(TENANT_B,))


def contact_names(xero: XeroTestClient) -> list[str]:
    response = xero.get("/Contacts")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [c["Name"] for c in response.json["Contacts"]]


def add_contact(xero: XeroTestClient, name: str) -> dict:
    response = xero.put("/Contacts", {"Contacts": [{"Name": name}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["Contacts"][0]


def add_spend(xero, amount="100.00"):
    """A SPEND from bank 090 to expenses 429, plus 15 % GST."""
    body = {
        "Type": "SPEND",
        "Contact": {"Name": "Acme"},
        "BankAccount": {"Code": "090"},
        "LineItems": [{"UnitAmount": amount, "AccountCode": "429"}],
    }
    response = xero.put("/BankTransactions", {"BankTransactions": [body]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["BankTransactions"][0]


def break_first_journal(emulator, tenant_id=DEFAULT_TENANT_ID):
    """Tamper with a stored journal the way a posting bug would: one line off by a cent."""
    table = f"{tenant_id}:Journals"
    with emulator.store.transaction():
        key = emulator.store.keys(table)[0]
        journal = emulator.store.get(table, key)
        journal["JournalLines"][0]["NetAmount"] += Decimal("0.01")
        emulator.store.put(table, key, journal)
