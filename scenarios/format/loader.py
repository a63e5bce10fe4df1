"""Reading scenario files: ``extends`` merged, ``matrix`` expanded, every problem found at once.

A problem is a ``Failure`` of layer ``load`` located at file:line:column, with the path in the document;
``ScenarioError`` carries all of them. The billing source and the mapping are checked by the sync engine's
own loaders, and what they find is placed back onto the scenario file's lines.

The ``extends`` merge rule: the fixture is read first; a mapping in the scenario merges into the fixture's
mapping key by key, recursively; any other value (a string, a number, a list) in the scenario replaces the
fixture's; ``null`` removes the key. ``steps`` and ``source`` are never taken from a fixture unless the
scenario has none.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from mockxero.paths import API_PREFIX
from scenarios.results import Failure, Layer, Location
from syncer.integrations.config import IntegrationConfigError, integration_from_data
from syncer.mapping.config import MappingConfig, MappingConfigError, parse_mapping_config
from syncer.source.files import SourceError, load_book, parse_book
from syncer.source.model import BillingBook

from .document import Document, DocumentError, PathKey, Placeholder, UnquotedNumber, load_document
from .model import Organisation, Scenario, StatementEntry, Step
from .statement import StatementError, parse_statement_rows, read_statement_file

TOP_LEVEL = ("name", "description", "tags", "extends", "allow", "matrix", "given", "source", "statement", "steps")
GIVEN = ("organisation", "mapping", "start", "rate_limits", "integrations", "external_mappings", "auth")
# how the engine is connected: a custom connection (client credentials, a new token whenever it asks) or a
# web app's connection (the authorization-code grant once, then a rotating refresh token, which a revoked
# grant ends for good)
AUTH_GRANTS = ("client_credentials", "authorization_code")
SYNC_OPTIONS = ("change_policy", "integration", "crash_after_writes")
FAULT_EFFECTS = ("status", "latency", "drop", "lost_response", "revoke_token")
RATE_LIMITS = ("minute", "day", "concurrent", "app_minute")
ORGANISATION = ("name", "country", "currencies", "accounts", "items", "tax_rates", "lock_dates", "exchange_rates")
STEP_KINDS = ("sync", "advance", "change", "faults", "expect")
EXPECT_LAYERS = ("sync", "objects", "requests", "ledger", "reconcile")
INVARIANTS = (
    "ledger-balanced",
    "no-duplicate-creates",
    "resync-writes-nothing",
    "clearing-nets-to-zero",
    "statement-matches",
)
ADVANCE_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
DEFAULT_START = datetime(2026, 1, 15, 9, 0, 0, tzinfo=UTC)
MATRIX_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
RECORD = re.compile(r"^(?P<section>[a-z_]+)\[(?P<index>\d+)\]")


class ScenarioError(ValueError):
    """Every problem of one or more scenario files, in file order."""

    def __init__(self, problems: Iterable[Failure]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class _Merged:
    """A document's values after ``extends``, with where each came from (which file, which line)."""

    data: dict[str, Any]
    places: dict[PathKey, Location] = field(default_factory=dict)
    base_dir: Path = Path(".")

    def where(self, path: PathKey) -> Location:
        for end in range(len(path), -1, -1):
            found = self.places.get(path[:end])
            if found is not None:
                return found
        return Location("<scenario>", 1, 1)


def load_scenarios(path: str | Path, display: str | None = None) -> list[Scenario]:
    """Every case of one scenario file, or ``ScenarioError`` with every problem in it."""
    problems: list[Failure] = []
    merged = _read_with_extends(Path(path), display or str(path), problems, seen=())
    if merged is None:
        raise ScenarioError(problems)
    cases = _expand_matrix(merged, Path(path).stem, problems)
    scenarios = [
        scenario for case_id, data in cases if (scenario := _Checker(merged, data, problems).scenario(case_id))
    ]
    if problems:
        raise ScenarioError(_unique_in_order(problems))
    return scenarios


def read_merged(path: str | Path) -> dict[str, Any]:
    """A scenario file's values after ``extends`` (placeholders as their tag text), as the JSON Schema
    describes them; ``ScenarioError`` when a file of the chain cannot be read."""
    problems: list[Failure] = []
    merged = _read_with_extends(Path(path), str(path), problems, seen=())
    if merged is None or problems:
        raise ScenarioError(problems)
    return dict(plain_for_yaml(merged.data))


def _unique_in_order(problems: list[Failure]) -> list[Failure]:
    # a matrix repeats every problem once per case; say each once
    seen: set[str] = set()
    unique = []
    for problem in sorted(problems, key=lambda p: (p.location.file, p.location.line or 0, p.location.column or 0)):
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique


# ---------------------------------------------------------------------------------------------------------
# extends


def _places(document: Document) -> dict[PathKey, Location]:
    return {
        path: Location(document.file, line, column)
        for path, (line, column) in document.positions.items()
        if not path or path[-1] != "<value>"
    }


def _read_with_extends(path: Path, display: str, problems: list[Failure], seen: tuple[Path, ...]) -> _Merged | None:
    try:
        document = load_document(path, display)
    except DocumentError as error:
        problems.append(Failure(Layer.LOAD, error.message, error.location))
        return None
    if not isinstance(document.data, dict):
        problems.append(
            Failure(
                Layer.LOAD,
                "a scenario file is a mapping of keys (name, given, source, steps, …)",
                Location(display, 1, 1),
            )
        )
        return None
    merged = _Merged(dict(document.data), _places(document), path.parent)
    parent_name = document.data.get("extends")
    if parent_name is None:
        return merged
    where = document.where(("extends",))
    if not isinstance(parent_name, str):
        problems.append(
            Failure(Layer.LOAD, "extends names a fixture file (a path relative to this file)", where, path="extends")
        )
        return merged
    parent_path = (path.parent / parent_name).resolve()
    if parent_path in seen or parent_path == path.resolve():
        problems.append(
            Failure(Layer.LOAD, f"extends {parent_name} comes back to this file (a cycle)", where, path="extends")
        )
        return merged
    if not parent_path.is_file():
        problems.append(Failure(Layer.LOAD, f"the fixture {parent_name} does not exist", where, path="extends"))
        return merged
    parent = _read_with_extends(
        parent_path, _display(parent_path, path, display, parent_name), problems, (*seen, path.resolve())
    )
    if parent is None:
        return merged
    data = {key: value for key, value in merged.data.items() if key != "extends"}
    combined = _deep_merge(parent.data, data)
    places = {**parent.places, **merged.places}
    # fixture-relative files (source: {file: ...}) stay relative to the scenario; say so in the docs
    return _Merged(combined, places, path.parent)


def _display(parent_path: Path, child: Path, child_display: str, written: str) -> str:
    return str(Path(child_display).parent / written) if not Path(written).is_absolute() else str(parent_path)


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------------------------------------------------
# matrix


def _expand_matrix(merged: _Merged, stem: str, problems: list[Failure]) -> list[tuple[str, dict[str, Any]]]:
    base_id = _slug(stem)  # the file's name: short, unique in a directory, and what a user types after -k
    matrix = merged.data.get("matrix")
    if matrix is None:
        return [(base_id, merged.data)]
    where = merged.where(("matrix",))
    if not isinstance(matrix, dict) or not matrix:
        problems.append(Failure(Layer.LOAD, "matrix maps each variable to a list of its values", where, path="matrix"))
        return [(base_id, merged.data)]
    axes: list[tuple[str, list[Any]]] = []
    for variable, values in matrix.items():
        if not MATRIX_VARIABLE.fullmatch("${" + variable + "}"):
            problems.append(
                Failure(
                    Layer.LOAD,
                    f"matrix variable {variable!r} must be a plain name",
                    merged.where(("matrix", variable)),
                    path=f"matrix.{variable}",
                )
            )
        elif not isinstance(values, list) or not values or not all(isinstance(v, (str, int, bool)) for v in values):
            problems.append(
                Failure(
                    Layer.LOAD,
                    "a matrix variable takes a non-empty list of strings or numbers",
                    merged.where(("matrix", variable)),
                    path=f"matrix.{variable}",
                )
            )
        else:
            axes.append((variable, values))
    cases = []
    for combination in itertools.product(*(values for _, values in axes)):
        values = {variable: str(value) for (variable, _), value in zip(axes, combination, strict=True)}
        label = ",".join(f"{variable}={value}" for variable, value in values.items())
        data = {key: _substitute(value, values) for key, value in merged.data.items() if key != "matrix"}
        cases.append((f"{base_id}[{label}]", data))
    return cases or [(base_id, merged.data)]


def _substitute(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return MATRIX_VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {key: _substitute(child, values) for key, child in value.items()}
    if isinstance(value, list):
        return [_substitute(child, values) for child in value]
    return value


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


# ---------------------------------------------------------------------------------------------------------
# checking one case


def plain_for_yaml(value: Any) -> Any:
    """The value as ``yaml.safe_dump`` writes it back for the engine's own loaders."""
    if isinstance(value, dict):
        return {key: plain_for_yaml(child) for key, child in value.items()}
    if isinstance(value, list):
        return [plain_for_yaml(child) for child in value]
    if isinstance(value, UnquotedNumber):
        try:
            # never money: an amount written unquoted goes back as the float YAML made of it, so the
            # engine's own loader refuses it by field name; a fault's latency in seconds stays a number
            return float(value.text)
        except ValueError:
            return value.text
    if isinstance(value, Placeholder):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Checker:
    def __init__(self, merged: _Merged, data: dict[str, Any], problems: list[Failure]):
        self.merged, self.data, self.problems = merged, data, problems
        self.mapping_text = ""
        self.integration_names: set[str] = set()

    def problem(self, path: PathKey, message: str) -> None:
        self.problems.append(
            Failure(Layer.LOAD, message, self.merged.where(path), path=".".join(str(p) for p in path) or None)
        )

    def scenario(self, case_id: str) -> Scenario | None:
        before = len(self.problems)
        for key in self.data:
            if key not in TOP_LEVEL:
                self.problem((key,), f"unknown key {key!r}; a scenario has {', '.join(TOP_LEVEL)}")
        name = self.data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem(("name",), "name is required: one line saying what business story this is")
            name = case_id
        tags = self.strings("tags")
        allow = self.strings("allow")
        for index, invariant in enumerate(allow):
            if invariant not in INVARIANTS:
                self.problem(
                    ("allow", index), f"{invariant!r} is not a standing invariant; they are " + ", ".join(INVARIANTS)
                )
        given = self.mapping("given", GIVEN)
        organisation = self.organisation(given.get("organisation"))
        start = self.start(given.get("start"))
        rate_limits = self.rate_limits(given.get("rate_limits"))
        auth = given.get("auth", "client_credentials")
        if auth not in AUTH_GRANTS:
            self.problem(("given", "auth"), f"auth is {' or '.join(AUTH_GRANTS)} (how the engine is connected)")
            auth = "client_credentials"
        mapping = self.mapping_config(given.get("mapping"))
        integrations = self.integrations(given.get("integrations"), mapping)
        external = self.external_mappings(given.get("external_mappings"), integrations)
        source, book = self.source()
        statement = self.statement()
        self.integration_names = {str(entry["name"]).casefold() for entry in integrations}
        steps = self.steps()
        if len(self.problems) > before or mapping is None or book is None:
            return None
        return Scenario(
            case_id=case_id,
            name=str(name),
            location=self.merged.where(()),
            start=start,
            organisation=organisation,
            mapping=mapping,
            source=source,
            book=book,
            steps=steps,
            statement=statement,
            tags=tuple(tags),
            allow=tuple(allow),
            description=str(self.data.get("description") or ""),
            places=self.merged.places,
            rate_limits=rate_limits,
            integrations=integrations,
            external_mappings=external,
            mapping_text=self.mapping_text,
            auth=str(auth),
        )

    # -- small shapes --

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem((key,), "a list of strings")
            return []
        return list(value)

    def mapping(self, key: str, keys: tuple[str, ...]) -> dict[str, Any]:
        path: PathKey = (key,)
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"a mapping with {', '.join(keys)}")
            return {}
        for name in value:
            if name not in keys:
                self.problem((*path, name), f"unknown key {name!r}; here the keys are {', '.join(keys)}")
        return value

    def organisation(self, value: Any) -> Organisation:
        path: PathKey = ("given", "organisation")
        if value is None:
            return Organisation()
        if not isinstance(value, dict):
            self.problem(path, "the organisation is a mapping (" + ", ".join(ORGANISATION) + ")")
            return Organisation()
        for key in value:
            if key not in ORGANISATION:
                self.problem((*path, key), f"unknown key {key!r}; an organisation has {', '.join(ORGANISATION)}")
        lists: dict[str, tuple[Any, ...]] = {}
        for key in ("accounts", "items", "tax_rates"):
            rows = value.get(key) or []
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                self.problem((*path, key), f"{key} is a list of objects as Xero's API takes them")
                rows = []
            for index, row in enumerate(rows):
                self.no_floats(row, (*path, key, index))
            lists[key] = tuple(plain_for_yaml(row) for row in rows)
        currencies = value.get("currencies") or []
        if not isinstance(currencies, list) or not all(
            isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code) for code in currencies
        ):
            self.problem((*path, "currencies"), "currencies is a list of ISO 4217 codes such as USD")
            currencies = []
        lock_dates: dict[str, date | None] = {}
        locks = value.get("lock_dates") or {}
        if not isinstance(locks, dict):
            self.problem((*path, "lock_dates"), "lock_dates has period_lock_date and end_of_year_lock_date")
            locks = {}
        for key, day in locks.items():
            if key not in ("period_lock_date", "end_of_year_lock_date"):
                self.problem(
                    (*path, "lock_dates", key), "the lock dates are period_lock_date and end_of_year_lock_date"
                )
            elif day is not None and not (isinstance(day, date) and not isinstance(day, datetime)):
                self.problem((*path, "lock_dates", key), "a date such as 2026-01-31")
            else:
                lock_dates[key] = day
        rates: list[tuple[str, date | None, str]] = []
        for index, entry in enumerate(value.get("exchange_rates") or []):
            where = (*path, "exchange_rates", index)
            if not isinstance(entry, dict) or set(entry) - {"currency", "date", "rate"}:
                self.problem(where, 'an exchange rate is {currency: USD, date: 2026-01-01, rate: "0.61"}')
                continue
            currency, day, rate = entry.get("currency"), entry.get("date"), entry.get("rate")
            if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
                self.problem((*where, "currency"), "a currency code such as USD")
            elif day is not None and not isinstance(day, date):
                self.problem((*where, "date"), "a date such as 2026-01-01 (none: every date)")
            elif not isinstance(rate, str) or parse_assertion(rate) is None or rate.strip().startswith("="):
                self.problem((*where, "rate"), 'a rate written as a quoted decimal, e.g. "0.61"')
            else:
                rates.append((currency, day, rate.strip()))
        return Organisation(
            name=str(value.get("name") or "Scenario Ltd"),
            exchange_rates=tuple(rates),
            country=str(value.get("country") or "NZ"),
            currencies=tuple(currencies),
            accounts=lists["accounts"],
            items=lists["items"],
            tax_rates=lists["tax_rates"],
            lock_dates=lock_dates,
        )

    def no_floats(self, value: Any, path: PathKey) -> None:
        if isinstance(value, UnquotedNumber):
            self.problem(path, f'write {value.text} as a quoted string ("{value.text}"): amounts are exact')
        elif isinstance(value, dict):
            for key, child in value.items():
                self.no_floats(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                self.no_floats(child, (*path, index))

    def rate_limits(self, value: Any) -> dict[str, int]:
        path: PathKey = ("given", "rate_limits")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "rate_limits sets the emulator's limits: {minute: 60, day: 5000}")
            return {}
        limits: dict[str, int] = {}
        for name, limit in value.items():
            if name not in RATE_LIMITS:
                self.problem((*path, name), f"unknown limit {name!r}; the limits are {', '.join(RATE_LIMITS)}")
            elif isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                self.problem((*path, name), "a limit is a whole number of calls, at least 1")
            else:
                limits[name] = limit
        return limits

    def start(self, value: Any) -> datetime:
        if value is None:
            return DEFAULT_START
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, date):
            return datetime.combine(value, time(9, 0), tzinfo=UTC)
        self.problem(("given", "start"), "start is a date or a date and time, e.g. 2026-01-15T09:00:00Z")
        return DEFAULT_START

    # -- the engine's inputs --

    def integrations(self, value: Any, mapping: MappingConfig | None) -> tuple[dict[str, Any], ...]:
        """given.integrations: each entry checked by the engine's own integration loader, its problems placed
        on the scenario's lines. An entry without ``mapping`` uses given.mapping; one with a path reads that
        file (relative to the scenario)."""
        path: PathKey = ("given", "integrations")
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            self.problem(path, "integrations is a list of integration configurations (name, settings, ...)")
            return ()
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index, entry in enumerate(value):
            here = (*path, index)
            if not isinstance(entry, dict):
                self.problem(here, "an integration is a mapping with a name and its settings")
                continue
            plain = plain_for_yaml(entry)
            runs = entry.get("disable_after_fatal_runs")
            if isinstance(runs, UnquotedNumber) and runs.text.isdigit():
                plain["disable_after_fatal_runs"] = int(runs.text)  # a count, not an amount: unquoted is right
            if isinstance(plain.get("mapping"), str):
                plain["mapping"] = str((self.merged.base_dir / plain["mapping"]).resolve())
            try:
                checked = integration_from_data(
                    plain, "given.integrations", default_mapping=mapping, base=self.merged.base_dir
                )
            except IntegrationConfigError as error:
                for problem in error.problems:
                    self.problem((*here, *_path_parts(problem.field)), problem.message)
                continue
            if checked.name.casefold() in seen:
                self.problem((*here, "name"), f"{checked.name!r} names another integration of this scenario")
            seen.add(checked.name.casefold())
            found.append(plain)
        return tuple(found)

    def external_mappings(
        self, value: Any, integrations: tuple[dict[str, Any], ...]
    ) -> tuple[tuple[str, str, str | None], ...]:
        path: PathKey = ("given", "external_mappings")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, "external_mappings is a list of {account, code} with an optional integration")
            return ()
        names = {str(entry["name"]).casefold() for entry in integrations}
        found = []
        for index, entry in enumerate(value):
            here = (*path, index)
            if not isinstance(entry, dict) or set(entry) - {"account", "code", "integration"}:
                self.problem(here, "an external mapping is {account: <billing account id>, code: <code>, integration?}")
                continue
            account, code, linked = entry.get("account"), entry.get("code"), entry.get("integration")
            if not isinstance(account, str) or not isinstance(code, str) or not account or not code:
                self.problem(here, "account and code are both required, as quoted strings")
                continue
            if linked is not None and str(linked).casefold() not in names:
                self.problem((*here, "integration"), f"{linked!r} is not one of given.integrations")
                continue
            found.append((account, code, None if linked is None else str(linked)))
        return tuple(found)

    def mapping_config(self, value: Any) -> MappingConfig | None:
        path: PathKey = ("given", "mapping")
        if value is None:
            self.problem(("given",), "given.mapping is required: the mapping configuration the sync uses")
            return None
        if isinstance(value, dict) and set(value) == {"file"}:
            target = self.merged.base_dir / str(value["file"])
            try:
                text = target.read_text(encoding="utf-8")
            except OSError as error:
                self.problem((*path, "file"), f"cannot read {value['file']}: {error.strerror or error}")
                return None
            self.mapping_text = text if target.suffix != ".json" else yaml.safe_dump(json.loads(text), sort_keys=False)
            try:
                return parse_mapping_config(text, source=str(target), as_json=target.suffix == ".json")
            except MappingConfigError as error:
                for found in error.problems:
                    self.problems.append(
                        Failure(Layer.LOAD, found.message, Location(str(target), found.line), path=found.field)
                    )
                return None
        if not isinstance(value, dict):
            self.problem(path, "the mapping is written inline (a mapping) or as {file: path}")
            return None
        text = yaml.safe_dump(plain_for_yaml(value), sort_keys=False)
        self.mapping_text = text
        try:
            return parse_mapping_config(text, source="given.mapping")
        except MappingConfigError as error:
            for found in error.problems:
                field_path = tuple(_path_parts(found.field))
                self.problem((*path, *field_path), found.message)
            return None

    def source(self) -> tuple[dict[str, Any], BillingBook | None]:
        value = self.data.get("source")
        if value is None:
            self.problem((), "source is required: the billing records (inline, or {file: path})")
            return {}, None
        if isinstance(value, dict) and set(value) == {"file"}:
            target = self.merged.base_dir / str(value["file"])
            try:
                book = load_book(target)
            except SourceError as error:
                for found in error.problems:
                    self.problems.append(
                        Failure(
                            Layer.LOAD,
                            found.message,
                            Location(found.file, found.line),
                            path=".".join(p for p in (found.record, found.field) if p),
                        )
                    )
                return {}, None
            text = target.read_text(encoding="utf-8")
            data = json.loads(text, parse_float=Decimal) if target.suffix == ".json" else yaml.safe_load(text)
            return data, book
        if not isinstance(value, dict):
            self.problem(("source",), "the source is a billing book written inline, or {file: path}")
            return {}, None
        return value, self.book(value, ("source",))

    def book(self, data: Mapping[str, Any], at: PathKey) -> BillingBook | None:
        plain = plain_for_yaml({"format_version": 1, **data})
        try:
            return parse_book(yaml.safe_dump(plain, sort_keys=False), source=".".join(map(str, at)))
        except SourceError as error:
            for found in error.problems:
                self.problem((*at, *_record_path(found.record), *_path_parts(found.field)), found.message)
            return None

    def statement(self) -> tuple[StatementEntry, ...] | None:
        value = self.data.get("statement")
        if value is None:
            return None
        if isinstance(value, dict) and "file" in value:
            try:
                return read_statement_file(self.merged.base_dir / str(value["file"]), value)
            except StatementError as error:
                for message in error.messages:
                    self.problem(("statement", "file"), message)
                return None
        if not isinstance(value, list):
            self.problem(("statement",), "the statement is a list of lines, or {file: path, account: code}")
            return None
        try:
            return parse_statement_rows(plain_for_yaml(value))
        except StatementError as error:
            for index, message in error.located:
                self.problem(("statement", index), message)
            return None

    # -- the timeline --

    def steps(self) -> tuple[Step, ...]:
        value = self.data.get("steps")
        if value is None or not isinstance(value, list) or not value:
            self.problem(("steps",), "steps is the timeline: a non-empty list (sync, advance, change, faults, expect)")
            return ()
        steps: list[Step] = []
        for index, entry in enumerate(value):
            path: PathKey = ("steps", index)
            if not isinstance(entry, dict) or len(entry) != 1:
                self.problem(path, "each step is one of " + ", ".join(STEP_KINDS) + " (a mapping with one key)")
                continue
            ((kind, body),) = entry.items()
            if kind not in STEP_KINDS:
                self.problem((*path, kind), f"unknown step {kind!r}; steps are {', '.join(STEP_KINDS)}")
                continue
            checked = getattr(self, f"step_{kind}")(body, (*path, kind))
            steps.append(Step(index, kind, checked, self.merged.where((*path, kind))))
        return tuple(steps)

    def step_sync(self, body: Any, path: PathKey) -> dict[str, Any]:
        body = body or {}
        if not isinstance(body, dict):
            self.problem(path, f"sync takes options ({', '.join(SYNC_OPTIONS)}) or nothing: sync: {{}}")
            return {}
        for key in body:
            if key not in SYNC_OPTIONS:
                self.problem((*path, key), f"unknown sync option {key!r}; the options are {', '.join(SYNC_OPTIONS)}")
        policy = body.get("change_policy", "report")
        if policy not in ("report", "skip"):
            self.problem((*path, "change_policy"), "change_policy is report or skip")
        chosen = body.get("integration")
        if chosen is not None and str(chosen).casefold() not in self.integration_names:
            self.problem((*path, "integration"), f"{chosen!r} is not one of given.integrations")
        options: dict[str, Any] = {"change_policy": policy, "integration": None if chosen is None else str(chosen)}
        crash = body.get("crash_after_writes")
        if crash is not None:
            if isinstance(crash, bool) or not isinstance(crash, int) or crash < 1:
                self.problem(
                    (*path, "crash_after_writes"),
                    "crash_after_writes is a whole number of at least 1: the engine dies once that many writes "
                    "reached Xero, before the last one is saved in its state",
                )
            else:
                options["crash_after_writes"] = crash
        return options

    def step_advance(self, body: Any, path: PathKey) -> float:
        if not isinstance(body, dict) or not body:
            self.problem(path, "advance takes days, hours, minutes or seconds: advance: {days: 1}")
            return 0.0
        total = 0.0
        for unit, amount in body.items():
            if unit not in ADVANCE_UNITS:
                self.problem((*path, unit), f"unknown unit {unit!r}; use {', '.join(ADVANCE_UNITS)}")
            elif isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                self.problem((*path, unit), "a whole number, not negative: the clock only moves forward")
            else:
                total += amount * ADVANCE_UNITS[unit]
        return total

    def step_change(self, body: Any, path: PathKey) -> dict[str, Any]:
        if not isinstance(body, dict) or not body:
            self.problem(path, "change patches source sections by record id: change: {invoices: {inv_1: {...}}}")
            return {}
        for section, records in body.items():
            if section in ("add", "remove"):
                if not isinstance(records, dict):
                    self.problem((*path, section), f"{section} maps a source section to a list")
                continue
            if not isinstance(records, dict) or not all(isinstance(patch, dict) for patch in records.values()):
                self.problem((*path, section), "a section's changes map each record id to the fields to change")
        return body

    def step_faults(self, body: Any, path: PathKey) -> tuple[dict[str, Any], ...]:
        if not isinstance(body, list) or not body:
            self.problem(path, "faults is a list of fault rules, e.g. {match: PUT /Payments, nth: 2, status: 429}")
            return ()
        rules = []
        for index, rule in enumerate(body):
            where = (*path, index)
            if not isinstance(rule, dict):
                self.problem(where, "a fault rule is a mapping")
                continue
            translated = dict(plain_for_yaml(rule))
            match = translated.pop("match", None)
            if match is not None:
                parts = str(match).split()
                if len(parts) != 2 or not parts[1].startswith("/"):
                    self.problem((*where, "match"), "match is METHOD /Path, e.g. PUT /Payments")
                    continue
                translated["method"] = parts[0].upper()
                translated["path"] = API_PREFIX + parts[1]
            if "status" in translated and "effect" not in translated:
                translated["effect"] = "status"
            if translated.get("effect") not in FAULT_EFFECTS:
                self.problem((*where, "effect"), f"effect is {', '.join(FAULT_EFFECTS[:-1])} or {FAULT_EFFECTS[-1]}")
                continue
            rules.append(translated)
        return tuple(rules)

    def step_expect(self, body: Any, path: PathKey) -> dict[str, Any]:
        if not isinstance(body, dict) or not body:
            self.problem(path, "expect takes one or more layers: " + ", ".join(EXPECT_LAYERS))
            return {}
        for layer, value in body.items():
            if layer not in EXPECT_LAYERS:
                self.problem((*path, layer), f"unknown layer {layer!r}; the layers are {', '.join(EXPECT_LAYERS)}")
            elif not isinstance(value, dict):
                self.problem((*path, layer), f"the {layer} layer is a mapping")
        ledger = body.get("ledger")
        if isinstance(ledger, dict):
            for account, assertion in (ledger.get("balances") or {}).items():
                if parse_assertion(assertion) is None:
                    self.problem(
                        (*path, "ledger", "balances", account),
                        'a balance assertion is an amount with an optional operator: "= 10.00", '
                        '"== 10.00", "=* 10.00" (quoted)',
                    )
        return body


def parse_assertion(text: Any) -> tuple[str, Decimal] | None:
    """``"= 10.00"`` → ("=", 10.00); operators as hledger writes them: = (this account), =* (with the accounts
    under it), == and ==* (the same, and nothing in another currency)."""
    if not isinstance(text, str):
        return None
    found = re.fullmatch(r"\s*(==\*|=\*|==|=)?\s*(-?\d+(?:\.\d+)?)\s*", text)
    if not found:
        return None
    try:
        return (found.group(1) or "=", Decimal(found.group(2)))
    except InvalidOperation:
        return None


def _path_parts(dotted: str | None) -> list[str | int]:
    if not dotted:
        return []
    return [int(part) if part.isdigit() else part for part in dotted.split(".")]


def _record_path(record: str | None) -> list[str | int]:
    if not record:
        return []
    found = RECORD.match(record)
    if not found:
        return [record]
    return [found.group("section"), int(found.group("index"))]
