"""GET /BankTransactions through the shared listing: paging, where on the embedded contact and bank account."""

from __future__ import annotations

from urllib.parse import quote

import pytest


def create(xero, clock, contact: str, bank: str, amount: str, type_: str = "SPEND") -> dict:
    body = {
        "Type": type_,
        "Contact": {"Name": contact},
        "BankAccount": {"Code": bank},
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": amount, "AccountCode": "429"}],
    }
    response = xero.put("/BankTransactions", {"BankTransactions": [body]})
    assert response.status_code == 200, response.get_data(as_text=True)
    clock.advance(1)
    return response.json["BankTransactions"][0]


@pytest.fixture
def transactions(xero, clock):
    return [
        create(xero, clock, "Acme Supplies", "090", "10.00"),
        create(xero, clock, "Beta Couriers", "091", "20.00"),
        create(xero, clock, "Acme Supplies", "091", "30.00", "RECEIVE"),
    ]


def totals(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [str(t["Total"]) for t in response.json["BankTransactions"]]


def test_where_reads_the_embedded_contact_and_bank_account(xero, transactions):
    assert totals(xero.get("/BankTransactions?where=" + quote('Contact.Name == "acme supplies"'))) == ["11.50", "34.50"]
    assert totals(xero.get("/BankTransactions?where=" + quote('BankAccount.Code == "091" AND Type == "SPEND"'))) == [
        "23.00"
    ]


def test_where_follows_a_contact_rename(xero, transactions):
    contact_id = transactions[1]["Contact"]["ContactID"]
    assert xero.post(f"/Contacts/{contact_id}", {"Name": "Gamma Freight"}).status_code == 200
    assert totals(xero.get("/BankTransactions?where=" + quote('Contact.Name.StartsWith("Gamma")'))) == ["23.00"]


def test_order_and_paging(xero, transactions):
    response = xero.get("/BankTransactions?order=" + quote("Total DESC") + "&page=1&pageSize=2")
    assert totals(response) == ["34.50", "23.00"]
    assert response.json["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 3}


def test_if_modified_since(xero, transactions):
    assert totals(xero.get("/BankTransactions", headers={"If-Modified-Since": "2026-01-15T09:00:01Z"})) == [
        "23.00",
        "34.50",
    ]


def test_a_bad_where_is_a_query_parse_exception(xero, transactions):
    response = xero.get("/BankTransactions?where=" + quote("Total > "))
    assert response.status_code == 400
    assert response.json == {"ErrorNumber": 16, "Type": "QueryParseException", "Message": "Expression expected"}
