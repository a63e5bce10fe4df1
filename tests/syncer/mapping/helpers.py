"""A small organisation, a configuration and record builders the mapping tests share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from syncer.mapping.config import CurrencyAccounts, MappingConfig
from syncer.mapping.context import Held, MappingContext
from syncer.plan import Write
from syncer.refs import Ref
from syncer.source.model import (
    BillingBook,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineItemType,
    Payment,
    Payout,
    TaxMode,
)

D = Decimal


def bank(code: str, name: str, currency: str) -> dict[str, Any]:
    return {"Code": code, "Name": name, "Type": "BANK", "Status": "ACTIVE", "TaxType": "NONE", "CurrencyCode": currency}


ORG: dict[str, Any] = {
    "Organisations": [{"Name": "Demo Ltd", "BaseCurrency": "GBP"}],
    "Currencies": [{"Code": "GBP"}, {"Code": "USD"}],
    "Accounts": [
        bank("090", "Business Bank", "GBP"),
        bank("091", "Stripe Clearing GBP", "GBP"),
        bank("092", "USD Bank", "USD"),
        bank("093", "Stripe Clearing USD", "USD"),
        {"Code": "200", "Name": "Sales", "Type": "REVENUE", "Status": "ACTIVE", "TaxType": "OUTPUT2"},
        {"Code": "260", "Name": "Subscriptions", "Type": "REVENUE", "Status": "ACTIVE", "TaxType": "OUTPUT2"},
        {"Code": "270", "Name": "Discounts", "Type": "REVENUE", "Status": "ACTIVE", "TaxType": "OUTPUT2"},
        {"Code": "404", "Name": "Bank Fees", "Type": "EXPENSE", "Status": "ACTIVE", "TaxType": "NONE"},
        {"Code": "405", "Name": "Chargebacks", "Type": "EXPENSE", "Status": "ACTIVE", "TaxType": "NONE"},
        {"Code": "610", "Name": "Accounts Receivable", "Type": "CURRENT", "Status": "ACTIVE", "TaxType": "NONE"},
        {"Code": "299", "Name": "Old Sales", "Type": "REVENUE", "Status": "ARCHIVED", "TaxType": "OUTPUT2"},
    ],
    "TaxRates": [
        {"TaxType": "OUTPUT2", "Name": "20% VAT on Income", "Status": "ACTIVE", "EffectiveRate": D("20.0000")},
        {"TaxType": "ZERORATEDOUTPUT", "Name": "Zero Rated Income", "Status": "ACTIVE", "EffectiveRate": D("0")},
        {"TaxType": "NONE", "Name": "No VAT", "Status": "ACTIVE", "EffectiveRate": D("0")},
        {"TaxType": "OLDVAT", "Name": "Old VAT", "Status": "DELETED", "EffectiveRate": D("17.5")},
    ],
    "Items": [
        {"Code": "PRO", "Name": "Pro plan", "SalesDetails": {"AccountCode": "260", "TaxType": "OUTPUT2"}},
        {"Code": "SEAT", "Name": "Extra seat", "SalesDetails": {}},
    ],
}

CONFIG = MappingConfig(
    default_revenue_account="200",
    currencies={
        "GBP": CurrencyAccounts(deposit_bank="090", clearing="091", fee_account="404", dispute_account="405"),
        "USD": CurrencyAccounts(deposit_bank="092", clearing="093", fee_account="404", dispute_account="405"),
    },
    items={"prod_pro": "PRO", "prod_seat": "SEAT"},
    tax={"vat": "OUTPUT2", "zero": "ZERORATEDOUTPUT"},
)


def config(**changes: Any) -> MappingConfig:
    return replace(CONFIG, **changes)


def customer(id: str = "cus_1", name: str = "Acme Ltd", **fields: Any) -> Customer:
    return Customer(id=id, name=name, **fields)


def line(id: str = "l1", quantity: str = "1", unit_price: str = "100.00", **fields: Any) -> InvoiceLine:
    q, price = D(quantity), D(unit_price)
    values: dict[str, Any] = {
        "type": LineItemType.STANDING_CHARGE,
        "description": "Pro plan",
        "subtotal": q * price,
        "tax_amount": (q * price * D("0.20")).quantize(D("0.01")),
        "tax_code": "vat",
        "product_id": "prod_pro",
    }
    values.update(fields)
    return InvoiceLine(id=id, quantity=q, unit_price=price, **values)


def invoice(
    id: str = "inv_1", lines: Iterable[InvoiceLine] | None = None, total: str = "120.00", **fields: Any
) -> Invoice:
    values: dict[str, Any] = {
        "customer_id": "cus_1",
        "number": "INV-0001",
        "status": InvoiceStatus.PENDING,
        "currency": "GBP",
        "issue_date": date(2024, 1, 31),
        "due_date": date(2024, 2, 14),
        "tax_mode": TaxMode.EXCLUSIVE,
    }
    values.update(fields)
    return Invoice(id=id, lines=tuple(lines if lines is not None else [line()]), total=D(total), **values)


def payment(id: str = "pay_1", amount: str = "100.00", fee: str = "3.20", **fields: Any) -> Payment:
    values: dict[str, Any] = {
        "invoice_id": "inv_1",
        "currency": "GBP",
        "captured_on": date(2024, 2, 1),
        "processor": "stripe",
        "payout_id": "po_1",
    }
    values.update(fields)
    return Payment(id=id, amount=D(amount), fee=D(fee), **values)


def payout(id: str = "po_1", net: str = "96.80", **fields: Any) -> Payout:
    values: dict[str, Any] = {"currency": "GBP", "arrival_date": date(2024, 2, 3), "payment_ids": ("pay_1",)}
    values.update(fields)
    return Payout(id=id, net=D(net), **values)


def context(
    book: BillingBook | None = None,
    mapping: MappingConfig = CONFIG,
    org: dict[str, Any] | None = None,
    held: dict[Ref, Held] | None = None,
    **options: Any,
) -> MappingContext:
    if book is None:
        book = BillingBook(customers=(customer(),), invoices=(invoice(),))
    return MappingContext.build(mapping, ORG if org is None else org, book, held=held, **options)


def bank_balances(writes: Iterable[Write]) -> dict[str, Decimal]:
    """Each bank account's balance after the writes, read from the bodies alone (what Xero would post)."""
    balances: dict[str, Decimal] = defaultdict(lambda: D("0.00"))
    for write in writes:
        body = write.body
        if write.collection == "Payments":
            sign = -1 if "CreditNote" in body else 1  # a refund on a credit note pays money out
            balances[body["Account"]["Code"]] += sign * body["Amount"]
        elif write.collection == "BankTransactions":
            total = sum(item["Quantity"] * item["UnitAmount"] for item in body["LineItems"])
            sign = 1 if body["Type"] == "RECEIVE" else -1
            balances[body["BankAccount"]["Code"]] += sign * total
        elif write.collection == "BankTransfers":
            balances[body["FromBankAccount"]["Code"]] -= body["Amount"]
            balances[body["ToBankAccount"]["Code"]] += body["Amount"]
    return dict(balances)
