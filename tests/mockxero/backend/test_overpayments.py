"""Overpayments and prepayments on the backend directly: created by bank transactions, allocated, refunded,
voided, and what each posts; the ledger check is clean after every accepted write and catches a broken one.

The accepted case of every rule beside its refused one, the refusal read as the exact message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from mockxero.backend.allocations import ALREADY_PAID, NOT_POSITIVE
from mockxero.backend.documents import LOCKED
from mockxero.backend.overpayments import (
    NO_FOREIGN_PREPAYMENT,
    NOT_A_CREDIT,
    NOT_EDITABLE,
    NOT_POSITIVE_CREDIT,
    ONE_LINE,
    OVERPAYMENT_CREDIT,
    PREPAYMENT_CREDIT,
)
from mockxero.backend.payments import NOT_AUTHORISED, OVERPAID
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.emulator import Emulator
from mockxero.exceptions import ValidationException
from mockxero.ledger import book_from_store, validate

DAY = date(2026, 1, 15)


@pytest.fixture
def emulator():
    return Emulator(MockConfig(clock=ManualClock()))


@pytest.fixture
def books(emulator):
    with emulator.store.transaction():
        yield emulator.backend(DEFAULT_TENANT_ID)


def clean(emulator) -> None:
    assert validate(book_from_store(emulator.store, DEFAULT_TENANT_ID)) == []


def refused(call, *args) -> list[str]:
    with pytest.raises(ValidationException) as caught:
        call(*args)
    return caught.value.messages


def credit_transaction(kind: str, *lines: dict, contact: str = "Acme", bank: str = "090", **extra) -> dict:
    values = {"Type": kind, "Contact": {"Name": contact}, "BankAccount": {"Code": bank}, "Date": DAY}
    values["LineItems"] = list(lines) or [{"Description": "Paid twice", "UnitAmount": D("50.00")}]
    values.update(extra)
    return values


def invoice(books, amount: str = "20.00", *, kind: str = "ACCREC", contact: str = "Acme") -> dict:
    line = {"Description": "Work", "Quantity": D(1), "UnitAmount": D(amount), "AccountCode": "200"}
    if kind == "ACCPAY":
        line["AccountCode"] = "429"
    values = {"Type": kind, "Contact": {"Name": contact}, "Date": DAY, "DueDate": DAY, "Status": "AUTHORISED"}
    return books.create_invoice({**values, "LineItems": [line]})


def postings(books, source_id: str) -> dict[str, D]:
    """What the live journals of one source leave on each account, by code."""
    left: dict[str, D] = {}
    for journal in books.journals_for(source_id):
        for line in journal["JournalLines"]:
            left[line["AccountCode"]] = left.get(line["AccountCode"], D("0.00")) + line["NetAmount"]
    return {code: amount for code, amount in left.items() if amount}


def allocation(invoice_record: dict, amount: str) -> dict:
    return {"Invoice": {"InvoiceID": invoice_record["InvoiceID"]}, "Amount": D(amount), "Date": DAY}


def refund(field: str, credit: dict, amount: str) -> dict:
    return {field: {f"{field}ID": credit[f"{field}ID"]}, "Account": {"Code": "090"}, "Date": DAY, "Amount": D(amount)}


# -- creation --


def test_a_receive_overpayment_waits_on_accounts_receivable(emulator, books):
    transaction = books.create_bank_transaction(
        credit_transaction(
            "RECEIVE-OVERPAYMENT", {"UnitAmount": D("50.00"), "AccountCode": "200", "TaxType": "OUTPUT2"}
        )
    )
    overpayment = books.overpayment(transaction["OverpaymentID"])
    line = overpayment["LineItems"][0]
    # Coded to the control account without tax, whatever the client sent.
    assert (line["AccountCode"], line["TaxType"], line["TaxAmount"]) == ("610", "NONE", D("0.00"))
    assert (overpayment["Status"], overpayment["Total"], overpayment["RemainingCredit"]) == (
        "AUTHORISED",
        D("50.00"),
        D("50.00"),
    )
    assert overpayment["LineAmountTypes"] == "NoTax"
    assert postings(books, overpayment["OverpaymentID"]) == {"090": D("50.00"), "610": D("-50.00")}
    assert [j["SourceType"] for j in books.journals_for(overpayment["OverpaymentID"])] == ["AROVERPAYMENT"]
    assert books.journals_for(transaction["BankTransactionID"]) == []  # the credit posts, under its own id
    clean(emulator)


def test_a_spend_overpayment_waits_on_accounts_payable(emulator, books):
    transaction = books.create_bank_transaction(credit_transaction("SPEND-OVERPAYMENT", contact="Supplier"))
    overpayment = books.overpayment(transaction["OverpaymentID"])
    assert postings(books, overpayment["OverpaymentID"]) == {"090": D("-50.00"), "800": D("50.00")}
    assert [j["SourceType"] for j in books.journals_for(overpayment["OverpaymentID"])] == ["APOVERPAYMENT"]
    clean(emulator)


def test_an_overpayment_has_one_line(books):
    two = credit_transaction("RECEIVE-OVERPAYMENT", {"UnitAmount": D("10.00")}, {"UnitAmount": D("5.00")})
    assert refused(books.create_bank_transaction, two) == [ONE_LINE]
    assert ONE_LINE == "An overpayment must have exactly one line item."


def test_a_prepayment_keeps_its_lines_accounts_and_tax(emulator, books):
    deposit = {"Description": "Deposit", "UnitAmount": D("100.00"), "AccountCode": "200", "TaxType": "OUTPUT2"}
    transaction = books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", deposit))
    prepayment = books.prepayment(transaction["PrepaymentID"])
    assert (prepayment["Total"], prepayment["TotalTax"], prepayment["RemainingCredit"]) == (
        D("115.00"),
        D("15.00"),
        D("115.00"),
    )
    assert postings(books, prepayment["PrepaymentID"]) == {"090": D("115.00"), "200": D("-100.00"), "820": D("-15.00")}
    assert [j["SourceType"] for j in books.journals_for(prepayment["PrepaymentID"])] == ["ARPREPAYMENT"]
    clean(emulator)


def test_a_prepayment_in_a_foreign_currency_bank_account_is_refused(books):
    books.create_account(
        {"Code": "095", "Name": "USD Account", "Type": "BANK", "BankAccountNumber": "9", "CurrencyCode": "USD"}
    )
    deposit = {"UnitAmount": D("100.00"), "AccountCode": "200"}
    assert refused(books.create_bank_transaction, credit_transaction("RECEIVE-PREPAYMENT", deposit, bank="095")) == [
        NO_FOREIGN_PREPAYMENT
    ]
    assert books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT", bank="095"))["CurrencyCode"] == "USD"


def test_a_foreign_overpayment_posts_in_base_currency_at_its_rate(emulator, books):
    books.create_account(
        {"Code": "095", "Name": "USD Account", "Type": "BANK", "BankAccountNumber": "9", "CurrencyCode": "USD"}
    )
    transaction = books.create_bank_transaction(
        credit_transaction("RECEIVE-OVERPAYMENT", bank="095", CurrencyRate=D("0.625000"))
    )
    overpayment = books.overpayment(transaction["OverpaymentID"])
    assert (overpayment["CurrencyCode"], overpayment["CurrencyRate"]) == ("USD", D("0.625000"))
    assert postings(books, overpayment["OverpaymentID"]) == {"095": D("80.00"), "610": D("-80.00")}  # 50 / 0.625
    clean(emulator)


# -- allocation --


def test_allocating_an_overpayment_lowers_both_balances_and_posts_nothing(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    sale = invoice(books)  # 23.00 with tax
    allocated = books.allocate_overpayment(overpayment_id, allocation(sale, "23.00"))
    overpayment = books.overpayment(overpayment_id)
    sale = books.invoice(sale["InvoiceID"])
    assert (overpayment["RemainingCredit"], overpayment["Status"]) == (D("27.00"), "AUTHORISED")
    assert (sale["AmountDue"], sale["AmountCredited"], sale["Status"]) == (D("0.00"), D("23.00"), "PAID")
    assert [o["OverpaymentID"] for o in sale["Overpayments"]] == [overpayment_id]
    assert allocated["Overpayment"] == {"OverpaymentID": overpayment_id}
    assert postings(books, allocated["AllocationID"]) == {}
    clean(emulator)


def test_an_overpayment_used_up_is_paid(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    books.allocate_overpayment(overpayment_id, allocation(invoice(books, "100.00"), "50.00"))
    overpayment = books.overpayment(overpayment_id)
    assert (overpayment["RemainingCredit"], overpayment["Status"]) == (D("0.00"), "PAID")
    clean(emulator)


def test_allocating_more_than_the_overpayment_holds_is_refused(books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    sale = invoice(books, "100.00")
    assert refused(books.allocate_overpayment, overpayment_id, allocation(sale, "50.01")) == [
        "Overpayment cannot be allocated as amount is greater than amount outstanding"
    ]
    assert refused(books.allocate_overpayment, overpayment_id, allocation(sale, "0")) == [NOT_POSITIVE]


def test_an_overpayment_pays_down_only_its_own_kind_of_invoice_and_contact(books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    bill = invoice(books, kind="ACCPAY")
    assert refused(books.allocate_overpayment, overpayment_id, allocation(bill, "10.00")) == [
        OVERPAYMENT_CREDIT.wrong_invoice_type
    ]
    assert OVERPAYMENT_CREDIT.wrong_invoice_type == "Overpayment cannot be allocated to an incorrect invoice type"
    other = invoice(books, contact="Someone Else")
    assert refused(books.allocate_overpayment, overpayment_id, allocation(other, "10.00")) == [
        "The overpayment and the invoice must belong to the same contact."
    ]


def test_an_invoice_already_paid_cannot_take_an_allocation(books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    sale = invoice(books)
    books.allocate_overpayment(overpayment_id, allocation(sale, "23.00"))
    assert refused(books.allocate_overpayment, overpayment_id, allocation(sale, "1.00")) == [ALREADY_PAID]


def test_deleting_an_allocation_gives_both_their_balances_back(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    sale = invoice(books, "100.00")
    allocated = books.allocate_overpayment(overpayment_id, allocation(sale, "50.00"))
    deleted = books.delete_overpayment_allocation(overpayment_id, allocated["AllocationID"])
    overpayment = books.overpayment(overpayment_id)
    assert deleted["IsDeleted"] is True
    assert (overpayment["RemainingCredit"], overpayment["Status"], overpayment["Allocations"]) == (
        D("50.00"),
        "AUTHORISED",
        [],
    )
    assert (books.invoice(sale["InvoiceID"])["AmountDue"], books.invoice(sale["InvoiceID"])["Overpayments"]) == (
        D("115.00"),
        [],
    )
    clean(emulator)


def test_a_prepayment_allocation_moves_its_share_of_each_line_onto_receivables(emulator, books):
    deposit = {"Description": "Deposit", "UnitAmount": D("100.00"), "AccountCode": "200", "TaxType": "OUTPUT2"}
    prepayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", deposit))["PrepaymentID"]
    sale = invoice(books, "30.00")  # 34.50 with tax
    allocated = books.allocate_prepayment(prepayment_id, allocation(sale, "34.50"))
    # 34.50 of 115.00 is 30 % of each line: 30.00 of the sales line and 4.50 of the tax.
    assert postings(books, allocated["AllocationID"]) == {"200": D("30.00"), "820": D("4.50"), "610": D("-34.50")}
    assert [j["SourceType"] for j in books.journals_for(allocated["AllocationID"])] == ["ARPREPAYMENT"]
    assert books.prepayment(prepayment_id)["RemainingCredit"] == D("80.50")
    clean(emulator)


def test_a_prepayment_used_in_uneven_parts_leaves_nothing_on_its_lines(emulator, books):
    lines = (
        {"UnitAmount": D("33.33"), "AccountCode": "200", "TaxType": "OUTPUT2"},
        {"UnitAmount": D("10.00"), "AccountCode": "260", "TaxType": "NONE"},
    )
    prepayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", *lines))["PrepaymentID"]
    total = books.prepayment(prepayment_id)["Total"]  # 33.33 + 5.00 tax + 10.00 = 48.33
    sale = invoice(books, "100.00")
    books.allocate_prepayment(prepayment_id, allocation(sale, "10.01"))
    clean(emulator)
    books.allocate_prepayment(prepayment_id, allocation(sale, "7.77"))
    clean(emulator)
    books.create_payment(refund("Prepayment", books.prepayment(prepayment_id), str(total - D("17.78"))))
    prepayment = books.prepayment(prepayment_id)
    assert (prepayment["RemainingCredit"], prepayment["Status"]) == (D("0.00"), "PAID")
    assert all(held == 0 for _, held in books.prepayment_holding(prepayment))
    clean(emulator)


def test_deleting_a_prepayment_allocation_reverses_its_journal(emulator, books):
    prepayment_id = books.create_bank_transaction(
        credit_transaction("SPEND-PREPAYMENT", {"UnitAmount": D("40.00"), "AccountCode": "429"}, contact="Supplier")
    )["PrepaymentID"]
    bill = invoice(books, "10.00", kind="ACCPAY", contact="Supplier")
    allocated = books.allocate_prepayment(prepayment_id, allocation(bill, "11.50"))
    assert postings(books, allocated["AllocationID"]) == {"429": D("-10.00"), "820": D("-1.50"), "800": D("11.50")}
    books.delete_prepayment_allocation(prepayment_id, allocated["AllocationID"])
    assert postings(books, allocated["AllocationID"]) == {}
    assert books.prepayment(prepayment_id)["RemainingCredit"] == D("46.00")
    clean(emulator)


def test_a_prepayment_pays_down_only_its_own_kind_of_invoice(books):
    prepayment_id = books.create_bank_transaction(
        credit_transaction("RECEIVE-PREPAYMENT", {"UnitAmount": D("40.00"), "AccountCode": "200"})
    )["PrepaymentID"]
    assert refused(books.allocate_prepayment, prepayment_id, allocation(invoice(books, kind="ACCPAY"), "1.00")) == [
        PREPAYMENT_CREDIT.wrong_invoice_type
    ]


# -- refunds --


def test_refunding_an_overpayment_pays_the_money_back_against_receivables(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    paid = books.create_payment(refund("Overpayment", books.overpayment(overpayment_id), "20.00"))
    assert paid["PaymentType"] == "AROVERPAYMENTPAYMENT"
    assert postings(books, paid["PaymentID"]) == {"090": D("-20.00"), "610": D("20.00")}
    assert [j["SourceType"] for j in books.journals_for(paid["PaymentID"])] == ["AROVERPAYMENT"]
    assert books.overpayment(overpayment_id)["RemainingCredit"] == D("30.00")
    clean(emulator)


def test_refunding_more_than_an_overpayment_holds_is_refused(books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    assert refused(books.create_payment, refund("Overpayment", books.overpayment(overpayment_id), "50.01")) == [
        OVERPAID
    ]


def test_a_used_up_overpayment_refuses_a_refund(books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    books.allocate_overpayment(overpayment_id, allocation(invoice(books, "100.00"), "50.00"))
    assert refused(books.create_payment, refund("Overpayment", books.overpayment(overpayment_id), "1.00")) == [
        NOT_AUTHORISED
    ]


def test_a_supplier_overpayment_refund_brings_money_in(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("SPEND-OVERPAYMENT", contact="Supplier"))[
        "OverpaymentID"
    ]
    paid = books.create_payment(refund("Overpayment", books.overpayment(overpayment_id), "50.00"))
    assert paid["PaymentType"] == "APOVERPAYMENTPAYMENT"
    assert postings(books, paid["PaymentID"]) == {"090": D("50.00"), "800": D("-50.00")}
    assert books.overpayment(overpayment_id)["Status"] == "PAID"
    clean(emulator)


def test_refunding_a_prepayment_takes_its_lines_back(emulator, books):
    deposit = {"UnitAmount": D("100.00"), "AccountCode": "200", "TaxType": "OUTPUT2"}
    prepayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", deposit))["PrepaymentID"]
    paid = books.create_payment(refund("Prepayment", books.prepayment(prepayment_id), "23.00"))
    assert paid["PaymentType"] == "ARPREPAYMENTPAYMENT"
    assert postings(books, paid["PaymentID"]) == {"200": D("20.00"), "820": D("3.00"), "090": D("-23.00")}
    books.delete_payment(paid["PaymentID"], {"Status": "DELETED"})
    assert books.prepayment(prepayment_id)["RemainingCredit"] == D("115.00")
    clean(emulator)


# -- after creation --


def test_deleting_the_bank_transaction_of_an_unused_overpayment_voids_it(emulator, books):
    transaction = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))
    books.save_bank_transaction({"Status": "DELETED"}, path_id=transaction["BankTransactionID"])
    overpayment = books.overpayment(transaction["OverpaymentID"])
    assert (overpayment["Status"], overpayment["RemainingCredit"]) == ("VOIDED", D("0.00"))
    assert postings(books, overpayment["OverpaymentID"]) == {}
    clean(emulator)


def test_an_allocated_overpayment_cannot_be_deleted(books):
    transaction = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))
    books.allocate_overpayment(transaction["OverpaymentID"], allocation(invoice(books), "5.00"))
    delete = {"Status": "DELETED"}
    assert refused(lambda: books.save_bank_transaction(delete, path_id=transaction["BankTransactionID"])) == [LOCKED]


def test_an_overpayment_cannot_be_changed(books):
    transaction = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))
    change = {"Reference": "Changed my mind"}
    assert refused(lambda: books.save_bank_transaction(change, path_id=transaction["BankTransactionID"])) == [
        NOT_EDITABLE
    ]
    reconciled = books.save_bank_transaction({"IsReconciled": True}, path_id=transaction["BankTransactionID"])
    assert reconciled["IsReconciled"] is True  # reconciling is not a change to the credit


# -- the ledger check sees them --


@pytest.mark.ledger_unchecked
def test_the_ledger_check_catches_a_prepayment_whose_credit_disagrees_with_its_lines(emulator, books):
    deposit = {"UnitAmount": D("40.00"), "AccountCode": "200"}
    prepayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", deposit))["PrepaymentID"]
    table = f"{DEFAULT_TENANT_ID}:Prepayments"
    record = emulator.store.get(table, prepayment_id)
    record["RemainingCredit"] = record["AmountDue"] = D("30.00")
    emulator.store.put(table, prepayment_id, record)
    messages = [error.message for error in validate(book_from_store(emulator.store, DEFAULT_TENANT_ID))]
    assert any("has RemainingCredit 30.00 but its lines hold 46.00 NZD of it" in m for m in messages), messages
    assert any("has RemainingCredit 30.00 but Total 46.00 − allocations and refunds 0 = 46.00" in m for m in messages)


@pytest.mark.ledger_unchecked
def test_the_ledger_check_catches_an_overpayment_receivables_do_not_hold(emulator, books):
    overpayment_id = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))["OverpaymentID"]
    table = f"{DEFAULT_TENANT_ID}:Overpayments"
    record = emulator.store.get(table, overpayment_id)
    record["RemainingCredit"] = record["AmountDue"] = D("45.00")
    emulator.store.put(table, overpayment_id, record)
    messages = [error.message for error in validate(book_from_store(emulator.store, DEFAULT_TENANT_ID))]
    assert "Accounts Receivable in NZD is -50.00 but the authorised documents leave -45.00 outstanding" in messages


def test_a_foreign_overpayment_allocated_and_refunded_at_other_rates_realises_the_differences(emulator, books):
    books.create_account(
        {"Code": "095", "Name": "USD Account", "Type": "BANK", "BankAccountNumber": "9", "CurrencyCode": "USD"}
    )
    transaction = books.create_bank_transaction(
        credit_transaction("RECEIVE-OVERPAYMENT", bank="095", CurrencyRate=D("0.500000"))
    )  # 50.00 USD = 100.00 NZD on receivables
    overpayment_id = transaction["OverpaymentID"]
    line = {"Description": "Work", "Quantity": D(1), "UnitAmount": D("20.00"), "AccountCode": "200"}
    sale = books.create_invoice(
        {
            "Type": "ACCREC",
            "Contact": {"Name": "Acme"},
            "Date": DAY,
            "DueDate": DAY,
            "Status": "AUTHORISED",
            "CurrencyCode": "USD",
            "CurrencyRate": D("0.400000"),
            "LineAmountTypes": "NoTax",
            "LineItems": [line],
        }
    )  # 20.00 USD = 50.00 NZD
    allocated = books.allocate_overpayment(overpayment_id, allocation(sale, "20.00"))
    # The invoice clears 50.00 NZD, the overpayment 40.00 NZD of receivables: 10.00 NZD is a realised loss.
    assert postings(books, allocated["AllocationID"]) == {"610": D("-10.00"), "499": D("10.00")}
    clean(emulator)
    paid = books.create_payment(
        {**refund("Overpayment", books.overpayment(overpayment_id), "30.00"), "Account": {"Code": "095"}}
        | {"CurrencyRate": D("0.600000")}
    )  # 30.00 USD leave the bank at 50.00 NZD; the overpayment's last 60.00 NZD of receivables clear
    assert postings(books, paid["PaymentID"]) == {"095": D("-50.00"), "610": D("60.00"), "499": D("-10.00")}
    assert books.overpayment(overpayment_id)["Status"] == "PAID"
    clean(emulator)


def test_a_credit_of_nothing_is_refused(books):
    crumb = {"Quantity": D("0.0001"), "UnitAmount": D("0.01"), "AccountCode": "200"}
    assert refused(books.create_bank_transaction, credit_transaction("RECEIVE-PREPAYMENT", crumb)) == [
        NOT_POSITIVE_CREDIT
    ]
    assert NOT_POSITIVE_CREDIT == "The total of an overpayment or prepayment must be greater than zero."
    assert books.create_bank_transaction(credit_transaction("RECEIVE-PREPAYMENT", {**crumb, "Quantity": D(1)}))


def test_the_lock_date_holds_for_overpayments_and_their_allocations(books):
    early = books.create_bank_transaction(credit_transaction("RECEIVE-OVERPAYMENT"))  # dated the 15th
    sale = invoice(books, "100.00")
    books.set_lock_dates({"PeriodLockDate": DAY})
    locked = "The document date cannot be before the period lock date, currently set at 15-Jan-2026"
    assert refused(books.create_bank_transaction, credit_transaction("RECEIVE-OVERPAYMENT")) == [locked]
    assert refused(books.allocate_overpayment, early["OverpaymentID"], allocation(sale, "5.00")) == [locked]
    later = {**allocation(sale, "5.00"), "Date": date(2026, 1, 16)}
    assert books.allocate_overpayment(early["OverpaymentID"], later)["Amount"] == D("5.00")
    assert refused(lambda: books.save_bank_transaction({"Status": "DELETED"}, path_id=early["BankTransactionID"])) == [
        locked
    ]


def test_a_spend_or_receive_cannot_become_a_credit(books):
    receive = books.create_bank_transaction(
        credit_transaction("RECEIVE", {"UnitAmount": D("10.00"), "AccountCode": "200"})
    )
    change = {"Type": "RECEIVE-OVERPAYMENT"}
    assert refused(lambda: books.save_bank_transaction(change, path_id=receive["BankTransactionID"])) == [NOT_A_CREDIT]
    kept = books.save_bank_transaction({"Type": "RECEIVE", "Reference": "Kept"}, path_id=receive["BankTransactionID"])
    assert (kept["Type"], kept["Reference"]) == ("RECEIVE", "Kept")
