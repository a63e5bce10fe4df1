"""Lock dates: every write that posts on or before the organisation's PeriodLockDate or EndOfYearLockDate
is refused with Xero's ValidationException messages, for every kind of document; drafts stay allowed."""

from __future__ import annotations

from datetime import date

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from mockxero.exceptions import ValidationException
from mockxero.posting import Line
from tests.helpers import validation_messages
from tests.mockxero.documents_helpers import (
    D,
    allocate,
    books,
    create_credit_note,
    create_invoice,
    credit_note_body,
    invoice_body,
    ok,
    pay,
    payment_body,
    update_invoice,
)

PERIOD_LOCKED = "The document date cannot be before the period lock date, currently set at 15-Jan-2026"
YEAR_LOCKED = "The document date cannot be before the end of year lock date, currently set at 15-Jan-2026"


def lock(client, period: str | None = "2026-01-15", end_of_year: str | None = None) -> None:
    body = {"period_lock_date": period, "end_of_year_lock_date": end_of_year}
    response = client.put(f"/mock-api/tenants/{DEFAULT_TENANT_ID}/lock-dates", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)


def refused(response, *messages: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["Type"] == "ValidationException"
    assert validation_messages(response) == list(messages)


def create_spend(xero, **overrides) -> dict:
    return ok(xero.put("/BankTransactions", {"BankTransactions": [spend_body(**overrides)]}), "BankTransactions")


def spend_body(**overrides) -> dict:
    return {
        "Type": "SPEND",
        "Contact": {"Name": "Acme"},
        "BankAccount": {"Code": "090"},
        "Date": "2026-01-15",
        "LineItems": [{"UnitAmount": D("100.00"), "AccountCode": "429"}],
        **overrides,
    }


def transfer_body(**overrides) -> dict:
    return {
        "FromBankAccount": {"Code": "090"},
        "ToBankAccount": {"Code": "091"},
        "Amount": D("10.00"),
        "Date": "2026-01-15",
        **overrides,
    }


@pytest.fixture
def savings(emulator):
    """A second bank account (091) for transfers."""
    backend = books(emulator)
    with emulator.store.transaction():
        backend._insert_account({"Code": "091", "Name": "Savings", "Type": "BANK", "BankAccountNumber": "1"})


# --- the organisation shows them ------------------------------------------------------------------------


def test_organisation_shows_the_lock_dates(client, xero):
    lock(client, "2026-01-15", "2025-12-31")
    organisation = ok(xero.get("/Organisation"), "Organisations")
    assert organisation["PeriodLockDate"] == "/Date(1768435200000+0000)/"
    assert organisation["EndOfYearLockDate"] == "/Date(1767139200000+0000)/"


def test_an_organisation_without_lock_dates_shows_none(xero):
    organisation = ok(xero.get("/Organisation"), "Organisations")
    assert "PeriodLockDate" not in organisation and "EndOfYearLockDate" not in organisation


# --- which messages ---------------------------------------------------------------------------------------


def test_a_date_locked_by_both_gets_both_messages(client, xero):
    lock(client, "2026-01-15", "2026-01-15")
    refused(xero.put("/Invoices", {"Invoices": [invoice_body()]}), PERIOD_LOCKED, YEAR_LOCKED)


def test_the_end_of_year_lock_alone_gets_its_own_message(client, xero):
    lock(client, None, "2026-01-15")
    refused(xero.put("/Invoices", {"Invoices": [invoice_body(Date="2026-01-10")]}), YEAR_LOCKED)


def test_the_lock_message_is_given_with_the_other_errors(client, xero):
    lock(client)
    body = invoice_body(LineItems=[])
    refused(xero.put("/Invoices", {"Invoices": [body]}), "One or more line items must be specified", PERIOD_LOCKED)


# --- invoices and credit notes ----------------------------------------------------------------------------


def test_approving_on_the_lock_date_is_refused(client, xero):
    lock(client)
    refused(xero.put("/Invoices", {"Invoices": [invoice_body(Date="2026-01-15")]}), PERIOD_LOCKED)


def test_approving_the_day_after_the_lock_date_is_accepted(client, xero):
    lock(client)
    invoice = ok(xero.put("/Invoices", {"Invoices": [invoice_body(Date="2026-01-16")]}), "Invoices")
    assert invoice["Status"] == "AUTHORISED"


def test_a_draft_in_a_locked_period_is_allowed_but_cannot_be_approved(client, xero):
    lock(client)
    draft = create_invoice(xero, Date="2026-01-10", Status="DRAFT")
    assert draft["Status"] == "DRAFT"
    assert ok(update_invoice(xero, draft, Reference="still a draft"), "Invoices")["Reference"] == "still a draft"
    refused(update_invoice(xero, draft, Status="AUTHORISED"), PERIOD_LOCKED)


def test_voiding_an_invoice_dated_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-10")
    lock(client)
    refused(update_invoice(xero, invoice, Status="VOIDED"), PERIOD_LOCKED)


def test_voiding_an_invoice_dated_after_the_lock_is_accepted(client, xero):
    invoice = create_invoice(xero, Date="2026-01-16")
    lock(client)
    assert ok(update_invoice(xero, invoice, Status="VOIDED"), "Invoices")["Status"] == "VOIDED"


def test_deleting_a_draft_in_a_locked_period_is_allowed(client, xero):
    draft = create_invoice(xero, Date="2026-01-10", Status="DRAFT")
    lock(client)
    assert ok(update_invoice(xero, draft, Status="DELETED"), "Invoices")["Status"] == "DELETED"


def test_editing_an_approved_invoice_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-10")
    lock(client)
    refused(update_invoice(xero, invoice, Reference="late change"), PERIOD_LOCKED)


def test_moving_an_approved_invoice_into_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-20")
    lock(client)
    refused(update_invoice(xero, invoice, Date="2026-01-14"), PERIOD_LOCKED)
    assert ok(update_invoice(xero, invoice, Date="2026-01-16"), "Invoices")["Date"] == "/Date(1768521600000+0000)/"


def test_a_credit_note_in_a_locked_period_is_refused(client, xero):
    lock(client)
    refused(xero.put("/CreditNotes", {"CreditNotes": [credit_note_body(Date="2026-01-15")]}), PERIOD_LOCKED)
    assert ok(xero.put("/CreditNotes", {"CreditNotes": [credit_note_body()]}), "CreditNotes")["Status"] == "AUTHORISED"


def test_voiding_a_credit_note_in_a_locked_period_is_refused(client, xero):
    credit = create_credit_note(xero, Date="2026-01-10")
    lock(client)
    response = xero.post(f"/CreditNotes/{credit['CreditNoteID']}", {"CreditNotes": [{"Status": "VOIDED"}]})
    refused(response, PERIOD_LOCKED)


# --- payments and allocations -----------------------------------------------------------------------------


def test_a_payment_dated_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-16")
    lock(client)
    refused(xero.put("/Payments", {"Payments": [payment_body(invoice, "10.00", Date="2026-01-15")]}), PERIOD_LOCKED)
    assert pay(xero, invoice, "10.00", Date="2026-01-16")["Status"] == "AUTHORISED"


def test_deleting_a_payment_dated_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-10")
    locked_payment = pay(xero, invoice, "10.00", Date="2026-01-12")
    open_payment = pay(xero, invoice, "10.00", Date="2026-01-20")
    lock(client)
    refused(xero.post(f"/Payments/{locked_payment['PaymentID']}", {"Status": "DELETED"}), PERIOD_LOCKED)
    deleted = ok(xero.post(f"/Payments/{open_payment['PaymentID']}", {"Status": "DELETED"}), "Payments")
    assert deleted["Status"] == "DELETED"


def test_an_allocation_dated_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-10")
    credit = create_credit_note(xero, Date="2026-01-10")
    lock(client)
    refused(allocate(xero, credit, invoice, "10.00", date="2026-01-15"), PERIOD_LOCKED)
    assert ok(allocate(xero, credit, invoice, "10.00", date="2026-01-16"), "Allocations")["Amount"] == D("10.00")


def test_deleting_an_allocation_dated_in_a_locked_period_is_refused(client, xero):
    invoice = create_invoice(xero, Date="2026-01-10")
    credit = create_credit_note(xero, Date="2026-01-10")
    early = ok(allocate(xero, credit, invoice, "10.00", date="2026-01-12"), "Allocations")
    late = ok(allocate(xero, credit, invoice, "10.00", date="2026-01-20"), "Allocations")
    lock(client)
    path = f"/CreditNotes/{credit['CreditNoteID']}/Allocations/"
    refused(xero.delete(path + early["AllocationID"]), PERIOD_LOCKED)
    assert xero.delete(path + late["AllocationID"]).status_code == 200


# --- bank transactions and transfers ----------------------------------------------------------------------


def test_a_bank_transaction_dated_in_a_locked_period_is_refused(client, xero):
    lock(client)
    refused(xero.put("/BankTransactions", {"BankTransactions": [spend_body()]}), PERIOD_LOCKED)
    created = ok(
        xero.put("/BankTransactions", {"BankTransactions": [spend_body(Date="2026-01-16")]}), "BankTransactions"
    )
    assert created["Status"] == "AUTHORISED"


def test_changing_or_deleting_a_locked_bank_transaction_is_refused_but_reconciling_is_not(client, xero):
    created = ok(
        xero.put("/BankTransactions", {"BankTransactions": [spend_body(Date="2026-01-10")]}), "BankTransactions"
    )
    path = f"/BankTransactions/{created['BankTransactionID']}"
    lock(client)
    refused(xero.post(path, {"BankTransactions": [{"Status": "DELETED"}]}), PERIOD_LOCKED)
    refused(xero.post(path, {"BankTransactions": [{"Reference": "late"}]}), PERIOD_LOCKED)
    refused(xero.post(path, {"BankTransactions": [{"Date": "2026-01-20"}]}), PERIOD_LOCKED)
    reconciled = ok(xero.post(path, {"BankTransactions": [{"IsReconciled": True}]}), "BankTransactions")
    assert reconciled["IsReconciled"] is True


def test_moving_a_bank_transaction_out_of_the_open_period_into_a_locked_one_is_refused(client, xero):
    created = ok(
        xero.put("/BankTransactions", {"BankTransactions": [spend_body(Date="2026-01-20")]}), "BankTransactions"
    )
    path = f"/BankTransactions/{created['BankTransactionID']}"
    lock(client)
    refused(xero.post(path, {"BankTransactions": [{"Date": "2026-01-02"}]}), PERIOD_LOCKED)
    assert ok(xero.post(path, {"BankTransactions": [{"Status": "DELETED"}]}), "BankTransactions")["Status"] == "DELETED"


def test_a_bank_transfer_dated_in_a_locked_period_is_refused(client, xero, savings):
    lock(client)
    refused(xero.put("/BankTransfers", {"BankTransfers": [transfer_body()]}), PERIOD_LOCKED)
    created = ok(xero.put("/BankTransfers", {"BankTransfers": [transfer_body(Date="2026-01-16")]}), "BankTransfers")
    assert created["Status"] == "AUTHORISED"


def test_deleting_a_bank_transfer_dated_in_a_locked_period_is_refused(client, xero, savings):
    early = ok(xero.put("/BankTransfers", {"BankTransfers": [transfer_body(Date="2026-01-10")]}), "BankTransfers")
    late = ok(xero.put("/BankTransfers", {"BankTransfers": [transfer_body(Date="2026-01-20")]}), "BankTransfers")
    lock(client)
    refused(xero.post(f"/BankTransfers/{early['BankTransferID']}", {"Status": "DELETED"}), PERIOD_LOCKED)
    deleted = ok(xero.post(f"/BankTransfers/{late['BankTransferID']}", {"Status": "DELETED"}), "BankTransfers")
    assert deleted["Status"] == "DELETED"


# --- the guard under every posting ------------------------------------------------------------------------


def test_no_journal_posts_into_a_locked_period_whatever_path_posts_it(client, emulator):
    lock(client)
    backend = books(emulator)
    bank, sales = backend.account_by_code("090"), backend.account_by_code("200")
    lines = [Line(bank, D("5.00")), Line(sales, D("-5.00"))]
    with pytest.raises(ValidationException) as refusal, emulator.store.transaction():
        backend.post_journal(
            source_type="CASHREC", source_id="x", journal_date=date(2026, 1, 15), currency="NZD", lines=lines
        )
    assert refusal.value.messages == [PERIOD_LOCKED]


class Undo(Exception):
    """Raised to roll back a journal posted only to be looked at."""


def test_a_journal_after_the_lock_date_posts(client, emulator):
    lock(client)
    backend = books(emulator)
    bank, sales = backend.account_by_code("090"), backend.account_by_code("200")
    lines = [Line(bank, D("5.00")), Line(sales, D("-5.00"))]
    with pytest.raises(Undo), emulator.store.transaction():
        journal = backend.post_journal(
            source_type="CASHREC", source_id="x", journal_date=date(2026, 1, 16), currency="NZD", lines=lines
        )
        assert journal is not None and journal["JournalDate"] == date(2026, 1, 16)
        raise Undo
