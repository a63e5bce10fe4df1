"""GET /BankTransfers through the shared listing: includeDeleted, where on the embedded accounts, order."""

from __future__ import annotations

from urllib.parse import quote

import pytest


def create(xero, clock, source: str, target: str, amount: str) -> dict:
    body = {"FromBankAccount": {"Code": source}, "ToBankAccount": {"Code": target}, "Amount": amount}
    response = xero.put("/BankTransfers", {"BankTransfers": [body]})
    assert response.status_code == 200, response.get_data(as_text=True)
    clock.advance(1)
    return response.json["BankTransfers"][0]


@pytest.fixture
def transfers(xero, clock):
    return [create(xero, clock, "090", "091", "50.00"), create(xero, clock, "091", "090", "20.00")]


def amounts(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [str(t["Amount"]) for t in response.json["BankTransfers"]]


def test_where_on_the_embedded_account_and_order(xero, transfers):
    name = transfers[0]["FromBankAccount"]["Name"]
    assert amounts(xero.get("/BankTransfers?where=" + quote(f'FromBankAccount.Name == "{name}"'))) == ["50.00"]
    assert amounts(xero.get("/BankTransfers?order=Amount")) == ["20.00", "50.00"]


def test_deleted_transfers_need_include_deleted(xero, transfers):
    transfer_id = transfers[0]["BankTransferID"]
    assert xero.post(f"/BankTransfers/{transfer_id}", {"Status": "DELETED"}).status_code == 200
    assert amounts(xero.get("/BankTransfers")) == ["20.00"]
    assert amounts(xero.get("/BankTransfers?includeDeleted=true&order=Amount%20DESC")) == ["50.00", "20.00"]


def test_transfers_are_not_paged(xero, transfers):
    response = xero.get("/BankTransfers?page=2&pageSize=1")
    assert amounts(response) == ["50.00", "20.00"]
    assert "pagination" not in response.json
