"""Every report file is written whole, readable as the umask allows, and carries no credential."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace

import pytest

from scenarios.reports.files import write_whole
from scenarios.reports.json_report import write_json
from scenarios.reports.junit import write_junit
from scenarios.results import Failure, Layer, Location, RunResult
from tests.scenarios.reports.runs import FIRST_INVOICE

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
LEAKY = replace(
    FIRST_INVOICE,
    failures=(
        Failure(
            Layer.RUN,
            f"the last sync stopped: 401 for Authorization: Bearer {TOKEN}",
            Location("scenarios/cases/first-paid-invoice.yaml", 3, 1),
            expected=f"access_token={TOKEN}",
            actual="refresh_token: abcdef0123456789abcdef0123456789abcdef01",
        ),
    ),
    requests=(*FIRST_INVOICE.requests, f"POST /connect/token 400 access_token={TOKEN}"),
)


@pytest.mark.parametrize("write", [write_json, write_junit], ids=["json", "junit"])
def test_no_credential_reaches_the_json_or_junit_file(tmp_path, write):
    target = tmp_path / "report.out"
    write(RunResult((LEAKY,)), target)
    text = target.read_text(encoding="utf-8")
    assert TOKEN not in text and "abcdef0123456789abcdef0123456789abcdef01" not in text
    assert "[redacted]" in text


def test_the_json_file_still_parses_after_redaction(tmp_path):
    write_json(RunResult((LEAKY,)), tmp_path / "r.json")
    [scenario] = json.loads((tmp_path / "r.json").read_text())["scenarios"]
    assert scenario["failures"][0]["message"] == "the last sync stopped: 401 for Authorization: [redacted]"


@pytest.mark.parametrize("write", [write_json, write_junit], ids=["json", "junit"])
def test_report_files_are_readable_by_others_as_the_umask_allows(tmp_path, write):
    previous = os.umask(0o022)
    try:
        write(RunResult((FIRST_INVOICE,)), tmp_path / "out" / "report")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out" / "report").stat().st_mode) == 0o644


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda *_: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        write_whole(tmp_path / "r.json", b"{}")
    assert list(tmp_path.iterdir()) == []
