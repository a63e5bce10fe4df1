"""/Overpayments and /Prepayments over HTTP: created through /BankTransactions, listed (where, order, paging,
If-Modified-Since, References), allocated and taken back, refunded through /Payments, and the errors Xero's
shapes carry (404 for an unknown credit, 400 ValidationException per element)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import D, create_bill, create_invoice, get_invoice, ok

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def credit(xero, clock, kind: str = "RECEIVE-OVERPAYMENT", amount: str = "50.00", **extra) -> dict:
    line = {"Description": "Paid ahead", "UnitAmount": amount, "AccountCode": "200"}
    body = {
        "Type": kind,
        "Contact": {"Name": extra.pop("contact", "Acme Ltd")},
        "BankAccount": {"Code": "090"},
        "Date": "2026-01-15",
        "LineItems": [line],
        **extra,
    }
    transaction = ok(xero.put("/BankTransactions", {"BankTransactions": [body]}), "BankTransactions")
    clock.advance(1)
    return transaction


def rejected(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert validation_messages(response) == list(messages)


def allocate(xero, path: str, invoice: dict, amount: str):
    body = {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": amount, "Date": "2026-01-16"}]}
    return xero.put(f"{path}/Allocations", body)


def test_a_bank_transaction_names_the_overpayment_it_created(xero, clock):
    transaction = credit(xero, clock)
    assert transaction["Type"] == "RECEIVE-OVERPAYMENT" and "PrepaymentID" not in transaction
    overpayment = ok(xero.get(f"/Overpayments/{transaction['OverpaymentID']}"), "Overpayments")
    assert overpayment["OverpaymentID"] == overpayment["ID"] == transaction["OverpaymentID"]
    assert (overpayment["Type"], overpayment["Status"], overpayment["RemainingCredit"]) == (
        "RECEIVE-OVERPAYMENT",
        "AUTHORISED",
        D("50.00"),
    )
    assert overpayment["LineItems"][0]["AccountCode"] == "610"
    assert overpayment["Contact"]["Name"] == "Acme Ltd"
    assert overpayment["Allocations"] == [] and overpayment["Payments"] == []
    assert "BankAccount" not in overpayment and "AmountDue" not in overpayment  # not Xero's fields


def test_a_bank_transaction_names_the_prepayment_it_created(xero, clock):
    transaction = credit(xero, clock, "RECEIVE-PREPAYMENT", "100.00")
    prepayment = ok(xero.get(f"/Prepayments/{transaction['PrepaymentID']}"), "Prepayments")
    assert (prepayment["Total"], prepayment["TotalTax"], prepayment["LineItems"][0]["AccountCode"]) == (
        D("115.00"),
        D("15.00"),
        "200",
    )
    assert "_HoldingAccountIDs" not in prepayment


@pytest.mark.parametrize("path", ["/Overpayments", "/Prepayments"])
def test_an_unknown_credit_is_not_found(xero, path):
    assert xero.get(f"{path}/{UNKNOWN}").status_code == 404
    assert xero.put(f"{path}/{UNKNOWN}/Allocations", {"Allocations": []}).status_code == 404
    assert xero.delete(f"{path}/{UNKNOWN}/Allocations/{UNKNOWN}").status_code == 404


@pytest.fixture
def overpayments(xero, clock):
    return [
        credit(xero, clock, amount="10.00"),
        credit(xero, clock, amount="30.00", contact="Beta Couriers", Reference="Second"),
        credit(xero, clock, "SPEND-OVERPAYMENT", "20.00", contact="Beta Couriers"),
    ]


def totals(response, collection: str = "Overpayments") -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [str(o["Total"]) for o in response.json[collection]]


def test_listing_where_order_and_paging(xero, overpayments):
    assert totals(xero.get("/Overpayments?where=" + quote('Type=="SPEND-OVERPAYMENT"'))) == ["20.00"]
    assert totals(xero.get("/Overpayments?where=" + quote('Contact.Name=="Beta Couriers"'))) == ["30.00", "20.00"]
    response = xero.get("/Overpayments?order=" + quote("Total DESC") + "&page=1&pageSize=2")
    assert totals(response) == ["30.00", "20.00"]
    assert response.json["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 3}


def test_listing_if_modified_since_and_references(xero, overpayments):
    assert totals(xero.get("/Overpayments", headers={"If-Modified-Since": "2026-01-15T09:00:01Z"})) == [
        "30.00",
        "20.00",
    ]
    assert totals(xero.get("/Overpayments?References=Second")) == ["30.00"]


def test_prepayments_are_listed_apart(xero, clock, overpayments):
    credit(xero, clock, "RECEIVE-PREPAYMENT", "40.00")
    assert totals(xero.get("/Prepayments"), "Prepayments") == ["46.00"]
    assert totals(xero.get("/Prepayments?where=" + quote('Status=="PAID"')), "Prepayments") == []


def test_an_overpayment_allocation_over_http_and_taken_back(xero, clock):
    overpayment_id = credit(xero, clock)["OverpaymentID"]
    invoice = create_invoice(xero)  # 115.00
    allocation = ok(allocate(xero, f"/Overpayments/{overpayment_id}", invoice, "50.00"), "Allocations")
    assert allocation["Overpayment"]["OverpaymentID"] == overpayment_id and "CreditNote" not in allocation
    assert allocation["Invoice"]["AmountDue"] == D("65.00")
    assert get_invoice(xero, invoice)["Overpayments"] == [
        {
            "OverpaymentID": overpayment_id,
            "ID": overpayment_id,
            "AppliedAmount": D("50.00"),
            "Date": "/Date(1768521600000+0000)/",
            "Total": D("50.00"),
        }
    ]
    assert ok(xero.get(f"/Overpayments/{overpayment_id}"), "Overpayments")["Status"] == "PAID"
    deleted = xero.delete(f"/Overpayments/{overpayment_id}/Allocations/{allocation['AllocationID']}")
    assert deleted.status_code == 200 and deleted.json["IsDeleted"] is True
    assert ok(xero.get(f"/Overpayments/{overpayment_id}"), "Overpayments")["RemainingCredit"] == D("50.00")


def test_an_allocation_beyond_the_credit_is_refused_per_element(xero, clock):
    overpayment_id = credit(xero, clock)["OverpaymentID"]
    rejected(
        allocate(xero, f"/Overpayments/{overpayment_id}", create_invoice(xero), "50.01"),
        "Overpayment cannot be allocated as amount is greater than amount outstanding",
    )
    prepayment_id = credit(xero, clock, "RECEIVE-PREPAYMENT", "10.00")["PrepaymentID"]
    rejected(
        allocate(xero, f"/Prepayments/{prepayment_id}", create_bill(xero), "1.00"),
        "Prepayment cannot be allocated to an incorrect invoice type",
    )


def test_a_prepayment_allocation_over_http(xero, clock):
    prepayment_id = credit(xero, clock, "RECEIVE-PREPAYMENT", "100.00")["PrepaymentID"]
    allocation = ok(allocate(xero, f"/Prepayments/{prepayment_id}", create_invoice(xero), "57.50"), "Allocations")
    assert allocation["Prepayment"]["RemainingCredit"] == D("57.50")
    journals = xero.get("/Journals").json["Journals"]
    assert [j["SourceType"] for j in journals if j["SourceID"] == allocation["AllocationID"]] == ["ARPREPAYMENT"]


def test_a_refund_names_the_overpayment_and_is_answered_with_it(xero, clock):
    overpayment_id = credit(xero, clock)["OverpaymentID"]
    body = {
        "Overpayment": {"OverpaymentID": overpayment_id},
        "Account": {"Code": "090"},
        "Date": "2026-01-20",
        "Amount": "20.00",
    }
    refund = ok(xero.put("/Payments", {"Payments": [body]}), "Payments")
    assert refund["PaymentType"] == "AROVERPAYMENTPAYMENT"
    assert refund["Overpayment"]["OverpaymentID"] == overpayment_id and "Invoice" not in refund
    assert refund["Overpayment"]["RemainingCredit"] == D("30.00")
    assert ok(xero.get(f"/Payments/{refund['PaymentID']}"), "Payments")["Overpayment"]["Payments"][0]["Amount"] == D(
        "20.00"
    )
    rejected(
        xero.put("/Payments", {"Payments": [{**body, "Amount": "30.01"}]}),
        "Payment amount exceeds the amount outstanding on this document",
    )


def test_a_refund_of_an_unknown_prepayment_is_refused(xero):
    body = {"Prepayment": {"PrepaymentID": UNKNOWN}, "Account": {"Code": "090"}, "Date": "2026-01-20", "Amount": "1"}
    rejected(
        xero.put("/Payments", {"Payments": [body]}),
        "An existing Prepayment with the specified PrepaymentID could not be found",
    )


def test_an_overpayment_with_two_lines_is_refused(xero):
    lines = [{"UnitAmount": "10.00"}, {"UnitAmount": "5.00"}]
    body = {
        "Type": "RECEIVE-OVERPAYMENT",
        "Contact": {"Name": "Acme"},
        "BankAccount": {"Code": "090"},
        "LineItems": lines,
    }
    rejected(
        xero.put("/BankTransactions", {"BankTransactions": [body]}), "An overpayment must have exactly one line item."
    )


def test_deleting_an_overpayments_bank_transaction_voids_it(xero, clock):
    transaction = credit(xero, clock)
    deleted = xero.post(f"/BankTransactions/{transaction['BankTransactionID']}", {"Status": "DELETED"})
    assert ok(deleted, "BankTransactions")["Status"] == "DELETED"
    assert ok(xero.get(f"/Overpayments/{transaction['OverpaymentID']}"), "Overpayments")["Status"] == "VOIDED"


def test_a_customers_prepayment_is_numbered_with_the_sales_invoices(xero, clock):
    first = create_invoice(xero)
    prepayment_id = credit(xero, clock, "RECEIVE-PREPAYMENT", "10.00")["PrepaymentID"]
    supplier = credit(xero, clock, "SPEND-PREPAYMENT", "10.00", contact="Beta Couriers")["PrepaymentID"]
    prepayment = ok(xero.get(f"/Prepayments/{prepayment_id}"), "Prepayments")
    assert first["InvoiceNumber"] == "INV-0001"
    assert prepayment["InvoiceNumber"] == prepayment["Reference"] == "INV-0002"
    assert create_invoice(xero)["InvoiceNumber"] == "INV-0003"
    assert "InvoiceNumber" not in ok(xero.get(f"/Prepayments/{supplier}"), "Prepayments")
    assert [p["PrepaymentID"] for p in xero.get("/Prepayments?InvoiceNumbers=INV-0002").json["Prepayments"]] == [
        prepayment_id
    ]
