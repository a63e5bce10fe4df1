"""Integration configurations: named bill integrations, several per Xero organisation.

A file (YAML or JSON) holds ``version: 1`` and a list ``integrations``; ``load_integrations`` returns one
frozen ``IntegrationConfig`` per entry or raises ``IntegrationConfigError`` with every problem located
(file:line and field) through the mapping configuration's ``ConfigProblem`` and ``locate`` machinery.
The account filter is kept as written here; syncer.integrations.filter parses it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from syncer.integrations.filter import FilterError, parse_filter
from syncer.mapping.config import (
    ConfigProblem,
    MappingConfig,
    MappingConfigError,
    load_mapping_config,
)
from syncer.source.locations import NodePath, locate
from syncer.source.model import LineItemType

FILE_VERSION = 1
NAME_MAX = 100
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SplitUsage(StrEnum):
    NONE = "none"
    BAND = "band"
    PRODUCT = "product"


class LineSort(StrEnum):
    NONE = "none"
    SUBTOTAL = "subtotal"
    AGGREGATION_ID = "aggregation_id"


@dataclass(frozen=True)
class IntegrationConfig:
    name: str
    mapping: MappingConfig
    account_ids: tuple[str, ...] = ()
    restricted_account_ids: tuple[str, ...] = ()
    account_filter: str | None = None
    only_send_on_approval: bool = False
    use_external_mapping_account_code: bool = False
    enforce_external_mappings: bool = False
    excluded_line_item_types: tuple[LineItemType, ...] = ()
    excluded_products: tuple[str, ...] = ()
    excluded_aggregations: tuple[str, ...] = ()
    split_usage_line_items: SplitUsage = SplitUsage.NONE
    sort_line_items_by: LineSort = LineSort.NONE
    allow_overlap: bool = False
    disabled_notification_users: tuple[str, ...] = ()
    disable_after_fatal_runs: int = 3
    mapping_path: Path | None = None  # the mapping file, resolved, so a stored integration can be read again

    def as_data(self) -> dict[str, Any]:
        """The entry as a configuration file writes it (what the registry stores), with the mapping's full path."""
        data: dict[str, Any] = {"name": self.name, "mapping": str(self.mapping_path) if self.mapping_path else None}
        for name in _FIELDS[2:]:
            value = getattr(self, name)
            if isinstance(value, tuple):
                value = [str(item) for item in value]
            elif isinstance(value, StrEnum):
                value = value.value
            data[name] = value
        return data


class IntegrationConfigError(MappingConfigError):
    """Every problem of an integration file, in file order."""


_FIELDS = (
    "name",
    "mapping",
    "account_ids",
    "restricted_account_ids",
    "account_filter",
    "only_send_on_approval",
    "use_external_mapping_account_code",
    "enforce_external_mappings",
    "excluded_line_item_types",
    "excluded_products",
    "excluded_aggregations",
    "split_usage_line_items",
    "sort_line_items_by",
    "allow_overlap",
    "disabled_notification_users",
    "disable_after_fatal_runs",
)
_FLAGS = (
    "only_send_on_approval",
    "use_external_mapping_account_code",
    "enforce_external_mappings",
    "allow_overlap",
)


def load_integrations(path: str | Path) -> tuple[IntegrationConfig, ...]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IntegrationConfigError([ConfigProblem(str(path), f"cannot be read: {exc.strerror or exc}")]) from exc
    try:
        data = json.loads(text, parse_float=Decimal) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise IntegrationConfigError([ConfigProblem(str(path), f"is not valid JSON: {exc.msg}", exc.lineno)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = ConfigProblem(str(path), f"is not valid YAML: {getattr(exc, 'problem', exc)}", line)
        raise IntegrationConfigError([problem]) from exc
    located = locate(text)
    checker = _Checker(str(path), located.lines, path.parent)
    for where, line in located.duplicates:
        checker.problems.append(ConfigProblem(str(path), "appears twice; keep one", line, ".".join(map(str, where))))
    configs = checker.file(data)
    if checker.problems:
        raise IntegrationConfigError(sorted(checker.problems, key=lambda p: (p.line or 0, p.field or "")))
    return configs


def integration_from_data(
    entry: object, source: str, *, default_mapping: MappingConfig | None = None, base: Path = Path("/")
) -> IntegrationConfig:
    """One entry (stored by the registry as ``IntegrationConfig.as_data``, or written in a scenario) read with
    the same checks as a file's. ``default_mapping`` is used when the entry names no mapping file (a scenario's
    integrations share its mapping unless they name their own); ``base`` is where relative paths start."""
    checker = _Checker(source, {}, base, default_mapping)
    config = checker.integration(entry, ())
    if checker.problems or config is None:
        raise IntegrationConfigError(checker.problems)
    return config


class _Checker:
    def __init__(
        self, source: str, lines: dict[NodePath, int], base: Path, default_mapping: MappingConfig | None = None
    ):
        self.source, self.lines, self.base = source, lines, base
        self.default_mapping = default_mapping
        self.problems: list[ConfigProblem] = []

    def fail(self, path: NodePath, message: str) -> None:
        line = None
        for depth in range(len(path), 0, -1):  # a missing field is reported at its parent's line
            if (line := self.lines.get(path[:depth])) is not None:
                break
        self.problems.append(ConfigProblem(self.source, message, line, ".".join(map(str, path)) or None))

    def file(self, data: object) -> tuple[IntegrationConfig, ...]:
        if not isinstance(data, dict):
            self.fail((), "must be a mapping with version and integrations")
            return ()
        for key in data:
            if key not in ("version", "integrations"):
                self.fail((str(key),), "is not a known field; expected one of version, integrations")
        if data.get("version") != FILE_VERSION or isinstance(data.get("version"), bool):
            self.fail(("version",), f"must be {FILE_VERSION}, got {data.get('version')!r}")
        entries = data.get("integrations")
        if not isinstance(entries, list) or not entries:
            self.fail(("integrations",), "must be a non-empty list of integrations")
            return ()
        found: list[IntegrationConfig] = []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            config = self.integration(entry, ("integrations", index))
            if config is None:
                continue
            key = config.name.casefold()
            if key in seen:
                self.fail(
                    ("integrations", index, "name"), f"{config.name!r} is already the name of integration {seen[key]}"
                )
            seen.setdefault(key, index)
            found.append(config)
        return tuple(found)

    def integration(self, entry: object, here: NodePath) -> IntegrationConfig | None:
        if not isinstance(entry, dict):
            self.fail(here, "must be a mapping")
            return None
        before = len(self.problems)
        for key in entry:
            if key not in _FIELDS:
                self.fail((*here, str(key)), "is not a known field")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
            self.fail((*here, "name"), f"is required: a non-empty string of at most {NAME_MAX} characters")
        mapping = self.mapping(entry.get("mapping"), (*here, "mapping"))
        flags = {}
        for flag in _FLAGS:
            value = entry.get(flag, False)
            if not isinstance(value, bool):
                self.fail((*here, flag), "must be true or false")
            flags[flag] = bool(value)
        ids = {
            k: self.strings(entry.get(k, []), (*here, k))
            for k in ("account_ids", "restricted_account_ids", "excluded_products", "excluded_aggregations")
        }
        types = []
        for i, value in enumerate(
            self.strings(entry.get("excluded_line_item_types", []), (*here, "excluded_line_item_types"))
        ):
            if value in LineItemType.__members__:
                types.append(LineItemType(value))
            else:
                self.fail((*here, "excluded_line_item_types", i), f"{value!r} is not a line item type")
        users = self.strings(entry.get("disabled_notification_users", []), (*here, "disabled_notification_users"))
        for i, user in enumerate(users):
            if not EMAIL.match(user):
                self.fail((*here, "disabled_notification_users", i), f"{user!r} is not an email address")
        account_filter = entry.get("account_filter")
        if account_filter is not None and not isinstance(account_filter, str):
            self.fail((*here, "account_filter"), "must be a string expression")
        elif account_filter is not None:
            try:
                parse_filter(account_filter)  # parsed here so a bad filter stops the load, not a run
            except FilterError as error:
                self.fail((*here, "account_filter"), f"{error} of {account_filter!r}")
        split = self.choice(entry.get("split_usage_line_items", "none"), (*here, "split_usage_line_items"), SplitUsage)
        order = self.choice(entry.get("sort_line_items_by", "none"), (*here, "sort_line_items_by"), LineSort)
        runs = entry.get("disable_after_fatal_runs", 3)
        if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
            self.fail((*here, "disable_after_fatal_runs"), f"must be a whole number of at least 1, got {runs!r}")
        if len(self.problems) > before or mapping is None or split is None or order is None:
            return None
        assert isinstance(name, str)
        return IntegrationConfig(
            name=name.strip(),
            mapping=mapping,
            account_ids=tuple(ids["account_ids"]),
            restricted_account_ids=tuple(ids["restricted_account_ids"]),
            account_filter=account_filter,
            excluded_line_item_types=tuple(types),
            excluded_products=tuple(ids["excluded_products"]),
            excluded_aggregations=tuple(ids["excluded_aggregations"]),
            split_usage_line_items=split,
            sort_line_items_by=order,
            disabled_notification_users=tuple(users),
            disable_after_fatal_runs=runs,
            mapping_path=(self.base / str(entry["mapping"])).resolve() if entry.get("mapping") else None,
            **flags,
        )

    def strings(self, value: object, here: NodePath) -> list[str]:
        if not isinstance(value, list):
            self.fail(here, "must be a list")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                good.append(item)
            else:
                self.fail((*here, i), f"must be a non-empty string (quote it), got {item!r}")
        return good

    def choice(self, value: Any, here: NodePath, enum: type[StrEnum]) -> Any:
        for member in enum:
            if value == member.value:
                return member
        self.fail(here, f"must be one of {', '.join(m.value for m in enum)}, got {value!r}")
        return None

    def mapping(self, value: object, here: NodePath) -> MappingConfig | None:
        if value is None and self.default_mapping is not None:
            return self.default_mapping
        if not isinstance(value, str) or not value.strip():
            # inline mapping objects are not read yet: only a path to a mapping file
            self.fail(here, "is required: the path (relative to this file) of a mapping configuration")
            return None
        try:
            return load_mapping_config(self.base / value)
        except MappingConfigError as exc:
            for problem in exc.problems:
                self.fail(here, f"{value!r}: {problem}")
            return None
