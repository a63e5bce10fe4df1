"""Xero's per-line document arithmetic, computed before sending so a total that would differ is caught.

Xero totals a document line by line (docs/syncer/mapping.md, "Arithmetic"):

* the unit amount is rounded to 2 places (4 when the request asks ``unitdp=4``), then
  ``LineAmount = Quantity × UnitAmount`` rounded half-up to cents;
* tax is computed **per line** and rounded half-up to cents, then summed: ``Exclusive`` lines add
  ``amount × rate / 100`` on top, ``Inclusive`` lines already contain ``amount × rate / (100 + rate)``,
  ``NoTax`` lines carry none;
* Exclusive: ``Total = Σ LineAmount + Σ tax``; Inclusive: ``Total = Σ LineAmount``.

A billing platform that rounds the invoice total instead can land a cent away. The mapping never adds a
plug line to hide that: ``total_difference`` reports it with the numbers, and the record is not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from syncer.plan import Problem
from syncer.refs import Kind

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

EXCLUSIVE = "Exclusive"
INCLUSIVE = "Inclusive"
NO_TAX = "NoTax"


def round_money(value: Decimal, places: int = 2) -> Decimal:
    """Half-up to ``places`` decimals (2.165 → 2.17), Xero's only rounding rule."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_amount: Decimal, unit_places: int = 2) -> Decimal:
    """What Xero stores as LineAmount: the rounded unit amount times the quantity, in cents."""
    return round_money(quantity * round_money(unit_amount, unit_places))


def line_tax(amount: Decimal, rate_percent: Decimal, amount_types: str) -> Decimal:
    """The tax Xero computes on one line, rounded half-up to cents."""
    if amount_types == NO_TAX or not rate_percent:
        return Decimal("0.00")
    if amount_types == INCLUSIVE:
        return round_money(amount * rate_percent / (HUNDRED + rate_percent))
    if amount_types == EXCLUSIVE:
        return round_money(amount * rate_percent / HUNDRED)
    raise ValueError(f"unknown LineAmountTypes {amount_types!r}")


@dataclass(frozen=True)
class LineFigures:
    line_amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    """A document's totals as Xero will compute them."""

    lines: tuple[LineFigures, ...]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal


def document_totals(lines: Iterable[tuple[Decimal, Decimal]], amount_types: str) -> Totals:
    """Totals of lines given as (LineAmount, tax rate in percent)."""
    figures = tuple(LineFigures(amount, line_tax(amount, rate, amount_types)) for amount, rate in lines)
    amounts = sum((line.line_amount for line in figures), Decimal("0.00"))
    total_tax = sum((line.tax for line in figures), Decimal("0.00"))
    if amount_types == INCLUSIVE:
        return Totals(figures, amounts - total_tax, total_tax, amounts)
    return Totals(figures, amounts, total_tax, amounts + total_tax)


def body_totals(body: Mapping[str, Any], rate_of: Callable[[str], Decimal], unit_places: int = 2) -> Totals:
    """Totals of an invoice or credit note body the mapping built.

    ``rate_of`` gives a TaxType's rate in percent; every line the mapping builds names its TaxType.
    """
    amount_types = body.get("LineAmountTypes", EXCLUSIVE)
    lines = []
    for line in body.get("LineItems", ()):
        amount = line_amount(line["Quantity"], line["UnitAmount"], unit_places)
        lines.append((amount, rate_of(line["TaxType"]) if line.get("TaxType") else Decimal(0)))
    return document_totals(lines, amount_types)


def total_difference(kind: Kind, source_id: str, xero_total: Decimal, billing_total: Decimal) -> Problem | None:
    """A problem naming both totals when Xero's would differ from the billing platform's, else None."""
    if xero_total == billing_total:
        return None
    return Problem(
        f"Xero would total {xero_total} but the billing total is {billing_total} "
        f"(difference {xero_total - billing_total}); not sent, and no rounding line is added to hide it",
        kind,
        source_id,
        "total",
    )
