"""The BankTransaction and BankTransfer wire shapes."""

from __future__ import annotations

from marshmallow import fields

from ..statuses import BankTransactionStatus, BankTransferStatus, values
from .base import XeroSchema
from .common import AccountRefSchema, nested_list
from .contacts import ContactSummarySchema
from .fields import Choice, Flag, Guid, IsoDateString, Money, Text, XeroDate, XeroDateTime
from .lineitems import LineItemSchema, TrackingSchema

BANK_TRANSACTION_TYPES = (
    "RECEIVE",
    "RECEIVE-OVERPAYMENT",
    "RECEIVE-PREPAYMENT",
    "SPEND",
    "SPEND-OVERPAYMENT",
    "SPEND-PREPAYMENT",
    "RECEIVE-TRANSFER",
    "SPEND-TRANSFER",
)
BANK_TRANSACTION_STATUSES = values(BankTransactionStatus)
BANK_TRANSFER_STATUSES = values(BankTransferStatus)
LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


class BankTransactionSchema(XeroSchema):
    BankTransactionID = Guid(allow_none=True)
    Type = Choice(BANK_TRANSACTION_TYPES, "BankTransactionType")
    Contact = fields.Nested(ContactSummarySchema, allow_none=True)
    BankAccount = fields.Nested(AccountRefSchema, allow_none=True)
    LineItems = nested_list(LineItemSchema)
    IsReconciled = Flag()
    Date = XeroDate(allow_none=True)
    DateString = IsoDateString(attribute="Date", dump_only=True)
    Reference = Text()
    CurrencyCode = Text()
    CurrencyRate = Money(allow_none=True)
    Url = Text()
    Status = Choice(BANK_TRANSACTION_STATUSES, "BankTransactionStatus")
    LineAmountTypes = Choice(LINE_AMOUNT_TYPES, "LineAmountType")
    # Totals are Xero's to compute: read so a client may echo them, never trusted.
    SubTotal = Money(allow_none=True)
    TotalTax = Money(allow_none=True)
    Total = Money(allow_none=True)
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    HasAttachments = Flag(dump_only=True)
    # The overpayment or prepayment a transaction of that Type created.
    OverpaymentID = Guid(dump_only=True)
    PrepaymentID = Guid(dump_only=True)


class BankTransferSchema(XeroSchema):
    BankTransferID = Guid(allow_none=True)
    FromBankAccount = fields.Nested(AccountRefSchema, allow_none=True)
    ToBankAccount = fields.Nested(AccountRefSchema, allow_none=True)
    Amount = Money(allow_none=True)
    Date = XeroDate(allow_none=True)
    DateString = IsoDateString(attribute="Date", dump_only=True)
    Status = Choice(BANK_TRANSFER_STATUSES, "BankTransferStatus")
    CurrencyRate = Money(dump_only=True)
    FromBankTransactionID = Guid(dump_only=True)
    ToBankTransactionID = Guid(dump_only=True)
    FromIsReconciled = Flag()
    ToIsReconciled = Flag()
    Reference = Text()
    HasAttachments = Flag(dump_only=True)
    CreatedDateUTC = XeroDateTime(dump_only=True)
    CreatedDateUTCString = IsoDateString(attribute="CreatedDateUTC", dump_only=True)
    FromTracking = nested_list(TrackingSchema)
    ToTracking = nested_list(TrackingSchema)


class BankTransferDeleteSchema(XeroSchema):
    """An element of ``POST /BankTransfers`` (spec 16.1.0's ``BankTransfersDelete``)."""

    BankTransferID = Guid(allow_none=True)
    Status = Choice(BANK_TRANSFER_STATUSES, "BankTransferStatus")
