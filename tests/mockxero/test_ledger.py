"""The ledger check on small hand-built books: each invariant kept, and each one broken."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from mockxero.ledger import Book, LedgerError, ledger_report, validate, validate_emulator
from tests.helpers import ledger_breaks
from tests.mockxero.helpers import add_spend as spend_over_http
from tests.mockxero.helpers import break_first_journal

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 2, 1, tzinfo=UTC)


def account(account_id, code, kind, system=None, **extra):
    record = {
        "AccountID": account_id,
        "Code": code,
        "Name": f"Account {code}",
        "Type": kind,
        "Status": "ACTIVE",
        "UpdatedDateUTC": T0,
        **extra,
    }
    if system:
        record["SystemAccount"] = system
    return record


BANK = account("bank", "090", "BANK")
SAVINGS = account("savings", "091", "BANK")
SALES = account("sales", "200", "REVENUE")
EXPENSES = account("expenses", "429", "EXPENSE")
AR = account("ar", "610", "CURRENT", "DEBTORS")
AP = account("ap", "800", "CURRLIAB", "CREDITORS")
GST = account("gst", "820", "CURRLIAB", "GST")
ACCOUNTS = {a["AccountID"]: a for a in (BANK, SAVINGS, SALES, EXPENSES, AR, AP, GST)}


def journal(number, source_type, source_id, *lines, currency="NZD", **extra):
    return {
        "JournalID": f"j{number}",
        "JournalNumber": number,
        "JournalDate": date(2026, 1, 10),
        "CreatedDateUTC": T0,
        "SourceID": source_id,
        "SourceType": source_type,
        "CurrencyCode": currency,
        "JournalLines": [
            {"AccountID": a["AccountID"], "AccountCode": a["Code"], "NetAmount": D(amount)} for a, amount in lines
        ],
        **extra,
    }


def invoice(
    invoice_id, total, *, status="AUTHORISED", paid="0.00", credited="0.00", due=None, kind="ACCREC", currency="NZD"
):
    total, paid, credited = D(total), D(paid), D(credited)
    return {
        "InvoiceID": invoice_id,
        "InvoiceNumber": invoice_id.upper(),
        "Type": kind,
        "Status": status,
        "Total": total,
        "AmountPaid": paid,
        "AmountCredited": credited,
        "AmountDue": D(due) if due is not None else total - paid - credited,
        "CurrencyCode": currency,
    }


def book(
    *,
    accounts=ACCOUNTS,
    journals=(),
    invoices=(),
    credit_notes=(),
    payments=(),
    allocations=(),
    bank_transactions=(),
    bank_transfers=(),
):
    return Book(
        tenant_id="t",
        name="Test Ltd",
        base_currency="NZD",
        accounts=accounts,
        journals=list(journals),
        invoices={r["InvoiceID"]: r for r in invoices},
        credit_notes={r["CreditNoteID"]: r for r in credit_notes},
        payments={r["PaymentID"]: r for r in payments},
        allocations=list(allocations),
        bank_transactions={r["BankTransactionID"]: r for r in bank_transactions},
        bank_transfers={r["BankTransferID"]: r for r in bank_transfers},
    )


def spend(transaction_id, total, bank=BANK, status="AUTHORISED"):
    return {
        "BankTransactionID": transaction_id,
        "Type": "SPEND",
        "Status": status,
        "Total": D(total),
        "BankAccount": {"AccountID": bank["AccountID"]},
        "CurrencyCode": "NZD",
    }


def messages(errors):
    return [error.message for error in errors]


# --- a sound book --------------------------------------------------------------------------------------


def sound_book():
    """An invoice part-paid, a part-allocated credit note, a spend, a transfer: everything agrees."""
    return book(
        invoices=[invoice("inv1", "115.00", paid="50.00", credited="10.00")],
        credit_notes=[
            {
                "CreditNoteID": "cn1",
                "CreditNoteNumber": "CN-1",
                "Type": "ACCRECCREDIT",
                "Status": "AUTHORISED",
                "Total": D("23.00"),
                "RemainingCredit": D("13.00"),
                "CurrencyCode": "NZD",
            }
        ],
        payments=[
            {
                "PaymentID": "pay1",
                "PaymentType": "ACCRECPAYMENT",
                "Status": "AUTHORISED",
                "Amount": D("50.00"),
                "Account": {"AccountID": "bank"},
                "Invoice": {"InvoiceID": "inv1"},
            }
        ],
        allocations=[
            {
                "AllocationID": "al1",
                "Amount": D("10.00"),
                "Invoice": {"InvoiceID": "inv1"},
                "CreditNote": {"CreditNoteID": "cn1"},
            }
        ],
        bank_transactions=[spend("bt1", "23.00")],
        bank_transfers=[
            {
                "BankTransferID": "tr1",
                "Status": "AUTHORISED",
                "Amount": D("5.00"),
                "FromBankAccount": {"AccountID": "bank"},
                "ToBankAccount": {"AccountID": "savings"},
            }
        ],
        journals=[
            journal(1, "ACCREC", "inv1", (AR, "115.00"), (SALES, "-100.00"), (GST, "-15.00")),
            journal(2, "ACCRECCREDIT", "cn1", (SALES, "20.00"), (GST, "3.00"), (AR, "-23.00")),
            journal(3, "ACCRECPAYMENT", "pay1", (BANK, "50.00"), (AR, "-50.00")),
            journal(4, "CASHPAID", "bt1", (EXPENSES, "20.00"), (GST, "3.00"), (BANK, "-23.00")),
            journal(5, "TRANSFER", "tr1", (SAVINGS, "5.00"), (BANK, "-5.00")),
        ],
    )


def test_a_sound_book_has_no_errors():
    assert validate(sound_book()) == []


def test_the_report_derives_balances_and_the_trial_balance():
    report = ledger_report(sound_book())
    assert report["balanced"] is True and report["errors"] == []
    balances = {row["Code"]: row["Balance"] for row in report["accounts"]}
    assert balances == {
        "090": D("22.00"),
        "091": D("5.00"),
        "200": D("-80.00"),
        "429": D("20.00"),
        "610": D("42.00"),
        "820": D("-9.00"),
    }
    assert report["trial_balance"] == [
        {"CurrencyCode": "NZD", "Debits": D("89.00"), "Credits": D("89.00"), "Difference": D("0.00")}
    ]


# --- invariant 1: journals balance, the trial balance sums to zero -------------------------------------


def test_an_unbalanced_journal_is_reported_and_so_is_the_trial_balance():
    books = book(
        bank_transactions=[spend("bt1", "23.00")],
        journals=[journal(1, "CASHPAID", "bt1", (EXPENSES, "23.00"), (BANK, "-22.00"))],
    )
    errors = validate(books)
    assert errors[0] == LedgerError(
        "Journal", "Journal 1 (CASHPAID bt1) does not balance: debits exceed credits by 1.00 NZD", "j1"
    )
    assert LedgerError("Ledger", "The trial balance in NZD does not sum to zero: off by 1.00", "NZD") in errors


def test_balance_is_judged_per_currency():
    books = book(
        bank_transactions=[spend("bt1", "10.00")],
        journals=[journal(1, "CASHPAID", "bt1", (EXPENSES, "10.00"), (BANK, "-10.00"), currency="USD")],
    )
    assert [e for e in validate(books) if e.source in ("Journal", "Ledger")] == []


# --- invariant 2: lines hit existing, active accounts; cash moves through bank accounts ----------------


def test_a_line_on_an_unknown_account_is_reported():
    ghost = account("ghost", "999", "EXPENSE")
    books = book(
        bank_transactions=[spend("bt1", "10.00")],
        journals=[journal(1, "CASHPAID", "bt1", (ghost, "10.00"), (BANK, "-10.00"))],
    )
    assert "Journal 1 (CASHPAID bt1) posts to account 999 that does not exist" in messages(validate(books))


def test_a_line_on_a_deleted_account_is_reported():
    accounts = {**ACCOUNTS, "expenses": {**EXPENSES, "Status": "DELETED"}}
    books = book(
        accounts=accounts,
        bank_transactions=[spend("bt1", "10.00")],
        journals=[journal(1, "CASHPAID", "bt1", (EXPENSES, "10.00"), (BANK, "-10.00"))],
    )
    assert messages(validate(books)) == ["Journal 1 (CASHPAID bt1) posts to deleted account Account 429 (429)"]


def test_archiving_an_account_after_it_was_used_is_fine_but_posting_to_it_afterwards_is_not():
    accounts = {**ACCOUNTS, "expenses": {**EXPENSES, "Status": "ARCHIVED", "UpdatedDateUTC": T0}}
    before = journal(1, "CASHPAID", "bt1", (EXPENSES, "10.00"), (BANK, "-10.00"))
    after = journal(2, "CASHPAID", "bt2", (EXPENSES, "10.00"), (BANK, "-10.00"), CreatedDateUTC=T1)
    books = book(
        accounts=accounts, bank_transactions=[spend("bt1", "10.00"), spend("bt2", "10.00")], journals=[before, after]
    )
    assert messages(validate(books)) == [
        "Journal 2 (CASHPAID bt2) posts to account Account 429 (429) after it was archived"
    ]


def test_cash_through_an_account_that_is_not_a_bank_account_is_reported():
    books = book(
        bank_transactions=[spend("bt1", "10.00", bank=SALES)],
        journals=[journal(1, "CASHPAID", "bt1", (EXPENSES, "10.00"), (SALES, "-10.00"))],
    )
    assert messages(validate(books)) == [
        "Journal 1 (CASHPAID bt1) moves cash through Account 200 (200), which is not a bank account"
    ]


def test_a_payment_may_use_an_account_with_payments_enabled():
    clearing = account("clearing", "880", "CURRENT", EnablePaymentsToAccount=True)
    books = book(
        accounts={**ACCOUNTS, "clearing": clearing},
        invoices=[invoice("inv1", "10.00", status="PAID", paid="10.00")],
        payments=[
            {
                "PaymentID": "p1",
                "PaymentType": "ACCRECPAYMENT",
                "Status": "AUTHORISED",
                "Amount": D("10.00"),
                "Account": {"AccountID": "clearing"},
                "Invoice": {"InvoiceID": "inv1"},
            }
        ],
        journals=[
            journal(1, "ACCREC", "inv1", (AR, "10.00"), (SALES, "-10.00")),
            journal(2, "ACCRECPAYMENT", "p1", (clearing, "10.00"), (AR, "-10.00")),
        ],
    )
    assert validate(books) == []


def test_a_bank_account_touched_outside_a_cash_movement_is_reported_twice():
    # Invoice coded straight to the bank: the line is wrong, and the bank no longer equals its cash.
    books = book(
        invoices=[invoice("inv1", "10.00")], journals=[journal(1, "ACCREC", "inv1", (AR, "10.00"), (BANK, "-10.00"))]
    )
    assert messages(validate(books)) == [
        "Journal 1 (ACCREC inv1) posts to bank account Account 090 (090) outside a cash movement",
        "Bank account Account 090 (090) has a balance of -10.00 NZD but its bank-side lines sum to 0.00",
    ]


def test_a_journal_whose_source_does_not_exist_is_reported():
    books = book(journals=[journal(1, "CASHREC", "nobody", (BANK, "1.00"), (SALES, "-1.00"))])
    assert messages(validate(books))[0] == "Journal 1 (CASHREC nobody) its source CASHREC nobody does not exist"


# --- invariant 3: control accounts equal what documents leave outstanding ------------------------------


def test_receivables_that_disagree_with_the_invoices_are_reported():
    books = book(
        invoices=[invoice("inv1", "100.00")], journals=[journal(1, "ACCREC", "inv1", (AR, "90.00"), (SALES, "-90.00"))]
    )
    assert messages(validate(books)) == [
        "Accounts Receivable in NZD is 90.00 but the authorised documents leave 100.00 outstanding",
        "Invoice INV1 (AUTHORISED) should leave 100.00 on Account 610 (610) but its journals leave 90.00",
    ]


def test_payables_are_checked_with_their_credit_sign():
    books = book(
        invoices=[invoice("bill", "40.00", kind="ACCPAY")],
        journals=[journal(1, "ACCPAY", "bill", (EXPENSES, "40.00"), (AP, "-40.00"))],
    )
    assert validate(books) == []


def test_control_accounts_are_checked_per_currency():
    books = book(
        invoices=[invoice("inv1", "10.00", currency="USD")],
        journals=[journal(1, "ACCREC", "inv1", (AR, "10.00"), (SALES, "-10.00"), currency="NZD")],
    )
    assert messages(validate(books)) == [
        "Accounts Receivable in USD is 0 but the authorised documents leave 10.00 outstanding",
        "Accounts Receivable in NZD is 10.00 but the authorised documents leave 0 outstanding",
        # the same line, weighed in base: it was posted as a base-currency line, not as the USD invoice's
        "Accounts Receivable holds 0.00 NZD for foreign-currency documents but they leave 10.00 NZD "
        "outstanding at their rates",
    ]


# --- invariant 4: documents agree with themselves and with their journals ------------------------------


def test_invoice_arithmetic_status_and_payments_are_checked_all_at_once():
    bad = invoice("inv1", "100.00", paid="30.00", due="60.00", status="PAID")
    books = book(
        invoices=[bad],
        payments=[
            {
                "PaymentID": "p1",
                "PaymentType": "ACCRECPAYMENT",
                "Status": "AUTHORISED",
                "Amount": D("20.00"),
                "Account": {"AccountID": "bank"},
                "Invoice": {"InvoiceID": "inv1"},
            }
        ],
        journals=[
            journal(1, "ACCREC", "inv1", (AR, "100.00"), (SALES, "-100.00")),
            journal(2, "ACCRECPAYMENT", "p1", (BANK, "20.00"), (AR, "-20.00")),
        ],
    )
    invoice_errors = [e.message for e in validate(books) if e.source == "Invoice"]
    assert invoice_errors == [
        "Invoice INV1 has AmountDue 60.00 but Total 100.00 − AmountPaid 30.00 − AmountCredited 0.00 = 70.00",
        "Invoice INV1 is PAID with AmountDue 60.00",
        "Invoice INV1 has AmountPaid 30.00 but its payments sum to 20.00",
    ]


def test_an_authorised_invoice_with_nothing_due_should_be_paid():
    books = book(
        invoices=[invoice("inv1", "10.00", paid="10.00")],
        payments=[
            {
                "PaymentID": "p1",
                "PaymentType": "ACCRECPAYMENT",
                "Status": "AUTHORISED",
                "Amount": D("10.00"),
                "Account": {"AccountID": "bank"},
                "Invoice": {"InvoiceID": "inv1"},
            }
        ],
        journals=[
            journal(1, "ACCREC", "inv1", (AR, "10.00"), (SALES, "-10.00")),
            journal(2, "ACCRECPAYMENT", "p1", (BANK, "10.00"), (AR, "-10.00")),
        ],
    )
    assert messages(validate(books)) == ["Invoice INV1 is AUTHORISED with AmountDue 0.00"]


def test_a_negative_amount_due_is_reported():
    books = book(
        invoices=[invoice("inv1", "10.00", due="-1.00", credited="11.00")],
        journals=[journal(1, "ACCREC", "inv1", (AR, "10.00"), (SALES, "-10.00"))],
    )
    assert "Invoice INV1 has a negative AmountDue -1.00" in messages(validate(books))


def test_a_voided_invoice_owes_nothing_and_is_fully_reversed():
    voided = invoice("inv1", "10.00", status="VOIDED", due="10.00")
    posted = journal(1, "ACCREC", "inv1", (AR, "10.00"), (SALES, "-10.00"))
    errors = messages(validate(book(invoices=[voided], journals=[posted])))
    assert "Invoice INV1 is VOIDED but still has AmountDue 10.00" in errors
    assert (
        "Invoice INV1 (VOIDED) is not fully reversed: Account 610 (610) 10.00 NZD, Account 200 (200) -10.00 NZD"
    ) in errors

    reversal = journal(2, "ACCREC", "inv1", (AR, "-10.00"), (SALES, "10.00"), ReversesJournalID="j1")
    fixed = invoice("inv1", "10.00", status="VOIDED", due="0.00")
    assert validate(book(invoices=[fixed], journals=[posted, reversal])) == []


def test_credit_note_remaining_credit_must_account_for_allocations_and_refunds():
    note = {
        "CreditNoteID": "cn1",
        "CreditNoteNumber": "CN-1",
        "Type": "ACCRECCREDIT",
        "Status": "PAID",
        "Total": D("10.00"),
        "RemainingCredit": D("2.00"),
        "CurrencyCode": "NZD",
    }
    books = book(
        credit_notes=[note],
        allocations=[
            {
                "Amount": D("5.00"),
                "Invoice": {"InvoiceID": "x"},
                "CreditNote": {"CreditNoteID": "cn1"},
                "IsDeleted": True,
            }
        ],
        journals=[journal(1, "ACCRECCREDIT", "cn1", (SALES, "10.00"), (AR, "-10.00"))],
    )
    assert [e.message for e in validate(books) if e.source == "CreditNote"] == [
        "Credit note CN-1 has RemainingCredit 2.00 but Total 10.00 − allocations and refunds 0 = 10.00",
        "Credit note CN-1 is PAID with RemainingCredit 2.00",
    ]


def test_a_deleted_bank_transaction_must_be_reversed():
    books = book(
        bank_transactions=[spend("bt1", "10.00", status="DELETED")],
        journals=[journal(1, "CASHPAID", "bt1", (EXPENSES, "10.00"), (BANK, "-10.00"))],
    )
    assert messages(validate(books)) == [
        "Bank transaction bt1 (SPEND, DELETED) is not fully reversed: Account 429 (429) 10.00 NZD, "
        "Account 090 (090) -10.00 NZD"
    ]


def test_a_transfer_must_post_its_amount_to_both_sides():
    transfer = {
        "BankTransferID": "tr1",
        "Status": "AUTHORISED",
        "Amount": D("5.00"),
        "FromBankAccount": {"AccountID": "bank"},
        "ToBankAccount": {"AccountID": "savings"},
    }
    books = book(
        bank_transfers=[transfer], journals=[journal(1, "TRANSFER", "tr1", (SAVINGS, "4.00"), (BANK, "-4.00"))]
    )
    assert messages(validate(books)) == [
        "Bank transfer tr1 (AUTHORISED) should leave 5.00 on Account 091 (091) but its journals leave 4.00",
        "Bank transfer tr1 (AUTHORISED) should leave -5.00 on Account 090 (090) but its journals leave -4.00",
    ]


def test_every_break_is_reported_not_just_the_first():
    books = sound_book()
    books.invoices["inv1"]["AmountDue"] = D("1.00")
    books.journals[3]["JournalLines"][0]["NetAmount"] = D("21.00")
    sources = [error.source for error in validate(books)]
    assert sources == ["Journal", "Ledger", "Account", "Invoice"]


# --- on a running emulator -----------------------------------------------------------------------------


def test_validate_emulator_checks_every_tenant_without_http(emulator):
    results = validate_emulator(emulator)
    assert results == {tenant: [] for tenant in emulator.identity.tenants}


# --- the suite's autouse check (tests/conftest.py) -----------------------------------------------------


@pytest.mark.ledger_unchecked
def test_the_autouse_check_tracks_the_test_emulator_and_reports_its_breaks(ledger_check, xero, emulator):
    assert [tracked for tracked, _ in ledger_check] == [emulator]
    spend_over_http(xero)
    assert ledger_breaks(ledger_check) is None
    break_first_journal(emulator)
    assert "does not balance: debits exceed credits by 0.01 NZD" in ledger_breaks(ledger_check)


@pytest.mark.ledger_unchecked
def test_the_autouse_check_skips_books_nobody_wrote_to(xero, emulator):
    spend_over_http(xero)
    break_first_journal(emulator)
    assert ledger_breaks([(emulator, emulator.store.write_count)]) is None
