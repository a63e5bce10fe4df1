"""Small wire structures that several resources embed."""

from __future__ import annotations

from marshmallow import fields

from .base import XeroSchema
from .fields import Choice, Guid, Text

ADDRESS_TYPES = ("POBOX", "STREET", "DELIVERY")
PHONE_TYPES = ("DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE")


class AddressSchema(XeroSchema):
    AddressType = Choice(ADDRESS_TYPES, "AddressType")
    AddressLine1 = Text()
    AddressLine2 = Text()
    AddressLine3 = Text()
    AddressLine4 = Text()
    City = Text()
    Region = Text()
    PostalCode = Text()
    Country = Text()
    AttentionTo = Text()


class PhoneSchema(XeroSchema):
    PhoneType = Choice(PHONE_TYPES, "PhoneType")
    PhoneNumber = Text()
    PhoneAreaCode = Text()
    PhoneCountryCode = Text()


class AccountRefSchema(XeroSchema):
    """An account named inside another object: ``{"Code": "090"}`` or ``{"AccountID": ...}``."""

    AccountID = Guid(allow_none=True)
    Code = Text()
    Name = Text()


def nested_list(schema: type[XeroSchema] | XeroSchema) -> fields.List:
    return fields.List(fields.Nested(schema), allow_none=True)
