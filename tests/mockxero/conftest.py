"""Fixtures for the emulator's own tests: two tenants, two apps, each app connected to one tenant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockxero import create_app
from mockxero.config import DEFAULT_TENANT_ID, ClientConfig, MockConfig, TenantConfig
from tests.conftest import XeroTestClient, issue_token
from tests.mockxero.sdk_client import sdk  # noqa: F401  (the xero-python fixture, shared by the SDK tests)

TENANT_A = "a1a1a1a1-0000-4000-8000-00000000000a"
TENANT_B = "b2b2b2b2-0000-4000-8000-00000000000b"
CLIENT_A = ClientConfig(client_id="CLIENTA", client_secret="secret-a", name="App A", tenant_ids=(TENANT_A,))
CLIENT_B = ClientConfig(client_id="CLIENTB", client_secret="secret-b", name="App B", tenant_ids=(TENANT_B,))


@pytest.fixture
def two_tenant_app(clock):
    return create_app(
        MockConfig(
            clock=clock,
            testing=True,
            tenants=(TenantConfig(TENANT_A, "Alpha Ltd", "NZ"), TenantConfig(TENANT_B, "Beta Ltd", "GB")),
            clients=(CLIENT_A, CLIENT_B),
        )
    )


@pytest.fixture
def two_tenant_client(two_tenant_app):
    return two_tenant_app.test_client()


@pytest.fixture
def xero_a(two_tenant_client) -> XeroTestClient:
    """App A, calling tenant A."""
    token = issue_token(two_tenant_client, CLIENT_A.client_id, CLIENT_A.client_secret)
    return XeroTestClient(two_tenant_client, token, TENANT_A)


@pytest.fixture
def xero_b(two_tenant_client) -> XeroTestClient:
    """App B, calling tenant B."""
    token = issue_token(two_tenant_client, CLIENT_B.client_id, CLIENT_B.client_secret)
    return XeroTestClient(two_tenant_client, token, TENANT_B)


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
