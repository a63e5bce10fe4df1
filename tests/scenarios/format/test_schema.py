"""The scenario JSON Schema is current and agrees with the loader on the bundled stories and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scenarios.format.loader import ScenarioError, load_scenarios, read_merged
from scenarios.format.schema import SCHEMA_PATH, rendered
from scenarios.runner import discover

CASES = Path(__file__).resolve().parents[3] / "scenarios" / "cases"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(rendered()))


def test_the_committed_schema_is_the_one_the_code_states():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == rendered(), "run: python -m scenarios.format.schema"


@pytest.mark.parametrize("path", discover([CASES]), ids=lambda p: p.stem)
def test_every_bundled_story_fits_the_schema(path):
    assert [error.message for error in VALIDATOR.iter_errors(read_merged(path))] == []


BAD = {
    "unknown-key": "flavour: vanilla\n",
    "advance-in-weeks": "steps:\n  - advance: {weeks: 1}\n",
    "unknown-step": "steps:\n  - dance: {}\n",
    "unknown-layer": "steps:\n  - expect: {vibes: {}}\n",
    "unknown-invariant": "allow: [everything-is-fine]\n",
}


@pytest.mark.parametrize("addition", BAD.values(), ids=BAD.keys())
def test_a_bad_file_is_refused_by_both_the_schema_and_the_loader(tmp_path, addition):
    base = (CASES / "first-paid-invoice.yaml").read_text(encoding="utf-8")
    base = base.replace("../fixtures/", f"{CASES.parent}/fixtures/")
    if addition.startswith("steps:"):
        base = base[: base.index("steps:")]
    path = tmp_path / "bad.yaml"
    path.write_text(base + addition, encoding="utf-8")
    assert list(VALIDATOR.iter_errors(read_merged(path)))
    with pytest.raises(ScenarioError):
        load_scenarios(path)
