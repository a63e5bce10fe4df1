"""Bank transfers: money moved between two bank accounts of the organisation.

A transfer creates two bank transactions, ``SPEND-TRANSFER`` on the From account and ``RECEIVE-TRANSFER``
on the To account (both visible in ``GET /BankTransactions``), and posts one ``TRANSFER`` journal of its
own: debit To, credit From. Its two bank transactions post nothing, so the money moves exactly once.
Deleting (spec 16.1.0) marks the transfer and both transactions DELETED and reverses the journal.
"""

from __future__ import annotations

from decimal import Decimal

from .. import money
from ..exceptions import NotFound
from ..posting import TRANSFER_SOURCE, transfer_lines
from ..statuses import BankTransactionStatus, BankTransferStatus
from .base import BackendBase, fail

DEFAULT_CURRENCY_RATE = Decimal("1.000000")


class BankTransfersBackend(BackendBase):
    # -- reads --

    def bank_transfer(self, transfer_id: str) -> dict:
        return self._require("BankTransfers", transfer_id)

    def present_bank_transfer(self, record: dict) -> dict:
        shown = dict(record)
        for side in ("FromBankAccount", "ToBankAccount"):
            shown[side] = self.bank_account_summary(record[side]["AccountID"])
        return shown

    # -- writes --

    def create_bank_transfer(self, values: dict) -> dict:
        errors: list[str] = []
        source = self.checked_bank_account(values.get("FromBankAccount"), "FromBankAccount", errors)
        target = self.checked_bank_account(values.get("ToBankAccount"), "ToBankAccount", errors)
        if source and target:
            if source["AccountID"] == target["AccountID"]:
                errors.append("The FromBankAccount and ToBankAccount must be different bank accounts.")
            elif self.bank_account_currency(source) != self.bank_account_currency(target):
                errors.append("Bank transfers between accounts in different currencies are not supported.")
        amount = values.get("Amount")
        if amount is not None and money.out_of_range(amount):
            errors.append(money.out_of_range_message("Amount", amount))
        elif amount is None or money.round_money(amount) <= 0:
            errors.append("The Amount of a bank transfer must be greater than zero.")
        errors.extend(self.lock_date_errors(values.get("Date") or self.today()))
        if errors:
            raise fail(*dict.fromkeys(errors))
        # Each check that leaves an account or the amount missing has recorded an error.
        assert source is not None and target is not None and amount is not None

        amount = money.round_money(amount)
        transfer_id = self.ids.guid()
        transfer_date = values.get("Date") or self.today()
        currency = self.bank_account_currency(source)
        # Both accounts share the currency; a foreign one moves at the day's rate (CurrencyRate is read-only).
        rate = self.day_rate(currency, transfer_date)
        reference = values.get("Reference")
        sides = {}
        for side, account, transaction_type in (("From", source, "SPEND-TRANSFER"), ("To", target, "RECEIVE-TRANSFER")):
            reconciled = bool(values.get(f"{side}IsReconciled"))
            sides[side] = self._transfer_transaction(
                transfer_id, transaction_type, account, amount, transfer_date, currency, reconciled, reference, rate
            )
        now = self.now()
        record = {
            "BankTransferID": transfer_id,
            "Date": transfer_date,
            "Status": BankTransferStatus.AUTHORISED,
            "FromBankAccount": {"AccountID": source["AccountID"]},
            "ToBankAccount": {"AccountID": target["AccountID"]},
            "Amount": amount,
            "CurrencyCode": currency,
            "CurrencyRate": rate,
            "FromBankTransactionID": sides["From"]["BankTransactionID"],
            "ToBankTransactionID": sides["To"]["BankTransactionID"],
            "FromIsReconciled": sides["From"]["IsReconciled"],
            "ToIsReconciled": sides["To"]["IsReconciled"],
            "HasAttachments": False,
            "CreatedDateUTC": now,
            "UpdatedDateUTC": now,
            "FromTracking": values.get("FromTracking") or [],
            "ToTracking": values.get("ToTracking") or [],
        }
        if reference is not None:
            record["Reference"] = reference
        self._save("BankTransfers", transfer_id, record)
        self.post_journal(
            source_type=TRANSFER_SOURCE,
            source_id=transfer_id,
            journal_date=transfer_date,
            currency=self.base_currency,
            reference=reference,
            lines=transfer_lines(source, target, amount, currency, rate, self.base_currency),
        )
        return record

    def delete_bank_transfer(self, values: dict, *, path_id: str | None = None) -> dict:
        """``POST /BankTransfers[/{id}]`` with ``Status: DELETED``: the only change Xero accepts."""
        transfer_id = path_id or values.get("BankTransferID")
        if not transfer_id:
            raise fail("A BankTransferID must be specified to delete a bank transfer.")
        record = self._get("BankTransfers", transfer_id)
        if record is None:
            if path_id:
                raise NotFound()
            raise fail("An existing Bank Transfer with the specified BankTransferID could not be found")
        if values.get("Status") != BankTransferStatus.DELETED:
            raise fail("Bank transfers can only be deleted: the Status must be DELETED.")
        if record["Status"] == BankTransferStatus.DELETED:
            return record  # deleting twice is harmless, so a retried delete succeeds
        if self._transfer_reconciled(record):
            raise fail("This bank transfer has been reconciled and cannot be deleted.")
        locked = self.lock_date_errors(record["Date"])
        if locked:
            raise fail(*locked)
        self.reverse_journals(transfer_id, record["Date"])
        now = self.now()
        for side in ("From", "To"):
            transaction = self.bank_transaction(record[f"{side}BankTransactionID"])
            transaction["Status"] = BankTransactionStatus.DELETED
            transaction["UpdatedDateUTC"] = now
            self._save("BankTransactions", transaction["BankTransactionID"], transaction)
        record["Status"] = BankTransferStatus.DELETED
        record["UpdatedDateUTC"] = now
        return self._save("BankTransfers", transfer_id, record)

    def sync_transfer_reconciliation(self, transaction: dict) -> None:
        """Keep a transfer's From/ToIsReconciled in step with its bank transactions."""
        transfer_id = transaction.get("_BankTransferID")
        if not transfer_id:
            return
        record = self._get("BankTransfers", transfer_id)
        side = "From" if transaction["Type"] == "SPEND-TRANSFER" else "To"
        if record is not None and record.get(f"{side}IsReconciled") != transaction.get("IsReconciled"):
            record[f"{side}IsReconciled"] = bool(transaction.get("IsReconciled"))
            record["UpdatedDateUTC"] = self.now()
            self._save("BankTransfers", transfer_id, record)

    def _transfer_reconciled(self, record: dict) -> bool:
        return any(
            self.bank_transaction(record[f"{side}BankTransactionID"]).get("IsReconciled") for side in ("From", "To")
        )

    def _transfer_transaction(
        self,
        transfer_id: str,
        transaction_type: str,
        account: dict,
        amount: Decimal,
        transfer_date,
        currency: str,
        reconciled: bool,
        reference: str | None,
        rate: Decimal = DEFAULT_CURRENCY_RATE,
    ) -> dict:
        record = {
            "BankTransactionID": self.ids.guid(),
            "Type": transaction_type,
            "BankAccount": {"AccountID": account["AccountID"]},
            "Date": transfer_date,
            "Status": BankTransferStatus.AUTHORISED,
            "IsReconciled": reconciled,
            "LineAmountTypes": money.NO_TAX,
            "LineItems": [],
            "SubTotal": amount,
            "TotalTax": money.ZERO,
            "Total": amount,
            "CurrencyCode": currency,
            "CurrencyRate": rate,
            "HasAttachments": False,
            "UpdatedDateUTC": self.now(),
            "_BankTransferID": transfer_id,  # hidden: schemas dump declared fields only
        }
        if reference is not None:
            record["Reference"] = reference
        return self._save("BankTransactions", record["BankTransactionID"], record)
