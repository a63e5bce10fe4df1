"""The billing source format as JSON Schema (draft 2020-12), derived from the marshmallow schemas.

Derived, not hand-kept, so the two cannot drift: ``contracts/billing-source.schema.json`` is this
function's output, and a test fails when the committed file is stale
(``python -m syncer.source.jsonschema`` rewrites it). Money is a string of a decimal number, or a number
for JSON producers that write exact decimals; YAML floats are refused by the loader, which JSON Schema
cannot see.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields, validate

from syncer.source.model import FORMAT_VERSION
from syncer.source.schema import DAY, SECTIONS, Day, Moment, Money

OUTPUT = Path(__file__).resolve().parents[2] / "contracts" / "billing-source.schema.json"
MONEY = {"anyOf": [{"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,4})?$"}, {"type": "number"}]}


def _field(field: fields.Field) -> dict[str, Any]:
    if isinstance(field, Money):
        spec: dict[str, Any] = dict(MONEY)
    elif isinstance(field, Day):
        # the pattern as well as the format: validators do not assert formats unless asked to
        spec = {"type": "string", "format": "date", "pattern": f"^{DAY.pattern}$"}
    elif isinstance(field, Moment):
        spec = {"type": "string", "format": "date-time", "pattern": r"(Z|z|[+-][0-9]{2}:?[0-9]{2})$"}
    elif isinstance(field, fields.Enum):
        spec = {"enum": [member.value if field.by_value else member.name for member in field.enum]}
    elif isinstance(field, fields.Nested):
        nested = field.nested
        spec = _object(nested() if isinstance(nested, type) else nested)  # type: ignore[arg-type]
    elif isinstance(field, fields.List):
        spec = {"type": "array", "items": _field(field.inner)}
    elif isinstance(field, fields.Dict):
        spec = {"type": "object"}
    elif isinstance(field, fields.Boolean):
        spec = {"type": "boolean"}
    elif isinstance(field, fields.Integer):
        spec = {"type": "integer"}
    elif isinstance(field, fields.Email):
        spec = {"type": "string", "format": "email"}
    else:
        spec = {"type": "string"}
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            if validator.min is not None:
                spec["minLength"] = validator.min
            if validator.max is not None:
                spec["maxLength"] = validator.max
        elif isinstance(validator, validate.Regexp):
            spec["pattern"] = validator.regex.pattern
        elif isinstance(validator, validate.Range) and validator.min is not None:
            spec["minimum"] = validator.min
    if field.allow_none:
        spec = {"anyOf": [spec, {"type": "null"}]}
    return spec


def _object(schema: Schema) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(name for name, field in schema.fields.items() if field.required),
        "properties": {name: _field(field) for name, field in schema.fields.items()},
    }


def build() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mockxero billing source",
        "description": "What a billing platform hands the sync engine (docs/syncer/billing-source.md).",
        "type": "object",
        "additionalProperties": False,
        "required": ["format_version"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            # a section may be left empty (``credits:`` with nothing after it reads as null)
            **{
                section: {"type": ["array", "null"], "items": _object(schema())} for section, schema in SECTIONS.items()
            },
        },
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUTPUT}\n")
