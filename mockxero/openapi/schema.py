"""Copying Xero's structure without its words: schemas and parameters through a whitelist of keywords."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterable
from typing import Any

from marshmallow import Schema

from . import catalogue
from .catalogue import MS_DATE_PATTERN

SCHEMAS = "#/components/schemas/"


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


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def load_object(spec: str) -> Any:
    """``"module:NAME"`` → that module attribute (a marshmallow schema class, a Listing...)."""
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def schema_instance(spec: str) -> Schema:
    found = load_object(spec)
    return found() if isinstance(found, type) else found
