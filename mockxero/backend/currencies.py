"""Currencies enabled for the organisation.

``PUT /Currencies`` adds a currency from Xero's CurrencyCode list; adding one that is already enabled answers
with it and stores nothing new. Xero's spec marks the operation "Unsupported" (adding a currency needs a
multi-currency plan in the real product); the mock's organisation has every action allowed, so it adds it.
"""

from __future__ import annotations

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
