"""Money arithmetic: the one place amounts are rounded.

Xero rounds half-up (2.165 → 2.17), per line, to 2 decimal places, or 4 where ``unitdp=4`` allows; Python's
default for ``Decimal`` is banker's rounding, so every rounding in the mock goes through ``round_money``.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENTS = 2
UNIT_PLACES_MAX = 4  # unitdp=4 and tax rates (15.0000)


def round_money(amount: Decimal, places: int = CENTS) -> Decimal:
    """``amount`` rounded half-up to ``places`` decimals, always written with exactly that many."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def has_more_places(amount: Decimal, places: int) -> bool:
    """True when ``amount`` carries digits beyond ``places`` decimals (``1.23450`` has 4, not 5)."""
    return amount != amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
