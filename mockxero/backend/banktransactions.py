"""Bank transactions: spend and receive money, their line rules, and the cash journals they post.

Posting (docs/ledger.md): SPEND (journal ``CASHPAID``) debits each line's account with its net amount and the
tax account with the tax, and credits the bank account with the total; RECEIVE (``CASHREC``) is the mirror.
In a foreign-currency bank account the transaction carries a CurrencyRate (the client's, else the day's
from the rate table) and posts in base currency, each line at that rate (``posting.in_base``).
Deleting (``Status: DELETED``) posts the exact reversal. ``SPEND-TRANSFER`` / ``RECEIVE-TRANSFER``
transactions belong to a bank transfer (``backend/banktransfers.py``), which posts the journal for both.
The four ``*-OVERPAYMENT`` / ``*-PREPAYMENT`` types create an overpayment or prepayment
(``backend/overpayments.py``), which posts the journal and which the transaction names by id: an
overpayment has one line, coded for the client to the control account with no tax; a prepayment's lines are
priced as any others, in a base-currency bank account only. Neither changes once created, except that
deleting the transaction voids an unused credit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import money
from ..exceptions import NotFound, ValidationException
from ..exchange import rate_problem
from ..posting import (
    BANK_TRANSACTION_SOURCE,
    CREDIT_SOURCE,
    OVERPAYMENT_CONTROL,
    OVERPAYMENT_TYPES,
    PREPAYMENT_TYPES,
    bank_transaction_lines,
)
from ..statuses import AccountStatus, BankTransactionStatus, ContactStatus, TaxRateStatus
from .base import BackendBase, fail
from .overpayments import (
    NO_FOREIGN_PREPAYMENT,
    NOT_A_CREDIT,
    NOT_EDITABLE,
    NOT_POSITIVE_CREDIT,
    ONE_LINE,
    OVERPAYMENT,
    PREPAYMENT,
)

CREATABLE_TYPES = ("SPEND", "RECEIVE", *OVERPAYMENT_TYPES, *PREPAYMENT_TYPES)
# The field naming the credit a transaction of each credit type created.
CREDIT_ID_FIELD = {t: OVERPAYMENT.id_field for t in OVERPAYMENT_TYPES} | {
    t: PREPAYMENT.id_field for t in PREPAYMENT_TYPES
}
TRANSFER_TYPES = ("SPEND-TRANSFER", "RECEIVE-TRANSFER")
# Which purchase/sales defaults an item lends to a line.
ITEM_DETAILS = {
    "SPEND": ("PurchaseDetails", "PurchaseDescription"),
    "RECEIVE": ("SalesDetails", "Description"),
    "SPEND-PREPAYMENT": ("PurchaseDetails", "PurchaseDescription"),
    "RECEIVE-PREPAYMENT": ("SalesDetails", "Description"),
}
# The tax rate flag that allows a rate on an account of each class.
TAX_APPLIES_TO = {
    "ASSET": "CanApplyToAssets",
    "EQUITY": "CanApplyToEquity",
    "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities",
    "REVENUE": "CanApplyToRevenue",
}
# Control accounts only documents may post to (an invoice, not a spend-money line, moves receivables).
CONTROL_SYSTEM_ACCOUNTS = ("DEBTORS", "CREDITORS")
# Fields a reconciled (or transfer-owned) transaction still accepts.
RECONCILIATION_FIELDS = ("BankTransactionID", "IsReconciled")
# Fields whose change alters the ledger, so the journal is reversed and posted afresh.
POSTING_FIELDS = ("Type", "BankAccount", "Date", "LineItems", "LineAmountTypes", "CurrencyCode")

QUANTITY_PLACES = 4
DEFAULT_CURRENCY_RATE = Decimal("1.000000")

# Xero's own wording, as its API answers invoices and bank transactions (docs/fidelity/banktransactions.md).
CONTACT_NOT_IDENTIFIED = (
    "The Contact must contain at least 1 of the following elements to identify the contact: "
    "Name, ContactID, ContactNumber"
)
CONTACT_ARCHIVED = (
    "The contact with the specified contact details has been archived. "
    "The contact must be un-archived before creating new invoices or credit notes."
)


class BankTransactionsBackend(BackendBase):
    INDEXES = [("BankTransactions", "transfer", lambda r: r.get("_BankTransferID"))]

    # -- reads --

    def bank_transaction(self, transaction_id: str) -> dict:
        return self._require("BankTransactions", transaction_id)

    def present_bank_transaction(self, record: dict) -> dict:
        """The record as Xero shows it: current contact and bank account names embedded."""
        shown = dict(record)
        shown["BankAccount"] = self.bank_account_summary(record["BankAccount"]["AccountID"])
        if record.get("Contact"):
            shown["Contact"] = self.bank_contact_summary(record)
        return shown

    def bank_account_summary(self, account_id: str) -> dict:
        account = self.store.peek(self.table("Accounts"), account_id) or {"AccountID": account_id}
        return {key: account[key] for key in ("AccountID", "Code", "Name") if account.get(key)}

    def bank_contact_summary(self, record: dict) -> dict:
        """The contact a bank transaction names, with its current name ({} for a transfer's transactions)."""
        contact_id = (record.get("Contact") or {}).get("ContactID")
        if not contact_id:
            return {}
        contact = self.store.peek(self.table("Contacts"), contact_id) or {"ContactID": contact_id}
        return {
            key: contact[key] for key in ("ContactID", "ContactNumber", "Name", "ContactStatus") if contact.get(key)
        }

    # -- writes --

    def create_bank_transaction(self, values: dict, *, unitdp: int = 2) -> dict:
        status = values.get("Status")
        if status not in (None, BankTransactionStatus.AUTHORISED):
            raise fail(f"A bank transaction cannot be created with the status {status}.")
        record: dict[str, Any] = {
            "BankTransactionID": self.ids.guid(),
            "Status": BankTransactionStatus.AUTHORISED,
            "IsReconciled": False,
            "HasAttachments": False,
        }
        self._apply_bank_transaction_values(record, values, unitdp=unitdp)
        credit_field = CREDIT_ID_FIELD.get(record["Type"])
        if credit_field is None:
            self._save("BankTransactions", record["BankTransactionID"], record)
            self._post_bank_transaction(record)
            return record
        self._save("BankTransactions", record["BankTransactionID"], record)
        credit = self.create_credit(record)  # the credit posts the journal, under its own id
        record[credit_field] = credit[credit_field]
        return self._save("BankTransactions", record["BankTransactionID"], record)

    def save_bank_transaction(self, values: dict, *, path_id: str | None = None, unitdp: int = 2) -> dict:
        """``POST /BankTransactions[/{id}]``: update the transaction named by id, else create one."""
        transaction_id = path_id or values.get("BankTransactionID")
        if not transaction_id:
            return self.create_bank_transaction(values, unitdp=unitdp)
        record = self._get("BankTransactions", transaction_id)
        if record is None:
            if path_id:
                raise NotFound()
            raise fail("An existing Bank Transaction with the specified BankTransactionID could not be found")
        return self._update_bank_transaction(record, values, unitdp=unitdp)

    def _update_bank_transaction(self, record: dict, values: dict, *, unitdp: int) -> dict:
        status = values.get("Status")
        edits = self._bank_transaction_edits(record, values)
        if record["Status"] == BankTransactionStatus.DELETED:
            if edits - {"Status"} or status not in (None, BankTransactionStatus.DELETED):
                raise fail("This Bank Transaction has been deleted and cannot be changed.")
            return record  # deleting twice is harmless, so a retried delete succeeds
        if record["Type"] in TRANSFER_TYPES and edits:
            raise fail(
                "This bank transaction belongs to a bank transfer. "
                "Change or delete it through the BankTransfers endpoint."
            )
        if record.get("IsReconciled") and edits and values.get("IsReconciled") is not False:
            # Xero's wording; Xero's exact trigger is unconfirmed, ours is "reconciled" (README).
            kind = "Spend" if record["Type"] == "SPEND" else "Receive"
            raise fail(f"{kind} money transactions cannot be updated")
        if not edits:
            if values.get("IsReconciled") is not None:
                record = self.set_bank_transaction_reconciled(record["BankTransactionID"], values["IsReconciled"])
                self.sync_transfer_reconciliation(record)
            return record
        if status == BankTransactionStatus.VOIDED:
            raise fail("Bank transactions cannot be voided; delete them with the status DELETED.")
        credit_type = record["Type"] in CREDIT_SOURCE
        if credit_type and edits - {"Status"}:
            raise fail(NOT_EDITABLE)
        if values.get("Type") in CREDIT_SOURCE and values["Type"] != record["Type"]:
            raise fail(NOT_A_CREDIT)  # a credit is created with its transaction, never made of an old one
        if status == BankTransactionStatus.DELETED:
            locked = self.lock_date_errors(record["Date"])
            if locked:
                raise fail(*locked)
            if credit_type:
                self.void_credit(record)  # reverses the credit's journal, which is the transaction's
            self.reverse_journals(record["BankTransactionID"], record["Date"])
            record["Status"] = BankTransactionStatus.DELETED
            record["UpdatedDateUTC"] = self.now()
            return self._save("BankTransactions", record["BankTransactionID"], record)

        repost = any(name in edits for name in POSTING_FIELDS)
        old_date = record["Date"]
        self._apply_bank_transaction_values(record, values, unitdp=unitdp)
        self._save("BankTransactions", record["BankTransactionID"], record)
        if repost:
            self.reverse_journals(record["BankTransactionID"], old_date)
            self._post_bank_transaction(record)
        return record

    def set_bank_transaction_reconciled(self, transaction_id: str, reconciled: bool) -> dict:
        """Mark a transaction (re)conciled; used by bank transfers for their two sides."""
        record = self.bank_transaction(transaction_id)
        if record.get("IsReconciled") != reconciled:
            record["IsReconciled"] = reconciled
            record["UpdatedDateUTC"] = self.now()
            self._save("BankTransactions", transaction_id, record)
        return record

    def _bank_transaction_edits(self, record: dict, values: dict) -> set[str]:
        """The fields ``values`` would change (a client may echo unchanged fields back)."""
        edited = set()
        for name, value in values.items():
            if value is None or name in RECONCILIATION_FIELDS or name in ("SubTotal", "TotalTax", "Total"):
                continue
            if name in ("Contact", "BankAccount", "LineItems") or record.get(name) != value:
                edited.add(name)
        return edited

    # -- the rules --

    def _apply_bank_transaction_values(self, record: dict, values: dict, *, unitdp: int) -> None:
        """Validate the transaction as it will be after ``values`` and fill in what Xero computes."""
        merged = {**record, **{k: v for k, v in values.items() if v is not None}}
        errors: list[str] = []

        transaction_type = merged.get("Type")
        if not transaction_type:
            errors.append("The Type of a bank transaction must be specified (SPEND or RECEIVE).")
        elif transaction_type in TRANSFER_TYPES:
            errors.append(
                f"Bank transactions of type {transaction_type} are created by bank transfers; "
                "use the BankTransfers endpoint."
            )
        elif transaction_type not in CREATABLE_TYPES:
            errors.append(f"Bank transactions of type {transaction_type} are not supported by mockxero.")

        contact = self._bank_transaction_contact(merged.get("Contact"), errors)
        bank = self.checked_bank_account(merged.get("BankAccount"), "BankAccount", errors)
        bank_currency = self.bank_account_currency(bank) if bank else None
        currency = merged.get("CurrencyCode") or bank_currency
        if bank and currency != bank_currency:
            errors.append(
                f"The currency {currency} does not match the currency of the bank account "
                f"{bank.get('Code') or bank['AccountID']} ({bank_currency})."
            )

        amount_types = merged.get("LineAmountTypes") or money.EXCLUSIVE
        raw_lines = merged.get("LineItems") or []
        if not raw_lines:
            errors.append("A bank transaction must have at least one line item.")
        control = None
        if transaction_type in OVERPAYMENT_CONTROL:
            # Xero codes an overpayment's one line to the control account, without tax, whatever was sent.
            if len(raw_lines) > 1:
                errors.append(ONE_LINE)
            control = self.system_account(OVERPAYMENT_CONTROL[transaction_type].system_account)
            amount_types = money.NO_TAX
        if transaction_type in PREPAYMENT_TYPES and bank and bank_currency != self.base_currency:
            errors.append(NO_FOREIGN_PREPAYMENT)
        lines = [
            self._bank_priced_line(line, transaction_type, amount_types, unitdp, errors, control) for line in raw_lines
        ]

        rate = DEFAULT_CURRENCY_RATE
        if currency and currency != self.base_currency:
            sent_rate = values.get("CurrencyRate")
            if sent_rate is not None:
                problem = rate_problem(sent_rate)
                if problem:
                    errors.append(problem)
                rate = sent_rate
            elif record.get("CurrencyRate") and record.get("CurrencyCode") == currency and not values.get("Date"):
                rate = record["CurrencyRate"]  # an edit that moves neither currency nor date keeps its rate
            else:  # Xero uses the day's XE.com rate; the emulator's rate table stands in for it
                rate = self.day_rate(currency, merged.get("Date") or self.today())
        # A transaction in a locked period cannot change, and none may be dated into one.
        errors.extend(self.lock_date_errors(record.get("Date"), merged.get("Date") or self.today()))
        if errors:
            raise fail(*dict.fromkeys(errors))
        assert bank is not None  # checked_bank_account recorded why it found none

        totals = money.document_totals(((li["LineAmount"], li["TaxAmount"]) for li in lines), amount_types)
        if transaction_type in CREDIT_SOURCE and totals.total <= 0:
            raise fail(NOT_POSITIVE_CREDIT)  # a credit of nothing could never be used, nor be PAID
        record.update(
            {
                "Type": transaction_type,
                "Contact": {"ContactID": contact["ContactID"]},
                "BankAccount": {"AccountID": bank["AccountID"]},
                "Date": merged.get("Date") or self.today(),
                "LineAmountTypes": amount_types,
                "LineItems": lines,
                "SubTotal": totals.sub_total,
                "TotalTax": totals.total_tax,
                "Total": totals.total,
                "CurrencyCode": currency,
                "CurrencyRate": rate,
                "UpdatedDateUTC": self.now(),
            }
        )
        for optional in ("Reference", "Url", "IsReconciled"):
            if values.get(optional) is not None:
                record[optional] = values[optional]

    def _bank_transaction_contact(self, reference: dict | None, errors: list[str]) -> dict:
        """The contact a transaction names; a Name that matches nobody creates the contact, as in Xero."""
        if not reference or not any(reference.get(k) for k in ("ContactID", "ContactNumber", "Name")):
            errors.append(CONTACT_NOT_IDENTIFIED)
            return {"ContactID": None}
        contact = self.resolve_contact(reference)
        if contact is None:
            if reference.get("ContactID"):
                errors.append("The contact with the specified ContactID could not be found.")
                return {"ContactID": None}
            try:
                with self.savepoint():
                    return self.create_contact({k: reference.get(k) for k in ("Name", "ContactNumber")})
            except ValidationException as exc:  # the contact's own rule ("Contact Name cannot be empty.")
                errors.extend(exc.messages)
                return {"ContactID": None}
        if contact.get("ContactStatus") == ContactStatus.ARCHIVED:
            errors.append(CONTACT_ARCHIVED)
        return contact

    def checked_bank_account(self, reference: dict | None, field: str, errors: list[str]) -> dict | None:
        """The active BANK account named by ``{"Code"}`` or ``{"AccountID"}``; messages name ``field``."""
        if not reference or not (reference.get("AccountID") or reference.get("Code")):
            errors.append(f"The {field} must be specified with a Code or an AccountID.")
            return None
        shown = reference.get("Code") or reference.get("AccountID")
        account = self.resolve_account(reference)
        if account is None:
            errors.append(f"The {field} '{shown}' does not match a recognised account.")
            return None
        if account["Type"] != "BANK":
            errors.append(f"The {field} '{shown}' is not a bank account. Use an account of Type BANK.")
            return None
        if account.get("Status", AccountStatus.ACTIVE) != AccountStatus.ACTIVE:
            errors.append(f"The {field} '{shown}' has been archived, or has been deleted.")
            return None
        return account

    def bank_account_currency(self, account: dict) -> str:
        return account.get("CurrencyCode") or self.base_currency

    def _bank_priced_line(
        self,
        line: dict,
        transaction_type: str | None,
        amount_types: str,
        unitdp: int,
        errors: list[str],
        control: dict | None = None,
    ) -> dict:
        """One line item checked and priced: Xero's line rules, then the shared money arithmetic. With
        ``control`` (an overpayment) the line is coded to that account without tax instead."""
        line = dict(line)
        if control is not None:
            line.update({"AccountID": control["AccountID"], "AccountCode": control.get("Code"), "TaxType": "NONE"})
            line.pop("ItemCode", None)
        item_code = line.get("ItemCode")
        if item_code:
            item = self.item_by_code(item_code)
            if item is None:
                errors.append(f"The Item with code '{item_code}' could not be found.")
            elif transaction_type in ITEM_DETAILS:
                details_key, description_key = ITEM_DETAILS[transaction_type]
                details = item.get(details_key) or {}
                line.setdefault("Description", item.get(description_key) or item.get("Description"))
                for target, source in (
                    ("UnitAmount", "UnitPrice"),
                    ("AccountCode", "AccountCode"),
                    ("TaxType", "TaxType"),
                ):
                    if line.get(target) is None and details.get(source) is not None:
                        line[target] = details[source]
                line["ItemCode"] = item["Code"]

        account = control if control is not None else self._bank_line_account(line, errors)

        quantity = line.get("Quantity")
        unit_amount = line.get("UnitAmount")
        given_amount = line.get("LineAmount")
        for name, value in (("Quantity", quantity), ("UnitAmount", unit_amount), ("LineAmount", given_amount)):
            if value is not None and money.out_of_range(value):
                errors.append(money.out_of_range_message(name, value))
                return {}
        if quantity is None:
            quantity = given_amount / unit_amount if given_amount is not None and unit_amount else Decimal(1)
        if unit_amount is None and given_amount is not None and quantity:
            unit_amount = given_amount / quantity
        # A value derived from the other two (LineAmount / a tiny Quantity) can be out of range too.
        for name, value in (("Quantity", quantity), ("UnitAmount", unit_amount)):
            if value is not None and money.out_of_range(value):
                errors.append(money.out_of_range_message(name, value))
                return {}
        quantity = money.round_money(quantity, QUANTITY_PLACES)
        if quantity < 0:
            errors.append(f"The quantity value '{quantity}' is invalid. Quantity must not be less than zero.")
        if unit_amount is None or unit_amount <= 0:
            errors.append("The UnitAmount of a bank transaction line must be greater than zero.")
            unit_amount = money.ZERO
        unit_amount = money.round_unit_amount(unit_amount, unitdp)

        tax_type = line.get("TaxType") or (account or {}).get("TaxType")
        rate = money.ZERO
        if tax_type:
            tax_rate = self.tax_rate(tax_type)
            if tax_rate is None or tax_rate.get("Status", TaxRateStatus.ACTIVE) != TaxRateStatus.ACTIVE:
                errors.append(
                    f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of transaction."
                )
            else:
                rate = self.effective_rate(tax_rate)
                if account and tax_rate.get(TAX_APPLIES_TO.get(account.get("Class") or "", ""), True) is False:
                    errors.append(
                        f"The TaxType code '{tax_type}' cannot be used with account code '{account.get('Code')}'."
                    )

        amount = money.line_amount(quantity, unit_amount)
        tax = money.line_tax(amount, rate, amount_types)
        priced = {
            "LineItemID": line.get("LineItemID") or self.ids.guid(),
            "Description": line.get("Description"),
            "Quantity": quantity,
            "UnitAmount": unit_amount,
            "ItemCode": line.get("ItemCode"),
            "AccountCode": (account or {}).get("Code"),
            "AccountID": (account or {}).get("AccountID"),
            "TaxType": tax_type,
            "TaxAmount": tax,
            "LineAmount": amount,
            "Tracking": line.get("Tracking") or [],
        }
        return {key: value for key, value in priced.items() if value is not None}

    def _bank_line_account(self, line: dict, errors: list[str]) -> dict | None:
        code = line.get("AccountCode")
        if not line.get("AccountID") and not code:
            errors.append("Each line item of a bank transaction must have an AccountCode or AccountID.")
            return None
        account = self.resolve_account({"AccountID": line.get("AccountID"), "Code": code})
        shown = code or line.get("AccountID")
        if account is None:
            errors.append(f"Account code '{shown}' has been removed as it does not match a recognised account.")
            return None
        shown = account.get("Code") or shown
        if account.get("Status", AccountStatus.ACTIVE) != AccountStatus.ACTIVE:
            errors.append(
                f"Account code '{shown}' has been archived, or has been deleted. "
                "Each line item must reference a valid account."
            )
            return None
        if account["Type"] == "BANK" or account.get("SystemAccount") in CONTROL_SYSTEM_ACCOUNTS:
            errors.append(f"Account code '{shown}' is not a valid code for this document")
            return None
        return account

    # -- posting --

    def _post_bank_transaction(self, record: dict) -> None:
        self.post_journal(
            source_type=BANK_TRANSACTION_SOURCE[record["Type"]],
            source_id=record["BankTransactionID"],
            journal_date=record["Date"],
            currency=self.base_currency,
            lines=bank_transaction_lines(record, self.account, self.system_account, self.base_currency),
            reference=record.get("Reference"),
        )
