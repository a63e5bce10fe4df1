"""Currencies enabled for the organisation."""
from __future__ import annotations

from .base import BackendBase


class CurrenciesBackend(BackendBase):
    def currency_enabled(self, code: str | None) -> bool:
        return bool(code) and self.store.exists(self.table("Currencies"), code)

    def list_currencies(self) -> list[dict]:
        return list(self.store.scan(self.table("Currencies")))
