"""The scenario format as JSON Schema (``contracts/scenario.schema.json``), for editors and other tools.

The loader is the judge (it also checks the billing source and the mapping with the engine's loaders, and
places every problem); this schema states the shape it accepts, and a test keeps the two in agreement on
the bundled stories and on files written to be wrong. ``python -m scenarios.format.schema`` rewrites the
file; ``--check`` exits 1 when it is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .loader import (
    ADVANCE_UNITS,
    AUTH_GRANTS,
    EXPECT_LAYERS,
    FAULT_EFFECTS,
    GIVEN,
    INVARIANTS,
    ORGANISATION,
    RATE_LIMITS,
    TOP_LEVEL,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "contracts" / "scenario.schema.json"
INTEGRATION_SCHEMA = SCHEMA_PATH.with_name("integration-config.schema.json")
AMOUNT = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
MATRIX_VARIABLE = {"type": "string", "pattern": r"^\$\{\w+\}$"}


def _closed(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        shape["required"] = list(required)
    return shape


def _step(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return _closed({kind: body}, (kind,))


def _scenario_integration() -> dict[str, Any]:
    """An integration as contracts/integration-config.schema.json has it, but ``mapping`` may be left out:
    a scenario's integrations use given.mapping unless they name a file of their own."""
    integration = json.loads(INTEGRATION_SCHEMA.read_text(encoding="utf-8"))["$defs"]["integration"]
    properties = dict(integration["properties"])
    for name, shape in properties.items():
        if "enum" in shape:  # a choice may be a matrix variable, which the loader substitutes per case
            properties[name] = {"anyOf": [shape, MATRIX_VARIABLE], "description": shape.get("description", "")}
    return {**integration, "properties": properties, "required": ["name"]}


def scenario_schema() -> dict[str, Any]:
    organisation = _closed(
        {
            "name": {"type": "string"},
            "country": {"type": "string"},
            "currencies": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{3}$"}},
            "accounts": {"type": "array", "items": {"type": "object"}},
            "items": {"type": "array", "items": {"type": "object"}},
            "tax_rates": {"type": "array", "items": {"type": "object"}},
            "exchange_rates": {
                "type": "array",
                "items": _closed(
                    {"currency": {"type": "string"}, "date": {"type": ["string", "null"]}, "rate": AMOUNT},
                    ("currency", "rate"),
                ),
            },
            "lock_dates": _closed(
                {
                    "period_lock_date": {"type": ["string", "null"], "format": "date"},
                    "end_of_year_lock_date": {"type": ["string", "null"], "format": "date"},
                }
            ),
        }
    )
    assert set(organisation["properties"]) == set(ORGANISATION)
    given = _closed(
        {
            "organisation": organisation,
            "mapping": {"type": "object", "description": "a mapping configuration, or {file: path}"},
            "start": {"type": "string"},
            "rate_limits": _closed({name: {"type": "integer", "minimum": 1} for name in RATE_LIMITS}),
            "auth": {"enum": list(AUTH_GRANTS)},
            "integrations": {"type": "array", "minItems": 1, "items": _scenario_integration()},
            "external_mappings": {
                "type": "array",
                "items": _closed(
                    {"account": {"type": "string"}, "code": {"type": "string"}, "integration": {"type": "string"}},
                    ("account", "code"),
                ),
            },
        }
    )
    assert set(given["properties"]) == set(GIVEN)
    statement_row = _closed(
        {
            "account": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "amount": AMOUNT,
            "description": {"type": "string"},
            "currency": {"type": "string"},
        },
        ("account", "date", "amount"),
    )
    statement_file = {
        "type": "object",
        "properties": {"file": {"type": "string"}, "account": {"type": "string"}, "currency": {"type": "string"}},
        "required": ["file", "account"],
        "additionalProperties": False,
    }
    fault = {
        "type": "object",
        "properties": {
            "match": {"type": "string", "pattern": r"^[A-Za-z]+ /\S*$"},
            "effect": {"enum": list(FAULT_EFFECTS)},
        },
    }
    steps = {
        "type": "array",
        "minItems": 1,
        "items": {
            "oneOf": [
                _step(
                    "sync",
                    {
                        "type": ["object", "null"],
                        "properties": {
                            "change_policy": {"enum": ["report", "skip"]},
                            "crash_after_writes": {"type": "integer", "minimum": 1},
                            "integration": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                ),
                _step("advance", _closed({unit: {"type": "integer", "minimum": 0} for unit in ADVANCE_UNITS})),
                _step("change", {"type": "object", "minProperties": 1}),
                _step("faults", {"type": "array", "minItems": 1, "items": fault}),
                _step(
                    "expect",
                    {
                        "type": "object",
                        "minProperties": 1,
                        "properties": {layer: {"type": "object"} for layer in EXPECT_LAYERS},
                        "additionalProperties": False,
                    },
                ),
            ]
        },
    }
    properties = {
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "extends": {"type": "string"},
        "allow": {"type": "array", "items": {"enum": list(INVARIANTS)}},
        "matrix": {"type": "object", "additionalProperties": {"type": "array", "minItems": 1}},
        "given": given,
        "source": {"type": "object"},
        "statement": {"oneOf": [{"type": "array", "items": statement_row}, statement_file]},
        "steps": steps,
    }
    assert set(properties) == set(TOP_LEVEL)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/mockxero/mockxero/contracts/scenario.schema.json",
        "title": "mockxero scenario",
        "description": "A scenario file after its extends are merged (docs/scenarios/format.md).",
        "type": "object",
        "properties": properties,
        "required": ["name", "given", "source", "steps"],
        "additionalProperties": False,
    }


def rendered() -> str:
    return json.dumps(scenario_schema(), indent=2) + "\n"


def main(argv: list[str]) -> int:
    if "--check" in argv:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != rendered():
            print(f"{SCHEMA_PATH} is stale: run python -m scenarios.format.schema", file=sys.stderr)
            return 1
        return 0
    SCHEMA_PATH.write_text(rendered(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
