"""Xero's document arithmetic, as pure functions every document with line items shares.

Invoices, credit notes and bank transactions all total their lines the same way (the spec's LineAmountTypes
and Xero's "Rounding in Xero" guide; docs/fidelity/line-items-invoices-credit-notes.md):

* a line's amount is ``Quantity × UnitAmount`` (less a discount), rounded to cents;
* tax is computed **per line** and rounded half-up to cents, then summed, so three lines of 25.06, 25.61
  and 25.63 at 15 % carry 3.76 + 3.84 + 3.84 = 11.44 of tax, not the 11.45 a total-first sum would give;
* ``Exclusive`` lines add tax on top, ``Inclusive`` lines already contain it
  (tax = amount × rate / (100 + rate)), ``NoTax`` lines carry none.

Every rounding in the emulator goes through ``round_money`` so there is exactly one rounding rule.
Nothing here knows about records, accounts or Flask: callers pass numbers and get numbers back.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# Amounts are refused at and above this size, so that every product of two of them still fits the 28
# significant digits Decimal (and .NET's decimal, which Xero uses) calculates with.
MAX_AMOUNT = Decimal(10) ** 12

EXCLUSIVE = "Exclusive"
INCLUSIVE = "Inclusive"
NO_TAX = "NoTax"
LINE_AMOUNT_TYPES = (EXCLUSIVE, INCLUSIVE, NO_TAX)


def out_of_range(value: Decimal) -> bool:
    return abs(value) >= MAX_AMOUNT


def out_of_range_message(field: str, value: Decimal) -> str:
    return f"The {field} value '{value}' is out of range: amounts must be below {MAX_AMOUNT:,}."


def settlement_amount_error(
    amount: Decimal | None, outstanding: Decimal, *, not_positive: str, too_much: str
) -> str | None:
    """The rule every amount that settles a document obeys (payments, refunds, allocations): within range,
    above zero once rounded to cents, and not above what is outstanding. The message, or None when fine."""
    if amount is not None and out_of_range(amount):
        return out_of_range_message("Amount", amount)
    if amount is None or round_money(amount) <= 0:
        return not_positive
    if round_money(amount) > outstanding:
        return too_much
    return None


# The quantum of each number of places rounded to (0.01 for cents), made once: a create rounds twenty times.
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}


def round_money(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up (2.165 → 2.17) to ``places`` decimals: Xero's only rounding rule."""
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def round_unit_amount(value: Decimal, unitdp: int = 2) -> Decimal:
    """Unit prices are kept to 2 places unless the request asked for ``unitdp=4``."""
    return round_money(value, 4 if unitdp == 4 else 2)


def line_amount(
    quantity: Decimal,
    unit_amount: Decimal,
    *,
    discount_rate: Decimal | None = None,
    discount_amount: Decimal | None = None,
) -> Decimal:
    """``Quantity × UnitAmount``, less ``DiscountRate`` percent or ``DiscountAmount``, in cents."""
    gross = quantity * unit_amount
    if discount_rate:
        gross = gross * (HUNDRED - discount_rate) / HUNDRED
    elif discount_amount:
        gross -= discount_amount
    return round_money(gross)


def line_tax(amount: Decimal, rate_percent: Decimal, line_amount_types: str) -> Decimal:
    """The tax a single line carries, rounded to cents (``rate_percent`` is e.g. ``15.0000``)."""
    if line_amount_types == NO_TAX or not rate_percent:
        return ZERO
    if line_amount_types == INCLUSIVE:
        return round_money(amount * rate_percent / (HUNDRED + rate_percent))
    return round_money(amount * rate_percent / HUNDRED)


def line_net(amount: Decimal, tax: Decimal, line_amount_types: str) -> Decimal:
    """What a line posts to its own account: the amount without its tax."""
    return amount - tax if line_amount_types == INCLUSIVE else amount


class Totals(NamedTuple):
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal


def document_totals(lines: Iterable[tuple[Decimal, Decimal]], line_amount_types: str) -> Totals:
    """``SubTotal``, ``TotalTax`` and ``Total`` from ``(LineAmount, TaxAmount)`` pairs of rounded lines."""
    amount_sum = ZERO
    tax_sum = ZERO
    for amount, tax in lines:
        amount_sum += amount
        tax_sum += tax
    if line_amount_types == INCLUSIVE:
        return Totals(amount_sum - tax_sum, tax_sum, amount_sum)
    if line_amount_types == NO_TAX:
        return Totals(amount_sum, ZERO, amount_sum)
    return Totals(amount_sum, tax_sum, amount_sum + tax_sum)
