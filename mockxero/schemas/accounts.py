"""The Account wire shape (the chart of accounts)."""

from __future__ import annotations

from ..refdata import CURRENCY_CODES
from ..statuses import AccountStatus, values
from .base import XeroSchema
from .fields import Choice, Flag, Guid, Text, XeroDateTime

ACCOUNT_TYPES = (
    "BANK",
    "CURRENT",
    "CURRLIAB",
    "DEPRECIATN",
    "DIRECTCOSTS",
    "EQUITY",
    "EXPENSE",
    "FIXED",
    "INVENTORY",
    "LIABILITY",
    "NONCURRENT",
    "OTHERINCOME",
    "OVERHEADS",
    "PREPAYMENT",
    "REVENUE",
    "SALES",
    "TERMLIAB",
    "PAYG",
)
ACCOUNT_STATUSES = values(AccountStatus)
BANK_ACCOUNT_TYPES = ("BANK", "CREDITCARD", "PAYPAL", "NONE", "")


class AccountSchema(XeroSchema):
    # Declared in the order of Xero's own examples, which is the order dumps come out in.
    AccountID = Guid(allow_none=True)
    Code = Text()
    Name = Text()
    Status = Choice(ACCOUNT_STATUSES, "AccountStatusCodes")
    Type = Choice(ACCOUNT_TYPES, "AccountType")
    TaxType = Text()
    Description = Text()
    Class = Text(dump_only=True)
    SystemAccount = Text(dump_only=True)
    EnablePaymentsToAccount = Flag()
    ShowInExpenseClaims = Flag()
    BankAccountNumber = Text()
    BankAccountType = Choice(BANK_ACCOUNT_TYPES, "BankAccountType")
    CurrencyCode = Choice(CURRENCY_CODES, "CurrencyCode")
    ReportingCode = Text()
    ReportingCodeName = Text(dump_only=True)
    HasAttachments = Flag(dump_only=True)
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    AddToWatchlist = Flag()
