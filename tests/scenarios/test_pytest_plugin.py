"""The scenario plugin as a user meets it: small suites run with ``pytester``."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "scenarios" / "cases"


def plugin_args() -> list[str]:
    installed = any(ep.name == "xero_scenarios" for ep in entry_points(group="pytest11"))
    return ["-p", "no:randomly"] if installed else ["-p", "scenarios.pytest_plugin"]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester


def test_the_fixture_runs_a_file_and_a_dict_and_fails_with_located_failures(suite):
    suite.makepyfile(
        f"""
        import pytest

        def test_a_bundled_file(xero_scenario):
            result = xero_scenario({str(CASES / "first-paid-invoice.yaml")!r})
            assert result.passed and result.books.base_currency == "NZD"

        def test_a_dict_that_is_wrong(xero_scenario):
            xero_scenario(
                {{
                    "name": "Wrong on purpose",
                    "extends": {str(ROOT / "scenarios" / "fixtures" / "one-paid-invoice.yaml")!r},
                    "steps": [
                        {{"sync": {{}}}},
                        {{"expect": {{"objects": {{"invoices": {{"inv_1": {{"Status": "DRAFT"}}}}}}}}}},
                    ],
                }}
            )
        """
    )
    result = suite.runpytest_subprocess(*plugin_args())
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*scenario.yaml:*: [[]objects] steps[[]1] expect*Status differs*"])


def test_scenario_files_in_the_ini_are_collected_one_item_per_case_with_tag_marks(suite):
    (suite.path / "stories").mkdir()
    for name in ("first-paid-invoice.yaml", "rate-limit-storm.yaml"):
        text = (CASES / name).read_text(encoding="utf-8").replace("../fixtures/", f"{ROOT}/scenarios/fixtures/")
        (suite.path / "stories" / name).write_text(text, encoding="utf-8")
    suite.makeini(
        "[pytest]\nscenario_files = stories/*.yaml\nmarkers =\n    smoke\n    settlement\n    faults\n    limits\n"
    )
    result = suite.runpytest_subprocess(*plugin_args(), "-m", "smoke", "-v")
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(["*stories/first-paid-invoice.yaml::first-paid-invoice PASSED*"])
