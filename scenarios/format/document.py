"""A YAML file read with the place of every value kept, so a problem can point at file:line:column.

ruamel.yaml's round-trip loader remembers where each key, value and list item starts; this module turns
what it loads into plain Python values (dict, list, str, int, bool, None, ``date``, ``Placeholder``) and a
table from document path to position. Floats are kept as ``UnquotedNumber`` so the loader can refuse them
where money is meant: ``1.10`` in YAML is a binary float, and amounts must be quoted strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError

from scenarios.results import Location

PathKey = tuple[str | int, ...]
PLACEHOLDER_TAGS = ("any", "uuid", "date", "absent")


@dataclass(frozen=True)
class Placeholder:
    """A typed stand-in for a value a scenario cannot know: ``!any``, ``!uuid``, ``!date``."""

    kind: str

    def __str__(self) -> str:
        return f"!{self.kind}"


@dataclass(frozen=True)
class UnquotedNumber:
    """A YAML float, kept as the text written so the loader can say what to quote."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Document:
    """One scenario or fixture file: its values, where each one starts, and its lines."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def where(self, path: PathKey) -> Location:
        """The position of ``path``, or of its nearest ancestor the file shows."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return Location(self.file, found[0], found[1])
        return Location(self.file, 1, 1)

    def block_text(self, key: str) -> tuple[str, int] | None:
        """The text of a top-level mapping value (``source:`` written inline) dedented, and the file line it
        starts on, so a loader that reports lines of that text can be mapped back onto this file."""
        if not isinstance(self.data, dict) or key not in self.data:
            return None
        start = self.positions.get((key, "<value>"))
        if start is None:
            return None
        first_line = start[0]
        keys = [line for path, (line, _) in self.positions.items() if len(path) == 1]
        later = sorted(line for line in keys if line > first_line)
        end = (later[0] - 1) if later else len(self.lines)
        block = self.lines[first_line - 1 : end]
        indent = min((len(line) - len(line.lstrip()) for line in block if line.strip()), default=0)
        return "\n".join(line[indent:] for line in block) + "\n", first_line


class DocumentError(ValueError):
    """The file is not YAML at all; the location names where the parser stopped."""

    def __init__(self, location: Location, message: str):
        self.location, self.message = location, message
        super().__init__(f"{location}: {message}")


def _yaml() -> YAML:
    parser = YAML(typ="rt")
    parser.allow_duplicate_keys = False
    return parser


def load_document(path: str | Path, display: str | None = None) -> Document:
    source = Path(path)
    name = display or str(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise DocumentError(Location(name), f"cannot read the file: {error.strerror or error}") from error
    return parse_document(text, name)


def parse_document(text: str, name: str = "<scenario>") -> Document:
    try:
        loaded = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise DocumentError(location, f"not valid YAML: {error.problem or error.context}") from error
    except Exception as error:  # ruamel raises a few unmarked errors (duplicate keys, bad tags)
        raise DocumentError(Location(name), f"not valid YAML: {error}") from error
    document = Document(name, None, {(): (1, 1)}, text.splitlines())
    document.data = _plain(loaded, (), document.positions)
    return document


def _plain(node: Any, path: PathKey, positions: dict[PathKey, tuple[int, int]]) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key in node:
            child = (*path, str(key))
            line, column = node.lc.key(key)
            positions[child] = (line + 1, column + 1)
            value_line, value_column = node.lc.value(key)
            positions[(*child, "<value>")] = (value_line + 1, value_column + 1)
            out[str(key)] = _plain(node[key], child, positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, column = node.lc.item(index)
            positions[(*path, index)] = (line + 1, column + 1)
            items.append(_plain(item, (*path, index), positions))
        return items
    if isinstance(node, TaggedScalar):
        tag = str(node.tag.value or "").lstrip("!")
        return Placeholder(tag) if tag in PLACEHOLDER_TAGS else UnquotedNumber(f"!{tag} {node.value}")
    if isinstance(node, bool) or node is None or isinstance(node, int):
        return bool(node) if isinstance(node, bool) else (int(node) if node is not None else None)
    if isinstance(node, float):
        return UnquotedNumber(str(node))
    if isinstance(node, datetime):
        return node
    if isinstance(node, date):
        return node
    return str(node)


def walk(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every value in a plain document with its path, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, (*path, index))
