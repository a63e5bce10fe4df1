"""Currencies enabled for the organisation.

``PUT /Currencies`` adds a currency from Xero's CurrencyCode list; adding one that is already enabled answers
with it and stores nothing new. Xero's spec marks the operation "Unsupported" (adding a currency needs a
multi-currency plan in the real product); the mock's organisation has every action allowed, so it adds it.

The tenant's exchange-rate table (``mockxero/exchange.py``) lives here too: the rates a test set per currency
and date, and ``day_rate``, the rate a foreign-currency record takes when its client sent none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ..exchange import SetRate, day_rate
from ..refdata import CURRENCY_CODES, CURRENCY_NAMES
from .base import BackendBase, fail

MSG_CODE_REQUIRED = "Please enter a currency Code."


def unknown_currency_message(code: str) -> str:
    return f"'{code}' is not a currency code Xero supports."


class CurrenciesBackend(BackendBase):
    def currency_enabled(self, code: str | None) -> bool:
        return bool(code and self.store.exists(self.table("Currencies"), code))

    def list_currencies(self) -> list[dict]:
        return list(self.store.scan(self.table("Currencies")))

    def add_currency(self, values: dict) -> dict:
        code = (values.get("Code") or "").strip().upper()
        if not code:
            raise fail(MSG_CODE_REQUIRED)
        if code not in CURRENCY_CODES:
            raise fail(unknown_currency_message(code))
        existing = self._get("Currencies", code)
        if existing is not None:
            return existing
        # Xero names the currency itself; a client's Description is only a fallback for codes we cannot name.
        description = CURRENCY_NAMES.get(code) or (values.get("Description") or "").strip() or code
        return self._save("Currencies", code, {"Code": code, "Description": description, "UpdatedDateUTC": self.now()})

    # -- the exchange-rate table --

    def exchange_rates(self) -> list[SetRate]:
        """The rates set for this tenant, by currency then date (an always-rate first)."""
        entries = [
            SetRate(row["CurrencyCode"], row.get("Date"), row["Rate"])
            for row in self.store.scan(self.table("ExchangeRates"))
        ]
        return sorted(entries, key=lambda e: (e.currency, e.since or date.min))

    def set_exchange_rates(self, changes: Iterable[tuple[str, date | None, Decimal | None]]) -> list[SetRate]:
        """Set each ``(currency, since, rate)``; a rate of None removes that entry. Returns the table."""
        table = self.table("ExchangeRates")
        for currency, since, rate in changes:
            key = SetRate(currency, since, rate or Decimal(1)).key
            if rate is None:
                self.store.delete(table, key)
            else:
                self.store.put(table, key, {"CurrencyCode": currency, "Date": since, "Rate": rate})
        return self.exchange_rates()

    def day_rate(self, currency: str, day: date) -> Decimal:
        """Units of ``currency`` per unit of base currency on ``day``: a set rate, else the default table's."""
        return day_rate(self.exchange_rates(), self.base_currency, currency, day)
