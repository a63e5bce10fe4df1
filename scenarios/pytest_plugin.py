"""Scenarios in your own pytest suite.

* The ``xero_scenario`` fixture runs a scenario file, or a scenario written as a dict in the test, and
  fails the test with every located failure when it does not pass; it returns the ``ScenarioResult``.
* With ``scenario_files`` in the ini file (globs, relative to the rootdir), each matching YAML file is
  collected as test items, one per case, marked with the scenario's tags; ``-k`` selects by case id.

Registered through the ``pytest11`` entry point ``xero_scenarios``; it does nothing until asked.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from scenarios.format.loader import ScenarioError, load_scenarios, plain_for_yaml
from scenarios.format.model import Scenario
from scenarios.results import ScenarioResult
from scenarios.runner import run_scenario


class ScenarioFailed(AssertionError):
    """A scenario did not pass; the message lists every failure, located."""


def _explain(result: ScenarioResult) -> str:
    lines = [f"scenario {result.case_id} failed:"] + [str(failure) for failure in result.failures]
    return "\n".join(lines) + f"\nrerun: {result.rerun}"


def _run_checked(scenario: Scenario, check: bool) -> ScenarioResult:
    result = run_scenario(scenario)
    if check and not result.passed:
        raise ScenarioFailed(_explain(result))
    return result


@pytest.fixture
def xero_scenario(tmp_path: Path) -> Callable[..., ScenarioResult]:
    """``xero_scenario(path_or_dict, check=True)``: run one scenario (the first case of a matrix, or the
    case whose id contains ``case``) on a fresh embedded emulator. A dict is written to a file in the test's
    temporary directory first, so its problems are reported at that file's lines; relative ``extends`` and
    ``file`` entries in a dict resolve against ``base_dir`` (default: the current directory)."""

    def run(
        scenario: str | Path | Mapping[str, Any],
        *,
        check: bool = True,
        case: str | None = None,
        base_dir: str | Path = ".",
    ) -> ScenarioResult:
        if isinstance(scenario, Mapping):
            data = dict(plain_for_yaml(dict(scenario)))
            if isinstance(data.get("extends"), str):
                data["extends"] = str((Path(base_dir) / data["extends"]).resolve())
            path = tmp_path / "scenario.yaml"
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        else:
            path = Path(scenario)
        cases = load_scenarios(path)
        chosen = [c for c in cases if case is None or case in c.case_id]
        if not chosen:
            raise LookupError(f"no case of {path} has an id containing {case!r}")
        return _run_checked(chosen[0], check)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("scenario_files", "globs of scenario YAML files to collect as tests", type="linelist", default=[])


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    patterns = parent.config.getini("scenario_files")
    if not patterns or file_path.suffix not in (".yaml", ".yml"):
        return None
    relative = (
        str(file_path.relative_to(parent.config.rootpath))
        if file_path.is_relative_to(parent.config.rootpath)
        else str(file_path)
    )
    if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            cases = load_scenarios(self.path)
        except ScenarioError as error:
            raise self.CollectError("\n".join(str(problem) for problem in error.problems)) from error
        for case in cases:
            item = ScenarioItem.from_parent(self, name=case.case_id, scenario=case)
            for tag in case.tags:
                item.add_marker(tag.replace("-", "_"))
            yield item


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        _run_checked(self.scenario, check=True)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, (self.scenario.location.line or 1) - 1, f"scenario {self.scenario.case_id}"
