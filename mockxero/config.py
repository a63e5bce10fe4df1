"""Emulator configuration: by argument, by ``MOCKXERO_*`` environment variables, or by CLI flags.

``create_app(None)`` reads the environment; ``create_app({...})`` uses only what it is given (tests stay
hermetic); the CLI turns flags (each with its ``MOCKXERO_*`` variable) into such a mapping. Anything
not given falls back to a default, including one app client and one tenant, so zero configuration works.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from .clock import Clock

DEFAULT_CLIENT_ID = "MOCKXERO0DEFAULT0CLIENT000000001"
DEFAULT_CLIENT_SECRET = "mockxero-default-client-secret"
DEFAULT_TENANT_ID = "6c1b4c07-5f0a-4c2e-9d3e-0d5e3f1a7b01"
DEFAULT_TENANT_NAME = "Demo Company (NZ)"
MAX_BODY_BYTES = 3_670_016  # Xero refuses a single request body over 3.5 MB
SUPPORTED_COUNTRIES = ("NZ", "AU", "GB", "US")

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


@dataclass(frozen=True)
class TenantConfig:
    tenant_id: str = DEFAULT_TENANT_ID
    name: str = DEFAULT_TENANT_NAME
    country_code: str = "NZ"
    tenant_type: str = "ORGANISATION"


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


@dataclass(frozen=True)
class MockConfig:
    data_file: str | None = None
    token_ttl: int = 1800
    refresh_token_ttl: int = 60 * 86_400
    refresh_grace: int = 1800  # a rotated refresh token may be replayed this long (lost-response grace)
    clients: tuple[ClientConfig, ...] = (ClientConfig(),)
    tenants: tuple[TenantConfig, ...] = (TenantConfig(),)
    max_body_bytes: int = MAX_BODY_BYTES
    unknown_fields: str = "ignore"  # "ignore" like Xero's JSON reader, or "reject" to catch client typos
    default_format: str = "xml"  # what a client that does not ask for JSON gets, as in Xero
    clock_scale: float = 1.0
    seed: int | None = None
    clock: Clock | None = field(default=None, compare=False)
    testing: bool = False

    def __post_init__(self) -> None:
        if self.token_ttl <= 0:
            raise ConfigError(f"token_ttl must be a positive number of seconds, got {self.token_ttl}")
        if self.unknown_fields not in ("ignore", "reject"):
            raise ConfigError(f"unknown_fields must be 'ignore' or 'reject', got {self.unknown_fields!r}")
        if self.default_format not in ("xml", "json"):
            raise ConfigError(f"default_format must be 'xml' or 'json', got {self.default_format!r}")
        if self.clock_scale <= 0:
            raise ConfigError(f"clock_scale must be positive, got {self.clock_scale}")
        if not self.tenants:
            raise ConfigError("at least one tenant must be configured")
        if not self.clients:
            raise ConfigError("at least one app client must be configured")
        tenant_ids = [t.tenant_id for t in self.tenants]
        if len(set(tenant_ids)) != len(tenant_ids):
            raise ConfigError("tenant ids must be unique")
        for tenant in self.tenants:
            if tenant.country_code not in SUPPORTED_COUNTRIES:
                raise ConfigError(
                    f"tenant {tenant.tenant_id}: country_code must be one of {', '.join(SUPPORTED_COUNTRIES)}, "
                    f"got {tenant.country_code!r}"
                )
        client_ids = [c.client_id for c in self.clients]
        if len(set(client_ids)) != len(client_ids):
            raise ConfigError("client ids must be unique")
        for client in self.clients:
            unknown = set(client.tenant_ids) - set(tenant_ids)
            if unknown:
                raise ConfigError(f"client {client.client_id} names unknown tenants: {', '.join(sorted(unknown))}")

    # -- construction --

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "MockConfig":
        """Build from a plain mapping (lower-case keys as the dataclass fields; upper-case Flask keys ignored)."""
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if key.isupper():  # Flask-style keys such as TESTING
                if key == "TESTING":
                    kwargs["testing"] = bool(value)
                continue
            if key not in known:
                raise ConfigError(f"unknown configuration key {key!r}")
            kwargs[key] = value
        if "clients" in kwargs:
            kwargs["clients"] = tuple(_client(c) for c in kwargs["clients"])
        if "tenants" in kwargs:
            kwargs["tenants"] = tuple(_tenant(t) for t in kwargs["tenants"])
        if "tenants" in kwargs and "clients" not in kwargs:
            # A default client that can reach every configured tenant.
            kwargs["clients"] = (ClientConfig(tenant_ids=tuple(t.tenant_id for t in kwargs["tenants"])),)
        return cls(**kwargs)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "MockConfig":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        config_file = overrides.pop("config_file", None) or env.get("MOCKXERO_CONFIG_FILE")
        if config_file:
            values.update(load_config_file(config_file))
        for key, parse in _ENV_SETTINGS.items():
            raw = env.get("MOCKXERO_" + key.upper())
            if raw not in (None, ""):
                values[key] = parse(key, raw)
        single_tenant = {k: env[v] for k, v in _TENANT_ENV.items() if env.get(v)}
        single_client = {k: env[v] for k, v in _CLIENT_ENV.items() if env.get(v)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        config = cls.from_mapping(values)
        return config.with_default_identity(tenant=single_tenant, client=single_client)

    def with_default_identity(self, *, tenant: Mapping[str, str], client: Mapping[str, str]) -> "MockConfig":
        """Override the first tenant/client (the defaults) field by field, as the CLI flags do."""
        config = self
        if tenant:
            first = replace(config.tenants[0], **tenant)
            old_id = config.tenants[0].tenant_id
            clients = tuple(
                replace(c, tenant_ids=tuple(first.tenant_id if t == old_id else t for t in c.tenant_ids))
                for c in config.clients
            )
            config = replace(config, tenants=(first, *config.tenants[1:]), clients=clients)
        if client:
            config = replace(config, clients=(replace(config.clients[0], **client), *config.clients[1:]))
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
    try:
        data = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"configuration file {file} is not valid {file.suffix.lstrip('.') or 'YAML'}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"configuration file {file} must hold a mapping of settings")
    return data


def _client(value: Any) -> ClientConfig:
    if isinstance(value, ClientConfig):
        return value
    if not isinstance(value, Mapping):
        raise ConfigError(f"a client must be a mapping, got {value!r}")
    data = dict(value)
    for key in ("tenant_ids", "scopes", "redirect_uris"):
        if key in data:
            data[key] = tuple(data[key])
    try:
        return ClientConfig(**data)
    except TypeError as exc:
        raise ConfigError(f"bad client {value!r}: {exc}") from exc


def _tenant(value: Any) -> TenantConfig:
    if isinstance(value, TenantConfig):
        return value
    if not isinstance(value, Mapping):
        raise ConfigError(f"a tenant must be a mapping, got {value!r}")
    try:
        return TenantConfig(**value)
    except TypeError as exc:
        raise ConfigError(f"bad tenant {value!r}: {exc}") from exc


def _int(key: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"MOCKXERO_{key.upper()} must be a whole number, got {raw!r}") from None


def _float(key: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"MOCKXERO_{key.upper()} must be a number, got {raw!r}") from None


def _text(key: str, raw: str) -> str:
    return raw


_ENV_SETTINGS = {
    "data_file": _text,
    "token_ttl": _int,
    "unknown_fields": _text,
    "default_format": _text,
    "clock_scale": _float,
    "seed": _int,
}
_TENANT_ENV = {"tenant_id": "MOCKXERO_TENANT_ID", "name": "MOCKXERO_TENANT_NAME", "country_code": "MOCKXERO_COUNTRY"}
_CLIENT_ENV = {"client_id": "MOCKXERO_CLIENT_ID", "client_secret": "MOCKXERO_CLIENT_SECRET"}
