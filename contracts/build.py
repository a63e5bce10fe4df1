"""Build ``contracts/accounting.yaml``: the emulated subset of Xero's Accounting API as OpenAPI 3.0.

    python3 -m contracts.build            # rewrite contracts/accounting.yaml
    python3 -m contracts.build --check    # exit 1 if the committed file is not what the builder makes

Where each part of the output comes from:

* **Structure** (paths, methods, parameters, request bodies, schemas, enums, formats, scopes) is copied
  from Xero's official spec (``xero_accounting.yaml`` / ``xero-identity.yaml``, MIT, see
  ``LICENSE-Xero-OpenAPI``) for the operations listed in ``catalogue.OPERATIONS``, with every component
  they reference.
* **Words** are ours: Xero's descriptions, summaries and examples are dropped (schemas are copied through a
  whitelist of keywords, so no prose can slip through) and replaced by the text in ``catalogue``.
* **What the mock really does** is laid over it, because generated test data finds every loose spot:

  - each Xero component an operation's body or answer goes through is *paired* with the marshmallow schema
    the mock uses for it, and keeps exactly that schema's fields (with its enums and read-only flags,
    closed to other fields). A component the mock renders with two schemas (a contact, and the contact
    summary inside a bank transaction) becomes two components;
  - constraints the backend enforces (``catalogue.business_rules``) and fields creating requires;
  - only the query parameters the view reads (derived from its ``Listing`` where it has one);
  - dates in the forms the mock reads and writes, batch bodies with at least one element;
  - every error the mock answers with: Xero's 400 body, the gateway's problem bodies (401, 403, 404, 413,
    422, 429, 501) and the rate-limit headers.

The emulator never reads Xero's spec: it serves the committed output (``contracts.read_contract``).
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema
from marshmallow import fields as ma_fields

from mockxero.money import MAX_AMOUNT
from mockxero.schemas import fields as xf
from mockxero.schemas.documents import DualNested

from . import catalogue
from .catalogue import MS_DATE_PATTERN, Op

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(__file__).resolve().with_name("accounting.yaml")
VENDORED_SPECS = Path(__file__).resolve().with_name("xero")
REFERENCE_ENV = "MOCKXERO_XERO_SPEC_DIR"
API = "/api.xro/2.0"
WRITE_METHODS = ("put", "post", "delete", "patch")
SCHEMAS = "#/components/schemas/"


def default_reference_dir() -> Path:
    """Xero's specs: ``$MOCKXERO_XERO_SPEC_DIR``, else the copies vendored in ``contracts/xero/``."""
    configured = os.environ.get(REFERENCE_ENV)
    if configured:
        return Path(configured)
    return VENDORED_SPECS


# --- copying Xero's structure without its words -------------------------------------------------------

# Schema keywords that carry structure. Anything else (description, example, x-example-*, x-snake, ...)
# is dropped, which is how none of Xero's prose reaches the output.
SCHEMA_KEYWORDS = frozenset(
    {
        "type",
        "format",
        "enum",
        "items",
        "properties",
        "required",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "maxLength",
        "minLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "pattern",
        "readOnly",
        "writeOnly",
        "nullable",
        "default",
        "additionalProperties",
        "minItems",
        "maxItems",
        "x-is-money",
        "x-is-msdate",
        "x-is-msdate-time",
    }
)
PARAMETER_KEYWORDS = ("name", "in", "required", "style", "explode")


def clean_schema(node: Any) -> Any:
    """A copy of a schema with structure only, and with dates in the forms the mock reads and writes."""
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    if "$ref" in node:  # OpenAPI 3.0 ignores a $ref's siblings; so do we
        return {"$ref": node["$ref"]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in SCHEMA_KEYWORDS:
            continue
        if key == "properties":
            out[key] = {name: clean_schema(prop) for name, prop in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = clean_schema(value)
        elif key in ("allOf", "oneOf", "anyOf"):
            out[key] = [clean_schema(item) for item in value]
        elif key == "default":
            out[key] = _typed_default(value, node.get("type"))
        else:
            out[key] = copy.deepcopy(value)
    if out.get("x-is-msdate") or out.get("x-is-msdate-time"):
        out = date_schema(out, read_only=bool(out.get("readOnly")))
    return out


def _typed_default(value: Any, type_name: str | None) -> Any:
    # Xero writes boolean defaults as the strings "false"/"true", which a validator would reject.
    if type_name == "boolean" and isinstance(value, str):
        return value.strip().lower() == "true"
    return value


def date_schema(base: dict, *, read_only: bool) -> dict:
    """Answers carry ``/Date(ms+0000)/``; requests may also use ISO dates or date-times."""
    out = {k: v for k, v in base.items() if k not in ("format", "pattern", "anyOf")}
    out["type"] = "string"
    if read_only:
        out["pattern"] = MS_DATE_PATTERN
    else:
        out["anyOf"] = [{"format": "date"}, {"format": "date-time"}, {"pattern": MS_DATE_PATTERN}]
    return out


def clean_parameter(param: dict) -> dict:
    out = {key: copy.deepcopy(param[key]) for key in PARAMETER_KEYWORDS if key in param}
    text = catalogue.PARAMETER_TEXT.get(param["name"])
    if text:
        out["description"] = text
    out["schema"] = clean_schema(param.get("schema", {"type": "string"}))
    return out


def iter_refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from iter_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_refs(item)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def load_object(spec: str) -> Any:
    """``"module:NAME"`` → that module attribute (a marshmallow schema class, a Listing...)."""
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _schema_instance(spec: str) -> Schema:
    found = load_object(spec)
    return found() if isinstance(found, type) else found


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
                item = self.paired(target, _schema_instance(load_spec), _schema_instance(dump_spec))
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
    return _ref_name(ref) if ref else None


def _is_text(cleaned: dict) -> bool:
    return bool(cleaned) and ("$ref" in cleaned or cleaned.get("type") == "string") and "anyOf" not in cleaned


def _nested_classes(ma_schema: Schema, seen: set[type]) -> set[type]:
    """The schema's class and every class nested in it, at any depth."""
    if type(ma_schema) in seen:
        return seen
    seen.add(type(ma_schema))
    for name, ma_field in ma_schema.fields.items():
        if ma_field.dump_only:
            continue
        inner = ma_field.inner if isinstance(ma_field, ma_fields.List) else ma_field
        if isinstance(inner, DualNested):
            _nested_classes(inner.load_schema, seen)
        elif isinstance(inner, ma_fields.Nested):
            _nested_classes(inner.schema, seen)
        special = catalogue.METHOD_FIELDS.get(f"{type(ma_schema).__name__}.{name}")
        if special is not None:
            _nested_classes(_schema_instance(special[0]), seen)
    return seen


# --- the builder ---------------------------------------------------------------------------------------


class ContractBuilder:
    def __init__(self, accounting: dict, identity: dict, operations: Iterable[Op] = catalogue.OPERATIONS):
        self.xero = accounting
        self.identity = identity
        self.operations = tuple(operations)
        self.by_id: dict[str, tuple[str, str, dict, list]] = {}
        for path, item in accounting["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.by_id[operation["operationId"]] = (path, method, operation, shared)
        writable: set[type] = set()
        for op in self.operations:
            spec = op.request_schema or op.schema
            if (
                spec
                and spec != catalogue.XERO
                and op.custom is None
                and "requestBody" in self.by_id[op.operation_id][2]
            ):
                _nested_classes(_schema_instance(spec), writable)
        self.components = Components(accounting["components"]["schemas"], writable)
        self.parameters: dict[str, dict] = {}

    # -- parameters --

    def _supported(self, op: Op, method: str) -> set[str]:
        """Names of the query/header parameters the view reads (besides path parameters)."""
        names = {"xero-tenant-id", *op.query}
        if method in WRITE_METHODS:
            names |= {"Idempotency-Key", "summarizeErrors"}
        if op.listing:
            listing = load_object(op.listing)
            names |= {"where", "order"}
            if listing.modified_field:
                names.add("If-Modified-Since")
            if listing.paged:
                names |= {"page", "pageSize"}
            names |= {lookup.param for lookup in listing.lookups}
            names |= {hidden.param for hidden in listing.hidden}
            if listing.search:
                names.add("searchTerm")
            if listing.created_by_my_app:
                names.add("createdByMyApp")
        return names

    def _parameters(self, op: Op, method: str, xero_params: list[dict]) -> list[dict]:
        supported = self._supported(op, method)
        out, seen = [], set()
        for param in xero_params:
            resolved = self._resolve_parameter(param)
            name = resolved["name"]
            if resolved["in"] != "path" and name not in supported:
                continue
            seen.add(name)
            if "$ref" in param:
                out.append({"$ref": param["$ref"]})
                continue
            cleaned = clean_parameter(param)
            if name in op.path_params:
                cleaned["schema"] = copy.deepcopy(op.path_params[name])
            out.append(cleaned)
        # The mock reads the key on every write, even where Xero's spec does not list it (DELETE).
        if method in WRITE_METHODS and "Idempotency-Key" not in seen:
            out.append({"$ref": "#/components/parameters/idempotencyKey"})
            seen.add("Idempotency-Key")
        for name in sorted(supported - seen):
            if name in catalogue.OWN_PARAMETERS:
                out.append(copy.deepcopy(catalogue.OWN_PARAMETERS[name]))
                seen.add(name)
        missing = supported - seen - {"summarizeErrors"}
        if missing:
            raise ValueError(f"{op.operation_id}: Xero's spec has no parameter {sorted(missing)} to copy")
        return out

    def _resolve_parameter(self, param: dict) -> dict:
        if "$ref" in param:
            return self.xero["components"]["parameters"][_ref_name(param["$ref"])]
        return param

    def _component_parameter(self, name: str) -> dict:
        param = self.xero["components"]["parameters"][name]
        out = clean_parameter(param)
        if param["name"] == "xero-tenant-id":
            out["schema"] = {"type": "string", "format": "uuid"}
        if param["name"] == "Idempotency-Key":
            out["schema"]["maxLength"] = 128
        return out

    # -- bodies and answers --

    def _collection_of(self, schema: dict) -> tuple[str, str] | None:
        """For an envelope component (``Contacts``): its array property's name and its items' component."""
        ref = schema.get("$ref", "")
        if not ref.startswith(SCHEMAS):
            return None
        component = self.xero["components"]["schemas"][_ref_name(ref)]
        # An envelope holds one array and nothing else but paging and warnings (an Account, which has a
        # ValidationErrors array among its fields, is not one).
        props = {
            name: prop
            for name, prop in component.get("properties", {}).items()
            if name not in ("pagination", "Warnings")
        }
        if len(props) != 1:
            return None
        ((name, prop),) = props.items()
        if prop.get("type") != "array" or "$ref" not in prop.get("items", {}):
            return None
        return name, _ref_name(prop["items"]["$ref"])

    def _item_schema(self, xero_component: str, spec: str | None) -> dict:
        if spec is None or spec == catalogue.XERO:
            return {"$ref": SCHEMAS + xero_component}
        return {"$ref": SCHEMAS + self.components.paired(xero_component, _schema_instance(spec))}

    def _request_body(self, op: Op, operation: dict) -> dict | None:
        body = operation.get("requestBody")
        if body is None:
            return None
        xero_schema = body["content"]["application/json"]["schema"]
        spec = op.request_schema or op.schema
        collection = self._collection_of(xero_schema)
        if collection is not None:
            name, item_component = collection
            items = self._item_schema(item_component, spec)
            if spec not in (None, catalogue.XERO):
                self.components.add_batch_fields(_ref_name(items["$ref"]))
            if op.require:
                items = {"allOf": [items], "required": list(op.require)}
            # Xero's batch wrapper; the mock refuses a wrapper without elements.
            schema = {
                "type": "object",
                "required": [name],
                "additionalProperties": False,
                "properties": {name: {"type": "array", "minItems": 1, "items": items}},
            }
        elif "$ref" in xero_schema:
            schema = self._item_schema(_ref_name(xero_schema["$ref"]), spec)
            if op.require:
                schema = {"allOf": [schema], "required": list(op.require)}
        else:
            schema = clean_schema(xero_schema)
        content: dict[str, Any] = {"schema": schema}
        if op.example is not None:
            content["example"] = copy.deepcopy(op.example)
        return {"required": True, "content": {"application/json": content}}

    def _success(self, op: Op, operation: dict, method: str) -> tuple[str, dict]:
        code = next(c for c in ("200", "201", "204") if c in operation["responses"])
        response = operation["responses"][code]
        headers = {name: {"$ref": f"#/components/headers/{name}"} for name in catalogue.RATE_HEADERS}
        if method in WRITE_METHODS:
            headers["Idempotent-Replayed"] = {"$ref": "#/components/headers/Idempotent-Replayed"}
        if "content" not in response:
            return code, {"description": "Done; no body.", "headers": headers}
        xero_schema = response["content"]["application/json"]["schema"]
        collection = self._collection_of(xero_schema)
        if collection is None and "$ref" in xero_schema and op.schema is not None:
            schema = self._item_schema(_ref_name(xero_schema["$ref"]), op.schema)  # a bare object answer
        elif collection is None:
            schema = clean_schema(xero_schema)
        else:
            name, item_component = collection
            wrapper = _ref_name(xero_schema["$ref"])
            items = self._item_schema(item_component, op.schema)
            if (
                op.schema is not None
                and "requestBody" in operation
                and self._collection_of(operation["requestBody"]["content"]["application/json"]["schema"]) is not None
            ):
                self.components.add_batch_fields(_ref_name(items["$ref"]))
            answer = f"{wrapper}Answer"
            self.components.out[answer] = {
                "allOf": [
                    {"$ref": SCHEMAS + "Envelope"},
                    {
                        "type": "object",
                        "required": [name],
                        "properties": {
                            name: {"type": "array", "items": items},
                            "pagination": {"$ref": SCHEMAS + "Pagination"},
                            "Warnings": {"type": "array", "items": {"$ref": SCHEMAS + "ValidationError"}},
                        },
                    },
                ]
            }
            schema = {"$ref": SCHEMAS + answer}
        return code, {
            "description": "Success.",
            "headers": headers,
            "content": {"application/json": {"schema": schema}},
        }

    # -- operations --

    def operation(self, op: Op) -> tuple[str, str, dict]:
        if op.custom is not None:
            return self._custom_operation(op)
        path, method, xero_op, shared = self.by_id[op.operation_id]
        params = self._parameters(op, method, list(shared) + list(xero_op.get("parameters", [])))
        body = self._request_body(op, xero_op)
        code, success = self._success(op, xero_op, method)
        if op.links:
            success["links"] = copy.deepcopy(op.links)
        kept = {self._resolve_parameter(p)["name"] for p in params}
        parses_query = any(name in catalogue.UNPARSEABLE_QUERY for name in kept)
        responses = self._errors(
            method,
            has_body=body is not None,
            has_path_id="{" in path,
            bad_request=body is not None or parses_query or method in WRITE_METHODS,
        )
        for status in op.errors:
            responses[status] = {"$ref": f"#/components/responses/{ERROR_NAMES[status]}"}
        responses[code] = success
        out: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary}
        if op.description:
            out["description"] = op.description
        if op.also:
            out["x-xero-operations"] = [op.operation_id, *op.also]
        out["tags"] = [_tag_for(API + path)]
        out["security"] = copy.deepcopy(xero_op.get("security", []))
        out["parameters"] = params
        if body is not None:
            out["requestBody"] = body
        out["responses"] = dict(sorted(responses.items()))
        return API + path, method, out

    def _custom_operation(self, op: Op) -> tuple[str, str, dict]:
        method, path, scope, status, text = op.custom  # type: ignore[misc]
        method = method.lower()
        responses = self._errors(method, has_body=False, has_path_id=False, bad_request=True)
        responses[status] = (
            {"$ref": "#/components/responses/NotImplemented"} if status == "501" else {"description": text}
        )
        out = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "description": text,
            "tags": [_tag_for(API + path)],
            "security": [{"OAuth2": [scope]}],
            "parameters": [
                {"$ref": "#/components/parameters/requiredHeader"},
                {"$ref": "#/components/parameters/idempotencyKey"},
            ],
            "responses": dict(sorted(responses.items())),
        }
        return API + path, method, out

    @staticmethod
    def _errors(method: str, *, has_body: bool, has_path_id: bool, bad_request: bool) -> dict:
        def ref(name: str) -> dict:
            return {"$ref": f"#/components/responses/{name}"}

        responses = {"401": ref("Unauthorized"), "403": ref("Forbidden"), "429": ref("TooManyRequests")}
        if bad_request:
            responses["400"] = ref("BadRequest")
        if has_path_id:
            responses["404"] = ref("NotFound")
        if has_body:
            responses["413"] = ref("PayloadTooLarge")
        if method in WRITE_METHODS:  # the key is checked before the view runs, whatever it would answer
            responses["422"] = ref("IdempotencyKeyReused")
        return responses

    # -- the whole document --

    def _reserve_resource_names(self) -> None:
        for op in self.operations:
            if op.custom is not None or op.schema is None:
                continue
            _, _, xero_op, _ = self.by_id[op.operation_id]
            code = next(c for c in ("200", "201", "204") if c in xero_op["responses"])
            content = xero_op["responses"][code].get("content", {}).get("application/json")
            if content is None:
                continue
            collection = self._collection_of(content["schema"])
            xero_name = collection[1] if collection else _ref_name(content["schema"].get("$ref", "#/x/y/"))
            self.components.reserve(xero_name or None, _schema_instance(op.schema))

    def build(self) -> dict:
        self._reserve_resource_names()
        paths: dict[str, dict] = {}
        for op in self.operations:
            path, method, operation = self.operation(op)
            placed = [(path, operation)]
            for alias, alias_id in op.aliases.items():
                copied = copy.deepcopy(operation)
                copied["operationId"] = alias_id
                copied["description"] = f"The same operation as {path[len(API) :]}, at the path pyxero asks for."
                copied.get("responses", {}).get("200", {}).pop("links", None)
                placed.append((API + alias, copied))
            for where, what in placed:
                if method in paths.get(where, {}):
                    raise ValueError(f"two operations for {method.upper()} {where}")
                paths.setdefault(where, {})[method] = what
        for path, item in catalogue.IDENTITY_PATHS.items():
            paths[path] = copy.deepcopy(item)
        schemas = self.components.out
        for name, schema in catalogue.OWN_SCHEMAS.items():
            schemas.setdefault(name, copy.deepcopy(schema))
        self._add_identity_components(schemas)
        self._close_over_refs([paths, catalogue.ERROR_RESPONSES, catalogue.HEADERS])
        self._check_refs([paths, schemas, self.parameters, catalogue.ERROR_RESPONSES])
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "mockxero: emulated Xero Accounting API",
                "version": self.xero["info"]["version"],
                "description": catalogue.INFO_DESCRIPTION,
                "license": {
                    "name": "MIT (structure derived from XeroAPI/Xero-OpenAPI)",
                    "url": "https://github.com/XeroAPI/Xero-OpenAPI/blob/master/LICENSE",
                },
            },
            "servers": [{"url": "/", "description": "The emulator itself (any host it is served on)."}],
            "tags": [{"name": name, "description": text} for name, text in catalogue.TAGS.items()],
            "paths": dict(sorted(paths.items(), key=lambda kv: (not kv[0].startswith(API), kv[0]))),
            "components": {
                "securitySchemes": copy.deepcopy(catalogue.SECURITY_SCHEMES),
                "parameters": dict(sorted(self.parameters.items())),
                "headers": copy.deepcopy(catalogue.HEADERS),
                "responses": copy.deepcopy(catalogue.ERROR_RESPONSES),
                "schemas": dict(sorted(schemas.items())),
            },
        }

    def _close_over_refs(self, roots: list) -> None:
        """Copy every component the document references that is not there yet, transitively."""
        schemas = self.components.out
        pending = list(iter_refs(roots)) + list(iter_refs(list(schemas.values())))
        while pending:
            ref = pending.pop()
            _, _, kind, name = ref.split("/")
            if kind == "schemas" and name not in schemas:
                schemas[name] = clean_schema(self.xero["components"]["schemas"][name])
                pending.extend(iter_refs(schemas[name]))
            elif kind == "parameters" and name not in self.parameters:
                self.parameters[name] = self._component_parameter(name)
                pending.extend(iter_refs(self.parameters[name]))

    def _add_identity_components(self, schemas: dict) -> None:
        source = self.identity["components"]["schemas"]
        for name in catalogue.IDENTITY_COMPONENTS:
            schema = clean_schema(source[name])
            schema["type"] = "object"
            props = schema.setdefault("properties", {})
            props.update(copy.deepcopy(catalogue.IDENTITY_EXTRA_PROPERTIES.get(name, {})))
            props.update(copy.deepcopy(catalogue.IDENTITY_PROPERTY_OVERRIDES.get(name, {})))
            if name in catalogue.IDENTITY_REQUIRED:
                schema["required"] = list(catalogue.IDENTITY_REQUIRED[name])
            schemas[name] = schema

    def _check_refs(self, node: Any) -> None:
        known = {
            "schemas": self.components.out,
            "parameters": self.parameters,
            "responses": catalogue.ERROR_RESPONSES,
            "headers": catalogue.HEADERS,
        }
        for ref in iter_refs(node):
            _, _, kind, name = ref.split("/")
            if name not in known.get(kind, {}):
                raise ValueError(f"unresolved reference {ref}")


ERROR_NAMES = {"400": "BadRequest", "404": "NotFound"}


def _tag_for(path: str) -> str:
    return path[len(API) + 1 :].split("/")[0]


# --- output --------------------------------------------------------------------------------------------

HEADER = """\
# GENERATED by `python3 -m contracts.build` from contracts/catalogue.py -- do not edit by hand.
# Structure derived from XeroAPI/Xero-OpenAPI (MIT, Copyright (c) 2017 Xero Developer API; see
# contracts/LICENSE-Xero-OpenAPI); descriptions are mockxero's own.
"""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None  # multi-line prose stays readable as a block
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def render(document: dict) -> str:
    class _Dumper(yaml.SafeDumper):
        pass

    # Never emit YAML anchors/aliases: shared dicts are written out in full, which keeps the file greppable.
    _Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]
    _Dumper.add_representer(str, _represent_text)
    return HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# libyaml's loader reads Xero's 900 kB spec in a fraction of the pure-Python loader's time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=2)
def load_reference(directory: Path) -> tuple[dict, dict]:
    """Xero's accounting and identity specs (parsed once per process; treat them as read-only)."""
    accounting = directory / "xero_accounting.yaml"
    identity = directory / "xero-identity.yaml"
    for path in (accounting, identity):
        if not path.is_file():
            raise FileNotFoundError(f"Xero's spec is not at {path}; pass --reference DIR or set ${REFERENCE_ENV}")
    with accounting.open(encoding="utf-8") as a, identity.open(encoding="utf-8") as i:
        return yaml.load(a, Loader=_Loader), yaml.load(i, Loader=_Loader)


def build_text(reference: Path | None = None) -> str:
    accounting, identity = load_reference(reference or default_reference_dir())
    return render(ContractBuilder(accounting, identity).build())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m contracts.build", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help=f"folder holding xero_accounting.yaml and xero-identity.yaml "
        f"(default: ${REFERENCE_ENV} or contracts/xero)",
    )
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    try:
        text = build_text(args.reference)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run `python3 -m contracts.build`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
