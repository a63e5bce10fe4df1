"""The status codes Xero gives each kind of record, one enum per kind, in the order Xero's spec lists them.

Members are ``str``: a record stores ``DocumentStatus.PAID`` and reads back ``"PAID"`` from a data file,
and the two compare equal. The schemas accept exactly these values; the backend's rules name them.
"""

from __future__ import annotations

from enum import StrEnum


class DocumentStatus(StrEnum):
    """Invoices and credit notes."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    DELETED = "DELETED"
    AUTHORISED = "AUTHORISED"
    PAID = "PAID"
    VOIDED = "VOIDED"


class PaymentStatus(StrEnum):
    AUTHORISED = "AUTHORISED"
    DELETED = "DELETED"


class BankTransactionStatus(StrEnum):
    AUTHORISED = "AUTHORISED"
    DELETED = "DELETED"
    VOIDED = "VOIDED"


class BankTransferStatus(StrEnum):
    AUTHORISED = "AUTHORISED"
    DELETED = "DELETED"


class AccountStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"


class TaxRateStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"
    ARCHIVED = "ARCHIVED"
    PENDING = "PENDING"


class ContactStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    GDPRREQUEST = "GDPRREQUEST"


def values(statuses: type[StrEnum]) -> tuple[str, ...]:
    """The codes as plain strings, for schemas and contracts (which must not carry enum members)."""
    return tuple(status.value for status in statuses)
