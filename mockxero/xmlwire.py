"""Xero's XML dialect, for clients that speak it (the community client ``pyxero`` sends XML bodies).

The rest of the emulator works on the same dicts whether a body arrived as JSON or XML, so this module only
translates at the edge:

* ``parse_body`` turns ``<Contacts><Contact>…</Contact></Contacts>`` (or a bare ``<Contact>…``) into the
  dict/list shape a JSON body would have had. XML carries only text, which the schemas already accept for
  numbers (``"100.00"``), booleans (``"true"``) and ISO dates. Where Xero's XML names a field differently
  from its JSON (an ``<Allocation>``'s ``<AppliedAmount>`` is the JSON ``Amount``), the JSON name is used.
* ``render`` turns a response body (the dict the JSON answer carries) into Xero's XML: ``<Response>`` for
  envelopes, ``<ApiException>`` for accounting errors, plural elements wrapping singular children, and ISO
  date-times instead of ``/Date(ms)/``.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused

from . import wire

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_MS_DATE_TEXT = re.compile(r"^/Date\(-?\d+([+-]\d{4})?\)/$")

# Collections whose item element is not a regular singular of the collection name.
_IRREGULAR = {
    "Tracking": "TrackingCategory",
    "FromTracking": "TrackingCategory",
    "ToTracking": "TrackingCategory",
    "Elements": "DataContractBase",
    "Currencies": "Currency",
    "Addresses": "Address",
    "Warnings": "Warning",
}
# Element names that are always collections, so an empty element reads as [] rather than "".
KNOWN_COLLECTIONS = {
    "Contacts",
    "Invoices",
    "CreditNotes",
    "Payments",
    "BankTransactions",
    "BankTransfers",
    "Accounts",
    "TaxRates",
    "Items",
    "Currencies",
    "Organisations",
    "LineItems",
    "Addresses",
    "Phones",
    "ContactPersons",
    "ContactGroups",
    "Allocations",
    "TaxComponents",
    "ValidationErrors",
    "Warnings",
    "Tracking",
    "FromTracking",
    "ToTracking",
    "Journals",
    "JournalLines",
    "Elements",
    "Reports",
    "Rows",
    "Cells",
    "Attributes",
    "ReportTitles",
    "Prepayments",
    "Overpayments",
    "BatchPayments",
    "ExternalLinks",
    "PaymentServices",
    "InvoicePaymentServices",
    "Options",
    "Fields",
    "Actions",
}


# Fields Xero's XML dialect spells differently from its JSON one, per element: XML name → JSON name.
# pyxero sends a credit-note allocation as <Allocation><AppliedAmount>…; JSON clients send "Amount".
XML_FIELD_NAMES = {
    "Allocation": {"AppliedAmount": "Amount"},
}


class XmlBodyError(ValueError):
    """An XML body that cannot be read; the message says why and where."""


def singular(collection: str) -> str:
    if collection in _IRREGULAR:
        return _IRREGULAR[collection]
    if collection.endswith("ies"):
        return collection[:-3] + "y"
    if collection.endswith(("sses", "xes", "ches", "shes")):
        return collection[:-2]
    if collection.endswith("s"):
        return collection[:-1]
    return collection


def is_collection(tag: str, children: list[ElementTree.Element]) -> bool:
    if tag in KNOWN_COLLECTIONS:
        return True
    if not children:
        return False
    first = children[0].tag
    return all(child.tag == first for child in children) and first == singular(tag) and first != tag


# --- reading -------------------------------------------------------------------------------------------


def parse_body(raw: bytes) -> Any:
    """An XML request body as the equivalent JSON value."""
    # defusedxml refuses any DTD, entity declaration or external reference wherever it appears, so neither an
    # entity expansion bomb nor a file read through an external entity can reach the parser.
    try:
        root = defused.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise XmlBodyError("document type declarations and entities are not accepted") from None
    except ElementTree.ParseError as exc:
        raise XmlBodyError(f"the XML is not well formed ({exc})") from None
    tag = _local(root.tag)
    children = list(root)
    if is_collection(tag, children):
        return {tag: [_element_value(child) for child in children]}
    # A bare resource element such as <Contact>…</Contact> is one element, like a bare JSON object.
    return _element_value(root)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _element_value(element: ElementTree.Element) -> Any:
    tag = _local(element.tag)
    children = list(element)
    if not children:
        if tag in KNOWN_COLLECTIONS and not (element.text or "").strip():
            return []
        return element.text if element.text is not None else ""
    if is_collection(tag, children):
        return [_element_value(child) for child in children]
    renames = XML_FIELD_NAMES.get(tag, {})
    value: dict[str, Any] = {}
    for child in children:
        name = _local(child.tag)
        if name in value:
            raise XmlBodyError(
                f"the element '{name}' appears twice inside '{tag}'; "
                "ensure there are no duplicate elements of the same name"
            )
        value[name] = _element_value(child)
    for xml_name, json_name in renames.items():
        if xml_name in value:
            if json_name in value:
                raise XmlBodyError(
                    f"'{tag}' carries both '{xml_name}' and '{json_name}'; they are the same field, send one"
                )
            value[json_name] = value.pop(xml_name)
    return value


# --- writing -------------------------------------------------------------------------------------------


def render(body: Any, *, root: str | None = None) -> bytes:
    """A response body (as sent in JSON) as Xero's XML."""
    if root is None:
        root = "ApiException" if isinstance(body, dict) and "ErrorNumber" in body else "Response"
    element = ElementTree.Element(root)
    element.set("xmlns:xsi", XSI)
    _fill(element, body)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            child = ElementTree.SubElement(element, key)
            if isinstance(item, list):
                item_tag = singular(key)
                for entry in item:
                    grandchild = ElementTree.SubElement(child, item_tag)
                    if key == "Elements" and isinstance(entry, dict):
                        grandchild.set("xsi:type", _element_type(entry))
                    _fill(grandchild, entry)
            else:
                _fill(child, item)
    elif isinstance(value, list):
        for entry in value:
            _fill(ElementTree.SubElement(element, "Item"), entry)
    else:
        element.text = _text(value)


def _element_type(entry: dict) -> str:
    """The ``xsi:type`` Xero puts on an echoed element, guessed from its id field."""
    for key in entry:
        if key.endswith("ID") and key not in ("BrandingThemeID",):
            return key[:-2]
    return "DataContractBase"


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and _MS_DATE_TEXT.match(value):
        return _iso(wire.parse_datetime(value))
    return str(value)


def _iso(instant: datetime) -> str:
    if instant.microsecond:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}"
    return instant.strftime("%Y-%m-%dT%H:%M:%S")
