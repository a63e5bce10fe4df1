"""Contacts: Xero's name, number and status rules."""

from __future__ import annotations

import re
from typing import Any

from ..exceptions import NotFound
from ..statuses import ContactStatus
from .base import BackendBase, fail

NAME_MAX = 255
NUMBER_MAX = 50
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Field limits from Xero's Contact schema; the message wording is ours (Xero's exact text is unconfirmed).
TEXT_LIMITS = {
    "FirstName": 255,
    "LastName": 255,
    "EmailAddress": 255,
    "AccountNumber": 50,
    "CompanyNumber": 50,
    "TaxNumber": 50,
    "Website": 255,
}
ADDRESS_LIMITS = {
    "AddressLine1": 500,
    "AddressLine2": 500,
    "AddressLine3": 500,
    "AddressLine4": 500,
    "City": 255,
    "Region": 255,
    "AttentionTo": 255,
    "PostalCode": 50,
    "Country": 50,
}
PHONE_LIMITS = {"PhoneNumber": 50, "PhoneAreaCode": 10, "PhoneCountryCode": 20}
SETTABLE_STATUSES = (ContactStatus.ACTIVE, ContactStatus.ARCHIVED)


def name_key(name: str | None) -> str | None:
    """Xero compares contact names without regard to case or surrounding spaces."""
    return name.strip().casefold() if name and name.strip() else None


def _active_name(record: dict) -> str | None:
    return name_key(record.get("Name")) if record.get("ContactStatus") == ContactStatus.ACTIVE else None


def duplicate_name_message(name: str) -> str:
    return (
        f"The contact name {name} is already assigned to another contact. "
        "The contact name must be unique across all active contacts."
    )


class ContactsBackend(BackendBase):
    INDEXES = [
        ("Contacts", "active_name", _active_name),
        ("Contacts", "number", lambda r: r.get("ContactNumber") or None),
    ]

    # -- reads --

    def contact(self, contact_id: str) -> dict:
        return self._require("Contacts", contact_id)

    def contact_by_id_or_number(self, identifier: str) -> dict:
        """``GET /Contacts/{ContactID}`` and ``GET /Contacts/{ContactNumber}`` share one path."""
        found = self._get("Contacts", identifier.lower()) or self.store.first(
            self.table("Contacts"), "number", identifier
        )
        if found is None:
            raise NotFound()
        return found

    def resolve_contact(self, reference: dict | None) -> dict | None:
        """The contact a transaction names by ``ContactID``, ``ContactNumber`` or ``Name``, in that order."""
        if not reference:
            return None
        if reference.get("ContactID"):
            return self._get("Contacts", reference["ContactID"])
        if reference.get("ContactNumber"):
            return self.store.first(self.table("Contacts"), "number", reference["ContactNumber"])
        key = name_key(reference.get("Name"))
        if key:
            return self.store.first(self.table("Contacts"), "active_name", key) or next(
                (c for c in self.store.scan(self.table("Contacts")) if name_key(c.get("Name")) == key), None
            )
        return None

    # -- writes --

    def create_contact(self, values: dict) -> dict:
        record: dict[str, Any] = {
            "ContactID": self.ids.guid(),
            "ContactStatus": ContactStatus.ACTIVE,
            "Addresses": [],
            "Phones": [],
            "IsSupplier": False,
            "IsCustomer": False,
            "HasAttachments": False,
            "HasValidationErrors": False,
        }
        self._apply_contact_values(record, values, creating=True)
        return self._save("Contacts", record["ContactID"], record)

    def update_contact(self, contact_id: str, values: dict) -> dict:
        record = self.contact(contact_id)
        self._apply_contact_values(record, values, creating=False)
        return self._save("Contacts", record["ContactID"], record)

    def save_contact(self, values: dict, *, path_contact_id: str | None = None) -> dict:
        """``POST /Contacts``: update the contact named by id (path or body) or by number, else create."""
        contact_id = path_contact_id or values.get("ContactID")
        if contact_id:
            if self._get("Contacts", contact_id) is None:
                if path_contact_id:
                    raise NotFound()
                raise fail("An existing contact with the specified ContactID could not be found")
            return self.update_contact(contact_id, values)
        number = values.get("ContactNumber")
        existing = self.store.first(self.table("Contacts"), "number", number) if number else None
        if existing is not None:
            return self.update_contact(existing["ContactID"], values)
        return self.create_contact(values)

    def mark_contact_role(self, contact_id: str, *, customer: bool = False, supplier: bool = False) -> None:
        """Xero sets IsCustomer / IsSupplier when a sales / purchase document is raised for a contact."""
        stored = self._peek("Contacts", contact_id)
        if stored is None:
            raise NotFound()
        changed = (customer and not stored.get("IsCustomer")) or (supplier and not stored.get("IsSupplier"))
        if changed:  # copied only then: most documents are for a contact whose role is already set
            record = self.contact(contact_id)
            record["IsCustomer"] = record.get("IsCustomer") or customer
            record["IsSupplier"] = record.get("IsSupplier") or supplier
            record["UpdatedDateUTC"] = self.now()
            self._save("Contacts", contact_id, record)

    # -- rules --

    def _apply_contact_values(self, record: dict, values: dict, *, creating: bool) -> None:
        errors: list[str] = []
        changes = {k: v for k, v in values.items() if k not in ("ContactID", "Addresses", "Phones")}

        if "Name" in values or creating:
            name = (values.get("Name") or "").strip()
            if not name:
                errors.append("Contact Name cannot be empty.")
            elif len(name) > NAME_MAX:
                errors.append(f"The contact name must not be more than {NAME_MAX} characters long.")
            changes["Name"] = name or record.get("Name")

        number = values.get("ContactNumber")
        if number is not None:
            if len(number) > NUMBER_MAX:
                errors.append(f"The contact number must not be more than {NUMBER_MAX} characters long.")
            clash = self.store.keys(self.table("Contacts"), "number", number)
            if any(key != record["ContactID"] for key in clash):
                errors.append("Another contact has this contact number. Please enter a different contact number.")

        for field_name, limit in TEXT_LIMITS.items():
            text = values.get(field_name)
            if text is not None and len(text) > limit:
                errors.append(f"{field_name} must not be more than {limit} characters long.")
        email = values.get("EmailAddress")
        if email and not _EMAIL.match(email.strip()):
            errors.append("Email address must be valid.")

        status = values.get("ContactStatus")
        if status is not None and status not in SETTABLE_STATUSES:
            errors.append(f"The contact status {status} cannot be set through the API.")

        addresses = values.get("Addresses")
        if addresses is not None:
            errors.extend(_limit_errors(addresses, ADDRESS_LIMITS, "Address"))
        phones = values.get("Phones")
        if phones is not None:
            errors.extend(_limit_errors(phones, PHONE_LIMITS, "Phone"))

        # Uniqueness among active contacts, judged on the contact as it will be after this change.
        final_status = status or record.get("ContactStatus", ContactStatus.ACTIVE)
        final_name = changes.get("Name") or record.get("Name")
        if final_status == ContactStatus.ACTIVE and final_name and name_key(final_name):
            clash = self.store.keys(self.table("Contacts"), "active_name", name_key(final_name))
            if any(key != record["ContactID"] for key in clash):
                errors.append(duplicate_name_message(final_name))

        if errors:
            raise fail(*dict.fromkeys(errors))

        record.update({k: v for k, v in changes.items() if v is not None})
        if addresses is not None:
            record["Addresses"] = _merge_by(record.get("Addresses", []), addresses, "AddressType")
        if phones is not None:
            record["Phones"] = _merge_by(record.get("Phones", []), phones, "PhoneType")
        record["UpdatedDateUTC"] = self.now()


def _limit_errors(entries: list[dict], limits: dict[str, int], what: str) -> list[str]:
    errors = []
    for entry in entries:
        for field_name, limit in limits.items():
            text = entry.get(field_name)
            if text is not None and len(text) > limit:
                errors.append(f"{what} {field_name} must not be more than {limit} characters long.")
    return errors


def _merge_by(existing: list[dict], incoming: list[dict], type_field: str) -> list[dict]:
    """Xero keeps one address per AddressType and one phone per PhoneType; new ones replace old ones."""
    merged = {entry.get(type_field): entry for entry in existing}
    for entry in incoming:
        kind = entry.get(type_field)
        merged[kind] = {**merged.get(kind, {}), **{k: v for k, v in entry.items() if v is not None}}
    return list(merged.values())
