"""Pairing each Xero component an operation uses with the marshmallow schema the mock uses for it."""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import Schema
from marshmallow import fields as ma_fields

from ..money import MAX_AMOUNT
from ..schemas import fields as xf
from ..schemas.documents import DualNested
from . import catalogue
from .schema import SCHEMAS, clean_schema, date_schema, ref_name, schema_instance

# --- pairing Xero's components with the mock's marshmallow schemas ------------------------------------


class Components:
    """The schemas section: paired components (from marshmallow + Xero), and Xero's own where unpaired."""

    def __init__(self, xero_schemas: dict, writable: set[type]):
        self.xero = xero_schemas
        self.writable = writable
        self.rules = catalogue.business_rules()
        self.out: dict[str, dict] = {}
        self._by_class: dict[tuple[type, type | None], str] = {}
        self._paired_names: set[str] = set()

    def paired(self, xero_name: str | None, ma_schema: Schema, dump_schema: Schema | None = None) -> str:
        """The component for ``ma_schema`` (structure from Xero's ``xero_name``), created on first use.

        With ``dump_schema``, the object is read with ``ma_schema`` and written with ``dump_schema`` (a full
        contact in, its summary out): the component has the reading schema's fields, plus the writing
        schema's other fields as read-only.
        """
        key = (type(ma_schema), type(dump_schema) if dump_schema is not None else None)
        name = self._by_class.get(key)
        if name is not None and name in self.out:
            return name
        if name is None:
            name = self.reserve(xero_name, ma_schema, dump_schema)
        self.out[name] = {}  # mark it built first: schemas may nest themselves (report rows)
        writable = type(ma_schema) in self.writable
        trimmed = self._trim(self.xero.get(xero_name or "", {}), ma_schema, writable, self.rules.get(name, {}))
        if dump_schema is not None:
            shown = self._trim({}, dump_schema, False, {})["properties"]
            for wire, prop in shown.items():
                trimmed["properties"].setdefault(wire, {**prop, "readOnly": True})
        self.out[name] = trimmed
        return name

    def reserve(self, xero_name: str | None, ma_schema: Schema, dump_schema: Schema | None = None) -> str:
        """Claim the component's name now and build it later: the resources' own schemas take Xero's names
        (Payment) before the summaries nested in other resources (an invoice's payments) are named."""
        key = (type(ma_schema), type(dump_schema) if dump_schema is not None else None)
        if key in self._by_class:
            return self._by_class[key]
        base = type(ma_schema).__name__.removesuffix("Schema")
        if dump_schema is not None:
            base += "Or" + type(dump_schema).__name__.removesuffix("Schema")
            xero_name = None  # the plain name belongs to the reading schema's own component
        module = type(ma_schema).__module__.rsplit(".", 1)[-1].title()
        name = self._free_name(xero_name, base, module)
        self._by_class[key] = name
        self._paired_names.add(name)
        return name

    def _free_name(self, xero_name: str | None, base: str, module: str) -> str:
        if xero_name and xero_name not in self._paired_names:
            return xero_name
        if base in self._paired_names or base in self.xero:
            base = module + base  # two schemas of one name in different modules (LineItemSchema)
        name, n = base, 2
        while name in self._paired_names or name in self.xero:
            name, n = f"{base}{n}", n + 1
        return name

    def _trim(self, xero_schema: dict, ma_schema: Schema, writable: bool, rules: dict[str, dict]) -> dict:
        xero_props = xero_schema.get("properties", {})
        props: dict[str, dict] = {}
        method_fields = catalogue.METHOD_FIELDS
        for name, ma_field in ma_schema.fields.items():
            wire = ma_field.data_key or name
            special = method_fields.get(f"{type(ma_schema).__name__}.{name}")
            if special is not None:
                load_spec, dump_spec = special
                target = _target(clean_schema(xero_props.get(wire, {})))
                item = self.paired(target, schema_instance(load_spec), schema_instance(dump_spec))
                props[wire] = {"type": "array", "items": {"$ref": SCHEMAS + item}}
                continue
            props[wire] = self._field(xero_props.get(wire), ma_field, writable)
        for wire, constraints in rules.items():
            if wire not in props:
                raise ValueError(f"a business rule names {wire}, which the mock's schema does not declare")
            props[wire].update(copy.deepcopy(constraints))
        # Xero's ``required`` lists are left out: a refused element is echoed back as the client sent it,
        # so an answer's element need not carry them; what a request must carry is the operation's
        # ``require``.
        return {"type": "object", "properties": props, "additionalProperties": False}

    def add_batch_fields(self, name: str) -> None:
        """Elements of batch answers also carry their own status and errors (added by the protocol layer)."""
        props = self.out[name]["properties"]
        props.setdefault("StatusAttributeString", {"type": "string", "enum": ["OK", "ERROR"], "readOnly": True})
        props.setdefault(
            "ValidationErrors", {"type": "array", "readOnly": True, "items": {"$ref": SCHEMAS + "ValidationError"}}
        )
        for flag in ("HasErrors", "HasValidationErrors"):
            props.setdefault(flag, {"type": "boolean", "readOnly": True})

    def _field(self, xero_prop: dict | None, ma_field: ma_fields.Field, writable: bool) -> dict:
        """Xero's property, corrected to what the mock's marshmallow field reads and writes."""
        cleaned = clean_schema(xero_prop) if xero_prop else {}
        read_only = bool(ma_field.dump_only) or not writable
        prop: dict[str, Any]
        if isinstance(ma_field, DualNested):
            prop = {"$ref": SCHEMAS + self.paired(_target(cleaned), ma_field.load_schema, ma_field.dump_schema)}
        elif isinstance(ma_field, ma_fields.Nested):
            prop = {"$ref": SCHEMAS + self.paired(_target(cleaned), ma_field.schema)}
        elif isinstance(ma_field, ma_fields.List):
            items = cleaned.get("items", {}) if cleaned.get("type") == "array" else {}
            prop = {"type": "array", "items": self._field(items, ma_field.inner, writable)}
            prop["items"].pop("readOnly", None)
        elif isinstance(ma_field, ma_fields.Dict):
            prop = {"type": "object"}
        elif isinstance(ma_field, xf.Choice):
            prop = {"type": "string", "enum": list(ma_field.choices)}
        elif hasattr(ma_field, "_canonical"):
            # An enum read without regard to case (LineAmountTypes): the contract names its canonical spellings.
            prop = {"type": "string", "enum": sorted(set(ma_field._canonical.values()))}
        elif isinstance(ma_field, xf.Guid):
            prop = {"type": "string", "format": "uuid"}
        elif isinstance(ma_field, xf.Money):
            prop = money_schema()
        elif isinstance(ma_field, (xf.XeroDate, xf.XeroDateTime)):
            flag = "x-is-msdate" if isinstance(ma_field, xf.XeroDate) else "x-is-msdate-time"
            prop = date_schema({flag: True}, read_only=read_only)
        elif isinstance(ma_field, ma_fields.Boolean):
            prop = {"type": "boolean"}
        elif isinstance(ma_field, ma_fields.Integer):
            prop = {"type": "integer"}
        elif read_only and _is_text(cleaned):
            # Only ever written by the mock: hold its answers to Xero's enum or format.
            prop = {k: v for k, v in cleaned.items() if k not in ("readOnly", "x-is-msdate", "x-is-msdate-time")}
        else:
            # The mock reads any string here (the backend's rules, if any, judge it): keep Xero's length only.
            prop = {"type": "string"}
            if "maxLength" in cleaned:
                prop["maxLength"] = cleaned["maxLength"]
        if ma_field.dump_only:
            prop["readOnly"] = True
        # load_only fields are not marked writeOnly: a refused element is echoed back as sent, with them.
        return prop


def money_schema() -> dict:
    """An exact decimal below the mock's amount limit (larger amounts are refused, see arithmetic)."""
    limit = int(MAX_AMOUNT)
    return {
        "type": "number",
        "format": "double",
        "x-is-money": True,
        "minimum": -limit,
        "exclusiveMinimum": True,
        "maximum": limit,
        "exclusiveMaximum": True,
    }


def _target(cleaned: dict) -> str | None:
    """The Xero component a (possibly array) property points to."""
    ref = cleaned.get("$ref") or cleaned.get("items", {}).get("$ref")
    return ref_name(ref) if ref else None


def _is_text(cleaned: dict) -> bool:
    return bool(cleaned) and ("$ref" in cleaned or cleaned.get("type") == "string") and "anyOf" not in cleaned


def nested_classes(ma_schema: Schema, seen: set[type]) -> set[type]:
    """The schema's class and every class nested in it, at any depth."""
    if type(ma_schema) in seen:
        return seen
    seen.add(type(ma_schema))
    for name, ma_field in ma_schema.fields.items():
        if ma_field.dump_only:
            continue
        inner = ma_field.inner if isinstance(ma_field, ma_fields.List) else ma_field
        if isinstance(inner, DualNested):
            nested_classes(inner.load_schema, seen)
        elif isinstance(inner, ma_fields.Nested):
            nested_classes(inner.schema, seen)
        special = catalogue.METHOD_FIELDS.get(f"{type(ma_schema).__name__}.{name}")
        if special is not None:
            nested_classes(schema_instance(special[0]), seen)
    return seen
