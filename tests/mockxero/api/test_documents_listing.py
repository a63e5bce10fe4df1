"""GET /Invoices, /CreditNotes and /Payments through the shared listing pipeline."""

from __future__ import annotations

from urllib.parse import quote

from tests.mockxero.documents_helpers import D, create_credit_note, create_invoice, line, pay


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [i.get("InvoiceNumber") for i in response.json["Invoices"]]


def test_where_and_order_on_invoices(xero):
    create_invoice(xero, Status="DRAFT")
    create_invoice(xero, LineItems=[line(Quantity=3)])
    create_invoice(xero)
    assert numbers(xero.get("/Invoices?where=" + quote('Status=="AUTHORISED"') + "&order=Total DESC")) == [
        "INV-0002",
        "INV-0003",
    ]


def test_explicit_invoice_parameters(xero):
    first = create_invoice(xero, Status="DRAFT", Reference="Website build")
    second = create_invoice(xero, Contact={"Name": "Other Co"})
    assert numbers(xero.get("/Invoices?Statuses=DRAFT")) == ["INV-0001"]
    assert numbers(xero.get("/Invoices?InvoiceNumbers=inv-0002")) == ["INV-0002"]
    assert numbers(xero.get(f"/Invoices?IDs={first['InvoiceID']}")) == ["INV-0001"]
    assert numbers(xero.get(f"/Invoices?ContactIDs={second['Contact']['ContactID']}")) == ["INV-0002"]
    assert numbers(xero.get("/Invoices?searchTerm=website")) == ["INV-0001"]


def test_where_on_the_contact_and_the_date(xero):
    create_invoice(xero, Date="2026-01-10")
    later = create_invoice(xero, Date="2026-02-10", Contact={"Name": "Other Co"})
    contact_id = later["Contact"]["ContactID"]
    assert numbers(xero.get("/Invoices?where=" + quote(f'Contact.ContactID==Guid("{contact_id}")'))) == ["INV-0002"]
    assert numbers(xero.get("/Invoices?where=" + quote("Date >= DateTime(2026, 02, 01)"))) == ["INV-0002"]


def test_paged_invoices_carry_pagination_and_line_items(xero):
    for _ in range(3):
        create_invoice(xero)
    page = xero.get("/Invoices?page=2&pageSize=2").json
    assert page["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 3}
    assert [i["InvoiceNumber"] for i in page["Invoices"]] == ["INV-0003"]
    assert page["Invoices"][0]["LineItems"][0]["LineAmount"] == D("100.00")
    assert "pagination" not in xero.get("/Invoices").json


def test_credit_notes_and_payments_list_through_the_pipeline(xero):
    invoice = create_invoice(xero)
    create_credit_note(xero, Status="DRAFT")
    create_credit_note(xero)
    pay(xero, invoice, "10.00")
    refund = pay(xero, create_credit_note(xero), "1.00")
    credit_notes = xero.get("/CreditNotes?where=" + quote('Status=="AUTHORISED"')).json["CreditNotes"]
    assert [c["CreditNoteNumber"] for c in credit_notes] == ["CN-0002", "CN-0003"]
    refunds = xero.get("/Payments?where=" + quote('PaymentType=="ARCREDITPAYMENT"')).json["Payments"]
    assert [p["PaymentID"] for p in refunds] == [refund["PaymentID"]]
    by_invoice = xero.get("/Payments?where=" + quote(f'Invoice.InvoiceID==Guid("{invoice["InvoiceID"]}")'))
    assert by_invoice.status_code == 200
    assert [p["Amount"] for p in by_invoice.json["Payments"]] == [D("10.00")]


def test_bad_where_is_a_query_parse_exception(xero):
    response = xero.get("/Invoices?where=" + quote("Total == "))
    assert response.status_code == 400
    assert response.json["Type"] == "QueryParseException"


def test_where_and_order_on_the_contact_name(xero):
    create_invoice(xero, Contact={"Name": "Zeta Ltd"})
    create_invoice(xero, Contact={"Name": "Alpha Ltd"})
    create_credit_note(xero, Contact={"Name": "Alpha Ltd"})
    assert numbers(xero.get("/Invoices?where=" + quote('Contact.Name=="alpha ltd"'))) == ["INV-0002"]
    assert numbers(xero.get("/Invoices?order=Contact.Name")) == ["INV-0002", "INV-0001"]
    credit_notes = xero.get("/CreditNotes?where=" + quote('Contact.Name.StartsWith("Alpha")')).json["CreditNotes"]
    assert [c["CreditNoteNumber"] for c in credit_notes] == ["CN-0001"]
