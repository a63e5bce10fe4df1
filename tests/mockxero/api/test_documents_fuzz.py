"""No input makes the invoice, credit note, allocation or payment endpoints answer 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mockxero.api.fuzz_values import nested_json
from tests.mockxero.documents_helpers import create_credit_note, create_invoice

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "090",
            "200",
            "429",
            "610",
            "970",
            "999",
            "ACCREC",
            "ACCPAY",
            "ACCRECCREDIT",
            "DRAFT",
            "SUBMITTED",
            "AUTHORISED",
            "PAID",
            "VOIDED",
            "DELETED",
            "Inclusive",
            "NoTax",
            "OUTPUT2",
            "INPUT2",
            "USD",
            "JPY",
            "12.345",
            "-1",
            "0",
            "100",
            "1e30",
            "1e-30",
            "NaN",
            "2026-02-30",
            "2026-01-20",
            "/Date(0)/",
            "INV-0001",
            "CN-0001",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
)
values = nested_json(
    scalars,
    [
        "Name",
        "ContactID",
        "ContactNumber",
        "InvoiceID",
        "InvoiceNumber",
        "CreditNoteID",
        "Code",
        "AccountID",
        "Quantity",
        "UnitAmount",
        "LineAmount",
        "AccountCode",
        "TaxType",
        "TaxAmount",
        "DiscountRate",
        "DiscountAmount",
        "ItemCode",
        "Description",
        "LineItemID",
    ],
    max_leaves=10,
)

DOCUMENT_FIELDS = [
    "Type",
    "Contact",
    "LineItems",
    "LineAmountTypes",
    "Date",
    "DueDate",
    "Status",
    "InvoiceNumber",
    "CreditNoteNumber",
    "Reference",
    "CurrencyCode",
    "CurrencyRate",
    "Total",
    "Allocations",
    "InvoiceID",
    "CreditNoteID",
]
PAYMENT_FIELDS = [
    "Invoice",
    "CreditNote",
    "InvoiceNumber",
    "CreditNoteNumber",
    "Account",
    "Code",
    "Date",
    "Amount",
    "CurrencyRate",
    "Reference",
    "IsReconciled",
    "Status",
]
ALLOCATION_FIELDS = ["Invoice", "Amount", "Date"]
GOOD = {
    "Type": "ACCREC",
    "Contact": {"Name": "Fuzz Ltd"},
    "DueDate": "2026-02-01",
    "Status": "AUTHORISED",
    "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": "10.00", "AccountCode": "200"}],
}


@pytest.fixture
def targets(xero, unlimited):
    return create_invoice(xero), create_credit_note(xero)


@st.composite
def writes(draw):
    kind = draw(st.sampled_from(["invoice", "credit", "payment", "allocation", "update", "delete-payment"]))
    if kind in ("invoice", "credit", "update"):
        element = draw(st.dictionaries(st.sampled_from(DOCUMENT_FIELDS), values, max_size=7))
        if draw(st.booleans()):
            element = {**GOOD, **element}
        return kind, element
    fields = PAYMENT_FIELDS if kind in ("payment", "delete-payment") else ALLOCATION_FIELDS
    element = draw(st.dictionaries(st.sampled_from(fields), values, max_size=4))
    if kind != "delete-payment" and draw(st.booleans()):
        element = {"Amount": "1.00", "Date": "2026-01-20", "Account": {"Code": "090"}, **element}
    return kind, element


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    write=writes(),
    query=st.sampled_from(["", "?summarizeErrors=false", "?unitdp=4"]),
    method=st.sampled_from(["PUT", "POST"]),
)
def test_no_document_write_answers_500(xero, targets, write, query, method):
    invoice, credit = targets
    kind, element = write
    if kind == "invoice":
        path, body = "/Invoices", {"Invoices": [element]}
    elif kind == "credit":
        if element.get("Type") in (None, "ACCREC"):
            element = {**element, "Type": "ACCRECCREDIT"}
        path, body = "/CreditNotes", {"CreditNotes": [element]}
    elif kind == "update":
        method, path, body = "POST", f"/Invoices/{invoice['InvoiceID']}", {"Invoices": [element]}
    elif kind == "payment":
        path, body = "/Payments", {"Payments": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, **element}]}
    elif kind == "allocation":
        element = {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, **element}
        method, path, body = "PUT", f"/CreditNotes/{credit['CreditNoteID']}/Allocations", {"Allocations": [element]}
    else:
        payment = xero.put(
            "/Payments",
            {
                "Payments": [
                    {
                        "Invoice": {"InvoiceID": invoice["InvoiceID"]},
                        "Account": {"Code": "090"},
                        "Date": "2026-01-20",
                        "Amount": "0.01",
                    }
                ]
            },
        )
        if payment.status_code != 200:
            return  # the invoice is no longer payable; nothing to delete
        method, path, body = "POST", f"/Payments/{payment.json['Payments'][0]['PaymentID']}", element
    response = xero._call(method, path + query, json=body)
    assert response.status_code < 500, response.get_data(as_text=True)


READS = [
    "/Invoices?where={0}",
    "/Invoices?order={0}",
    "/Invoices?page={0}&unitdp={0}",
    "/Invoices/{0}",
    "/Invoices?InvoiceNumbers={0}&Statuses={0}&IDs={0}",
    "/CreditNotes?where={0}",
    "/CreditNotes/{0}",
    "/Payments?where={0}&order={0}",
    "/Payments/{0}",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(READS),
    text=st.text(max_size=20)
    | st.sampled_from(
        ["-1", "99999999999999999999", "INV-0001", "Contact.Name", "Total>", "Contact.Name==null", "true"]
    ),
)
def test_no_document_read_answers_500(xero, targets, path, text):
    response = xero.get(path.format(quote(text, safe="")))
    assert response.status_code < 500, response.get_data(as_text=True)
