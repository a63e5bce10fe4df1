"""Where things are in a YAML or JSON file: the 1-based line of every node, and the keys written twice.

Both file loaders (the billing source and the mapping configuration) report problems with a line, and
both must refuse a key written twice: ``yaml.safe_load`` and ``json.loads`` silently keep the last one, so
a second ``invoices:`` section would drop the first without a word. JSON objects are YAML flow mappings, so
one composer locates nodes in both formats. A file the composer cannot read (a tab-indented JSON file, say)
still loads; its problems just carry no line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

NodePath = tuple[str | int, ...]  # mapping keys and list indexes from the document root


@dataclass(frozen=True)
class Locations:
    lines: dict[NodePath, int] = field(default_factory=dict)
    duplicates: tuple[tuple[NodePath, int], ...] = ()  # each repeated key's path and the line it repeats on
    # The ``id`` written in each mapping, by the mapping's path, as the file has it: when a section is written
    # twice the parsed data holds only the last one, so a problem in the first is named from here.
    ids: dict[NodePath, str] = field(default_factory=dict)

    def line(self, *paths: NodePath) -> int | None:
        """The line of the first of ``paths`` that the file has (a missing field falls back to its record)."""
        for path in paths:
            if path in self.lines:
                return self.lines[path]
        return None


def locate(text: str) -> Locations:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return Locations()
    lines: dict[NodePath, int] = {}
    duplicates: list[tuple[NodePath, int]] = []
    ids: dict[NodePath, str] = {}

    def walk(node: yaml.Node | None, path: NodePath) -> None:
        if node is None:
            return
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    duplicates.append(((*path, name), key.start_mark.line + 1))
                    continue
                seen.add(name)
                if name == "id" and isinstance(value, yaml.ScalarNode):
                    ids[path] = str(value.value)
                lines[(*path, name)] = key.start_mark.line + 1
                walk(value, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    walk(root, ())
    return Locations(lines, tuple(duplicates), ids)
