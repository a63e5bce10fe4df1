"""xero-python against the served mock: bank transactions, bank transfers, journals and reports.

Every answer goes through the SDK's own deserializer, so a required field it misses, a date not in
``/Date(ms)/`` form or an enum value it does not know fails here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xero_python.accounting import (
    Account,
    BankTransaction,
    BankTransactions,
    BankTransfer,
    BankTransferDelete,
    BankTransferDeleteByUrlParam,
    BankTransfers,
    BankTransfersDelete,
    Contact,
    LineAmountTypes,
    LineItem,
)


def spend(sdk, amount=20):
    created = sdk.accounting.create_bank_transactions(
        sdk.tenant,
        BankTransactions(
            bank_transactions=[
                BankTransaction(
                    type="SPEND",
                    contact=Contact(name="Acme"),
                    bank_account=Account(code="090"),
                    line_amount_types=LineAmountTypes.INCLUSIVE,
                    line_items=[LineItem(description="Foobar", quantity=1, unit_amount=amount, account_code="429")],
                )
            ]
        ),
    )
    return created.bank_transactions[0]


def transfer(sdk, amount="50.00"):
    created = sdk.accounting.create_bank_transfer(
        sdk.tenant,
        BankTransfers(
            bank_transfers=[
                BankTransfer(
                    from_bank_account=Account(code="090"), to_bank_account=Account(code="091"), amount=Decimal(amount)
                )
            ]
        ),
    )
    return created.bank_transfers[0]


def test_bank_transactions_round_trip(sdk):
    created = spend(sdk)
    assert (created.sub_total, created.total_tax, created.total) == (
        Decimal("17.39"),
        Decimal("2.61"),
        Decimal("20.00"),
    )
    assert created.status == "AUTHORISED" and created.type == "SPEND"
    assert created.bank_account.code == "090" and created.contact.name == "Acme"
    assert isinstance(created.date, date) and created.line_amount_types == LineAmountTypes.INCLUSIVE
    listed = sdk.accounting.get_bank_transactions(sdk.tenant, where='Type=="SPEND"').bank_transactions
    assert [t.bank_transaction_id for t in listed] == [created.bank_transaction_id]
    one = sdk.accounting.get_bank_transaction(sdk.tenant, created.bank_transaction_id).bank_transactions[0]
    assert one.line_items[0].tax_amount == Decimal("2.61")


def test_bank_transfers_create_list_and_delete(sdk):
    first, second = transfer(sdk), transfer(sdk, "5.00")
    assert first.amount == Decimal("50.00") and first.from_bank_account.code == "090"
    kinds = {t.type for t in sdk.accounting.get_bank_transactions(sdk.tenant).bank_transactions}
    assert kinds == {"SPEND-TRANSFER", "RECEIVE-TRANSFER"}
    deleted = sdk.accounting.delete_bank_transfer(
        sdk.tenant, first.bank_transfer_id, BankTransferDeleteByUrlParam(status="DELETED")
    )
    assert deleted.bank_transfers[0].status == "DELETED"
    sdk.accounting.delete_bank_transfers(
        sdk.tenant,
        BankTransfersDelete(
            bank_transfers=[BankTransferDelete(bank_transfer_id=second.bank_transfer_id, status="DELETED")]
        ),
    )
    assert sdk.accounting.get_bank_transfers(sdk.tenant).bank_transfers == []
    assert len(sdk.accounting.get_bank_transfers(sdk.tenant, include_deleted=True).bank_transfers) == 2


def test_journals(sdk):
    created = spend(sdk)
    journals = sdk.accounting.get_journals(sdk.tenant, offset=0, payments_only=False).journals
    (journal,) = journals
    assert journal.source_id == created.bank_transaction_id and journal.source_type == "CASHPAID"
    assert sum(line.net_amount for line in journal.journal_lines) == 0
    assert sdk.accounting.get_journal_by_number(sdk.tenant, 1).journals[0].journal_id == journal.journal_id
    assert sdk.accounting.get_journal(sdk.tenant, journal.journal_id).journals[0].journal_number == 1


def test_reports(sdk):
    created = spend(sdk)
    trial = sdk.accounting.get_report_trial_balance(sdk.tenant, date=date(2026, 1, 31)).reports[0]
    assert trial.report_type == "TrialBalance"
    total = trial.rows[-1].rows[0]
    assert [cell.value for cell in total.cells] == ["Total", "20.00", "20.00", "20.00", "20.00"]
    summary = sdk.accounting.get_report_bank_summary(sdk.tenant).reports[0]
    assert summary.rows[0].cells[0].value == "Bank Accounts"
    aged = sdk.accounting.get_report_aged_receivables_by_contact(sdk.tenant, created.contact.contact_id).reports[0]
    assert aged.report_titles[1] == "Acme"
