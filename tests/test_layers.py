"""Imports point one way: each module imports only its own part and the layers below it.

The table below is the one statement of the direction. Every import in the tree (module level, inside
functions and under ``TYPE_CHECKING`` alike) is read with ``ast`` and checked against it; a new module
must be placed in a layer before it can be imported at all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module may import its own part (the longest prefix below that names it) and any part of a
# lower layer; importing a part of its own layer or of a higher one is an upward import.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # Below the store, which holds it while a data file is open.
    ("the data file's lock: one process per data file", ("mockxero.file_lock",)),
    (
        "leaves: money, statuses, ids, time, errors, the wire codec, the store, mount points",
        (
            "mockxero.money",
            "mockxero.statuses",
            "mockxero.records",
            "mockxero.ids",
            "mockxero.clock",
            "mockxero.exceptions",
            "mockxero.wire",
            "mockxero.store",
            "mockxero.paths",
        ),
    ),
    # Above money (it rounds with it), below the posting rules and settings (which convert and check rates).
    ("exchange rates: the rate convention, the default table, conversion to base", ("mockxero.exchange",)),
    (
        "shared rules and data: posting rules, reference data, settings, the XML codec, wire field types",
        ("mockxero.posting", "mockxero.refdata", "mockxero.config", "mockxero.xmlwire", "mockxero.schemas.fields"),
    ),
    (
        "peers that never import each other: the backend's rules, the ledger check, wire schemas, listing "
        "queries, identity, the error renderer",
        (
            "mockxero.backend",
            "mockxero.ledger",
            "mockxero.schemas",
            "mockxero.query",
            "mockxero.identity",
            "mockxero.http",
        ),
    ),
    ("the API gateway", ("mockxero.traffic",)),
    ("one emulator: its store, books, identity and gateway", ("mockxero.emulator",)),
    ("the protocol shared by the views", ("mockxero.protocol",)),
    ("HTTP views", ("mockxero.api", "mockxero.control", "mockxero.identity.views")),
    ("the app factory", ("mockxero.app",)),
    ("serving the app on a socket", ("mockxero.serving",)),
    ("the emulator embedded in another program's tests", ("mockxero.embedding",)),
    ("the command line and the contract builder", ("mockxero.cli", "mockxero.openapi")),
    ("the pytest plugin", ("mockxero.pytest_plugin",)),
    ("the package's front door", ("mockxero.__main__", "mockxero")),
]
# The sync engine's own layers, lowest first: the vocabulary, then the parts that each turn it into one
# thing (mapping rules, HTTP calls, stored state), then the engine that drives them, then its front door.
SYNCER_LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("the vocabulary: source records, references, the clock", ("syncer.source", "syncer.refs", "syncer.clock")),
    ("a plan's values", ("syncer.plan",)),
    (
        "peers that never import each other: mapping rules, the Xero client, the state store",
        ("syncer.mapping", "syncer.xero", "syncer.state"),
    ),
    # integration configurations read mapping configurations and their credentials are a token store for the
    # Xero client, so they sit just above both
    ("integration configurations over a mapping", ("syncer.integrations",)),
    ("reading Xero back: the settlement check", ("syncer.settlement",)),
    ("the engine: plan and apply", ("syncer.engine",)),
    # several integrations in one run: each plans and applies through the engine and is settled after
    ("running integrations: overlaps, automatic disable, notices", ("syncer.integrations.runs",)),
    ("the command line", ("syncer.cli",)),
    ("the package's front door", ("syncer.__main__", "syncer")),
]
# The scenario harness is the composition root: it may import mockxero and syncer, never the reverse.
# Reports read only the result values, so they can be written and tested without running anything.
SCENARIOS_LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("the vocabulary: what a run produces", ("scenarios.results",)),
    ("reading scenario files and bank statements: the format, its loader and schema", ("scenarios.format",)),
    ("peers that never import each other: expectation checks, reports", ("scenarios.expect", "scenarios.reports")),
    # needs nothing of the harness: a handle on the control API, embedded or over HTTP
    ("where a case's emulator comes from: booted in-process, or one already running at a URL", ("scenarios.emulator",)),
    ("running scenarios against an emulator", ("scenarios.runner",)),
    ("the command line and the pytest collector", ("scenarios.cli", "scenarios.pytest_plugin")),
    ("the package's front door", ("scenarios.__main__", "scenarios")),
]
TABLES = {"mockxero": LAYERS, "syncer": SYNCER_LAYERS, "scenarios": SCENARIOS_LAYERS}
# Packages that must never import each other, whatever the layers: syncer speaks HTTP only, and contracts/
# is data (and its reader) that mockxero and syncer read.
SEPARATE = [
    ("mockxero", "syncer"),
    ("mockxero", "scenarios"),
    ("syncer", "mockxero"),
    ("contracts", "mockxero"),
    ("contracts", "syncer"),
    ("syncer", "scenarios"),
    ("contracts", "scenarios"),
]
CHECKED_PACKAGES = ("mockxero", "syncer", "scenarios", "contracts")


def part_of(module: str) -> tuple[int, str] | None:
    """(layer index, part) of a module: the longest prefix in its package's table that names it."""
    best: tuple[int, str] | None = None
    for index, (_, parts) in enumerate(TABLES.get(module.split(".")[0], [])):
        for part in parts:
            if (module == part or module.startswith(part + ".")) and (best is None or len(part) > len(best[1])):
                best = (index, part)
    return best


def violation(importer: str, imported: str) -> str | None:
    """Why ``importer`` may not import ``imported``; ``None`` when it may."""
    for first, second in SEPARATE:
        if importer.split(".")[0] == first and imported.split(".")[0] == second:
            return f"{first} never imports {second}"
    package = importer.split(".")[0]
    if package not in TABLES or imported.split(".")[0] != package:
        return None
    source, target = part_of(importer), part_of(imported)
    if source is None:
        return f"{importer} is in no layer of tests/test_layers.py"
    if target is None:
        return f"{imported} is in no layer of tests/test_layers.py"
    if source[1] == target[1] or target[0] < source[0]:
        return None
    return f"{source[1]} (layer {source[0]}) imports {target[1]} (layer {target[0]}): upward or sideways"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import in a file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:  # ``from pkg import mod`` imports the module pkg.mod
                submodule = f"{target}.{alias.name}"
                yield node.lineno, submodule if _is_module(submodule) else target


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def source_files() -> list[Path]:
    return sorted(
        path for package in CHECKED_PACKAGES if (ROOT / package).is_dir() for path in (ROOT / package).rglob("*.py")
    )


def test_no_module_imports_upward_or_sideways():
    broken = [
        f"{path.relative_to(ROOT)}:{line}: {reason}"
        for path in source_files()
        for line, imported in imports_of(path)
        if (reason := violation(module_name(path), imported))
    ]
    assert broken == []


@pytest.mark.parametrize("package", sorted(TABLES))
def test_every_module_has_a_layer(package):
    placed = [path for path in source_files() if path.parts[len(ROOT.parts)] == package]
    assert placed, f"no {package} sources found"
    assert [str(path.relative_to(ROOT)) for path in placed if part_of(module_name(path)) is None] == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("mockxero.backend.currencies", "mockxero.schemas.currencies"),  # sideways: peers in one layer
        ("mockxero.schemas.items", "mockxero.backend.arithmetic"),
        ("mockxero.query.listing", "mockxero.backend.base"),
        ("mockxero.http", "mockxero.control"),  # downward-pointing code reaching up for a constant
        ("mockxero.money", "mockxero.posting"),
        ("mockxero.emulator", "syncer.client"),
        ("contracts.build", "mockxero.schemas.fields"),
        ("syncer.mapping.rules", "syncer.xero.client"),  # peers: rules stay pure, no HTTP
        ("syncer.source.model", "syncer.plan"),
        ("syncer.engine", "syncer.cli"),
    ],
)
def test_the_checker_refuses_the_imports_this_table_exists_to_stop(importer, imported):
    assert violation(importer, imported) is not None


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("mockxero.api.payments", "mockxero.backend"),
        ("mockxero.backend.payments", "mockxero.backend.documents"),
        ("mockxero.identity.views", "mockxero.emulator"),
        ("mockxero.emulator", "mockxero.identity.service"),
        ("mockxero.schemas.items", "mockxero.money"),
        ("mockxero.query.types", "mockxero.schemas.fields"),
        ("mockxero.cli.serve", "flask"),
        ("mockxero.control.openapi", "contracts"),
        ("syncer.engine", "syncer.xero.client"),
        ("syncer.mapping.rules", "syncer.source.model"),
        ("syncer.cli", "click"),
    ],
)
def test_the_checker_accepts_downward_and_internal_imports(importer, imported):
    assert violation(importer, imported) is None
