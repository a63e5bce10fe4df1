"""Money arithmetic the way Xero does it: exact decimals, rounded half-up, never floats.

Every rounding of a money value in the emulator goes through ``round_money`` (2 dp) or ``round_places``
(unit amounts at 2 or 4 dp, quantities at 4 dp), so there is exactly one rounding rule to audit.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MONEY_PLACES = 2
QUANTITY_PLACES = 4  # Xero keeps quantities to 4 dp


def round_places(value: Decimal, places: int) -> Decimal:
    """Half-up rounding to ``places`` decimals (2.165 → 2.17, 2.164 → 2.16, -2.165 → -2.17)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_money(value: Decimal) -> Decimal:
    """A money amount as Xero stores it: 2 dp, half-up."""
    return round_places(value, MONEY_PLACES)


def money_sum(values) -> Decimal:
    """Σ of already-rounded amounts, written with 2 dp even when empty."""
    return round_money(sum(values, ZERO))
