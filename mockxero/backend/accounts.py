"""The chart of accounts: lookups every transaction rule needs, and the account rules themselves.

Rules (Xero's documented behaviour, the spec's Account schema and examples; docs/fidelity/accounts.md):

* ``PUT /Accounts`` creates one account; ``POST /Accounts/{AccountID}`` updates one (Xero staff: only the
  first account of a request is processed); ``DELETE`` marks it DELETED.
* Code ≤ 10 letters/digits, unique without regard to case; required except on bank accounts (Xero creates a
  bank account without one, Xero-OpenAPI#535). Name required, ≤ 150, unique ("Please enter a unique Name.").
* Class, ReportingCode and ReportingCodeName follow from Type; TaxType defaults from the class and must be a
  usable rate that may apply to that class.
* BANK accounts carry BankAccountNumber (AU: a 6-digit BSB and an account number), BankAccountType (BANK or
  PAYPAL; credit cards cannot be created through the API) and an enabled CurrencyCode; no Description.
* Status moves ACTIVE ↔ ARCHIVED only, and never together with other changes (reported Xero message).
* System accounts (``SystemAccount`` set) cannot be archived, deleted or change Type. An account any journal
  line touches cannot be deleted, only archived. Deleted accounts free their code and name, cannot be updated,
  and stay readable by id.
"""

from __future__ import annotations

import re

from .. import refdata
from ..exceptions import NotFound
from ..refdata import ACCOUNT_CLASS, COUNTRIES, REPORTING_CODE
from ..statuses import AccountStatus, TaxRateStatus
from .base import BackendBase, fail

CODE_MAX = 10
NAME_MAX = 150
DESCRIPTION_MAX = 4000
_ALPHANUMERIC = re.compile(r"^[A-Za-z0-9]+$")
SETTABLE_STATUSES = (AccountStatus.ACTIVE, AccountStatus.ARCHIVED)
CREATABLE_BANK_TYPES = ("BANK", "PAYPAL")
# Fields an update may change; sending any of them with Status is refused, as Xero does.
DETAIL_FIELDS = (
    "Code",
    "Name",
    "Type",
    "Description",
    "TaxType",
    "BankAccountNumber",
    "BankAccountType",
    "CurrencyCode",
    "EnablePaymentsToAccount",
    "ShowInExpenseClaims",
    "ReportingCode",
    "AddToWatchlist",
)
BANK_ONLY_FIELDS = ("BankAccountNumber", "BankAccountType", "CurrencyCode")
# Which CanApplyTo flag of a tax rate governs an account of each class.
TAX_APPLIES_FLAG = {
    "ASSET": "CanApplyToAssets",
    "EQUITY": "CanApplyToEquity",
    "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities",
    "REVENUE": "CanApplyToRevenue",
}

MSG_CODE_REQUIRED = "Please enter a Code."
MSG_CODE_TOO_LONG = "Account Code is too long. Maximum of 10 characters allowed"
MSG_CODE_NOT_ALPHANUMERIC = "Account Code must contain only letters and numbers."
MSG_CODE_NOT_UNIQUE = "Please enter a unique Code."
MSG_NAME_REQUIRED = "Please enter a Name."
MSG_NAME_TOO_LONG = "Account Name is too long. Maximum of 150 characters allowed"
MSG_NAME_NOT_UNIQUE = "Please enter a unique Name."
MSG_TYPE_REQUIRED = "Account Type must be specified"
MSG_DESCRIPTION_ON_BANK = "Bank accounts cannot have a Description."
MSG_DESCRIPTION_TOO_LONG = "Account Description is too long. Maximum of 4000 characters allowed"
MSG_BANK_NUMBER_REQUIRED = "Please enter a Bank Account Number."
MSG_AU_BANK_NUMBER = "The Bank Account Number must contain a 6-digit BSB code and account number"
MSG_CREDIT_CARD = "Credit card accounts cannot be created through the API."
MSG_BANK_TYPE_CHANGE = "Bank accounts cannot become other types of account, nor other accounts bank accounts."
MSG_BANK_CURRENCY_IN_USE = "The currency of a bank account with transactions cannot be changed."
MSG_STATUS_WITH_DETAILS = "Cannot update account details and STATUS on the same request"
MSG_STATUS_NOT_SETTABLE = "An account's Status can only be set to ACTIVE or ARCHIVED; use DELETE to delete it."
MSG_SYSTEM_ARCHIVE = "System accounts cannot be archived."
MSG_SYSTEM_DELETE = "System accounts cannot be deleted."
MSG_SYSTEM_TYPE = "The Type of a system account cannot be changed."
MSG_DELETED = "This account has been deleted and cannot be updated."
MSG_HAS_TRANSACTIONS = "This account has transactions and cannot be deleted. Archive it instead."


def _code_key(record: dict):
    code = record.get("Code")
    return code.upper() if code else None


def _name_key(name: str | None) -> str | None:
    return name.strip().casefold() if name and name.strip() else None


def _live_name_key(record: dict):
    """Deleted accounts give up their name (and code) for reuse."""
    return None if record.get("Status") == AccountStatus.DELETED else _name_key(record.get("Name"))


def currency_not_enabled_message(code: str) -> str:
    return f"The currency {code} has not been added to this organisation."


def tax_type_unknown_message(tax_type: str) -> str:
    return f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of transaction."


def tax_type_not_for_account_message(tax_type: str, code: str) -> str:
    return f"The TaxType code '{tax_type}' cannot be used with account code '{code}'."


class AccountsBackend(BackendBase):
    INDEXES = [
        ("Accounts", "code", _code_key),
        ("Accounts", "system", lambda r: r.get("SystemAccount") or None),
        ("Accounts", "live_name", _live_name_key),
    ]

    def _insert_account(self, values: dict) -> dict:
        """Store a new account with Xero's defaults filled in (no validation: callers validate)."""
        account_type = values["Type"]
        account_class = ACCOUNT_CLASS[account_type]
        record = {
            "AccountID": values.get("AccountID") or self.ids.guid(),
            "Status": AccountStatus.ACTIVE,
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

    def account(self, account_id: str, *, copy: bool = True) -> dict:
        """By AccountID; 404 when unknown. ``copy=False`` hands out the stored record to a caller that only
        reads it (a posting's journal lines)."""
        if copy:
            return self._require("Accounts", account_id)
        found = self._peek("Accounts", account_id)
        if found is None:
            raise NotFound()
        return found

    def account_by_code(self, code: str | None, *, copy: bool = True) -> dict | None:
        """The account with this code (any case); a live account wins over a deleted one that had it.

        ``copy=False`` hands out the stored record for a caller that only reads it (pricing a line)."""
        if not code:
            return None
        lookup = self.store.find if copy else self.store.peek_find
        found = lookup(self.table("Accounts"), "code", code.upper())
        live = [a for a in found if a.get("Status") != AccountStatus.DELETED]
        return next(iter(live or found), None)

    def system_account(self, system_name: str) -> dict:
        """The account Xero reserves for a purpose: ``DEBTORS``, ``CREDITORS``, ``GST``, ``ROUNDING``.

        The stored record itself: postings only read it (a journal line copies its id, code, type and name)."""
        found = self.store.peek_first(self.table("Accounts"), "system", system_name)
        if found is None:
            # Books set up before the default chart held this system account (a data file from an older
            # release) get it the first time a posting needs it.
            for account in refdata.chart_of_accounts(self.tenant.country_code):
                if account.get("SystemAccount") == system_name:
                    return self._insert_account(account)
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
        """Every account, deleted ones included (read-only records)."""
        return list(self.store.scan(self.table("Accounts")))

    def chart_of_accounts(self, *, include_deleted: bool = False) -> list[dict]:
        """What ``GET /Accounts`` lists: deleted accounts only when asked for."""
        return [
            a
            for a in self.store.scan(self.table("Accounts"))
            if include_deleted or a.get("Status") != AccountStatus.DELETED
        ]

    def account_has_transactions(self, account_id: str) -> bool:
        return bool(self.store.keys(self.table("Journals"), "account", account_id))

    # -- writes --

    def create_account(self, values: dict) -> dict:
        """``PUT /Accounts``: a new ACTIVE account (AccountID and Status in the body are ignored)."""
        proposed = {k: v for k, v in values.items() if k in DETAIL_FIELDS and v is not None}
        errors = []
        account_type = proposed.get("Type")
        if not account_type:
            errors.append(MSG_TYPE_REQUIRED)
        else:
            self._fill_account_defaults(proposed)
            if account_type == "BANK" and proposed.get("BankAccountType") == "CREDITCARD":
                errors.append(MSG_CREDIT_CARD)
        errors += self._account_errors(proposed, account_id=None)
        if errors:
            raise fail(*dict.fromkeys(errors))
        return self._insert_account(proposed)

    def update_account(self, account_id: str, values: dict) -> dict:
        """``POST /Accounts/{AccountID}``: change details, or the status alone."""
        record = self.account(account_id)
        if record["Status"] == AccountStatus.DELETED:
            raise fail(MSG_DELETED)
        # null means "leave as is", except that a null Description clears it.
        changes = {k: v for k, v in values.items() if k in DETAIL_FIELDS and (v is not None or k == "Description")}
        status = values.get("Status")
        if status is not None:
            return self._change_account_status(record, status, changes)

        errors = []
        proposed = {**record, **changes}
        if proposed.get("Description") is None:
            proposed.pop("Description", None)
        old_type, new_type = record["Type"], proposed["Type"]
        if new_type != old_type:
            if record.get("SystemAccount"):
                errors.append(MSG_SYSTEM_TYPE)
            if "BANK" in (old_type, new_type):
                errors.append(MSG_BANK_TYPE_CHANGE)
        if new_type == "BANK":
            if changes.get("BankAccountType") == "CREDITCARD" and record.get("BankAccountType") != "CREDITCARD":
                errors.append(MSG_CREDIT_CARD)
            if proposed.get("CurrencyCode") != record.get("CurrencyCode") and self.account_has_transactions(account_id):
                errors.append(MSG_BANK_CURRENCY_IN_USE)
        self._rederive_account_for_type(proposed, record, changes)
        if new_type != "BANK":
            for field_name in BANK_ONLY_FIELDS:
                proposed.pop(field_name, None)
        errors += self._account_errors(proposed, account_id=account_id)
        if errors:
            raise fail(*dict.fromkeys(errors))
        proposed["UpdatedDateUTC"] = self.now()
        return self._save("Accounts", account_id, proposed)

    def delete_account(self, account_id: str) -> dict:
        """``DELETE /Accounts/{AccountID}``: the account comes back with Status DELETED.

        Deleting an already deleted account answers it again, so a retried DELETE is harmless.
        """
        record = self.account(account_id)
        if record["Status"] == AccountStatus.DELETED:
            return record
        if record.get("SystemAccount"):
            raise fail(MSG_SYSTEM_DELETE)
        if self.account_has_transactions(account_id):
            raise fail(MSG_HAS_TRANSACTIONS)
        record["Status"] = AccountStatus.DELETED
        record["UpdatedDateUTC"] = self.now()
        return self._save("Accounts", account_id, record)

    # -- rules --

    def _change_account_status(self, record: dict, status: str, changes: dict) -> dict:
        if any(v is not None for v in changes.values()):
            raise fail(MSG_STATUS_WITH_DETAILS)
        if status not in SETTABLE_STATUSES:
            raise fail(MSG_STATUS_NOT_SETTABLE)
        if status == AccountStatus.ARCHIVED and record.get("SystemAccount"):
            raise fail(MSG_SYSTEM_ARCHIVE)
        if record["Status"] != status:
            record["Status"] = status
            record["UpdatedDateUTC"] = self.now()
            self._save("Accounts", record["AccountID"], record)
        return record

    def _fill_account_defaults(self, proposed: dict) -> None:
        """What Xero fills in on a new account: class-based tax type; bank type and currency on banks."""
        account_class = ACCOUNT_CLASS[proposed["Type"]]
        proposed.setdefault("TaxType", self._default_account_tax_type(account_class))
        if proposed["Type"] == "BANK":
            if proposed.get("BankAccountType") in (None, "", "NONE"):
                proposed["BankAccountType"] = "BANK"
            proposed.setdefault("CurrencyCode", self.base_currency)
        else:
            for field_name in BANK_ONLY_FIELDS:  # meaningless off a bank account; Xero does not keep them
                proposed.pop(field_name, None)

    def _rederive_account_for_type(self, proposed: dict, record: dict, changes: dict) -> None:
        """After a Type change: new Class, the class's default reporting code and, if needed, tax type."""
        old_class = record["Class"]
        new_class = ACCOUNT_CLASS[proposed["Type"]]
        proposed["Class"] = new_class
        proposed["ReportingCodeName"] = new_class.title()
        if "ReportingCode" not in changes and record.get("ReportingCode") == REPORTING_CODE[old_class]:
            proposed["ReportingCode"] = REPORTING_CODE[new_class]
        if "TaxType" not in changes and new_class != old_class:
            rate = self.tax_rate(proposed.get("TaxType"))
            if rate is None or not rate.get(TAX_APPLIES_FLAG[new_class]):
                proposed["TaxType"] = self._default_account_tax_type(new_class)
        if proposed["Type"] == "BANK" and proposed.get("BankAccountType") in (None, "", "NONE"):
            proposed["BankAccountType"] = "BANK"

    def _default_account_tax_type(self, account_class: str) -> str:
        spec = COUNTRIES[self.tenant.country_code]
        if account_class == "REVENUE":
            return spec["sales_tax"]
        if account_class == "EXPENSE":
            return spec["purchase_tax"]
        return spec["no_tax"]

    def _account_errors(self, proposed: dict, *, account_id: str | None) -> list[str]:
        errors: list[str] = []
        account_type = proposed.get("Type")
        is_bank = account_type == "BANK"
        code = (proposed.get("Code") or "").strip()
        if code:
            proposed["Code"] = code
        else:
            proposed.pop("Code", None)
            if not is_bank:
                errors.append(MSG_CODE_REQUIRED)
        if len(code) > CODE_MAX:
            errors.append(MSG_CODE_TOO_LONG)
        elif code and not _ALPHANUMERIC.match(code):
            errors.append(MSG_CODE_NOT_ALPHANUMERIC)

        name = (proposed.get("Name") or "").strip()
        proposed["Name"] = name
        if not name:
            errors.append(MSG_NAME_REQUIRED)
        elif len(name) > NAME_MAX:
            errors.append(MSG_NAME_TOO_LONG)
        errors += self._account_uniqueness_errors(proposed, account_id)

        description = proposed.get("Description")
        if is_bank and description:
            errors.append(MSG_DESCRIPTION_ON_BANK)
        elif description and len(description) > DESCRIPTION_MAX:
            errors.append(MSG_DESCRIPTION_TOO_LONG)

        if is_bank:
            errors += self._bank_account_errors(proposed)
        if account_type:
            errors += self._account_tax_type_errors(proposed, code or name)
        return errors

    def _account_uniqueness_errors(self, proposed: dict, account_id: str | None) -> list[str]:
        errors = []
        code = proposed.get("Code")
        if code:
            for other in self.store.find(self.table("Accounts"), "code", code.upper()):
                if other["AccountID"] != account_id and other.get("Status") != AccountStatus.DELETED:
                    errors.append(MSG_CODE_NOT_UNIQUE)
                    break
        key = _name_key(proposed.get("Name"))
        if key and any(k != account_id for k in self.store.keys(self.table("Accounts"), "live_name", key)):
            errors.append(MSG_NAME_NOT_UNIQUE)
        return errors

    def _bank_account_errors(self, proposed: dict) -> list[str]:
        errors = []
        number = (proposed.get("BankAccountNumber") or "").strip()
        if not number:
            errors.append(MSG_BANK_NUMBER_REQUIRED)
        elif self.tenant.country_code == "AU":
            digits = re.sub(r"[\s-]", "", number)
            if not (digits.isdigit() and len(digits) > 6):
                errors.append(MSG_AU_BANK_NUMBER)
        currency = proposed.get("CurrencyCode")
        if currency and not self.currency_enabled(currency):
            errors.append(currency_not_enabled_message(currency))
        return errors

    def _account_tax_type_errors(self, proposed: dict, account_label: str) -> list[str]:
        tax_type = proposed.get("TaxType")
        if not tax_type:
            return []
        rate = self.tax_rate(tax_type)
        if rate is None or rate.get("Status") != TaxRateStatus.ACTIVE:
            return [tax_type_unknown_message(tax_type)]
        if not rate.get(TAX_APPLIES_FLAG[ACCOUNT_CLASS[proposed["Type"]]]):
            return [tax_type_not_for_account_message(tax_type, account_label)]
        return []
