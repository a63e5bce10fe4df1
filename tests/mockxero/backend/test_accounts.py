"""Account rules that depend on the ledger, driven on the backend directly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from mockxero.emulator import Emulator
from mockxero.exceptions import NotFound, ValidationException


@pytest.fixture
def books():
    """One tenant's backend on a private emulator, inside an open transaction."""
    emulator = Emulator(MockConfig(clock=ManualClock()))
    with emulator.store.transaction():
        yield emulator.backend(DEFAULT_TENANT_ID)


def spend(books, account_code: str, bank_code: str = "090") -> None:
    """A real spend-money transaction, so the account gets journal lines the ledger check accepts."""
    books.create_bank_transaction(
        {
            "Type": "SPEND",
            "Contact": {"Name": "Acme Supplies"},
            "BankAccount": {"Code": bank_code},
            "LineItems": [
                {
                    "Description": "Paper",
                    "Quantity": Decimal(1),
                    "UnitAmount": Decimal("10.00"),
                    "AccountCode": account_code,
                }
            ],
        }
    )


def test_an_account_with_journal_lines_cannot_be_deleted_only_archived(books):
    expense = books.create_account({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})
    spend(books, "480")
    with pytest.raises(ValidationException) as refused:
        books.delete_account(expense["AccountID"])
    assert refused.value.messages == ["This account has transactions and cannot be deleted. Archive it instead."]
    assert books.update_account(expense["AccountID"], {"Status": "ARCHIVED"})["Status"] == "ARCHIVED"


def test_an_account_without_journal_lines_can_be_deleted(books):
    expense = books.create_account({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})
    spend(books, "429")
    assert books.delete_account(expense["AccountID"])["Status"] == "DELETED"


def test_a_bank_account_with_transactions_keeps_its_currency(books):
    bank = books.account_by_code("091")
    spend(books, "429", bank_code="091")
    with pytest.raises(ValidationException) as refused:
        books.update_account(bank["AccountID"], {"CurrencyCode": "USD"})
    assert refused.value.messages == ["The currency of a bank account with transactions cannot be changed."]


def test_a_bank_account_without_transactions_may_change_currency(books):
    bank = books.create_account({"Name": "Spare", "Type": "BANK", "BankAccountNumber": "1"})
    assert books.update_account(bank["AccountID"], {"CurrencyCode": "USD"})["CurrencyCode"] == "USD"


def test_account_by_code_prefers_the_live_account_over_a_deleted_one(books):
    old = books.create_account({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})
    books.delete_account(old["AccountID"])
    assert books.account_by_code("480")["AccountID"] == old["AccountID"]  # still found, marked DELETED
    new = books.create_account({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})
    assert books.account_by_code("480")["AccountID"] == new["AccountID"]


def test_chart_of_accounts_hides_deleted_accounts_unless_asked(books):
    old = books.create_account({"Code": "480", "Name": "Travel", "Type": "EXPENSE"})
    books.delete_account(old["AccountID"])
    assert old["AccountID"] not in {a["AccountID"] for a in books.chart_of_accounts()}
    assert old["AccountID"] in {a["AccountID"] for a in books.chart_of_accounts(include_deleted=True)}


def test_account_lookups_copy_unless_the_caller_only_reads(books):
    stored = books.store.peek(books.table("Accounts"), books.account_by_code("200")["AccountID"])
    account_id = stored["AccountID"]
    assert books.account(account_id) == stored and books.account(account_id) is not stored
    assert books.account_by_code("200") == stored and books.account_by_code("200") is not stored
    assert books.account(account_id, copy=False) is stored
    assert books.account_by_code("200", copy=False) is stored
    assert books.account_by_code("nope", copy=False) is None


def test_an_unknown_account_is_not_found_with_or_without_a_copy(books):
    for copy in (True, False):
        with pytest.raises(NotFound):
            books.account("00000000-0000-0000-0000-000000000000", copy=copy)
