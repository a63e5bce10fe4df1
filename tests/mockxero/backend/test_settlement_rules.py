"""Payment, allocation and document rules driven on the backend directly, without HTTP.

Each rule has its accepted case and its refused case, the refusal read as the exact ValidationException
message the backend raises (the HTTP layer only renders it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mockxero.backend.allocations import ALREADY_PAID, OTHER_CONTACT, OVER_ALLOCATED, WRONG_INVOICE_TYPE
from mockxero.backend.documents import CREDIT_NOTE, DATE_REQUIRED, INVOICE, LOCKED, NO_LINES
from mockxero.backend.invoices import DUE_DATE_REQUIRED
from mockxero.backend.payments import NOT_AUTHORISED, NOT_POSITIVE, ONLY_DELETE, OVERPAID, UNKNOWN_ACCOUNT
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.emulator import Emulator
from mockxero.exceptions import ValidationException

DAY = date(2026, 1, 15)
DUE = date(2026, 2, 15)


@pytest.fixture
def books():
    """One tenant's backend on a private emulator, inside an open transaction."""
    emulator = Emulator(MockConfig(clock=ManualClock()))
    with emulator.store.transaction():
        yield emulator.backend(DEFAULT_TENANT_ID)


def line(amount: str = "100.00", account: str = "200") -> dict:
    return {"Description": "Consulting", "Quantity": Decimal(1), "UnitAmount": Decimal(amount), "AccountCode": account}


def invoice(books, *, status: str = "AUTHORISED", kind: str = "ACCREC", contact: str = "Acme", **extra) -> dict:
    values = {"Type": kind, "Contact": {"Name": contact}, "Date": DAY, "DueDate": DUE, "Status": status}
    values["LineItems"] = [line()]
    values.update(extra)
    return books.create_invoice(values)


def credit_note(books, *, contact: str = "Acme", kind: str = "ACCRECCREDIT") -> dict:
    values = {"Type": kind, "Contact": {"Name": contact}, "Date": DAY, "Status": "AUTHORISED"}
    values["LineItems"] = [line("40.00", "200" if kind == "ACCRECCREDIT" else "429")]
    return books.create_credit_note(values)


def payment(document: dict, amount: str, **extra) -> dict:
    values = {"Invoice": {"InvoiceID": document["InvoiceID"]}, "Account": {"Code": "090"}, "Date": DAY}
    values["Amount"] = Decimal(amount)
    values.update(extra)
    return values


def refused(call, *args) -> list[str]:
    with pytest.raises(ValidationException) as caught:
        call(*args)
    return caught.value.messages


# -- payments --


def test_payment_of_the_whole_amount_due_pays_the_invoice(books):
    sale = invoice(books)  # 100.00 + 15% tax
    paid = books.create_payment(payment(sale, "115.00"))
    assert (paid["Status"], paid["Amount"], paid["PaymentType"]) == ("AUTHORISED", Decimal("115.00"), "ACCRECPAYMENT")
    _, document = books.payment_document(paid)
    assert (document["Status"], document["AmountDue"]) == ("PAID", Decimal("0.00"))


def test_payment_over_the_amount_outstanding_is_refused(books):
    sale = invoice(books)
    assert refused(books.create_payment, payment(sale, "115.01")) == [OVERPAID]
    assert OVERPAID == "Payment amount exceeds the amount outstanding on this document"


def test_payment_against_a_draft_is_refused(books):
    draft = invoice(books, status="DRAFT")
    assert refused(books.create_payment, payment(draft, "10.00")) == [NOT_AUTHORISED]


def test_payment_reports_every_problem_at_once(books):
    sale = invoice(books)
    values = payment(sale, "0", Account={"Code": "NOPE"})
    del values["Date"]
    assert refused(books.create_payment, values) == [UNKNOWN_ACCOUNT, DATE_REQUIRED, NOT_POSITIVE]


def test_payment_delete_reopens_the_invoice_and_other_updates_are_refused(books):
    sale = invoice(books)
    paid = books.create_payment(payment(sale, "15.00"))
    assert refused(books.delete_payment, paid["PaymentID"], {"Status": "AUTHORISED"}) == [ONLY_DELETE]
    deleted = books.delete_payment(paid["PaymentID"], {"Status": "DELETED"})
    assert deleted["Status"] == "DELETED"
    _, document = books.payment_document(deleted)
    assert (document["Status"], document["AmountDue"]) == ("AUTHORISED", Decimal("115.00"))


# -- allocations --


def test_allocation_lowers_the_invoice_and_the_credit(books):
    sale = invoice(books)
    credit = credit_note(books)  # 40.00 + 15% tax = 46.00
    allocation = books.allocate_credit_note(
        credit["CreditNoteID"], {"Invoice": {"InvoiceID": sale["InvoiceID"]}, "Amount": Decimal("46.00"), "Date": DAY}
    )
    assert allocation["Amount"] == Decimal("46.00")
    assert books.document(INVOICE, sale["InvoiceID"])["AmountDue"] == Decimal("69.00")
    assert books.document(CREDIT_NOTE, credit["CreditNoteID"])["RemainingCredit"] == Decimal("0.00")


def test_allocation_over_the_remaining_credit_is_refused(books):
    sale = invoice(books)
    credit = credit_note(books)
    values = {"Invoice": {"InvoiceID": sale["InvoiceID"]}, "Amount": Decimal("46.01"), "Date": DAY}
    assert refused(books.allocate_credit_note, credit["CreditNoteID"], values) == [OVER_ALLOCATED]


def test_allocation_to_another_contact_is_refused(books):
    sale = invoice(books, contact="Other Ltd")
    credit = credit_note(books)
    values = {"Invoice": {"InvoiceID": sale["InvoiceID"]}, "Amount": Decimal("10.00"), "Date": DAY}
    assert refused(books.allocate_credit_note, credit["CreditNoteID"], values) == [OTHER_CONTACT]


def test_allocation_to_a_bill_of_a_sales_credit_is_refused(books):
    bill = invoice(books, kind="ACCPAY", LineItems=[line(account="429")])
    credit = credit_note(books)
    values = {"Invoice": {"InvoiceID": bill["InvoiceID"]}, "Amount": Decimal("10.00"), "Date": DAY}
    assert refused(books.allocate_credit_note, credit["CreditNoteID"], values) == [WRONG_INVOICE_TYPE]


def test_allocation_to_a_paid_invoice_is_refused(books):
    sale = invoice(books)
    books.create_payment(payment(sale, "115.00"))
    credit = credit_note(books)
    values = {"Invoice": {"InvoiceID": sale["InvoiceID"]}, "Amount": Decimal("10.00"), "Date": DAY}
    assert refused(books.allocate_credit_note, credit["CreditNoteID"], values) == [ALREADY_PAID]


# -- documents --


def test_invoice_without_lines_is_refused(books):
    values = {"Type": "ACCREC", "Contact": {"Name": "Acme"}, "Date": DAY, "DueDate": DUE, "Status": "DRAFT"}
    assert refused(books.create_invoice, {**values, "LineItems": []}) == [NO_LINES]
    assert books.create_invoice({**values, "LineItems": [line()]})["Total"] == Decimal("115.00")


def test_approved_invoice_needs_a_due_date_and_a_draft_does_not(books):
    values = {"Type": "ACCREC", "Contact": {"Name": "Acme"}, "Date": DAY, "LineItems": [line()]}
    assert refused(books.create_invoice, {**values, "Status": "AUTHORISED"}) == [DUE_DATE_REQUIRED]
    assert books.create_invoice({**values, "Status": "DRAFT"})["Status"] == "DRAFT"


def test_invoice_with_a_payment_cannot_be_edited(books):
    sale = invoice(books)
    editable = books.save_invoice({"Reference": "before payment"}, path_id=sale["InvoiceID"])
    assert editable["Reference"] == "before payment"
    books.create_payment(payment(sale, "15.00"))
    with pytest.raises(ValidationException) as caught:
        books.save_invoice({"Reference": "after"}, path_id=sale["InvoiceID"])
    assert caught.value.messages == [LOCKED]
