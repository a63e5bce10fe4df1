"""The Contact wire shape."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, pre_dump

from ..statuses import ContactStatus, values
from .base import XeroSchema
from .common import AddressSchema, PhoneSchema, nested_list
from .fields import Choice, Flag, Guid, Text, XeroDateTime

CONTACT_STATUSES = values(ContactStatus)
TAX_NUMBER_TYPES = ("SSN", "EIN", "ITIN", "ATIN")
LINE_AMOUNT_DEFAULTS = ("INCLUSIVE", "EXCLUSIVE", "NONE")

# GET /Contacts always answers with both address types and the four phone types, empty or not.
_ADDRESS_SLOTS = ("POBOX", "STREET")
_PHONE_SLOTS = ("DEFAULT", "DDI", "FAX", "MOBILE")
_EMPTY_ADDRESS = {"City": "", "Region": "", "PostalCode": "", "Country": ""}
_EMPTY_PHONE = {"PhoneNumber": "", "PhoneAreaCode": "", "PhoneCountryCode": ""}


class ContactPersonSchema(XeroSchema):
    FirstName = Text()
    LastName = Text()
    EmailAddress = Text()
    IncludeInEmails = Flag()


class ContactSchema(XeroSchema):
    ContactID = Guid(allow_none=True)
    ContactNumber = Text()
    AccountNumber = Text()
    ContactStatus = Choice(CONTACT_STATUSES, "ContactStatus")
    Name = Text()
    FirstName = Text()
    LastName = Text()
    CompanyNumber = Text()
    EmailAddress = Text()
    ContactPersons = nested_list(ContactPersonSchema)
    BankAccountDetails = Text()
    TaxNumber = Text()
    TaxNumberType = Choice(TAX_NUMBER_TYPES, "TaxNumberType")
    AccountsReceivableTaxType = Text()
    AccountsPayableTaxType = Text()
    Addresses = nested_list(AddressSchema)
    Phones = nested_list(PhoneSchema)
    IsSupplier = Flag(dump_only=True)
    IsCustomer = Flag(dump_only=True)
    SalesDefaultLineAmountType = Choice(LINE_AMOUNT_DEFAULTS, "LineAmountType")
    PurchasesDefaultLineAmountType = Choice(LINE_AMOUNT_DEFAULTS, "LineAmountType")
    DefaultCurrency = Text()
    Website = Text()
    UpdatedDateUTC = XeroDateTime(dump_only=True)
    HasAttachments = Flag(dump_only=True)
    HasValidationErrors = Flag(dump_only=True)

    @pre_dump
    def _fill_slots(self, record: dict, **kwargs: Any) -> dict:
        # A refused element is echoed from what the client sent, so a collection may be
        # null or hold non-objects; only objects fill a slot.
        addresses = {a.get("AddressType"): a for a in _objects(record.get("Addresses"))}
        phones = {p.get("PhoneType"): p for p in _objects(record.get("Phones"))}
        return {
            **record,
            "Addresses": [addresses.get(t) or {"AddressType": t, **_EMPTY_ADDRESS} for t in _ADDRESS_SLOTS]
            + [a for t, a in addresses.items() if t not in _ADDRESS_SLOTS],
            "Phones": [phones.get(t) or {"PhoneType": t, **_EMPTY_PHONE} for t in _PHONE_SLOTS]
            + [p for t, p in phones.items() if t not in _PHONE_SLOTS],
        }


def _objects(collection: object) -> list[dict]:
    if not isinstance(collection, list):
        return []
    return [item for item in collection if isinstance(item, dict)]


class ContactSummarySchema(XeroSchema):
    """A contact as embedded in transactions: id and name plus the empty collections Xero adds."""

    ContactID = Guid()
    ContactNumber = Text()
    Name = Text()
    ContactStatus = Text()
    HasValidationErrors = Flag()
    Addresses = fields.List(fields.Dict())
    Phones = fields.List(fields.Dict())
    ContactGroups = fields.List(fields.Dict())
    ContactPersons = fields.List(fields.Dict())

    @pre_dump
    def _empty_collections(self, record: dict, **kwargs: Any) -> dict:
        return {
            "Addresses": [],
            "Phones": [],
            "ContactGroups": [],
            "ContactPersons": [],
            "HasValidationErrors": False,
            **record,
        }
