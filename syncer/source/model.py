"""The billing source model: the records a billing platform hands over, typed and immutable.

Every loader (the file format in ``syncer.source.files``, a platform's API later) produces a ``BillingBook``;
the mapping and the engine read nothing else. Amounts are ``Decimal`` and dates are ``date`` from the moment
a record exists, so no float and no date string ever reaches the mapping rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

FORMAT_VERSION = 1


class LineItemType(StrEnum):
    """The line item types of the billing platform (the integration-settings page lists these 19)."""

    STANDING_CHARGE = "STANDING_CHARGE"
    USAGE = "USAGE"
    COUNTER_RUNNING_TOTAL_CHARGE = "COUNTER_RUNNING_TOTAL_CHARGE"
    COUNTER_ADJUSTMENT_DEBIT = "COUNTER_ADJUSTMENT_DEBIT"
    COUNTER_ADJUSTMENT_CREDIT = "COUNTER_ADJUSTMENT_CREDIT"
    USAGE_CREDIT = "USAGE_CREDIT"
    MINIMUM_SPEND = "MINIMUM_SPEND"
    MINIMUM_SPEND_REFUND = "MINIMUM_SPEND_REFUND"
    CREDIT_DEDUCTION = "CREDIT_DEDUCTION"
    MANUAL_ADJUSTMENT = "MANUAL_ADJUSTMENT"
    CREDIT_MEMO = "CREDIT_MEMO"
    DEBIT_MEMO = "DEBIT_MEMO"
    COMMITMENT_CONSUMED = "COMMITMENT_CONSUMED"
    COMMITMENT_FEE = "COMMITMENT_FEE"
    OVERAGE_SURCHARGE = "OVERAGE_SURCHARGE"
    OVERAGE_USAGE = "OVERAGE_USAGE"
    BALANCE_CONSUMED = "BALANCE_CONSUMED"
    BALANCE_FEE = "BALANCE_FEE"
    AD_HOC = "AD_HOC"


class TaxMode(StrEnum):
    """Whether a document's unit prices include tax (Xero's LineAmountTypes Inclusive/Exclusive)."""

    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


class InvoiceStatus(StrEnum):
    """A bill's state in the billing platform; the mapping turns it into a Xero invoice status."""

    DRAFT = "draft"
    ROLLUP_PENDING = "rollup_pending"
    PENDING = "pending"
    PAID = "paid"
    VOIDED = "voided"


class CreditNoteStatus(StrEnum):
    ISSUED = "issued"
    VOIDED = "voided"


class DisputeOutcome(StrEnum):
    """Open: the funds are withdrawn. Won: they come back in a later payout. Lost: they stay withdrawn."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


@dataclass(frozen=True)
class Period:
    """An inclusive date range: a billing period or a line's service period."""

    start: date
    end: date


@dataclass(frozen=True)
class Address:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Customer:
    """A billing account. ``deleted`` customers become ARCHIVED contacts."""

    id: str
    name: str
    email: str | None = None
    currency: str | None = None
    address: Address | None = None
    custom_fields: Mapping[str, object] = field(default_factory=dict)
    deleted: bool = False
    updated_at: datetime | None = None


@dataclass(frozen=True)
class InvoiceLine:
    """One line of a bill as the billing platform computed it.

    ``subtotal`` is quantity × unit price before discount and tax; ``discount`` is a pre-tax amount taken
    off it (zero when none); ``tax_amount`` is the tax the platform charged on the line. The engine redoes
    Xero's arithmetic from quantity, unit price and tax rate and compares it with these figures.
    """

    id: str
    type: LineItemType
    description: str
    quantity: Decimal
    unit_price: Decimal
    subtotal: Decimal
    discount: Decimal = Decimal("0")
    tax_amount: Decimal = Decimal("0")
    tax_code: str | None = None
    product_id: str | None = None
    accounting_product_id: str | None = None
    aggregation_id: str | None = None
    pricing_band: str | None = None
    service_period: Period | None = None


@dataclass(frozen=True)
class Invoice:
    """A bill. ``version`` increases whenever the platform regenerates or recalculates it."""

    id: str
    customer_id: str
    number: str
    status: InvoiceStatus
    currency: str
    issue_date: date
    due_date: date
    tax_mode: TaxMode
    lines: tuple[InvoiceLine, ...]
    total: Decimal
    version: int = 1
    approved: bool = False
    billing_period: Period | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Payment:
    """A captured charge: ``amount`` is the gross the customer paid, ``fee`` what the gateway kept.

    ``exchange_rate`` is set when the processor converted the charge: units of the payment's currency per
    one unit of the organisation's base currency, as Xero's CurrencyRate is defined.
    """

    id: str
    invoice_id: str
    amount: Decimal
    currency: str
    captured_on: date
    fee: Decimal = Decimal("0")
    processor: str | None = None
    exchange_rate: Decimal | None = None
    payout_id: str | None = None


@dataclass(frozen=True)
class CreditNoteLine:
    """A credited line; ``invoice_line_id`` names the line of the credited invoice it reverses."""

    id: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    subtotal: Decimal
    tax_amount: Decimal = Decimal("0")
    tax_code: str | None = None
    invoice_line_id: str | None = None
    product_id: str | None = None


@dataclass(frozen=True)
class CreditNote:
    id: str
    customer_id: str
    number: str
    currency: str
    issue_date: date
    tax_mode: TaxMode
    lines: tuple[CreditNoteLine, ...]
    total: Decimal
    invoice_id: str | None = None
    status: CreditNoteStatus = CreditNoteStatus.ISSUED
    version: int = 1


@dataclass(frozen=True)
class Credit:
    """A customer credit. Standalone credits (no ``credit_note_id``) are not pushed to Xero."""

    id: str
    customer_id: str
    amount: Decimal
    currency: str
    granted_on: date
    credit_note_id: str | None = None


@dataclass(frozen=True)
class CreditApplication:
    """Credit from a credit note applied to an invoice: an Allocation in Xero, moving no cash."""

    id: str
    credit_note_id: str
    invoice_id: str
    amount: Decimal
    applied_on: date


@dataclass(frozen=True)
class Refund:
    """Money returned to a customer. Only refunds tied to a credit note are pushed (ARCREDITPAYMENT)."""

    id: str
    amount: Decimal
    currency: str
    refunded_on: date
    credit_note_id: str | None = None
    payment_id: str | None = None
    payout_id: str | None = None


@dataclass(frozen=True)
class Dispute:
    """A chargeback against a payment: ``amount`` withdrawn and ``fee`` charged in ``payout_id``;
    when won, the amount comes back in ``reinstated_payout_id``."""

    id: str
    payment_id: str
    amount: Decimal
    currency: str
    opened_on: date
    outcome: DisputeOutcome
    fee: Decimal = Decimal("0")
    payout_id: str | None = None
    reinstated_payout_id: str | None = None
    reinstated_on: date | None = None


@dataclass(frozen=True)
class Payout:
    """What the processor paid into the bank: the line on the bank statement.

    ``net`` is the amount that arrived; it equals the settled payments' gross, less their fees, less the
    refunds, less the disputes' amounts and fees, plus reinstated disputes, all in ``currency``.
    """

    id: str
    currency: str
    arrival_date: date
    net: Decimal
    payment_ids: tuple[str, ...] = ()
    refund_ids: tuple[str, ...] = ()
    dispute_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingBook:
    """Everything one source hands over for one run, keyed by the platform's own ids."""

    customers: tuple[Customer, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    payouts: tuple[Payout, ...] = ()
    credit_notes: tuple[CreditNote, ...] = ()
    credits: tuple[Credit, ...] = ()
    credit_applications: tuple[CreditApplication, ...] = ()
    refunds: tuple[Refund, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    format_version: int = FORMAT_VERSION
