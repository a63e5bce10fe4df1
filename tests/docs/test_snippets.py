"""Every fenced code block in README.md and docs/ is checked by what it is.

- ``bash`` and ``console`` (the ``$ `` lines) run in a shell against the emulator served on a loopback
  port (``127.0.0.1:8765`` and ``localhost:8765`` in the text become its address; ``BASE``, ``TENANT`` and
  ``TOKEN`` are set as the README sets them), from a scratch directory that sees ``contracts/``; they must
  exit 0. The set-up block is checked against ``.ci/run`` instead (it installs and serves forever), and a
  block that runs pytest is the test suite itself.
- ``python`` blocks must compile, and every import in them must import: a renamed API fails here.
- ``json`` and ``yaml`` blocks must parse; a fault-rule or configuration document must load with the real
  loader.
- ``text`` blocks are output and pictures, not code. A block with no language fails: say which it is.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from mockxero.traffic.faults import rules_from_document

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"(?ms)^```([\w-]*)\n(.*?)^```")
KNOWN = {"bash", "console", "python", "json", "yaml", "text"}


def blocks() -> list[tuple[str, int, str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            found.append((str(page.relative_to(ROOT)), line, match.group(1), match.group(2)))
    return found


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
        assert "mockxero serve" in code
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
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{page}:{line}\n{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.mark.parametrize("block", [b for b in ALL if b[2] == "python"], ids=ids)
def test_python_blocks_compile_and_their_imports_import(block):
    page, line, _, code = block
    tree = ast.parse(code, filename=f"{page}:{line}")
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    namespace: dict = {}
    exec(compile(ast.Module(body=imports, type_ignores=[]), f"{page}:{line}", "exec"), namespace)


@pytest.mark.parametrize("block", [b for b in ALL if b[2] in ("json", "yaml")], ids=ids)
def test_data_blocks_parse_and_load(block, tmp_path):
    page, line, language, code = block
    document = json.loads(code) if language == "json" else yaml.safe_load(code)
    if isinstance(document, dict) and "faults" in document:
        assert rules_from_document(document)
    if isinstance(document, dict) and "tenants" in document:
        from mockxero.config import load_config_file

        path = tmp_path / "mockxero.yaml"
        path.write_text(code, encoding="utf-8")
        assert load_config_file(path)


def test_a_broken_shell_block_fails(served):
    base, token, scratch = served
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", "xero-sync no-such-command"],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0


def test_a_broken_python_block_fails():
    with pytest.raises(ImportError):
        test_python_blocks_compile_and_their_imports_import(("x.md", 1, "python", "from syncer.engine import nope\n"))
