"""GitHub Actions: one ``::error`` annotation per failure, pinned to its YAML line, and a step summary.

Annotations are workflow commands on stdout; GitHub reads ``%``, CR and LF in them as escapes, so they are
encoded (``%25``, ``%0D``, ``%0A``), and in properties also ``:`` and ``,``, which end a property.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from scenarios.results import Failure, RunResult, ScenarioResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(result: ScenarioResult, failure: Failure) -> str:
    properties = [f"file={escape_property(failure.location.file)}"]
    if failure.location.line is not None:
        properties.append(f"line={failure.location.line}")
        if failure.location.column is not None:
            properties.append(f"col={failure.location.column}")
    properties.append(f"title={escape_property(f'{result.case_id} [{failure.layer}]')}")
    message = str(failure)
    if result.rerun:
        message += f"\nrerun: {result.rerun}"
    return f"::error {','.join(properties)}::{escape_data(message)}"


def write_annotations(run: RunResult, stream: TextIO) -> None:
    for result in run.results:
        for failure in result.failures:
            stream.write(annotation(result, failure) + "\n")


def _cell(text: str) -> str:
    """A Markdown table cell: a pipe would end it and a newline would end the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def step_summary(run: RunResult) -> str:
    lines = [f"## Scenarios: {run.summary()}", "", "| case | result | failures at |", "|---|---|---|"]
    for result in run.results:
        word = "✅ passed" if result.passed else f"❌ failed ({len(result.failures)})"
        places = ", ".join(f"`{f.location}`" for f in result.failures)
        lines.append(f"| {_cell(result.case_id)} | {word} | {_cell(places)} |")
    for result in run.results:
        if result.passed:
            continue
        lines += ["", f"<details><summary>{_cell(result.case_id)}</summary>", "", "```text"]
        lines += [str(f) for f in result.failures]
        if result.rerun:
            lines.append(f"rerun: {result.rerun}")
        lines += ["```", "", "</details>"]
    return "\n".join(lines) + "\n"


def report_to_github(run: RunResult, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Annotate and summarise when running under GitHub Actions; ``False`` (and nothing written) otherwise."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_ACTIONS") != "true":
        return False
    write_annotations(run, stream)
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with Path(summary_path).open("a", encoding="utf-8") as summary:  # other steps' summaries stay
            summary.write(step_summary(run))
    return True
