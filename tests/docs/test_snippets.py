"""Every fenced code block in README.md and docs/ is checked by what it is.

- ``bash`` and ``console`` (the ``$ `` lines) run in a shell against the emulator served on a loopback
  port (``127.0.0.1:8765`` and ``localhost:8765`` in the text become its address; ``BASE``, ``TENANT`` and
  ``TOKEN`` are set as the README sets them), from a scratch directory that sees ``contracts/``; they must
  exit 0. ``curl`` runs with ``--fail-with-body``, so a request the emulator refuses (a wrong path, a bad
  body) fails the block. The set-up block is checked against ``.ci/run`` instead (it installs, then runs
  the scenarios), and a
  block that runs pytest is the test suite itself.
- ``python`` blocks run, each in a fresh namespace. A block that is an excerpt of a module says so on the
  line above its fence, ``<!-- snippet-namespace: mockxero.api.contacts -->``, and runs among that
  module's names (a name the module no longer has fails). A block that is a sketch with parts left out
  (``book``, ``settings``) says ``<!-- snippet: sketch -->`` and must compile with every import importing.
- ``json`` and ``yaml`` blocks must parse; a fault-rule or configuration document must load with the real
  loader.
- ``text`` blocks are output and pictures, not code. A block with no language fails: say which it is.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from mockxero.traffic.faults import rules_from_document
from tests.helpers import node_unavailable

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"(?ms)^```([\w-]*)\n(.*?)^```")
# The HTML comment on the line above a python fence that says how the block runs.
MARKER = re.compile(r"<!--\s*snippet(?:-namespace)?:\s*([\w.]+)\s*-->\s*\Z")
# Every shell block's curl fails on an HTTP error status instead of printing the error and exiting 0.
CURL_FAILS_ON_ERROR = 'curl() { command curl --fail-with-body "$@"; }\n'

KNOWN = {"bash", "console", "python", "json", "yaml", "text", "javascript"}


def blocks() -> list[tuple[str, int, str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            found.append((str(page.relative_to(ROOT)), line, match.group(1), match.group(2)))
    return found


def python_marker(page: str, line: int) -> str | None:
    """What the comment just above the fence at ``page:line`` says: a module name, ``sketch`` or nothing."""
    above = (ROOT / page).read_text(encoding="utf-8").splitlines()[: line - 1]
    previous = next((text for text in reversed(above) if text.strip()), "")
    marker = MARKER.search(previous)
    return marker.group(1) if marker else None


def ids(block: tuple[str, int, str, str]) -> str:
    return f"{block[0]}:{block[1]}"


ALL = blocks()


def test_every_block_says_what_it_is():
    assert [ids(b) for b in ALL if b[2] not in KNOWN] == []


def shell_script(language: str, code: str) -> str:
    if language == "console":
        commands, current = [], ""
        for line in code.splitlines():
            if line.startswith("$ "):
                current = line[2:]
            elif current and commands[-1:] != [current] and not current.endswith("\\"):
                continue
            elif current:
                current += "\n" + line
            else:
                continue
            if not current.endswith("\\"):
                commands.append(current)
                current = ""
        return "\n".join(commands)
    return code


@pytest.fixture
def served(live_server, unlimited, tmp_path):
    token = requests.post(
        f"{live_server}/connect/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        timeout=10,
    ).json()["access_token"]
    (tmp_path / "contracts").symlink_to(ROOT / "contracts")
    return live_server, token, tmp_path


@pytest.mark.parametrize("block", [b for b in ALL if b[2] in ("bash", "console")], ids=ids)
def test_shell_blocks_run(block, served, monkeypatch):
    page, line, language, code = block
    if "pip install" in code:
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        test_command = next(cmd for cmd in code.splitlines() if "pytest" in cmd)
        install, _, run = test_command.partition(" && ")
        assert install.strip() in ci and run.strip() in ci, "the README's test command must be what .ci/run runs"
        assert "xero-scenarios run" in code
        return
    if re.search(r"^\s*python3 -m pytest", code, re.M):
        assert (ROOT / code.split("python3 -m pytest", 1)[1].split()[0]).exists()
        return
    base, token, scratch = served
    script = shell_script(language, code)
    host = base.removeprefix("http://")
    script = script.replace("127.0.0.1:8765", host).replace("localhost:8765", host)
    env = {
        **os.environ,
        "BASE": base,
        "TENANT": DEFAULT_TENANT_ID,
        "TOKEN": token,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", CURL_FAILS_ON_ERROR + script],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{page}:{line}\n{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.mark.parametrize("block", [b for b in ALL if b[2] == "python"], ids=ids)
def test_python_blocks_run(block):
    page, line, _, code = block
    where = f"{page}:{line}"
    tree = ast.parse(code, filename=where)
    marker = python_marker(page, line)
    if marker == "sketch":
        imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
        exec(compile(ast.Module(body=imports, type_ignores=[]), where, "exec"), {})
        return
    namespace: dict = dict(vars(importlib.import_module(marker))) if marker else {"__name__": "snippet"}
    exec(compile(tree, where, "exec"), namespace)


@pytest.mark.parametrize("block", [b for b in ALL if b[2] in ("json", "yaml")], ids=ids)
def test_data_blocks_parse_and_load(block, tmp_path):
    page, line, language, code = block
    if language == "yaml" and re.search(r"^steps:", code, re.M):  # a scenario: it must load and pass
        from scenarios.format.loader import load_scenarios
        from scenarios.runner import run_scenario

        path = tmp_path / "documented.yaml"
        path.write_text(code.replace("../fixtures/", f"{ROOT}/scenarios/fixtures/"), encoding="utf-8")
        for case in load_scenarios(path):
            result = run_scenario(case)
            assert result.passed, "\n".join(str(failure) for failure in result.failures)
        return
    document = json.loads(code) if language == "json" else yaml.safe_load(code)
    if isinstance(document, dict) and "faults" in document:
        assert rules_from_document(document)
    if isinstance(document, dict) and "format_version" in document:
        from syncer.source.files import parse_book

        assert parse_book(code, source=f"{page}:{line}", as_json=language == "json")
    if isinstance(document, dict) and "tenants" in document:
        from mockxero.config import load_config_file

        path = tmp_path / "mockxero.yaml"
        path.write_text(code, encoding="utf-8")
        assert load_config_file(path)


def test_a_broken_shell_block_fails(served, monkeypatch):
    with pytest.raises(AssertionError, match="No such command"):
        test_shell_blocks_run(("x.md", 1, "bash", "xero-sync no-such-command\n"), served, monkeypatch)


def test_a_curl_the_emulator_refuses_fails_its_block(served, monkeypatch):
    wrong_path = 'curl -s -H "Authorization: Bearer $TOKEN" -H "xero-tenant-id: $TENANT" $BASE/api.xro/2.0/Contactz\n'
    with pytest.raises(AssertionError, match='"Status":404'):
        test_shell_blocks_run(("x.md", 1, "bash", wrong_path), served, monkeypatch)


def test_a_python_block_that_fails_when_run_fails(tmp_path):
    with pytest.raises(TypeError):
        test_python_blocks_run(("README.md", 1, "python", "from decimal import Decimal\nDecimal('1') + 1.5\n"))


def test_a_python_block_with_an_import_that_is_gone_fails():
    with pytest.raises(ImportError):
        test_python_blocks_run(("README.md", 1, "python", "from syncer.engine import nope\n"))


def test_an_excerpt_runs_among_its_modules_names_and_fails_on_one_it_lacks():
    page = "docs/listing.md"
    ((line, code),) = [(b[1], b[3]) for b in ALL if b[0] == page and b[2] == "python"]
    assert python_marker(page, line) == "mockxero.api.contacts"
    test_python_blocks_run((page, line, "python", code))
    with pytest.raises(NameError, match="ContactSchemaz"):
        test_python_blocks_run((page, line, "python", code.replace("ContactSchema()", "ContactSchemaz()")))


@pytest.mark.parametrize("block", [b for b in ALL if b[2] == "javascript"], ids=ids)
def test_javascript_blocks_are_valid_javascript(block, tmp_path):
    """Checked with ``node --check``; running the SDK against the mock is tests/clients/test_node_sdk.py."""
    if shutil.which("node") is None:
        node_unavailable("node is not installed")
    page, line, _, code = block
    script = tmp_path / "snippet.js"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{page}:{line}: {result.stderr}"
