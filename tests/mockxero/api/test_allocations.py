"""/CreditNotes/{id}/Allocations: applying credit to invoices, and taking it back."""

from __future__ import annotations

import pytest

from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import (
    D,
    allocate,
    create_bill,
    create_credit_note,
    create_invoice,
    get_credit_note,
    get_invoice,
    line,
    ok,
    pay,
    update_invoice,
)

OVER = "Credit Note cannot be allocated as amount is greater than amount outstanding"
NOT_VALID = "Credit Note or Invoice not of valid status for modification"


def rejected(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert validation_messages(response) == list(messages)


@pytest.fixture
def invoice(xero):
    return create_invoice(xero)  # 115.00


@pytest.fixture
def credit(xero):
    return create_credit_note(xero)  # 46.00


def test_allocation_answers_with_invoice_amount_and_date(xero, invoice, credit):
    allocation = ok(allocate(xero, credit, invoice, "30.00"), "Allocations")
    assert (allocation["Amount"], allocation["Date"]) == (D("30.00"), "/Date(1768953600000+0000)/")
    assert allocation["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert allocation["Invoice"]["AmountDue"] == D("85.00")
    assert allocation["CreditNote"]["CreditNoteID"] == credit["CreditNoteID"]
    assert allocation["IsDeleted"] is False and allocation["AllocationID"]


def test_allocation_moves_both_balances(xero, invoice, credit):
    ok(allocate(xero, credit, invoice, "30.00"), "Allocations")
    inv, cn = get_invoice(xero, invoice), get_credit_note(xero, credit)
    assert (inv["AmountCredited"], inv["AmountDue"], inv["Status"]) == (D("30.00"), D("85.00"), "AUTHORISED")
    assert inv["CreditNotes"][0]["CreditNoteID"] == credit["CreditNoteID"]
    assert inv["CreditNotes"][0]["AppliedAmount"] == D("30.00")
    assert (cn["RemainingCredit"], cn["Status"]) == (D("16.00"), "AUTHORISED")
    assert cn["Allocations"][0]["Amount"] == D("30.00")


def test_invoice_settled_by_credit_is_paid(xero, credit):
    small = create_invoice(xero, LineItems=[line(UnitAmount=D("40.00"))])  # 46.00
    ok(allocate(xero, credit, small, "46.00", date="2026-01-22"), "Allocations")
    inv = get_invoice(xero, small)
    assert (inv["Status"], inv["AmountDue"], inv["FullyPaidOnDate"]) == (
        "PAID",
        D("0.00"),
        "/Date(1769040000000+0000)/",
    )
    assert get_credit_note(xero, credit)["Status"] == "PAID"


def test_invoice_allocated_with_credit_is_locked(xero, invoice, credit):
    ok(allocate(xero, credit, invoice, "10.00"), "Allocations")
    rejected(
        update_invoice(xero, invoice, Status="VOIDED"),
        "This document cannot be edited as it has a payment or credit note allocated to it.",
    )


def test_allocation_over_the_remaining_credit_is_refused(xero, invoice, credit):
    rejected(allocate(xero, credit, invoice, "46.01"), OVER)


def test_allocation_over_what_the_invoice_owes_is_refused(xero, credit):
    small = create_invoice(xero, LineItems=[line(UnitAmount=D("10.00"))])  # 11.50
    rejected(allocate(xero, credit, small, "11.51"), OVER)
    assert ok(allocate(xero, credit, small, "11.50"), "Allocations")["Amount"] == D("11.50")


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_allocation_must_be_positive(xero, invoice, credit, amount):
    rejected(allocate(xero, credit, invoice, amount), "The allocation amount must be greater than zero.")


def test_allocation_needs_a_date(xero, invoice, credit):
    body = {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("1.00")}]}
    rejected(xero.put(f"/CreditNotes/{credit['CreditNoteID']}/Allocations", body), "The Date field must be specified.")


def test_allocation_to_a_paid_invoice_is_refused(xero, invoice, credit):
    pay(xero, invoice, "115.00")
    rejected(
        allocate(xero, credit, invoice, "1.00"), "The invoice you are trying to allocate to has already been paid off"
    )


def test_draft_credit_note_cannot_be_allocated(xero, invoice):
    draft = create_credit_note(xero, Status="DRAFT")
    rejected(allocate(xero, draft, invoice, "1.00"), NOT_VALID)


def test_credit_cannot_be_allocated_to_a_draft_invoice(xero, credit):
    draft = create_invoice(xero, Status="DRAFT")
    rejected(allocate(xero, credit, draft, "1.00"), NOT_VALID)


def test_fully_used_credit_note_cannot_be_allocated_again(xero, invoice, credit):
    ok(allocate(xero, credit, invoice, "46.00"), "Allocations")
    rejected(allocate(xero, credit, create_invoice(xero), "1.00"), OVER)


def test_sales_credit_cannot_be_allocated_to_a_bill(xero, credit):
    rejected(
        allocate(xero, credit, create_bill(xero, Contact={"Name": "Acme Ltd"}), "1.00"),
        "Credit Note cannot be allocated to an incorrect invoice type",
    )


def test_supplier_credit_can_be_allocated_to_a_bill(xero):
    bill = create_bill(xero)
    supplier_credit = create_credit_note(xero, Type="ACCPAYCREDIT", LineItems=[line(AccountCode="429")])
    ok(allocate(xero, supplier_credit, bill, "20.00"), "Allocations")
    assert get_invoice(xero, bill)["AmountDue"] == D("95.00")


def test_credit_of_another_contact_is_refused(xero, credit):
    other = create_invoice(xero, Contact={"Name": "Other Co"})
    rejected(allocate(xero, credit, other, "1.00"), "The credit note and the invoice must belong to the same contact.")


def test_credit_in_another_currency_is_refused(xero, credit):
    dollars = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.6"))
    rejected(allocate(xero, credit, dollars, "1.00"), "The credit note and the invoice must be in the same currency.")


def test_allocation_must_name_an_invoice(xero, credit):
    body = {"Allocations": [{"Amount": D("1.00"), "Date": "2026-01-21"}]}
    rejected(
        xero.put(f"/CreditNotes/{credit['CreditNoteID']}/Allocations", body),
        "You must specify an Invoice ID or Invoice Number for the allocation",
    )


def test_allocation_to_an_unknown_invoice_is_refused(xero, credit):
    rejected(
        allocate(xero, credit, {"InvoiceID": "00000000-0000-0000-0000-0000000000ee"}, "1.00"),
        "The invoice specified for this allocation could not be found.",
    )


def test_invoice_can_be_named_by_number(xero, invoice, credit):
    body = {"Allocations": [{"Invoice": {"InvoiceNumber": "INV-0001"}, "Amount": D("1.00"), "Date": "2026-01-21"}]}
    allocation = ok(xero.put(f"/CreditNotes/{credit['CreditNoteID']}/Allocations", body), "Allocations")
    assert allocation["Invoice"]["InvoiceID"] == invoice["InvoiceID"]


def test_allocating_from_an_unknown_credit_note_is_404(xero, invoice):
    assert allocate(xero, {"CreditNoteID": "00000000-0000-0000-0000-0000000000ee"}, invoice, "1.00").status_code == 404


def test_batch_with_summarize_errors_false_reports_each_allocation(xero, invoice, credit):
    body = {
        "Allocations": [
            {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("40.00"), "Date": "2026-01-21"},
            {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": D("40.00"), "Date": "2026-01-21"},
        ]
    }
    response = xero.put(f"/CreditNotes/{credit['CreditNoteID']}/Allocations?summarizeErrors=false", body)
    assert response.status_code == 200
    good, bad = response.json["Allocations"]
    assert good["StatusAttributeString"] == "OK"
    assert bad["ValidationErrors"] == [{"Message": OVER}]
    assert get_credit_note(xero, credit)["RemainingCredit"] == D("6.00")


# --- delete --------------------------------------------------------------------------------------------


def delete(xero, credit: dict, allocation_id: str):
    return xero.delete(f"/CreditNotes/{credit['CreditNoteID']}/Allocations/{allocation_id}")


def test_deleting_an_allocation_answers_it_bare_and_marked_deleted(xero, invoice, credit):
    allocation = ok(allocate(xero, credit, invoice, "30.00"), "Allocations")
    response = delete(xero, credit, allocation["AllocationID"])
    assert response.status_code == 200
    body = response.json
    assert (body["AllocationID"], body["IsDeleted"], body["Amount"]) == (allocation["AllocationID"], True, D("30.00"))
    assert body["Invoice"]["InvoiceID"] == invoice["InvoiceID"] and body["Date"].startswith("/Date(")


def test_deleting_an_allocation_restores_both_documents(xero, credit):
    small = create_invoice(xero, LineItems=[line(UnitAmount=D("40.00"))])
    allocation = ok(allocate(xero, credit, small, "46.00"), "Allocations")
    assert delete(xero, credit, allocation["AllocationID"]).status_code == 200
    inv, cn = get_invoice(xero, small), get_credit_note(xero, credit)
    assert (inv["Status"], inv["AmountDue"], inv["AmountCredited"], inv["CreditNotes"]) == (
        "AUTHORISED",
        D("46.00"),
        D("0.00"),
        [],
    )
    assert "FullyPaidOnDate" not in inv
    assert (cn["Status"], cn["RemainingCredit"], cn["Allocations"]) == ("AUTHORISED", D("46.00"), [])


def test_deleting_an_allocation_twice_changes_nothing(xero, invoice, credit):
    allocation = ok(allocate(xero, credit, invoice, "30.00"), "Allocations")
    delete(xero, credit, allocation["AllocationID"])
    again = delete(xero, credit, allocation["AllocationID"])
    assert (again.status_code, again.json["IsDeleted"]) == (200, True)
    assert get_credit_note(xero, credit)["RemainingCredit"] == D("46.00")


def test_unknown_allocation_is_404(xero, invoice, credit):
    assert delete(xero, credit, "00000000-0000-0000-0000-0000000000ff").status_code == 404
    allocation = ok(allocate(xero, credit, invoice, "1.00"), "Allocations")
    other = create_credit_note(xero)
    assert delete(xero, other, allocation["AllocationID"]).status_code == 404


def test_allocation_amount_too_large_to_calculate_with_is_refused(xero, invoice, credit):
    rejected(
        allocate(xero, credit, invoice, "1E+30"),
        "The Amount value '1000000000000000000000000000000' is out of range: amounts must be below 1,000,000,000,000.",
    )
