"""Items (products and services) with their sales and purchase defaults."""
from __future__ import annotations

from .base import BackendBase


class ItemsBackend(BackendBase):
    INDEXES = [("Items", "code", lambda r: r["Code"].upper() if r.get("Code") else None)]

    def item(self, item_id: str) -> dict:
        return self._require("Items", item_id)

    def item_by_code(self, code: str | None) -> dict | None:
        if not code:
            return None
        return self.store.first(self.table("Items"), "code", code.upper())

    def list_items(self) -> list[dict]:
        return list(self.store.scan(self.table("Items")))
