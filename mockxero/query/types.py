"""The static types of ``where``/``order`` expressions, and the field catalogue a resource's schema implies.

Xero parses ``where`` with a typed expression language (System.Linq.Dynamic): it knows each field's type
before it looks at any record, so ``IsSold=="true"`` fails as a query error even on an empty book
("Operator '==' incompatible with operand types 'Boolean?' and 'String'", pyxero#217). The mock does the
same: a resource's marshmallow schema already says what each wire field is, so the catalogue is derived
from it, and a type mismatch is a ``QueryParseException`` whatever the data.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema
from marshmallow import fields as mfields

from ..schemas import fields as xfields

# Families decide what an operator accepts; names are the .NET type names Xero's messages use.
STRING, ENUM, NUMBER, DATETIME, GUID, BOOL, NULL, OBJECT, LIST, ANY = (
    "string",
    "enum",
    "number",
    "datetime",
    "guid",
    "bool",
    "null",
    "object",
    "list",
    "any",
)


@dataclass(frozen=True)
class XType:
    name: str
    family: str
    members: Catalog | None = field(default=None, compare=False, repr=False)


T_STRING = XType("String", STRING)
T_CHAR = XType("Char", STRING)
T_INT = XType("Int32", NUMBER)
T_DECIMAL = XType("Decimal", NUMBER)
T_DATETIME = XType("DateTime", DATETIME)
T_GUID = XType("Guid", GUID)
T_BOOL = XType("Boolean", BOOL)
T_NULL = XType("null", NULL)
T_ANY = XType("Object", ANY)

# A record's optional value fields are nullable in Xero's model, hence the "?" in its messages.
FIELD_TYPES = {
    STRING: T_STRING,
    NUMBER: XType("Decimal?", NUMBER),
    DATETIME: XType("DateTime?", DATETIME),
    GUID: XType("Guid", GUID),
    BOOL: XType("Boolean?", BOOL),
    ANY: T_ANY,
}

ORDERABLE = {STRING, ENUM, NUMBER, DATETIME, GUID, BOOL, NULL, ANY}
RELATIONAL = {STRING, ENUM, NUMBER, DATETIME, NULL, ANY}
TEXTUAL = {STRING, ENUM, ANY}


def comparable(left: XType, right: XType) -> bool:
    """Whether ``==``/``!=`` may compare the two types (the relational operators also need RELATIONAL)."""
    a, b = left.family, right.family
    if NULL in (a, b) or ANY in (a, b):
        return True
    if {a, b} <= TEXTUAL:
        return True
    return a == b and a not in (OBJECT, LIST)


@dataclass(frozen=True)
class Member:
    key: str  # the record key (the schema's spelling)
    type: XType


@dataclass
class Catalog:
    """The fields of one record type, looked up without regard to case (Xero ignores the case of names)."""

    type_name: str
    members: dict[str, Member]

    def find(self, name: str) -> Member | None:
        return self.members.get(name.casefold())


@dataclass(frozen=True)
class Extra:
    """A where/order field the schema cannot describe: its family and how to read it off a stored record.

    Use it when a record keeps a value somewhere other than its wire path, e.g.
    ``{"Contact.Name": Extra("string", lambda r: r["Contact"]["Name"])}``.
    """

    family: str
    get: Callable[[dict], Any]


def extra_type(family: str) -> XType:
    return FIELD_TYPES.get(family) or XType(family.title(), family)


_CATALOGS: weakref.WeakKeyDictionary[Schema, Catalog] = weakref.WeakKeyDictionary()
_MAX_NESTING = 6  # schemas that refer to themselves stop here


def catalog_for(schema: Schema) -> Catalog:
    """The catalogue of a schema instance (built once; schemas are module-level singletons)."""
    found = _CATALOGS.get(schema)
    if found is None:
        found = _build(schema, 0)
        _CATALOGS[schema] = found
    return found


def _build(schema: Schema, depth: int) -> Catalog:
    name = type(schema).__name__
    name = name[: -len("Schema")] if name.endswith("Schema") and len(name) > 6 else name
    members: dict[str, Member] = {}
    for attr, fld in schema.fields.items():
        wire = fld.data_key or attr
        key = fld.attribute or attr
        members[wire.casefold()] = Member(key, _field_type(fld, depth))
    return Catalog(name, members)


def _field_type(fld: mfields.Field, depth: int) -> XType:
    # Subclasses before their bases: Choice and Text are Strings, Flag is a Boolean.
    if isinstance(fld, xfields.Choice):
        return XType(fld.type_name, ENUM)
    if isinstance(fld, (xfields.Money, mfields.Decimal, mfields.Float, mfields.Integer)):
        return FIELD_TYPES[NUMBER]
    if isinstance(fld, (xfields.XeroDate, xfields.XeroDateTime, mfields.DateTime, mfields.Date)):
        return FIELD_TYPES[DATETIME]
    if isinstance(fld, (xfields.Guid, mfields.UUID)):
        return FIELD_TYPES[GUID]
    if isinstance(fld, mfields.Boolean):
        return FIELD_TYPES[BOOL]
    if isinstance(fld, (mfields.String, xfields.IsoDateString)):
        return T_STRING
    if isinstance(fld, mfields.Nested):
        if depth >= _MAX_NESTING:
            return T_ANY
        nested = _build(fld.schema, depth + 1)
        return XType(nested.type_name, OBJECT, nested)
    if isinstance(fld, mfields.List):
        return XType("List", LIST)
    return T_ANY


def extras_by_path(extras: Mapping[str, Extra] | None) -> dict[str, Extra]:
    return {path.casefold(): extra for path, extra in (extras or {}).items()}
