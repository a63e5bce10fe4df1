"""The Payment wire shape."""

from __future__ import annotations

from marshmallow import fields

from ..statuses import PaymentStatus, values
from .base import XeroSchema
from .common import AccountRefSchema
from .documents import CreditNoteRefSchema, DualNested, InvoiceRefSchema
from .fields import Choice, Flag, Guid, Money, Text, XeroDate, XeroDateTime
from .invoices import InvoiceSchema
from .overpayments import OverpaymentRefSchema, OverpaymentSchema, PrepaymentRefSchema, PrepaymentSchema

PAYMENT_STATUSES = values(PaymentStatus)
PAYMENT_TYPES = (
    "ACCRECPAYMENT",
    "ACCPAYPAYMENT",
    "ARCREDITPAYMENT",
    "APCREDITPAYMENT",
    "AROVERPAYMENTPAYMENT",
    "ARPREPAYMENTPAYMENT",
    "APPREPAYMENTPAYMENT",
    "APOVERPAYMENTPAYMENT",
)


class PaymentSchema(XeroSchema):
    PaymentID = Guid(allow_none=True)
    Date = XeroDate(allow_none=True)
    BankAmount = Money(dump_only=True)
    Amount = Money(allow_none=True)
    Reference = Text()
    CurrencyRate = Money(allow_none=True)
    PaymentType = Choice(PAYMENT_TYPES, "PaymentType", dump_only=True)
    Status = Choice(PAYMENT_STATUSES, "PaymentStatus")
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    HasAccount = Flag(dump_only=True)
    IsReconciled = Flag()
    Account = fields.Nested(AccountRefSchema, allow_none=True)
    Code = Text(load_only=True)
    # Xero answers with the settled document under "Invoice", credit notes included.
    Invoice = DualNested(InvoiceRefSchema(), InvoiceSchema(), "Invoice")
    CreditNote = fields.Nested(CreditNoteRefSchema, allow_none=True, load_only=True)
    # A refund of an overpayment or prepayment names it here, and is answered with it here.
    Overpayment = DualNested(OverpaymentRefSchema(), OverpaymentSchema(), "Overpayment")
    Prepayment = DualNested(PrepaymentRefSchema(), PrepaymentSchema(), "Prepayment")
    InvoiceNumber = Text(load_only=True)
    CreditNoteNumber = Text(load_only=True)
    HasValidationErrors = Flag(dump_only=True)
