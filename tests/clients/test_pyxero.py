"""The community client pyxero, unmodified, against the served mock: it speaks XML bodies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
from xero import Xero
from xero.auth import OAuth2Credentials
from xero.exceptions import XeroBadRequest

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID


def exact(number) -> Decimal:
    """pyxero reads JSON numbers as floats; their shortest repr is the decimal the mock sent."""
    return Decimal(repr(number))


@pytest.fixture
def credentials(live_server, monkeypatch) -> OAuth2Credentials:
    # requests-oauthlib refuses plain http unless told the transport is local and trusted.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    token = requests.post(
        live_server + "/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
        timeout=10,
    ).json()
    credentials = OAuth2Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, token=token, tenant_id=DEFAULT_TENANT_ID)
    credentials.base_url = live_server  # the only change: where the API lives
    return credentials


@pytest.fixture
def pyxero(credentials) -> Xero:
    return Xero(credentials)


def test_tenants_are_listed_through_connections(credentials):
    tenants = credentials.get_tenants()
    assert [t["tenantId"] for t in tenants] == [DEFAULT_TENANT_ID]


def test_create_and_read_a_contact_over_xml(pyxero):
    created = pyxero.contacts.put({"Name": "Acme Ltd", "ContactNumber": "cus_1", "EmailAddress": "ap@acme.test"})
    assert created[0]["Name"] == "Acme Ltd"
    fetched = pyxero.contacts.get(created[0]["ContactID"])
    assert fetched[0]["EmailAddress"] == "ap@acme.test"
    assert fetched[0]["UpdatedDateUTC"].year >= 2026  # pyxero parsed the /Date(ms)/ form


def test_contact_validation_error_reaches_pyxero_as_bad_request(pyxero):
    pyxero.contacts.put({"Name": "Acme Ltd"})
    with pytest.raises(XeroBadRequest) as caught:
        pyxero.contacts.put({"Name": "Acme Ltd"})
    assert "already assigned to another contact" in str(caught.value)


def test_create_and_read_an_invoice_over_xml(pyxero):
    contact = pyxero.contacts.put({"Name": "Acme Ltd"})[0]
    created = pyxero.invoices.put(
        {
            "Type": "ACCREC",
            "Contact": {"ContactID": contact["ContactID"]},
            "Date": date(2026, 1, 15),
            "DueDate": date(2026, 2, 14),
            "Status": "AUTHORISED",
            "LineAmountTypes": "Exclusive",
            "LineItems": [
                {
                    "Description": "Pro plan",
                    "Quantity": Decimal("2"),
                    "UnitAmount": Decimal("49.95"),
                    "AccountCode": "200",
                    "TaxType": "OUTPUT2",
                },
                {
                    "Description": "Setup",
                    "Quantity": Decimal("1"),
                    "UnitAmount": Decimal("25.06"),
                    "AccountCode": "200",
                    "TaxType": "OUTPUT2",
                },
            ],
        }
    )[0]
    assert created["Status"] == "AUTHORISED"
    assert created["InvoiceNumber"] == "INV-0001"
    # 99.90 @ 15 % → 14.99 (14.985 rounds half-up), 25.06 → 3.76: tax per line, then summed
    assert [exact(created[k]) for k in ("SubTotal", "TotalTax", "Total")] == [
        Decimal("124.96"),
        Decimal("18.75"),
        Decimal("143.71"),
    ]
    fetched = pyxero.invoices.get(created["InvoiceID"])[0]
    assert [exact(line["LineAmount"]) for line in fetched["LineItems"]] == [Decimal("99.90"), Decimal("25.06")]
    assert fetched["Contact"]["Name"] == "Acme Ltd"
    assert fetched["DueDate"].date() == date(2026, 2, 14)


def test_invoice_rule_breaks_reach_pyxero_as_bad_request(pyxero):
    contact = pyxero.contacts.put({"Name": "Acme Ltd"})[0]
    invoice = {
        "Type": "ACCREC",
        "Contact": {"ContactID": contact["ContactID"]},
        "InvoiceNumber": "INV-9",
        "LineItems": [
            {"Description": "x", "Quantity": Decimal("1"), "UnitAmount": Decimal("10"), "AccountCode": "200"}
        ],
    }
    pyxero.invoices.put(invoice)
    with pytest.raises(XeroBadRequest) as caught:
        pyxero.invoices.put(invoice)
    assert "Invoice # must be unique." in str(caught.value)


def test_a_credit_note_allocation_sent_as_applied_amount_is_allocated(pyxero):
    # pyxero's put_allocation renames Amount to AppliedAmount and sends <Allocation> as XML.
    contact = pyxero.contacts.put({"Name": "Acme Ltd"})[0]
    line = {"Description": "Plan", "Quantity": Decimal("1"), "UnitAmount": Decimal("100.00"), "AccountCode": "200"}
    invoice = pyxero.invoices.put(
        {
            "Type": "ACCREC",
            "Contact": {"ContactID": contact["ContactID"]},
            "Date": date(2026, 1, 15),
            "DueDate": date(2026, 2, 14),
            "Status": "AUTHORISED",
            "LineAmountTypes": "NoTax",
            "LineItems": [line],
        }
    )[0]
    credit = pyxero.creditnotes.put(
        {
            "Type": "ACCRECCREDIT",
            "Contact": {"ContactID": contact["ContactID"]},
            "Date": date(2026, 1, 20),
            "Status": "AUTHORISED",
            "LineAmountTypes": "NoTax",
            "LineItems": [{**line, "UnitAmount": Decimal("30.00")}],
        }
    )[0]
    answer = pyxero.creditnotes.put_allocation(
        credit["CreditNoteID"],
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": Decimal("30.00"), "Date": date(2026, 1, 21)},
    )
    assert [exact(a["Amount"]) for a in answer["Allocations"]] == [Decimal("30.00")]
    assert exact(pyxero.invoices.get(invoice["InvoiceID"])[0]["AmountDue"]) == Decimal("70.00")
    assert pyxero.creditnotes.get(credit["CreditNoteID"])[0]["Status"] == "PAID"


def test_a_zero_applied_amount_is_still_refused_through_pyxero(pyxero):
    contact = pyxero.contacts.put({"Name": "Acme Ltd"})[0]
    line = {"Description": "Plan", "Quantity": Decimal("1"), "UnitAmount": Decimal("100.00"), "AccountCode": "200"}
    document = {"Contact": {"ContactID": contact["ContactID"]}, "Status": "AUTHORISED", "LineItems": [line]}
    invoice = pyxero.invoices.put({**document, "Type": "ACCREC", "DueDate": date(2026, 2, 14)})[0]
    credit = pyxero.creditnotes.put({**document, "Type": "ACCRECCREDIT"})[0]
    with pytest.raises(XeroBadRequest) as caught:
        pyxero.creditnotes.put_allocation(
            credit["CreditNoteID"],
            {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": Decimal("0"), "Date": date(2026, 1, 21)},
        )
    assert "The allocation amount must be greater than zero." in str(caught.value)


def test_an_overpayment_and_a_prepayment_received_and_read_back_over_xml(pyxero):
    transactions = pyxero.banktransactions.put(
        [
            {
                "Type": "RECEIVE-OVERPAYMENT",
                "Contact": {"Name": "Kowhai Florist"},
                "BankAccount": {"Code": "090"},
                "LineItems": [{"Description": "Paid twice", "UnitAmount": "40.00"}],
            },
            {
                "Type": "RECEIVE-PREPAYMENT",
                "Contact": {"Name": "Kowhai Florist"},
                "BankAccount": {"Code": "090"},
                "LineItems": [{"Description": "Deposit", "UnitAmount": "30.00", "AccountCode": "200"}],
            },
        ]
    )
    overpayment_id = transactions[0]["OverpaymentID"]
    (overpayment,) = pyxero.overpayments.all()
    assert overpayment["OverpaymentID"] == overpayment_id
    assert (overpayment["Type"], overpayment["Status"]) == ("RECEIVE-OVERPAYMENT", "AUTHORISED")
    assert exact(overpayment["RemainingCredit"]) == Decimal("40.00")
    (prepayment,) = pyxero.prepayments.get(transactions[1]["PrepaymentID"])
    assert exact(prepayment["Total"]) == Decimal("34.50")
    assert prepayment["LineItems"][0]["AccountCode"] == "200"
