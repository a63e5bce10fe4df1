"""/Payments over HTTP: what may be paid, from which account, how much, and deleting a payment."""

from __future__ import annotations

import pytest

from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import (
    D,
    create_bill,
    create_credit_note,
    create_invoice,
    get_credit_note,
    get_invoice,
    line,
    ok,
    pay,
    payment_body,
    set_account,
    update_invoice,
)

NOT_AUTHORISED = "Payments can only be made against Authorised documents"
OVERPAID = "Payment amount exceeds the amount outstanding on this document"


def rejected(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert validation_messages(response) == list(messages)


def put(xero, body: dict):
    return xero.put("/Payments", {"Payments": [body]})


def delete(xero, payment: dict, body=None):
    return xero.post(f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"} if body is None else body)


@pytest.fixture
def invoice(xero):
    return create_invoice(xero)  # 115.00


def test_full_payment_marks_the_invoice_paid(xero, invoice):
    payment = pay(xero, invoice, "115.00")
    assert (payment["PaymentType"], payment["Status"], payment["Amount"], payment["BankAmount"]) == (
        "ACCRECPAYMENT",
        "AUTHORISED",
        D("115.00"),
        D("115.00"),
    )
    paid = get_invoice(xero, invoice)
    assert (paid["Status"], paid["AmountDue"], paid["AmountPaid"]) == ("PAID", D("0.00"), D("115.00"))
    assert paid["FullyPaidOnDate"] == payment["Date"] == "/Date(1768867200000+0000)/"
    assert paid["Payments"][0]["PaymentID"] == payment["PaymentID"]


def test_part_payment_leaves_the_invoice_authorised(xero, invoice):
    pay(xero, invoice, "15.00")
    part = get_invoice(xero, invoice)
    assert (part["Status"], part["AmountDue"], part["AmountPaid"]) == ("AUTHORISED", D("100.00"), D("15.00"))
    assert "FullyPaidOnDate" not in part


def test_paid_on_date_is_the_last_payment_date(xero, invoice):
    pay(xero, invoice, "15.00", Date="2026-01-25")
    pay(xero, invoice, "100.00", Date="2026-01-22")
    assert get_invoice(xero, invoice)["FullyPaidOnDate"] == "/Date(1769299200000+0000)/"  # 25 Jan


def test_payment_answer_embeds_the_updated_invoice(xero, invoice):
    payment = pay(xero, invoice, "15.00", Reference="DD 42")
    assert payment["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert payment["Invoice"]["AmountDue"] == D("100.00")
    assert (payment["Reference"], payment["Account"]["Code"], payment["Account"]["Name"]) == (
        "DD 42",
        "090",
        "Business Bank Account",
    )


def test_overpayment_is_refused(xero, invoice):
    rejected(put(xero, payment_body(invoice, "115.01")), OVERPAID)


def test_second_payment_over_what_is_left_is_refused(xero, invoice):
    pay(xero, invoice, "100.00")
    rejected(put(xero, payment_body(invoice, "15.01")), OVERPAID)


@pytest.mark.parametrize("amount", ["0", "-1.00"])
def test_payment_must_be_positive(xero, invoice, amount):
    rejected(put(xero, payment_body(invoice, amount)), "Payment amount must be greater than zero.")


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED"])
def test_unapproved_invoice_cannot_be_paid(xero, status):
    draft = create_invoice(xero, Status=status)
    rejected(put(xero, payment_body(draft, "1.00")), NOT_AUTHORISED)


def test_paid_or_voided_invoice_cannot_be_paid(xero, invoice):
    pay(xero, invoice, "115.00")
    rejected(put(xero, payment_body(invoice, "1.00")), NOT_AUTHORISED)
    voided = create_invoice(xero)
    ok(update_invoice(xero, voided, Status="VOIDED"), "Invoices")
    rejected(put(xero, payment_body(voided, "1.00")), NOT_AUTHORISED)


def test_payment_must_name_a_document(xero):
    rejected(
        put(xero, {"Account": {"Code": "090"}, "Date": "2026-01-20", "Amount": D("1.00")}),
        "You must specify an Invoice ID or Invoice Number for the payment",
    )


def test_payment_to_an_unknown_document_is_refused(xero):
    rejected(
        put(xero, payment_body({"InvoiceID": "00000000-0000-0000-0000-000000000abc"}, "1.00")),
        "The invoice or credit note specified for this payment could not be found.",
    )


def test_invoice_can_be_named_by_number_nested_or_top_level(xero, invoice):
    nested = {
        "Invoice": {"InvoiceNumber": "INV-0001"},
        "Account": {"Code": "090"},
        "Date": "2026-01-20",
        "Amount": D("1.00"),
    }
    top = {"InvoiceNumber": "INV-0001", "Account": {"Code": "090"}, "Date": "2026-01-20", "Amount": D("1.00")}
    assert ok(put(xero, nested), "Payments")["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert ok(put(xero, top), "Payments")["Invoice"]["InvoiceID"] == invoice["InvoiceID"]
    assert get_invoice(xero, invoice)["AmountPaid"] == D("2.00")


def test_bill_payment_is_an_accpay_payment(xero):
    assert pay(xero, create_bill(xero), "10.00")["PaymentType"] == "ACCPAYPAYMENT"


def test_credit_note_refund_is_an_arcredit_payment_shown_under_invoice(xero):
    credit = create_credit_note(xero)
    refund = pay(xero, credit, "6.00")
    assert refund["PaymentType"] == "ARCREDITPAYMENT"
    assert (refund["Invoice"]["Type"], refund["Invoice"]["InvoiceID"], refund["Invoice"]["InvoiceNumber"]) == (
        "ACCRECCREDIT",
        credit["CreditNoteID"],
        "CN-0001",
    )
    assert "CreditNote" not in refund
    assert get_credit_note(xero, credit)["RemainingCredit"] == D("40.00")


def test_supplier_credit_refund_is_an_apcredit_payment(xero):
    credit = create_credit_note(xero, Type="ACCPAYCREDIT", LineItems=[line(AccountCode="429")])
    assert pay(xero, credit, "1.00")["PaymentType"] == "APCREDITPAYMENT"


def test_credit_note_can_be_named_by_number_or_under_invoice(xero):
    credit = create_credit_note(xero)
    by_number = {"CreditNoteNumber": "CN-0001", "Account": {"Code": "090"}, "Date": "2026-01-20", "Amount": D("1.00")}
    by_invoice_id = {
        "Invoice": {"InvoiceID": credit["CreditNoteID"]},
        "Account": {"Code": "090"},
        "Date": "2026-01-20",
        "Amount": D("1.00"),
    }
    ok(put(xero, by_number), "Payments")
    ok(put(xero, by_invoice_id), "Payments")
    assert get_credit_note(xero, credit)["RemainingCredit"] == D("44.00")


def test_refund_over_the_remaining_credit_is_refused(xero):
    credit = create_credit_note(xero)
    rejected(put(xero, payment_body(credit, "46.01")), OVERPAID)


def test_full_refund_marks_the_credit_note_paid(xero):
    credit = create_credit_note(xero)
    pay(xero, credit, "46.00")
    assert get_credit_note(xero, credit)["Status"] == "PAID"
    rejected(put(xero, payment_body(credit, "1.00")), NOT_AUTHORISED)


def test_draft_credit_note_cannot_be_refunded(xero):
    rejected(put(xero, payment_body(create_credit_note(xero, Status="DRAFT"), "1.00")), NOT_AUTHORISED)


# --- the account ---------------------------------------------------------------------------------------


def test_payment_needs_an_account(xero, invoice):
    body = payment_body(invoice, "1.00")
    del body["Account"]
    rejected(put(xero, body), "You must specify an Account ID or Account Code for the payment")


def test_account_code_may_be_sent_top_level(xero, invoice):
    body = payment_body(invoice, "1.00", Code="090")
    del body["Account"]
    assert ok(put(xero, body), "Payments")["Account"]["Code"] == "090"


def test_unknown_account_is_refused(xero, invoice):
    rejected(
        put(xero, payment_body(invoice, "1.00", Account={"Code": "999"})),
        "The account specified for this payment could not be found.",
    )


def test_account_that_is_not_a_bank_and_takes_no_payments_is_refused(xero, invoice):
    rejected(
        put(xero, payment_body(invoice, "1.00", Account={"Code": "200"})),
        "The account '200' must be a bank account or have payments to it enabled.",
    )


def test_account_with_payments_enabled_is_accepted(xero, emulator, invoice):
    set_account(emulator, "970", EnablePaymentsToAccount=True)
    assert ok(put(xero, payment_body(invoice, "1.00", Account={"Code": "970"})), "Payments")["Account"]["Code"] == "970"


def test_archived_bank_account_is_refused(xero, emulator, invoice):
    set_account(emulator, "091", Status="ARCHIVED")
    rejected(
        put(xero, payment_body(invoice, "1.00", Account={"Code": "091"})),
        "Account code '091' has been archived, or has been deleted.",
    )


def test_bank_account_in_a_third_currency_is_refused(xero, emulator):
    set_account(emulator, "091", CurrencyCode="EUR")
    dollars = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.5"))
    rejected(
        put(xero, payment_body(dollars, "1.00", Account={"Code": "091"})),
        "The bank account's currency must be the document's currency or the base currency.",
    )


def test_base_currency_bank_converts_a_foreign_payment_at_its_own_rate(xero):
    dollars = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.5"))
    payment = pay(xero, dollars, "10.00", CurrencyRate=D("0.4"))
    assert (payment["Amount"], payment["BankAmount"], payment["CurrencyRate"]) == (D("10.00"), D("25.00"), D("0.4"))


def test_a_foreign_payment_without_a_rate_takes_the_days_rate_from_the_rate_table(xero):
    # The default table: NZD→USD is 1.6 NZD per USD, so 0.625000 USD per NZD (mockxero/exchange.py).
    dollars = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.5"))
    payment = pay(xero, dollars, "10.00")
    assert (payment["BankAmount"], payment["CurrencyRate"]) == (D("16.00"), D("0.625000"))


# --- date and body shapes ------------------------------------------------------------------------------


def test_payment_needs_a_date(xero, invoice):
    body = payment_body(invoice, "1.00")
    del body["Date"]
    rejected(put(xero, body), "The Date field must be specified.")


def test_unreadable_date_is_post_data_invalid(xero, invoice):
    response = put(xero, payment_body(invoice, "1.00", Date="20th January"))
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert "Payments[0].Date" in response.json["Message"]


def test_post_creates_from_a_bare_payment(xero, invoice):
    response = xero.post("/Payments", payment_body(invoice, "5.00"))
    assert ok(response, "Payments")["Amount"] == D("5.00")


def test_several_errors_of_one_payment_are_reported_together(xero, invoice):
    rejected(
        put(xero, {"Invoice": {"InvoiceID": invoice["InvoiceID"]}}),
        "You must specify an Account ID or Account Code for the payment",
        "The Date field must be specified.",
        "Payment amount must be greater than zero.",
    )


def test_batch_with_summarize_errors_false_reports_each_payment(xero, invoice):
    response = xero.put(
        "/Payments?summarizeErrors=false",
        {"Payments": [payment_body(invoice, "100.00"), payment_body(invoice, "100.00")]},
    )
    assert response.status_code == 200
    good, bad = response.json["Payments"]
    assert (good["StatusAttributeString"], bad["StatusAttributeString"]) == ("OK", "ERROR")
    assert (bad["HasValidationErrors"], bad["ValidationErrors"]) == (True, [{"Message": OVERPAID}])
    assert get_invoice(xero, invoice)["AmountDue"] == D("15.00")


def test_get_one_and_list(xero, invoice):
    payment = pay(xero, invoice, "1.00")
    assert ok(xero.get(f"/Payments/{payment['PaymentID']}"), "Payments")["Amount"] == D("1.00")
    assert [p["PaymentID"] for p in xero.get("/Payments").json["Payments"]] == [payment["PaymentID"]]
    assert xero.get("/Payments/00000000-0000-0000-0000-000000000abc").status_code == 404


# --- delete --------------------------------------------------------------------------------------------


def test_deleting_a_payment_reopens_the_invoice(xero, invoice):
    payment = pay(xero, invoice, "115.00")
    deleted = ok(delete(xero, payment), "Payments")
    assert deleted["Status"] == "DELETED"
    assert deleted["Invoice"]["Status"] == "AUTHORISED"
    reopened = get_invoice(xero, invoice)
    assert (reopened["Status"], reopened["AmountDue"], reopened["AmountPaid"], reopened["Payments"]) == (
        "AUTHORISED",
        D("115.00"),
        D("0.00"),
        [],
    )
    assert "FullyPaidOnDate" not in reopened


def test_deleted_payment_stays_readable(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    delete(xero, payment)
    assert ok(xero.get(f"/Payments/{payment['PaymentID']}"), "Payments")["Status"] == "DELETED"


def test_delete_accepts_the_wrapped_body(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    assert ok(delete(xero, payment, {"Payments": [{"Status": "DELETED"}]}), "Payments")["Status"] == "DELETED"


def test_delete_refuses_any_other_field(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    rejected(delete(xero, payment, {"Status": "DELETED", "Amount": D("5.00")}), "Only Status accepted for updates.")
    rejected(delete(xero, payment, {"Reference": "changed"}), "Only Status accepted for updates.")
    assert get_invoice(xero, invoice)["AmountPaid"] == D("10.00")


def test_status_can_only_become_deleted(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    rejected(delete(xero, payment, {"Status": "AUTHORISED"}), "A payment can only be updated to a Status of DELETED.")


def test_deleting_a_deleted_payment_changes_nothing(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    delete(xero, payment)
    again = delete(xero, payment)
    assert ok(again, "Payments")["Status"] == "DELETED"
    assert get_invoice(xero, invoice)["AmountDue"] == D("115.00")


def test_reconciled_payment_cannot_be_deleted(xero, invoice):
    payment = pay(xero, invoice, "10.00", IsReconciled=True)
    rejected(delete(xero, payment), "This payment has been reconciled and cannot be deleted")


def test_deleting_a_refund_restores_the_credit(xero):
    credit = create_credit_note(xero)
    refund = pay(xero, credit, "46.00")
    ok(delete(xero, refund), "Payments")
    restored = get_credit_note(xero, credit)
    assert (restored["Status"], restored["RemainingCredit"]) == ("AUTHORISED", D("46.00"))


def test_deleting_an_unknown_payment_is_404(xero):
    assert delete(xero, {"PaymentID": "00000000-0000-0000-0000-000000000abc"}).status_code == 404


def test_delete_body_that_is_not_an_object_is_post_data_invalid(xero, invoice):
    payment = pay(xero, invoice, "10.00")
    response = delete(xero, payment, {"Payments": ["DELETED"]})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"


def test_amount_too_large_to_calculate_with_is_refused(xero, invoice):
    rejected(
        put(xero, payment_body(invoice, "1E+30")),
        "The Amount value '1000000000000000000000000000000' is out of range: amounts must be below 1,000,000,000,000.",
    )


def test_unusable_payment_rate_is_refused(xero):
    dollars = create_invoice(xero, CurrencyCode="USD", CurrencyRate=D("0.5"))
    rejected(
        put(xero, payment_body(dollars, "1.00", CurrencyRate=D("1E-30"))),
        "The currency rate '1E-30' is out of range: it must be between 0.000001 and 1,000,000,000,000.",
    )
    rejected(
        put(xero, payment_body(dollars, "1.00", CurrencyRate=D("0"))), "The currency rate must be greater than zero."
    )
