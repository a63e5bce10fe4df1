"""Items (products and services) with their sales and purchase defaults.

Rules (Xero's docs, the spec's Item/Purchase schemas and examples; docs/fidelity/items.md):

* Code required, ≤ 30, unique without regard to case: "Price List Item with Code ''abc'' already exists".
  Name ≤ 50; Description and PurchaseDescription ≤ 4000.
* IsSold and IsPurchased default to true; turning one off clears its description and details.
* SalesDetails/PurchaseDetails ``{UnitPrice, AccountCode, COGSAccountCode, TaxType}``: accounts must exist and
  be ACTIVE, tax types must be ACTIVE rates; UnitPrice is kept to 2 places, or 4 with ``unitdp=4``.
* Tracked inventory: an INVENTORY-type ``InventoryAssetAccountCode`` together with
  ``PurchaseDetails.COGSAccountCode`` make ``IsTrackedAsInventory`` true.
* ``POST /Items`` updates the item named by ItemID, else by Code, else creates one. ``DELETE`` removes it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..exceptions import NotFound
from ..ids import is_guid, normalise_guid
from ..money import out_of_range, out_of_range_message, round_money
from ..statuses import AccountStatus
from .accounts import tax_type_unknown_message
from .base import BackendBase, fail

CODE_MAX = 30
NAME_MAX = 50
DESCRIPTION_MAX = 4000
DETAIL_FIELDS = ("UnitPrice", "AccountCode", "COGSAccountCode", "TaxType")
TEXT_FIELDS = ("Code", "Name", "Description", "PurchaseDescription", "InventoryAssetAccountCode")

MSG_CODE_REQUIRED = "Please enter a Code."
MSG_CODE_TOO_LONG = "Item Code must not be more than 30 characters long."
MSG_NAME_TOO_LONG = "Item Name must not be more than 50 characters long."
MSG_DESCRIPTION_TOO_LONG = "Item Description must not be more than 4000 characters long."
MSG_PURCHASE_DESCRIPTION_TOO_LONG = "Item PurchaseDescription must not be more than 4000 characters long."
MSG_ITEM_ID_UNKNOWN = "An existing Item with the specified ItemID could not be found"
MSG_INVENTORY_ACCOUNT_TYPE = "The InventoryAssetAccountCode must be an account of type INVENTORY."
MSG_TRACKED_NEEDS_COGS = "A COGSAccountCode in PurchaseDetails is required to track an item as inventory."
MSG_COGS_NEEDS_INVENTORY = "An InventoryAssetAccountCode is required to track an item as inventory."
MSG_TRACKED_PURCHASE_ACCOUNT = "PurchaseDetails AccountCode does not apply to tracked items; use COGSAccountCode."


def duplicate_code_message(code: str) -> str:
    # Xero's own text, doubled single quotes included (spec's PUT /Items example).
    return f"Price List Item with Code ''{code}'' already exists"


def unknown_account_message(code: str) -> str:
    return f"Account code '{code}' does not match a recognised account."


def inactive_account_message(code: str) -> str:
    return f"Account code '{code}' has been archived, or has been deleted."


class ItemsBackend(BackendBase):
    INDEXES = [("Items", "code", lambda r: r["Code"].upper() if r.get("Code") else None)]

    # -- lookups --

    def item(self, item_id: str) -> dict:
        return self._require("Items", item_id)

    def item_by_code(self, code: str | None) -> dict | None:
        if not code:
            return None
        return self.store.first(self.table("Items"), "code", code.upper())

    def item_by_id_or_code(self, reference: str) -> dict:
        """``GET /Items/{ItemID}`` also answers to the item's Code; 404 when neither matches."""
        found = self._get("Items", normalise_guid(reference)) if is_guid(reference) else None
        found = found or self.item_by_code(reference)
        if found is None:
            raise NotFound()
        return found

    def list_items(self) -> list[dict]:
        return list(self.store.scan(self.table("Items")))

    # -- writes --

    def create_item(self, values: dict, *, unit_places: int = 2) -> dict:
        record: dict[str, Any] = {
            "ItemID": self.ids.guid(),
            "IsSold": True,
            "IsPurchased": True,
            "SalesDetails": {},
            "PurchaseDetails": {},
            "IsTrackedAsInventory": False,
        }
        self._apply_item_values(record, values, creating=True, unit_places=unit_places)
        return self._save("Items", record["ItemID"], record)

    def update_item(self, item_id: str, values: dict, *, unit_places: int = 2) -> dict:
        record = self.item(item_id)
        self._apply_item_values(record, values, creating=False, unit_places=unit_places)
        return self._save("Items", item_id, record)

    def save_item(self, values: dict, *, path_item: str | None = None, unit_places: int = 2) -> dict:
        """``POST /Items``: update by ItemID (path or body), else by Code, else create."""
        if path_item:
            return self.update_item(self.item_by_id_or_code(path_item)["ItemID"], values, unit_places=unit_places)
        if values.get("ItemID"):
            if self._get("Items", values["ItemID"]) is None:
                raise fail(MSG_ITEM_ID_UNKNOWN)
            return self.update_item(values["ItemID"], values, unit_places=unit_places)
        existing = self.item_by_code(values.get("Code"))
        if existing is not None:
            return self.update_item(existing["ItemID"], values, unit_places=unit_places)
        return self.create_item(values, unit_places=unit_places)

    def delete_item(self, reference: str) -> None:
        item = self.item_by_id_or_code(reference)
        self.store.delete(self.table("Items"), item["ItemID"])

    # -- rules --

    def _apply_item_values(self, record: dict, values: dict, *, creating: bool, unit_places: int) -> None:
        errors: list[str] = []
        proposed = dict(record)
        for field_name in TEXT_FIELDS:
            if field_name in values:
                text = values[field_name]
                proposed[field_name] = (
                    text.strip() if field_name in ("Code", "InventoryAssetAccountCode") and text else text
                )
        for flag in ("IsSold", "IsPurchased"):
            if values.get(flag) is not None:
                proposed[flag] = values[flag]
        for details in ("SalesDetails", "PurchaseDetails"):
            if values.get(details) is not None:
                merged = {**record.get(details, {}), **values[details]}
                price = merged.get("UnitPrice")
                if price is not None and out_of_range(price):
                    # Refused before rounding: a price this large would not fit Decimal's 28 digits.
                    errors.append(out_of_range_message(f"{details}.UnitPrice", price))
                    merged.pop("UnitPrice")
                elif price is not None:
                    merged["UnitPrice"] = round_money(price, 4 if unit_places == 4 else 2)
                proposed[details] = {k: v for k, v in merged.items() if k in DETAIL_FIELDS and v not in (None, "")}

        # Xero nulls what belongs to a side the item is no longer used on.
        if not proposed["IsSold"]:
            proposed.pop("Description", None)
            proposed["SalesDetails"] = {}
        if not proposed["IsPurchased"]:
            proposed.pop("PurchaseDescription", None)
            proposed["PurchaseDetails"] = {}

        code = proposed.get("Code") or ""
        if not code:
            errors.append(MSG_CODE_REQUIRED)
        elif len(code) > CODE_MAX:
            errors.append(MSG_CODE_TOO_LONG)
        elif any(k != record["ItemID"] for k in self.store.keys(self.table("Items"), "code", code.upper())):
            errors.append(duplicate_code_message(code))
        if len(proposed.get("Name") or "") > NAME_MAX:
            errors.append(MSG_NAME_TOO_LONG)
        if len(proposed.get("Description") or "") > DESCRIPTION_MAX:
            errors.append(MSG_DESCRIPTION_TOO_LONG)
        if len(proposed.get("PurchaseDescription") or "") > DESCRIPTION_MAX:
            errors.append(MSG_PURCHASE_DESCRIPTION_TOO_LONG)
        for details in ("SalesDetails", "PurchaseDetails"):
            errors += self._item_details_errors(proposed[details])
        errors += self._item_inventory_errors(proposed)
        if errors:
            raise fail(*dict.fromkeys(errors))

        for field_name in TEXT_FIELDS:
            if not proposed.get(field_name):
                proposed.pop(field_name, None)
        tracked = bool(proposed.get("InventoryAssetAccountCode"))
        proposed["IsTrackedAsInventory"] = tracked
        if tracked:
            # The mock moves no stock, so a tracked item holds none.
            proposed.setdefault("TotalCostPool", Decimal("0.00"))
            proposed.setdefault("QuantityOnHand", Decimal("0.0000"))
        else:
            proposed.pop("TotalCostPool", None)
            proposed.pop("QuantityOnHand", None)
        proposed["UpdatedDateUTC"] = self.now()
        record.clear()
        record.update(proposed)

    def _item_details_errors(self, details: dict) -> list[str]:
        errors = []
        for field_name in ("AccountCode", "COGSAccountCode"):
            errors += self._item_account_code_errors(details.get(field_name))
        tax_type = details.get("TaxType")
        if tax_type and self.active_tax_rate(tax_type) is None:
            errors.append(tax_type_unknown_message(tax_type))
        return errors

    def _item_account_code_errors(self, code: str | None) -> list[str]:
        if not code:
            return []
        account = self.account_by_code(code)
        if account is None:
            return [unknown_account_message(code)]
        if account["Status"] != AccountStatus.ACTIVE:
            return [inactive_account_message(code)]
        return []

    def _item_inventory_errors(self, proposed: dict) -> list[str]:
        inventory_code = proposed.get("InventoryAssetAccountCode")
        cogs_code = proposed["PurchaseDetails"].get("COGSAccountCode")
        if not inventory_code:
            return [MSG_COGS_NEEDS_INVENTORY] if cogs_code else []
        errors = self._item_account_code_errors(inventory_code)
        if not errors and (self.account_by_code(inventory_code) or {}).get("Type") != "INVENTORY":
            errors.append(MSG_INVENTORY_ACCOUNT_TYPE)
        if not cogs_code:
            errors.append(MSG_TRACKED_NEEDS_COGS)
        if proposed["PurchaseDetails"].get("AccountCode"):
            errors.append(MSG_TRACKED_PURCHASE_ACCOUNT)
        return errors
