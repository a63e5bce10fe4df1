"""The chart of accounts: lookups every transaction rule needs, and the account rules themselves."""
from __future__ import annotations

from .base import BackendBase
from .defaults import ACCOUNT_CLASS, REPORTING_CODE


def _code_key(record: dict):
    code = record.get("Code")
    return code.upper() if code else None


class AccountsBackend(BackendBase):
    INDEXES = [
        ("Accounts", "code", _code_key),
        ("Accounts", "system", lambda r: r.get("SystemAccount") or None),
    ]

    def _insert_account(self, values: dict) -> dict:
        """Store a new account with Xero's defaults filled in (no validation: callers validate)."""
        account_type = values["Type"]
        account_class = ACCOUNT_CLASS[account_type]
        record = {
            "AccountID": values.get("AccountID") or self.ids.guid(),
            "Status": "ACTIVE",
            "Class": account_class,
            "EnablePaymentsToAccount": False,
            "ShowInExpenseClaims": False,
            "ReportingCode": REPORTING_CODE[account_class],
            "ReportingCodeName": account_class.title(),
            "HasAttachments": False,
            "AddToWatchlist": False,
            **{k: v for k, v in values.items() if v is not None},
            "UpdatedDateUTC": self.now(),
        }
        return self._save("Accounts", record["AccountID"], record)

    # -- lookups --

    def account(self, account_id: str) -> dict:
        """By AccountID; 404 when unknown."""
        return self._require("Accounts", account_id)

    def account_by_code(self, code: str | None) -> dict | None:
        if not code:
            return None
        return self.store.first(self.table("Accounts"), "code", code.upper())

    def system_account(self, system_name: str) -> dict:
        """The account Xero reserves for a purpose: ``DEBTORS``, ``CREDITORS``, ``GST``, ``ROUNDING``."""
        found = self.store.first(self.table("Accounts"), "system", system_name)
        if found is None:
            raise LookupError(f"tenant {self.tenant_id} has no {system_name} system account")
        return found

    def resolve_account(self, reference: dict | None) -> dict | None:
        """An account named by ``{"AccountID": ...}`` or ``{"Code": ...}`` (AccountID wins)."""
        if not reference:
            return None
        if reference.get("AccountID"):
            return self._get("Accounts", reference["AccountID"])
        return self.account_by_code(reference.get("Code"))

    def list_accounts(self) -> list[dict]:
        return list(self.store.scan(self.table("Accounts")))
