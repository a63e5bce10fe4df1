"""Emulator configuration: by argument, by ``MOCKXERO_*`` environment variables, or by CLI flags.

``create_app(None)`` reads the environment; ``create_app({...})`` uses only what it is given (tests stay
hermetic); the CLI turns flags (each with its ``MOCKXERO_*`` variable) into such a mapping. Anything
not given falls back to a default, including one app client and one tenant, so zero configuration works.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .clock import Clock
from .exchange import SetRate, parse_rates
from .ids import is_guid, normalise_guid

DEFAULT_CLIENT_ID = "MOCKXERO0DEFAULT0CLIENT000000001"
DEFAULT_CLIENT_SECRET = "mockxero-default-client-secret"
DEFAULT_TENANT_ID = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"
DEFAULT_TENANT_NAME = "Demo Company (NZ)"
MAX_BODY_BYTES = 3_670_016  # Xero refuses a single request body over 3.5 MB
SUPPORTED_COUNTRIES = ("NZ", "AU", "GB", "US")
TENANT_TYPES = ("ORGANISATION", "PRACTICE")

ALL_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.settings",
    "accounting.settings.read",
    "accounting.contacts",
    "accounting.contacts.read",
    "accounting.transactions",
    "accounting.transactions.read",
    "accounting.reports.read",
    "accounting.journals.read",
)


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the setting."""


def _require_text(what: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{what} must be a non-empty string, got {value!r}")


def lock_date_value(what: str, value: Any) -> date | None:
    """A lock date as configured: a date, an ISO ``YYYY-MM-DD`` string, or none (no lock)."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):  # YAML reads 2026-03-31 as a date
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{what} must be a date written YYYY-MM-DD, such as 2026-03-31, got {value!r}")


def _require_whole(key: str, value: Any, *, minimum: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key} must be a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{key} must be at least {minimum}, got {value}")


@dataclass(frozen=True)
class TenantConfig:
    tenant_id: str = DEFAULT_TENANT_ID
    name: str = DEFAULT_TENANT_NAME
    country_code: str = "NZ"
    tenant_type: str = "ORGANISATION"
    # The organisation's lock dates at start (GET /Organisation's PeriodLockDate and EndOfYearLockDate):
    # writes that post on or before either are refused. The control API changes them while running.
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    # The tenant's exchange-rate table at start (mockxero/exchange.py): currency → rate for every date, or
    # currency → {date: rate}, or a list of {currency, date, rate}. The control API changes it while running.
    exchange_rates: Any = ()

    def __post_init__(self) -> None:
        label = f"tenant {self.tenant_id!r}"
        if not is_guid(self.tenant_id):
            raise ConfigError(f"tenant_id must be a GUID such as {DEFAULT_TENANT_ID}, got {self.tenant_id!r}")
        # Xero writes GUIDs in lower case; keeping one spelling makes header and config comparisons exact.
        object.__setattr__(self, "tenant_id", normalise_guid(self.tenant_id))
        _require_text(f"{label}: name", self.name)
        country = self.country_code.upper() if isinstance(self.country_code, str) else self.country_code
        if country not in SUPPORTED_COUNTRIES:
            raise ConfigError(
                f"{label}: country_code must be one of {', '.join(SUPPORTED_COUNTRIES)}, got {self.country_code!r}"
            )
        object.__setattr__(self, "country_code", country)
        if self.tenant_type not in TENANT_TYPES:
            raise ConfigError(
                f"{label}: tenant_type must be one of {', '.join(TENANT_TYPES)}, got {self.tenant_type!r}"
            )
        for key in ("period_lock_date", "end_of_year_lock_date"):
            object.__setattr__(self, key, lock_date_value(f"{label}: {key}", getattr(self, key)))
        if not (
            self.exchange_rates
            and isinstance(self.exchange_rates, tuple)
            and all(isinstance(e, SetRate) for e in self.exchange_rates)
        ):
            entries, problems = parse_rates(f"{label}: exchange_rates", self.exchange_rates or [])
            if problems:
                raise ConfigError("; ".join(problems))
            object.__setattr__(self, "exchange_rates", tuple(SetRate(c, d, r) for c, d, r in entries if r is not None))


@dataclass(frozen=True)
class ClientConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    name: str = "mockxero default app"
    tenant_ids: tuple[str, ...] = (DEFAULT_TENANT_ID,)
    # Scopes a token may carry; client_credentials tokens get all of them when none is requested.
    scopes: tuple[str, ...] = ALL_SCOPES
    # Empty means any redirect URI is accepted (convenient locally); real Xero requires registration.
    redirect_uris: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require_text("client_id", self.client_id)
        label = f"client {self.client_id!r}"
        _require_text(f"{label}: client_secret", self.client_secret)
        _require_text(f"{label}: name", self.name)
        for key in ("tenant_ids", "scopes", "redirect_uris"):
            values = getattr(self, key)
            if isinstance(values, str) or not isinstance(values, (list, tuple)):
                raise ConfigError(f"{label}: {key} must be a list, got {values!r}")
            for value in values:
                _require_text(f"{label}: each of {key}", value)
            object.__setattr__(self, key, tuple(values))
        bad_ids = [t for t in self.tenant_ids if not is_guid(t)]
        if bad_ids:
            raise ConfigError(f"{label}: tenant_ids must be GUIDs, got {', '.join(map(repr, bad_ids))}")
        object.__setattr__(self, "tenant_ids", tuple(normalise_guid(t) for t in self.tenant_ids))
        unknown_scopes = [s for s in self.scopes if s not in ALL_SCOPES]
        if unknown_scopes:
            raise ConfigError(
                f"{label}: scopes names unknown scopes {', '.join(unknown_scopes)} (known: {', '.join(ALL_SCOPES)})"
            )


# --- the settings table ----------------------------------------------------------------------------------
#
# Each scalar setting is declared once, as a field of ``MockConfig`` made by ``setting(...)``: its name is
# the configuration-file key, its default is the field's, and its kind says how a value is checked, read
# from its ``MOCKXERO_*`` variable and offered as a ``mockxero serve`` flag. ``SETTINGS`` lists them in
# declaration order; the checks, the environment, the CLI options and docs/configuration-settings.md are
# all generated from it.


@dataclass(frozen=True)
class Kind:
    """How values of one kind of setting are checked and read from text."""

    name: str  # whole, number, choice, switch, path

    def check(self, spec: Setting, value: Any) -> None:
        key = spec.name
        if value is None and spec.default is None:
            return
        if self.name == "whole":
            _require_whole(key, value, minimum=spec.minimum)
        elif self.name == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise ConfigError(f"{key} must be a positive number, got {value!r}")
        elif self.name == "choice":
            if value not in spec.choices:
                raise ConfigError(f"{key} must be {_either(spec.choices)}, got {value!r}")
        elif self.name == "switch":
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false, got {value!r}")
        elif self.name == "path" and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{key} must be a file path, got {value!r}")

    def parse(self, spec: Setting, raw: str) -> Any:
        """The value of the setting's environment variable."""
        variable = spec.env
        if self.name == "whole":
            try:
                return int(raw)
            except ValueError:
                raise ConfigError(f"{variable} must be a whole number, got {raw!r}") from None
        if self.name == "number":
            try:
                return float(raw)
            except ValueError:
                raise ConfigError(f"{variable} must be a number, got {raw!r}") from None
        if self.name == "switch":
            word = raw.strip().lower()
            if word in ("1", "true", "yes", "on"):
                return True
            if word in ("0", "false", "no", "off"):
                return False
            raise ConfigError(f"{variable} must be on/off (or true/false), got {raw!r}")
        return raw


WHOLE, NUMBER, CHOICE, SWITCH, PATH = (Kind(name) for name in ("whole", "number", "choice", "switch", "path"))


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str  # the MockConfig field and the configuration-file key
    default: Any
    kind: Kind
    help: str  # one sentence: what it does
    minimum: int | None = None  # for whole numbers
    choices: tuple[str, ...] = ()  # for choices
    flag: bool = True  # offered as a ``mockxero serve`` flag (else file and environment only)
    must_exist: bool = False  # a path the flag checks exists (a file to read, not one to create)
    shown_default: str | None = None  # the default as the docs and --help show it, when not plain

    @property
    def env(self) -> str:
        return env_name(self.name)

    @property
    def option(self) -> str:
        """The ``mockxero serve`` flag: ``token_ttl`` → ``--token-ttl``."""
        return "--" + self.name.replace("_", "-")

    @property
    def default_text(self) -> str:
        if self.shown_default is not None:
            return self.shown_default
        if self.default is None:
            return "none"
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        return str(self.default)


_SETTING = "mockxero.setting"


def setting(default: Any, kind: Kind, help: str, **row: Any) -> Any:
    """A ``MockConfig`` field that is a row of the settings table."""
    return field(default=default, metadata={_SETTING: {"default": default, "kind": kind, "help": help, **row}})


def _either(choices: tuple[str, ...]) -> str:
    shown = [repr(choice) for choice in choices]
    return " or ".join(shown) if len(shown) == 2 else "one of " + ", ".join(shown)


@dataclass(frozen=True)
class MockConfig:
    data_file: str | None = setting(
        None,
        PATH,
        "Keep the books in this SQLite file so they survive restarts (an older tinydb JSON file is migrated).",
        shown_default="none (in memory)",
    )
    token_ttl: int = setting(1800, WHOLE, "Access-token lifetime in seconds, as Xero.", minimum=1)
    refresh_token_ttl: int = setting(
        60 * 86_400,
        WHOLE,
        "Refresh-token lifetime in seconds.",
        minimum=1,
        flag=False,
        shown_default="5184000 (60 days)",
    )
    refresh_grace: int = setting(
        1800,
        WHOLE,
        "Seconds a rotated refresh token may still be replayed (a lost response's grace).",
        minimum=0,
        flag=False,
    )
    clients: tuple[ClientConfig, ...] = (ClientConfig(),)
    tenants: tuple[TenantConfig, ...] = (TenantConfig(),)
    max_body_bytes: int = setting(
        MAX_BODY_BYTES,
        WHOLE,
        "Larger request bodies get 413, as Xero refuses bodies over 3.5 MB.",
        minimum=1,
        flag=False,
        shown_default=f"{MAX_BODY_BYTES} (3.5 MB)",
    )
    unknown_fields: str = setting(
        "ignore",
        CHOICE,
        "Ignore body fields the API does not know (as Xero does) or reject them to catch typos.",
        choices=("ignore", "reject"),
    )
    default_format: str = setting(
        "xml",
        CHOICE,
        "What a client that does not ask for JSON gets, as in Xero.",
        choices=("xml", "json"),
        flag=False,
    )
    clock_scale: float = setting(1.0, NUMBER, "Run the emulator's clock this many times faster than real time.")
    seed: int | None = setting(None, WHOLE, "Seed for reproducible ids and tokens.")
    clock: Clock | None = field(default=None, compare=False)
    testing: bool = False
    # The API gateway (mockxero.traffic): Xero's rate limits, Idempotency-Key, fault injection, request log.
    rate_limits: bool = setting(True, SWITCH, "Enforce Xero's rate limits (429 with Retry-After).")
    rate_limit_minute: int = setting(60, WHOLE, "Calls per tenant per app in any rolling minute, as Xero.", minimum=1)
    rate_limit_day: int = setting(5_000, WHOLE, "Calls per tenant per app in any rolling 24 hours, as Xero.", minimum=1)
    rate_limit_concurrent: int = setting(5, WHOLE, "Calls per tenant per app in flight at once, as Xero.", minimum=1)
    rate_limit_app_minute: int = setting(
        10_000, WHOLE, "Calls per app across all tenants in any rolling minute, as Xero.", minimum=1
    )
    idempotency_ttl: int = setting(86_400, WHOLE, "Seconds an Idempotency-Key's answer is replayed.", minimum=1)
    faults_file: str | None = setting(
        None,
        PATH,
        "A YAML or JSON file of fault rules to load at start (see /mock-api/faults).",
        must_exist=True,
    )
    fault_latency: str = setting(
        "clock",
        CHOICE,
        "How a latency fault delays a call: move the emulator clock, or really sleep.",
        choices=("clock", "sleep"),
    )
    request_log_size: int = setting(
        1_000, WHOLE, "Calls kept in the request log (GET /mock-api/requests); 0 turns it off.", minimum=0
    )

    def __post_init__(self) -> None:
        data_file: object = self.data_file  # callers may hand a Path
        if isinstance(data_file, os.PathLike):
            object.__setattr__(self, "data_file", os.fspath(data_file))
        for spec in SETTINGS:
            spec.kind.check(spec, getattr(self, spec.name))
        if not self.tenants:
            raise ConfigError("tenants: at least one tenant must be configured")
        if not self.clients:
            raise ConfigError("clients: at least one app client must be configured")
        tenant_ids = [t.tenant_id for t in self.tenants]
        repeated = sorted({t for t in tenant_ids if tenant_ids.count(t) > 1})
        if repeated:
            raise ConfigError(f"tenants: tenant_id must be unique, repeated: {', '.join(repeated)}")
        client_ids = [c.client_id for c in self.clients]
        repeated = sorted({c for c in client_ids if client_ids.count(c) > 1})
        if repeated:
            raise ConfigError(f"clients: client_id must be unique, repeated: {', '.join(repeated)}")
        for client in self.clients:
            unknown = set(client.tenant_ids) - set(tenant_ids)
            if unknown:
                raise ConfigError(
                    f"client {client.client_id!r}: tenant_ids names unknown tenants: {', '.join(sorted(unknown))}"
                )

    # -- construction --

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> MockConfig:
        """Build from a plain mapping (lower-case keys as the dataclass fields; upper-case Flask keys ignored).

        A client given without ``tenant_ids`` may reach every configured tenant, which is what a one-app
        set-up wants.
        """
        if not isinstance(values, Mapping):
            raise ConfigError(f"the configuration must be a mapping of settings, got {type(values).__name__}")
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(key, str) and key.isupper():  # Flask-style keys such as TESTING
                if key == "TESTING":
                    kwargs["testing"] = bool(value)
                continue
            if key not in known:
                raise ConfigError(f"unknown configuration key {key!r} (known: {', '.join(sorted(known))})")
            kwargs[key] = value
        if "tenants" in kwargs:
            kwargs["tenants"] = tuple(_tenant(t) for t in _listed("tenants", kwargs["tenants"]))
        all_tenant_ids = tuple(t.tenant_id for t in kwargs.get("tenants", (TenantConfig(),)))
        if "clients" in kwargs:
            kwargs["clients"] = tuple(_client(c, all_tenant_ids) for c in _listed("clients", kwargs["clients"]))
        elif "tenants" in kwargs:
            kwargs["clients"] = (ClientConfig(tenant_ids=all_tenant_ids),)
        return cls(**kwargs)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        config_file: str | os.PathLike | None = None,
        tenant: Mapping[str, Any] | None = None,
        client: Mapping[str, Any] | None = None,
        **overrides: Any,
    ) -> MockConfig:
        """The layered configuration the server runs with, lowest layer first: defaults, the configuration
        file (``config_file`` or ``MOCKXERO_CONFIG_FILE``), ``MOCKXERO_*`` variables, then explicit
        ``overrides`` (the CLI's flags). ``tenant`` / ``client`` override fields of the first (default)
        tenant and client: ``{"tenant_id", "name", "country_code"}`` and ``{"client_id", "client_secret"}``.
        ``None`` values mean "not given".
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        config_file = config_file or env.get("MOCKXERO_CONFIG_FILE")
        if config_file:
            values.update(load_config_file(config_file))
        for spec in SETTINGS:
            raw = env.get(spec.env)
            if raw not in (None, ""):
                values[spec.name] = spec.kind.parse(spec, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        identity: dict[str, dict[str, Any]] = {"tenant": {}, "client": {}}
        for field_spec in IDENTITY_SETTINGS:
            if env.get(field_spec.env):
                identity[field_spec.target][field_spec.name] = env[field_spec.env]
        identity["tenant"].update({k: v for k, v in (tenant or {}).items() if v is not None})
        identity["client"].update({k: v for k, v in (client or {}).items() if v is not None})
        tenant_values, client_values = identity["tenant"], identity["client"]
        config = cls.from_mapping(values)
        return config.with_default_identity(tenant=tenant_values, client=client_values)

    def with_default_identity(self, *, tenant: Mapping[str, Any], client: Mapping[str, Any]) -> MockConfig:
        """Override the first tenant/client (the defaults) field by field, as the CLI flags do."""
        config = self
        if tenant:
            first = _replace(config.tenants[0], tenant, "tenant")
            old_id = config.tenants[0].tenant_id
            clients = tuple(
                replace(c, tenant_ids=tuple(first.tenant_id if t == old_id else t for t in c.tenant_ids))
                for c in config.clients
            )
            config = replace(config, tenants=(first, *config.tenants[1:]), clients=clients)
        if client:
            config = replace(config, clients=(_replace(config.clients[0], client, "client"), *config.clients[1:]))
        return config

    @property
    def default_client(self) -> ClientConfig:
        return self.clients[0]

    @property
    def default_tenant(self) -> TenantConfig:
        return self.tenants[0]


def load_config_file(path: str | os.PathLike) -> dict[str, Any]:
    """A JSON or YAML file holding any of the configuration keys (clients, tenants, token_ttl, ...)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"configuration file {file} is not UTF-8 text") from exc
    try:
        data = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"configuration file {file} is not valid {file.suffix.lstrip('.') or 'YAML'}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"configuration file {file} must hold a mapping of settings")
    return data


def _listed(key: str, value: Any) -> list[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ConfigError(f"{key} must be a list, got {value!r}")
    return list(value)


def _client(value: Any, all_tenant_ids: tuple[str, ...]) -> ClientConfig:
    if isinstance(value, ClientConfig):
        return value
    if not isinstance(value, Mapping):
        raise ConfigError(f"clients: each client must be a mapping, got {value!r}")
    data = {"tenant_ids": all_tenant_ids, **value}
    return _build(ClientConfig, data, "client")


def _tenant(value: Any) -> TenantConfig:
    if isinstance(value, TenantConfig):
        return value
    if not isinstance(value, Mapping):
        raise ConfigError(f"tenants: each tenant must be a mapping, got {value!r}")
    return _build(TenantConfig, dict(value), "tenant")


def _build(kind: type, data: dict[str, Any], what: str) -> Any:
    known = {f.name for f in fields(kind)}
    unknown = [key for key in data if key not in known]
    if unknown:
        raise ConfigError(
            f"{what} {data.get(what + '_id', '')!r}: unknown key(s) {', '.join(map(str, unknown))} "
            f"(known: {', '.join(sorted(known))})"
        )
    return kind(**data)


def _replace(current: Any, changes: Mapping[str, Any], what: str) -> Any:
    return _build(type(current), {**{f.name: getattr(current, f.name) for f in fields(current)}, **changes}, what)


def env_name(key: str) -> str:
    """The environment variable of a setting: ``token_ttl`` → ``MOCKXERO_TOKEN_TTL``."""
    return "MOCKXERO_" + key.upper()


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(name=f.name, **f.metadata[_SETTING]) for f in fields(MockConfig) if _SETTING in f.metadata
)


@dataclass(frozen=True)
class IdentitySetting:
    """A field of the first (default) tenant or app client that the environment and a flag may set."""

    target: str  # "tenant" or "client": which one it sets
    name: str  # the TenantConfig / ClientConfig field
    env: str
    option: str
    help: str
    default: str

    @property
    def key(self) -> str:
        """Where the configuration file sets it."""
        return f"{self.target}s[0].{self.name}"


IDENTITY_SETTINGS = (
    IdentitySetting(
        "tenant",
        "tenant_id",
        "MOCKXERO_TENANT_ID",
        "--tenant-id",
        "The first (default) tenant's id (a GUID).",
        DEFAULT_TENANT_ID,
    ),
    IdentitySetting(
        "tenant",
        "name",
        "MOCKXERO_TENANT_NAME",
        "--tenant-name",
        "The first tenant's organisation name.",
        DEFAULT_TENANT_NAME,
    ),
    IdentitySetting(
        "tenant",
        "country_code",
        "MOCKXERO_COUNTRY",
        "--country",
        "The first tenant's country: its currency, chart of accounts and tax rates.",
        "NZ",
    ),
    IdentitySetting(
        "tenant",
        "period_lock_date",
        "MOCKXERO_PERIOD_LOCK_DATE",
        "--period-lock-date",
        "The first tenant's period lock date (YYYY-MM-DD): writes that post on or before it are refused.",
        "none",
    ),
    IdentitySetting(
        "tenant",
        "end_of_year_lock_date",
        "MOCKXERO_END_OF_YEAR_LOCK_DATE",
        "--end-of-year-lock-date",
        "The first tenant's end of year lock date (YYYY-MM-DD): writes that post on or before it are refused.",
        "none",
    ),
    IdentitySetting(
        "client",
        "client_id",
        "MOCKXERO_CLIENT_ID",
        "--client-id",
        "The first (default) app's client id.",
        DEFAULT_CLIENT_ID,
    ),
    IdentitySetting(
        "client",
        "client_secret",
        "MOCKXERO_CLIENT_SECRET",
        "--client-secret",
        "The first app's client secret.",
        DEFAULT_CLIENT_SECRET,
    ),
)
