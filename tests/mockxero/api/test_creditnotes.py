"""/CreditNotes over HTTP: invoice arithmetic, CN numbers, RemainingCredit and the status rules."""

from __future__ import annotations

import pytest

from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import (
    D,
    create_credit_note,
    create_invoice,
    credit_note_body,
    get_credit_note,
    get_invoice,
    line,
    ok,
    pay,
)

LOCKED = "This document cannot be edited as it has a payment or credit note allocated to it."


def rejected(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert validation_messages(response) == list(messages)


def put(xero, **overrides):
    return xero.put("/CreditNotes", {"CreditNotes": [credit_note_body(**overrides)]})


def update(xero, credit_note: dict, **changes):
    return xero.post(f"/CreditNotes/{credit_note['CreditNoteID']}", {"CreditNotes": [changes]})


def test_credit_note_uses_the_invoice_arithmetic(xero):
    credit = create_credit_note(xero, LineAmountTypes="Inclusive", LineItems=[line(UnitAmount=D("20.00"))])
    assert (credit["SubTotal"], credit["TotalTax"], credit["Total"]) == (D("17.39"), D("2.61"), D("20.00"))


def test_new_credit_note_has_all_its_credit_remaining(xero):
    credit = create_credit_note(xero)
    assert (credit["Total"], credit["RemainingCredit"], credit["Allocations"], credit["Payments"]) == (
        D("46.00"),
        D("46.00"),
        [],
        [],
    )
    assert credit["ID"] == credit["CreditNoteID"]


def test_sales_credit_notes_are_numbered_cn(xero):
    assert [create_credit_note(xero)["CreditNoteNumber"] for _ in range(2)] == ["CN-0001", "CN-0002"]


def test_duplicate_sales_credit_note_number_is_refused(xero):
    create_credit_note(xero, CreditNoteNumber="CR-1")
    rejected(put(xero, CreditNoteNumber="CR-1"), "Credit Note # must be unique.")


def test_supplier_credit_numbers_are_neither_generated_nor_unique(xero):
    body = {"Type": "ACCPAYCREDIT", "LineItems": [line(AccountCode="429")]}
    assert "CreditNoteNumber" not in create_credit_note(xero, **body)
    create_credit_note(xero, CreditNoteNumber="S-1", **body)
    assert create_credit_note(xero, CreditNoteNumber="S-1", **body)["CreditNoteNumber"] == "S-1"


def test_missing_type_is_refused(xero):
    body = credit_note_body()
    del body["Type"]
    rejected(xero.put("/CreditNotes", {"CreditNotes": [body]}), "Credit Note Type must be specified")


def test_invoice_type_is_post_data_invalid_on_credit_notes(xero):
    response = put(xero, Type="ACCREC")
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"


def test_discounts_are_refused_on_credit_notes(xero):
    rejected(put(xero, LineItems=[line(DiscountRate=D("10"))]), "Discounts are only supported on ACCREC invoices.")


def test_credit_note_may_leave_the_due_date_out(xero):
    assert "DueDate" not in create_credit_note(xero)


def test_archived_contact_is_refused(xero):
    contact = ok(xero.put("/Contacts", {"Contacts": [{"Name": "Old Co"}]}), "Contacts")
    xero.post(f"/Contacts/{contact['ContactID']}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    rejected(
        put(xero, Contact={"ContactID": contact["ContactID"]}),
        "The contact with the specified contact details has been archived. "
        "The contact must be un-archived before creating new invoices or credit notes.",
    )


def test_get_by_id_and_number_and_404(xero):
    credit = create_credit_note(xero)
    assert ok(xero.get("/CreditNotes/CN-0001"), "CreditNotes")["CreditNoteID"] == credit["CreditNoteID"]
    assert xero.get("/CreditNotes").json["CreditNotes"][0]["LineItems"][0]["LineAmount"] == D("40.00")
    assert xero.get("/CreditNotes/00000000-0000-0000-0000-0000000000dd").status_code == 404


def test_unknown_credit_note_id_in_a_post_body_is_refused(xero):
    response = xero.post(
        "/CreditNotes", {"CreditNotes": [credit_note_body(CreditNoteID="00000000-0000-0000-0000-0000000000dd")]}
    )
    rejected(response, "An existing Credit Note with the specified CreditNoteID could not be found")


@pytest.mark.parametrize("status", ["PAID", "VOIDED"])
def test_credit_note_cannot_be_created_paid_or_voided(xero, status):
    rejected(put(xero, Status=status), "Credit Note not of valid status for creation")


def test_draft_credit_note_can_be_deleted_and_then_owes_nothing(xero):
    credit = create_credit_note(xero, Status="DRAFT")
    deleted = ok(update(xero, credit, Status="DELETED"), "CreditNotes")
    assert (deleted["Status"], deleted["RemainingCredit"]) == ("DELETED", D("0.00"))


def test_authorised_credit_note_can_be_voided_not_deleted(xero):
    credit = create_credit_note(xero)
    rejected(update(xero, credit, Status="DELETED"), "Credit Note or Invoice not of valid status for modification")
    voided = ok(update(xero, credit, Status="VOIDED"), "CreditNotes")
    assert (voided["Status"], voided["RemainingCredit"]) == ("VOIDED", D("0.00"))


def test_approved_credit_note_with_a_zero_total_is_paid_at_once(xero):
    credit_note = create_credit_note(xero, LineItems=[line(Quantity=0)])
    assert (credit_note["Status"], credit_note["RemainingCredit"]) == ("PAID", D("0.00"))


def test_refund_lowers_remaining_credit(xero):
    credit = create_credit_note(xero)
    pay(xero, credit, "6.00")
    after = get_credit_note(xero, credit)
    assert (after["RemainingCredit"], after["Status"]) == (D("40.00"), "AUTHORISED")
    assert [p["Amount"] for p in after["Payments"]] == [D("6.00")]


def test_credit_note_is_paid_once_refunds_and_allocations_use_it_all(xero):
    credit = create_credit_note(xero)
    invoice = create_invoice(xero)
    pay(xero, credit, "6.00")
    ok(
        xero.put(
            f"/CreditNotes/{credit['CreditNoteID']}/Allocations",
            {
                "Allocations": [
                    {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("40.00"), "Date": "2026-01-25"}
                ]
            },
        ),
        "Allocations",
    )
    after = get_credit_note(xero, credit)
    assert (after["Status"], after["RemainingCredit"], after["FullyPaidOnDate"]) == (
        "PAID",
        D("0.00"),
        "/Date(1769299200000+0000)/",
    )


def test_allocated_credit_note_is_locked(xero):
    credit, invoice = create_credit_note(xero), create_invoice(xero)
    ok(
        xero.put(
            f"/CreditNotes/{credit['CreditNoteID']}/Allocations",
            {
                "Allocations": [
                    {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("10.00"), "Date": "2026-01-25"}
                ]
            },
        ),
        "Allocations",
    )
    rejected(update(xero, credit, Reference="edit"), LOCKED)
    rejected(update(xero, credit, Status="VOIDED"), LOCKED)


def test_allocations_sent_inside_a_new_credit_note_are_applied(xero):
    invoice = create_invoice(xero)
    credit = create_credit_note(
        xero, Allocations=[{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("46.00"), "Date": "2026-01-16"}]
    )
    assert (credit["RemainingCredit"], credit["Status"]) == (D("0.00"), "PAID")
    assert credit["Allocations"][0]["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert get_invoice(xero, invoice)["AmountCredited"] == D("46.00")


def test_allocations_inside_a_draft_credit_note_are_refused(xero):
    invoice = create_invoice(xero)
    rejected(
        put(
            xero,
            Status="DRAFT",
            Allocations=[{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("10.00"), "Date": "2026-01-16"}],
        ),
        "Credit Note or Invoice not of valid status for modification",
    )
    assert xero.get("/CreditNotes").json["CreditNotes"] == []


def test_inline_allocation_over_the_credit_is_refused_and_nothing_is_kept(xero):
    invoice = create_invoice(xero)
    rejected(
        put(
            xero,
            Allocations=[{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("50.00"), "Date": "2026-01-16"}],
        ),
        "Credit Note cannot be allocated as amount is greater than amount outstanding",
    )
    assert xero.get("/CreditNotes").json["CreditNotes"] == []
    assert get_invoice(xero, invoice)["AmountDue"] == D("115.00")
