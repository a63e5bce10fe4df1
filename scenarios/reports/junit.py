"""``--junit FILE``: one testcase per scenario, in the form GitLab and Jenkins read.

Each testcase names its YAML file and line; a failed one carries one ``failure`` element whose text is
every failure, located, and the rerun command, so the CI page alone says what broke. The request-log
excerpt goes in ``system-out``. Attributes follow the Jenkins/Ant JUnit schema (testsuites > testsuite >
testcase); ``file`` and ``line`` are the extensions GitLab and Jenkins read.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from scenarios.reports.files import write_whole
from scenarios.reports.redaction import redact
from scenarios.results import RunResult, ScenarioResult

SUITE_NAME = "scenarios"
# Characters XML 1.0 cannot hold at all, even escaped; ElementTree would write them and the file would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text as the file can hold it, with anything that looks like a credential redacted."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", redact(text))


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _failure_text(result: ScenarioResult) -> str:
    text = "\n\n".join(str(failure) for failure in result.failures)
    if result.rerun:
        text += f"\n\nrerun: {result.rerun}"
    return text


def junit_tree(run: RunResult) -> ET.ElementTree:
    suites = ET.Element(
        "testsuites",
        name=SUITE_NAME,
        tests=str(len(run.results)),
        failures=str(run.failed),
        errors="0",
        time=_seconds(run.duration_seconds),
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(run.results)),
        failures=str(run.failed),
        errors="0",
        skipped="0",
        time=_seconds(run.duration_seconds),
    )
    for result in run.results:
        case = ET.SubElement(
            suite,
            "testcase",
            name=result.case_id,
            classname=f"{SUITE_NAME}.{Path(result.location.file).stem}",
            file=result.location.file,
            time=_seconds(result.duration_seconds),
        )
        if result.location.line is not None:
            case.set("line", str(result.location.line))
        if result.failures:
            first = result.failures[0]
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_text(
                    f"{len(result.failures)} failure(s); first: {first.location}: [{first.layer}] {first.message}"
                ),
                type=", ".join(sorted({str(f.layer) for f in result.failures})),
            )
            failure.text = _xml_text(_failure_text(result))
        if result.requests:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(result.requests) + "\n")
    return ET.ElementTree(suites)


def write_junit(run: RunResult, path: str | os.PathLike[str]) -> None:
    """Write the file whole or not at all: a crashed write never leaves half a report for CI to read."""
    tree = junit_tree(run)
    ET.indent(tree)
    root = tree.getroot()
    assert root is not None
    write_whole(Path(path), ET.tostring(root, encoding="utf-8", xml_declaration=True))
