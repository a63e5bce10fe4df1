"""Tax rates, keyed by their TaxType code."""
from __future__ import annotations

from decimal import Decimal

from .base import BackendBase


class TaxRatesBackend(BackendBase):
    def tax_rate(self, tax_type: str | None) -> dict | None:
        if not tax_type:
            return None
        return self._get("TaxRates", tax_type)

    def effective_rate(self, tax_rate: dict) -> Decimal:
        """The percentage applied to a line (e.g. ``15.0000``)."""
        return tax_rate["EffectiveRate"]

    def list_tax_rates(self) -> list[dict]:
        return list(self.store.scan(self.table("TaxRates")))
