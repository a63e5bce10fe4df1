"""/Invoices over HTTP: Xero's arithmetic, references, numbering and status machine, both directions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import (
    D,
    books,
    create_bill,
    create_invoice,
    get_invoice,
    invoice_body,
    line,
    ok,
    pay,
    put_record,
    set_account,
    update_invoice,
)


def rejected(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["ErrorNumber"] == 10
    assert validation_messages(response) == list(messages)


def put(xero, path: str = "/Invoices", **overrides):
    return xero.put(path, {"Invoices": [invoice_body(**overrides)]})


# --- arithmetic ----------------------------------------------------------------------------------------


def test_exclusive_tax_is_rounded_per_line_then_summed(xero):
    invoice = create_invoice(
        xero,
        LineItems=[
            line(UnitAmount=D("25.06")),
            line(UnitAmount=D("25.61")),
            line(UnitAmount=D("25.63")),
        ],
    )
    assert [li["TaxAmount"] for li in invoice["LineItems"]] == [D("3.76"), D("3.84"), D("3.84")]
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (D("76.30"), D("11.44"), D("87.74"))
    assert invoice["AmountDue"] == D("87.74")


def test_inclusive_line_splits_tax_out_of_the_line_amount(xero):
    invoice = create_invoice(xero, LineAmountTypes="Inclusive", LineItems=[line(UnitAmount=D("20.00"))])
    assert invoice["LineItems"][0]["LineAmount"] == D("20.00")
    assert invoice["LineItems"][0]["TaxAmount"] == D("2.61")
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (D("17.39"), D("2.61"), D("20.00"))


def test_no_tax_lines_carry_no_tax(xero):
    invoice = create_invoice(xero, LineAmountTypes="NoTax", LineItems=[line(Quantity=3, UnitAmount=D("9.99"))])
    assert invoice["LineItems"][0]["TaxAmount"] == D("0.00")
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (D("29.97"), D("0.00"), D("29.97"))


def test_line_amount_types_are_read_without_regard_to_case(xero):
    assert create_invoice(xero, LineAmountTypes="INCLUSIVE")["LineAmountTypes"] == "Inclusive"


def test_unknown_line_amount_type_is_post_data_invalid(xero):
    response = put(xero, LineAmountTypes="Gross")
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert "Invoices[0].LineAmountTypes" in response.json["Message"]


def test_discount_rate_reduces_the_line_before_tax(xero):
    invoice = create_invoice(xero, LineItems=[line(Quantity=2, UnitAmount=D("50.00"), DiscountRate=D("10"))])
    li = invoice["LineItems"][0]
    assert (li["LineAmount"], li["TaxAmount"]) == (D("90.00"), D("13.50"))
    assert (invoice["TotalDiscount"], invoice["IsDiscounted"], invoice["Total"]) == (D("10.00"), True, D("103.50"))


def test_discount_amount_reduces_the_line(xero):
    invoice = create_invoice(xero, LineItems=[line(Quantity=2, UnitAmount=D("50.00"), DiscountAmount=D("15.00"))])
    assert invoice["LineItems"][0]["LineAmount"] == D("85.00")
    assert invoice["TotalDiscount"] == D("15.00")


def test_undiscounted_invoice_is_not_discounted(xero):
    invoice = create_invoice(xero)
    assert (invoice["IsDiscounted"], invoice["TotalDiscount"]) == (False, D("0.00"))


def test_discounts_are_refused_on_bills(xero):
    response = xero.put(
        "/Invoices",
        {"Invoices": [invoice_body(Type="ACCPAY", LineItems=[line(AccountCode="429", DiscountRate=D("5"))])]},
    )
    rejected(response, "Discounts are only supported on ACCREC invoices.")


def test_a_line_cannot_have_both_kinds_of_discount(xero):
    response = put(xero, LineItems=[line(DiscountRate=D("5"), DiscountAmount=D("1.00"))])
    rejected(response, "A line item cannot have both a DiscountRate and a DiscountAmount.")


def test_discount_rate_over_100_is_refused(xero):
    rejected(put(xero, LineItems=[line(DiscountRate=D("120"))]), "DiscountRate must be between 0 and 100.")


def test_unit_amounts_are_rounded_to_two_places_half_up(xero):
    invoice = create_invoice(xero, LineItems=[line(Quantity=3, UnitAmount=D("10.125"))])
    assert invoice["LineItems"][0]["UnitAmount"] == D("10.13")
    assert invoice["LineItems"][0]["LineAmount"] == D("30.39")


def test_unitdp_4_keeps_four_decimal_unit_amounts(xero):
    response = xero.put(
        "/Invoices?unitdp=4", {"Invoices": [invoice_body(LineItems=[line(Quantity=3, UnitAmount=D("10.1255"))])]}
    )
    invoice = ok(response, "Invoices")
    assert invoice["LineItems"][0]["UnitAmount"] == D("10.1255")
    assert invoice["LineItems"][0]["LineAmount"] == D("30.38")  # 30.3765, line totals stay at 2 dp
    assert get_invoice(xero, invoice)["LineItems"][0]["UnitAmount"] == D("10.13")
    four = ok(xero.get(f"/Invoices/{invoice['InvoiceID']}?unitdp=4"), "Invoices")
    assert four["LineItems"][0]["UnitAmount"] == D("10.1255")


def test_totals_sent_by_the_client_are_ignored(xero):
    invoice = create_invoice(
        xero,
        SubTotal=D("1"),
        TotalTax=D("2"),
        Total=D("999.00"),
        AmountDue=D("5"),
        LineItems=[line(LineAmount=D("500.00"))],
    )
    assert (invoice["LineItems"][0]["LineAmount"], invoice["Total"], invoice["AmountDue"]) == (
        D("100.00"),
        D("115.00"),
        D("115.00"),
    )


def test_line_amount_alone_prices_one_unit(xero):
    invoice = create_invoice(xero, LineItems=[{"Description": "Fee", "LineAmount": D("45.50"), "AccountCode": "200"}])
    li = invoice["LineItems"][0]
    assert (li["Quantity"], li["UnitAmount"], li["LineAmount"]) == (D("1.0000"), D("45.50"), D("45.50"))


def test_description_only_line_is_allowed(xero):
    invoice = create_invoice(xero, LineItems=[line(), {"Description": "Thank you for your business"}])
    assert invoice["LineItems"][1]["LineAmount"] == D("0.00")
    assert invoice["Total"] == D("115.00")


def test_sent_tax_amount_overrides_the_computed_tax(xero):
    invoice = create_invoice(xero, LineItems=[line(TaxAmount=D("14.99"))])
    assert (invoice["TotalTax"], invoice["Total"]) == (D("14.99"), D("114.99"))


def test_tax_amount_greater_than_the_line_is_refused(xero):
    rejected(
        put(xero, LineItems=[line(TaxAmount=D("100.01"))]), "The tax amount cannot be greater than the line amount!"
    )


def test_negative_total_is_refused(xero):
    rejected(put(xero, LineItems=[line(UnitAmount=D("-1.00"))]), "The invoice total cannot be negative.")


def test_negative_line_is_allowed_when_the_total_is_not(xero):
    invoice = create_invoice(xero, LineItems=[line(), line(Description="Discount", UnitAmount=D("-20.00"))])
    assert invoice["SubTotal"] == D("80.00")


# --- items, accounts and tax types ---------------------------------------------------------------------


@pytest.fixture
def widget(emulator):
    item = {
        "ItemID": "5b9f7f2e-0000-4000-8000-000000000001",
        "Code": "WIDGET",
        "Name": "Widget",
        "Description": "A widget",
        "PurchaseDescription": "A widget, bought",
        "SalesDetails": {"UnitPrice": D("12.50"), "AccountCode": "260", "TaxType": "OUTPUT2"},
        "PurchaseDetails": {"UnitPrice": D("7.00"), "AccountCode": "310", "TaxType": "INPUT2"},
    }
    put_record(emulator, "Items", item["ItemID"], item)
    return item


def test_item_code_fills_a_sales_line_from_sales_details(xero, widget):
    invoice = create_invoice(xero, LineItems=[{"ItemCode": "WIDGET", "Quantity": 2}])
    li = invoice["LineItems"][0]
    assert (li["Description"], li["UnitAmount"], li["AccountCode"], li["TaxType"]) == (
        "A widget",
        D("12.50"),
        "260",
        "OUTPUT2",
    )
    assert li["LineAmount"] == D("25.00")
    assert li["Item"] == {"ItemID": widget["ItemID"], "Code": "WIDGET", "Name": "Widget"}


def test_item_code_fills_a_bill_line_from_purchase_details(xero, widget):
    bill = create_bill(xero, LineItems=[{"ItemCode": "widget", "Quantity": 1}])
    li = bill["LineItems"][0]
    assert (li["Description"], li["UnitAmount"], li["AccountCode"], li["TaxType"]) == (
        "A widget, bought",
        D("7.00"),
        "310",
        "INPUT2",
    )


def test_line_values_win_over_item_defaults(xero, widget):
    invoice = create_invoice(
        xero,
        LineItems=[
            {
                "ItemCode": "WIDGET",
                "Quantity": 1,
                "UnitAmount": D("11.00"),
                "Description": "Special",
                "AccountCode": "200",
            }
        ],
    )
    li = invoice["LineItems"][0]
    assert (li["Description"], li["UnitAmount"], li["AccountCode"]) == ("Special", D("11.00"), "200")


def test_unknown_item_code_is_refused(xero):
    rejected(put(xero, LineItems=[line(ItemCode="NOPE")]), "The Item with code 'NOPE' could not be found.")


def test_unknown_account_code_is_refused(xero):
    rejected(
        put(xero, LineItems=[line(AccountCode="476")]),
        "Account code '476' has been removed as it does not match a recognised account.",
    )


def test_account_can_be_named_by_account_id(xero, emulator):
    sales = books(emulator).account_by_code("200")
    invoice = create_invoice(
        xero, LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountID": sales["AccountID"]}]
    )
    assert invoice["LineItems"][0]["AccountCode"] == "200"


def test_unknown_account_id_is_refused(xero):
    rejected(
        put(
            xero,
            LineItems=[{"Description": "x", "UnitAmount": 10, "AccountID": "00000000-0000-0000-0000-0000000000aa"}],
        ),
        "AccountID '00000000-0000-0000-0000-0000000000aa' does not match a recognised account.",
    )


def test_archived_account_is_refused(xero, emulator):
    set_account(emulator, "260", Status="ARCHIVED")
    rejected(
        put(xero, LineItems=[line(AccountCode="260")]),
        "Account code '260' has been archived, or has been deleted. Each line item must reference a valid account.",
    )


@pytest.mark.parametrize("code", ["090", "610"])
def test_bank_and_control_accounts_are_not_valid_line_accounts(xero, code):
    rejected(
        put(xero, LineItems=[line(AccountCode=code)]), f"Account code '{code}' is not a valid code for this document"
    )


def test_approved_line_needs_an_account(xero):
    rejected(
        put(xero, LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 10}]), "Account code must be specified"
    )


def test_draft_line_may_leave_the_account_out(xero):
    invoice = create_invoice(xero, Status="DRAFT", LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 10}])
    assert invoice["Total"] == D("10.00")  # no account, so no default tax type either


def test_unknown_tax_type_is_refused(xero):
    rejected(
        put(xero, LineItems=[line(TaxType="GST on Income")]),
        "The TaxType code 'GST on Income' does not exist or cannot be used for this type of transaction.",
    )


def test_tax_type_that_cannot_apply_to_the_account_is_refused(xero):
    rejected(
        put(xero, LineItems=[line(TaxType="INPUT2")]),
        "The TaxType code 'INPUT2' cannot be used with account code '200'.",
    )


def test_line_tax_type_defaults_to_the_accounts(xero):
    assert create_invoice(xero)["LineItems"][0]["TaxType"] == "OUTPUT2"
    assert create_invoice(xero, LineItems=[line(TaxType="NONE")])["TotalTax"] == D("0.00")


# --- contact, currency, dates --------------------------------------------------------------------------


def test_missing_contact_is_refused(xero):
    body = invoice_body()
    del body["Contact"]
    rejected(
        xero.put("/Invoices", {"Invoices": [body]}),
        "The Contact must contain at least 1 of the following elements to identify the contact: "
        "Name, ContactID, ContactNumber",
    )


def test_unknown_contact_id_is_refused(xero):
    rejected(
        put(xero, Contact={"ContactID": "00000000-0000-0000-0000-0000000000bb"}),
        "The contact with ContactID '00000000-0000-0000-0000-0000000000bb' could not be found.",
    )


def test_contact_name_that_matches_nobody_creates_the_contact(xero):
    invoice = create_invoice(xero, Contact={"Name": "Brand New Ltd", "EmailAddress": "ap@new.test"})
    contact = ok(xero.get(f"/Contacts/{invoice['Contact']['ContactID']}"), "Contacts")
    assert (contact["Name"], contact["EmailAddress"], contact["IsCustomer"]) == ("Brand New Ltd", "ap@new.test", True)


def test_contact_name_that_matches_reuses_the_contact(xero):
    first = create_invoice(xero)
    second = create_invoice(xero, Contact={"Name": "ACME LTD"})
    assert second["Contact"]["ContactID"] == first["Contact"]["ContactID"]
    assert second["Contact"]["Name"] == "Acme Ltd"


def test_unknown_contact_number_without_a_name_cannot_create_a_contact(xero):
    rejected(put(xero, Contact={"ContactNumber": "cus_404"}), "Contact Name cannot be empty.")


def test_archived_contact_is_refused(xero):
    contact = ok(xero.put("/Contacts", {"Contacts": [{"Name": "Old Co"}]}), "Contacts")
    xero.post(f"/Contacts/{contact['ContactID']}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    rejected(
        put(xero, Contact={"ContactID": contact["ContactID"]}),
        "The contact with the specified contact details has been archived. "
        "The contact must be un-archived before creating new invoices or credit notes.",
    )


def test_bill_marks_its_contact_as_a_supplier(xero):
    bill = create_bill(xero, Contact={"Name": "Supplies Ltd"})
    contact = ok(xero.get(f"/Contacts/{bill['Contact']['ContactID']}"), "Contacts")
    assert (contact["IsSupplier"], contact["IsCustomer"]) == (True, False)


def test_embedded_contact_shows_the_current_name(xero):
    invoice = create_invoice(xero)
    xero.post(f"/Contacts/{invoice['Contact']['ContactID']}", {"Contacts": [{"Name": "Acme Holdings"}]})
    assert get_invoice(xero, invoice)["Contact"]["Name"] == "Acme Holdings"


def test_currency_defaults_to_the_base_currency(xero):
    invoice = create_invoice(xero)
    assert (invoice["CurrencyCode"], invoice["CurrencyRate"]) == ("NZD", D("1.000000"))


def test_enabled_foreign_currency_keeps_its_rate(xero):
    invoice = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.6123"))
    assert (invoice["CurrencyCode"], invoice["CurrencyRate"]) == ("USD", D("0.6123"))


def test_currency_that_is_not_enabled_is_refused(xero):
    rejected(put(xero, CurrencyCode="JPY"), "The currency code 'JPY' is not enabled for this organisation.")


def test_date_defaults_to_today(xero, clock):
    body = invoice_body()
    del body["Date"]
    invoice = ok(xero.put("/Invoices", {"Invoices": [body]}), "Invoices")
    assert invoice["DateString"] == clock.now().strftime("%Y-%m-%dT00:00:00")


@pytest.mark.parametrize("status", ["SUBMITTED", "AUTHORISED"])
def test_invoice_awaiting_approval_or_approved_needs_a_due_date(xero, status):
    body = invoice_body(Status=status)
    del body["DueDate"]
    rejected(xero.put("/Invoices", {"Invoices": [body]}), "The document DueDate field must be specified.")


def test_draft_may_leave_the_due_date_out_until_it_is_approved(xero):
    body = invoice_body(Status="DRAFT")
    del body["DueDate"]
    draft = ok(xero.put("/Invoices", {"Invoices": [body]}), "Invoices")
    assert "DueDate" not in draft
    rejected(update_invoice(xero, draft, Status="AUTHORISED"), "The document DueDate field must be specified.")
    assert (
        ok(update_invoice(xero, draft, Status="AUTHORISED", DueDate="2026-03-01"), "Invoices")["Status"] == "AUTHORISED"
    )


def test_reference_and_branding_theme_pass_through(xero):
    theme = "0a1b2c3d-0000-4000-8000-00000000beef"
    invoice = create_invoice(xero, Reference="PO-77", BrandingThemeID=theme, Url="https://billing.test/i/1")
    assert (invoice["Reference"], invoice["BrandingThemeID"], invoice["Url"]) == (
        "PO-77",
        theme,
        "https://billing.test/i/1",
    )


# --- type, lines, numbers ------------------------------------------------------------------------------


def test_missing_type_is_refused(xero):
    body = invoice_body()
    del body["Type"]
    rejected(xero.put("/Invoices", {"Invoices": [body]}), "Invoice Type must be specified")


def test_credit_note_type_is_refused_on_invoices(xero):
    rejected(put(xero, Type="ACCRECCREDIT"), "Invoice Type must be ACCREC or ACCPAY")


def test_invoice_needs_line_items(xero):
    rejected(put(xero, LineItems=[]), "One or more line items must be specified")


def test_sales_invoices_are_numbered_in_sequence(xero):
    assert [create_invoice(xero)["InvoiceNumber"] for _ in range(2)] == ["INV-0001", "INV-0002"]


def test_generated_numbers_skip_numbers_already_used(xero):
    create_invoice(xero, InvoiceNumber="INV-0001")
    assert create_invoice(xero)["InvoiceNumber"] == "INV-0002"


def test_duplicate_sales_invoice_number_is_refused(xero):
    create_invoice(xero, InvoiceNumber="A-1")
    rejected(put(xero, InvoiceNumber="a-1"), "Invoice # must be unique.")


def test_post_without_an_id_creates_and_so_refuses_a_number_in_use(xero):
    create_invoice(xero, InvoiceNumber="A-1")
    rejected(xero.post("/Invoices", {"Invoices": [invoice_body(InvoiceNumber="A-1")]}), "Invoice # must be unique.")


def test_number_of_a_deleted_invoice_can_be_reused(xero):
    draft = create_invoice(xero, InvoiceNumber="A-1", Status="DRAFT")
    ok(update_invoice(xero, draft, Status="DELETED"), "Invoices")
    assert create_invoice(xero, InvoiceNumber="A-1")["InvoiceNumber"] == "A-1"


def test_bill_numbers_are_neither_generated_nor_unique(xero):
    assert "InvoiceNumber" not in create_bill(xero)
    first = create_bill(xero, InvoiceNumber="SUP-9")
    second = create_bill(xero, InvoiceNumber="SUP-9")
    assert first["InvoiceID"] != second["InvoiceID"]


# --- reading -------------------------------------------------------------------------------------------


def test_get_by_id_and_by_number(xero):
    invoice = create_invoice(xero)
    by_number = ok(xero.get("/Invoices/INV-0001"), "Invoices")
    assert by_number["InvoiceID"] == invoice["InvoiceID"]
    assert get_invoice(xero, invoice)["InvoiceNumber"] == "INV-0001"


def test_unknown_invoice_is_404(xero):
    assert xero.get("/Invoices/00000000-0000-0000-0000-0000000000cc").status_code == 404
    assert xero.get("/Invoices/INV-9999").status_code == 404
    assert (
        update_invoice(xero, {"InvoiceID": "00000000-0000-0000-0000-0000000000cc"}, Status="DELETED").status_code == 404
    )


def test_unknown_invoice_id_in_a_post_body_is_refused(xero):
    response = xero.post("/Invoices", {"Invoices": [invoice_body(InvoiceID="00000000-0000-0000-0000-0000000000cc")]})
    rejected(response, "An existing invoice with the specified ID could not be found")


def test_unpaged_list_leaves_line_items_out_and_paged_list_has_them(xero):
    create_invoice(xero)
    assert xero.get("/Invoices").json["Invoices"][0]["LineItems"] == []
    paged = xero.get("/Invoices?page=1").json["Invoices"][0]
    assert len(paged["LineItems"]) == 1


def test_invoices_need_the_transactions_scope(client):
    from tests.helpers import XeroTestClient, issue_token

    reader = XeroTestClient(client, issue_token(client, scope="accounting.transactions.read"))
    assert reader.get("/Invoices").status_code == 200
    assert reader.put("/Invoices", {"Invoices": [invoice_body()]}).status_code == 401


def test_batch_with_summarize_errors_false_reports_each_element(xero):
    response = xero.put(
        "/Invoices?summarizeErrors=false",
        {"Invoices": [invoice_body(), invoice_body(LineItems=[line(AccountCode="476")])]},
    )
    assert response.status_code == 200
    good, bad = response.json["Invoices"]
    assert (good["StatusAttributeString"], good["InvoiceNumber"]) == ("OK", "INV-0001")
    assert bad["StatusAttributeString"] == "ERROR" and bad["HasErrors"] is True
    assert bad["InvoiceID"] == "00000000-0000-0000-0000-000000000000"
    assert bad["ValidationErrors"] == [
        {"Message": "Account code '476' has been removed as it does not match a recognised account."}
    ]


def test_refused_element_leaves_no_trace(xero):
    rejected(
        put(xero, Contact={"Name": "Ghost Ltd"}, LineItems=[line(AccountCode="476")]),
        "Account code '476' has been removed as it does not match a recognised account.",
    )
    assert xero.get("/Contacts").json["Contacts"] == []
    assert create_invoice(xero)["InvoiceNumber"] == "INV-0001"


# --- status machine ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "AUTHORISED"])
def test_invoice_can_be_created_draft_submitted_or_authorised(xero, status):
    assert create_invoice(xero, Status=status)["Status"] == status


def test_status_defaults_to_draft(xero):
    body = invoice_body()
    del body["Status"]
    assert ok(xero.put("/Invoices", {"Invoices": [body]}), "Invoices")["Status"] == "DRAFT"


@pytest.mark.parametrize("status", ["PAID", "VOIDED", "DELETED"])
def test_invoice_cannot_be_created_paid_voided_or_deleted(xero, status):
    rejected(put(xero, Status=status), "Invoice not of valid status for creation")


@pytest.mark.parametrize(
    "start, target",
    [
        ("DRAFT", "SUBMITTED"),
        ("DRAFT", "AUTHORISED"),
        ("DRAFT", "DELETED"),
        ("SUBMITTED", "AUTHORISED"),
        ("SUBMITTED", "DRAFT"),
        ("SUBMITTED", "DELETED"),
        ("AUTHORISED", "VOIDED"),
    ],
)
def test_allowed_status_moves(xero, start, target):
    invoice = create_invoice(xero, Status=start)
    assert ok(update_invoice(xero, invoice, Status=target), "Invoices")["Status"] == target


@pytest.mark.parametrize(
    "start, target",
    [
        ("DRAFT", "VOIDED"),
        ("DRAFT", "PAID"),
        ("SUBMITTED", "VOIDED"),
        ("AUTHORISED", "DRAFT"),
        ("AUTHORISED", "SUBMITTED"),
        ("AUTHORISED", "DELETED"),
        ("AUTHORISED", "PAID"),
    ],
)
def test_refused_status_moves(xero, start, target):
    invoice = create_invoice(xero, Status=start)
    rejected(update_invoice(xero, invoice, Status=target), "Invoice not of valid status for modification")


@pytest.mark.parametrize("final", ["VOIDED", "DELETED"])
def test_voided_and_deleted_invoices_are_final(xero, final):
    invoice = create_invoice(xero, Status="AUTHORISED" if final == "VOIDED" else "DRAFT")
    ok(update_invoice(xero, invoice, Status=final), "Invoices")
    rejected(update_invoice(xero, invoice, Status="AUTHORISED"), "Invoice not of valid status for modification")
    rejected(update_invoice(xero, invoice, Reference="late edit"), "Invoice not of valid status for modification")


def test_voided_invoice_owes_nothing(xero):
    invoice = create_invoice(xero)
    voided = ok(update_invoice(xero, invoice, Status="VOIDED"), "Invoices")
    assert (voided["Total"], voided["AmountDue"]) == (D("115.00"), D("0.00"))


def test_approved_invoice_with_a_zero_total_is_paid_at_once(xero):
    invoice = create_invoice(xero, Date="2026-01-12", LineItems=[line(Quantity=0)])
    assert (invoice["Status"], invoice["Total"], invoice["AmountDue"]) == ("PAID", D("0.00"), D("0.00"))
    assert invoice["FullyPaidOnDate"] == "/Date(1768176000000+0000)/"  # its own date, 2026-01-12


def test_zero_total_draft_stays_a_draft_until_approved(xero):
    draft = create_invoice(xero, Status="DRAFT", LineItems=[line(UnitAmount=D("0.00"))])
    assert (draft["Status"], draft["AmountDue"]) == ("DRAFT", D("0.00"))
    approved = ok(update_invoice(xero, draft, Status="AUTHORISED"), "Invoices")
    assert approved["Status"] == "PAID"


def test_invoice_with_something_to_pay_stays_authorised(xero):
    invoice = create_invoice(xero, LineItems=[line(UnitAmount=D("0.01"), TaxType="NONE")])
    assert (invoice["Status"], invoice["AmountDue"]) == ("AUTHORISED", D("0.01"))
    assert "FullyPaidOnDate" not in invoice


def test_authorised_invoice_without_payments_can_be_edited(xero):
    invoice = create_invoice(xero)
    edited = ok(update_invoice(xero, invoice, LineItems=[line(Quantity=2)], Reference="v2"), "Invoices")
    assert (edited["Total"], edited["AmountDue"], edited["Reference"]) == (D("230.00"), D("230.00"), "v2")


def test_update_keeps_line_item_ids_that_are_sent_back(xero):
    invoice = create_invoice(xero)
    kept = invoice["LineItems"][0]["LineItemID"]
    edited = ok(update_invoice(xero, invoice, LineItems=[line(LineItemID=kept, Quantity=3), line()]), "Invoices")
    assert edited["LineItems"][0]["LineItemID"] == kept
    assert edited["LineItems"][1]["LineItemID"] != kept


def test_status_only_update_keeps_the_lines(xero):
    draft = create_invoice(xero, Status="DRAFT", LineItems=[line(TaxAmount=D("14.99"))])
    approved = ok(update_invoice(xero, draft, Status="AUTHORISED"), "Invoices")
    assert (approved["LineItems"][0]["LineItemID"], approved["Total"]) == (
        draft["LineItems"][0]["LineItemID"],
        D("114.99"),
    )


def test_changing_line_amount_types_reprices_kept_lines(xero):
    draft = create_invoice(xero, Status="DRAFT")
    inclusive = ok(update_invoice(xero, draft, LineAmountTypes="Inclusive"), "Invoices")
    assert (inclusive["TotalTax"], inclusive["Total"]) == (D("13.04"), D("100.00"))


def test_type_of_an_invoice_cannot_be_changed(xero):
    invoice = create_invoice(xero, Status="DRAFT")
    rejected(
        update_invoice(xero, invoice, Type="ACCPAY"), "The Type of an existing document cannot be changed from ACCREC."
    )


def test_paid_invoice_is_locked(xero):
    invoice = create_invoice(xero)
    pay(xero, invoice, "115.00")
    locked = "This document cannot be edited as it has a payment or credit note allocated to it."
    rejected(update_invoice(xero, invoice, Reference="edit"), locked)
    rejected(update_invoice(xero, invoice, Status="VOIDED"), locked)


def test_part_paid_invoice_cannot_be_voided_or_edited(xero):
    invoice = create_invoice(xero)
    pay(xero, invoice, "15.00")
    locked = "This document cannot be edited as it has a payment or credit note allocated to it."
    rejected(update_invoice(xero, invoice, Status="VOIDED"), locked)
    rejected(update_invoice(xero, invoice, LineItems=[line(Quantity=2)]), locked)


def test_invoice_is_editable_again_once_its_payment_is_deleted(xero):
    invoice = create_invoice(xero)
    payment = pay(xero, invoice, "15.00")
    ok(xero.post(f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"}), "Payments")
    assert ok(update_invoice(xero, invoice, Status="VOIDED"), "Invoices")["Status"] == "VOIDED"


def test_updated_date_moves_with_every_write(xero, clock):
    invoice = create_invoice(xero, Status="DRAFT")
    clock.advance(60)
    edited = ok(update_invoice(xero, invoice, Reference="later"), "Invoices")
    assert edited["UpdatedDateUTC"] != invoice["UpdatedDateUTC"]


def test_money_is_written_as_exact_decimals(xero):
    response = xero.put("/Invoices", {"Invoices": [invoice_body(LineItems=[line(UnitAmount=D("0.10"))])]})
    assert '"Total":0.12' in response.get_data(as_text=True)  # 0.10 + 0.015 tax rounded half-up
    assert ok(response, "Invoices")["TotalTax"] == Decimal("0.02")


# --- no input is a 500 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["Quantity", "UnitAmount", "LineAmount", "DiscountAmount", "TaxAmount"])
def test_amounts_too_large_to_calculate_with_are_refused(xero, field):
    huge = D("1E+30")
    response = put(xero, LineItems=[line(**{field: huge})])
    assert response.status_code == 400
    assert validation_messages(response) == [
        f"The {field} value '{huge:f}' is out of range: amounts must be below 1,000,000,000,000."
    ]


@pytest.mark.parametrize(
    "rate, message",
    [
        (D("0"), "The currency rate must be greater than zero."),
        (D("1E-30"), "The currency rate '1E-30' is out of range: it must be between 0.000001 and 1,000,000,000,000."),
    ],
)
def test_unusable_currency_rates_are_refused(xero, rate, message):
    rejected(put(xero, CurrencyCode="USD", CurrencyRate=rate), message)


@pytest.mark.parametrize(
    "body",
    [
        {"Contact": "Acme"},
        {"Contact": {"ContactID": "not-a-guid"}},
        {"LineItems": "lots"},
        {"LineItems": [{"Quantity": "two"}]},
        {"Date": "yesterday"},
        {"Status": "OPEN"},
        {"CurrencyRate": True},
    ],
)
def test_unreadable_fields_are_post_data_invalid(xero, body):
    response = put(xero, **body)
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
