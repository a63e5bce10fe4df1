"""Every bundled story is a test of its own: it must pass as shipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.format.loader import load_scenarios
from scenarios.runner import discover, run_scenario

CASES = Path(__file__).resolve().parents[2] / "scenarios" / "cases"
BUNDLED = [case for path in discover([CASES]) for case in load_scenarios(path)]


@pytest.mark.parametrize("scenario", BUNDLED, ids=[case.case_id for case in BUNDLED])
def test_the_bundled_story_passes(scenario):
    result = run_scenario(scenario)
    assert result.passed, "\n".join(str(failure) for failure in result.failures)
