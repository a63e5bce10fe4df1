"""The integration registry: the integrations created from configuration files, the credential and tenant
each is connected to, whether it is enabled (and why not), and the external mappings (global, or linked to
one integration).

It lives in the state file (tables ``integrations`` and ``external_mappings`` of state schema 2), so an
integration, its mappings of billing records to Xero objects and its run ledger are saved together. Names are
unique without regard to case; the id is a generated uuid4 that never changes, so a rename cannot make an
integration lose its state.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from syncer.integrations.config import IntegrationConfig, IntegrationConfigError, integration_from_data
from syncer.state.store import StateStore

GLOBAL = ""  # the integration id of a global external mapping


class RegistryError(Exception):
    """A registry request that cannot be carried out; the message says what to do instead."""


@dataclass(frozen=True)
class IntegrationRecord:
    integration_id: str
    name: str
    config: IntegrationConfig
    enabled: bool = True
    disabled_reason: str = ""
    credential_id: str = ""
    tenant_id: str = ""
    tenant_name: str = ""
    fatal_runs: int = 0
    created_at: str = ""

    @property
    def connected(self) -> bool:
        return bool(self.credential_id and self.tenant_id)

    def public(self) -> dict[str, object]:
        """What ``integrations list|show --json`` prints: no secret is part of a record."""
        return {
            "id": self.integration_id,
            "name": self.name,
            "enabled": self.enabled,
            "disabled_reason": self.disabled_reason or None,
            "credential_id": self.credential_id or None,
            "tenant_id": self.tenant_id or None,
            "tenant_name": self.tenant_name or None,
            "consecutive_fatal_runs": self.fatal_runs,
            "created_at": self.created_at,
            "config": self.config.as_data(),
        }


@dataclass(frozen=True)
class ExternalMapping:
    account_id: str
    code: str
    integration_id: str = GLOBAL  # GLOBAL, or the integration it is linked to


_COLUMNS = (
    "integration_id, name, config, enabled, disabled_reason, credential_id, tenant_id, tenant_name, fatal_runs, "
    "created_at"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Registry:
    def __init__(self, state: StateStore):
        self.state = state

    # -- integrations --

    def create(self, config: IntegrationConfig) -> IntegrationRecord:
        if self._by_name(config.name) is not None:
            raise RegistryError(f"an integration named {config.name!r} already exists; choose another name")
        record = IntegrationRecord(str(uuid.uuid4()), config.name, config, created_at=_now())
        with self.state.transaction() as db:
            db.execute(
                f"INSERT INTO integrations ({_COLUMNS}) VALUES (?, ?, ?, 1, '', '', '', '', 0, ?)",
                (record.integration_id, record.name, json.dumps(config.as_data()), record.created_at),
            )
        return record

    def all(self) -> list[IntegrationRecord]:
        rows = self.state.read(f"SELECT {_COLUMNS} FROM integrations ORDER BY name COLLATE NOCASE")
        return [self._record(row) for row in rows]

    def find(self, name_or_id: str) -> IntegrationRecord:
        rows = self.state.read(f"SELECT {_COLUMNS} FROM integrations WHERE integration_id=?", (name_or_id,))
        found = self._record(rows[0]) if rows else self._by_name(name_or_id)
        if found is None:
            known = ", ".join(repr(record.name) for record in self.all()) or "none yet"
            raise RegistryError(f"no integration named or with id {name_or_id!r}; known: {known}")
        return found

    def _by_name(self, name: str) -> IntegrationRecord | None:
        rows = self.state.read(f"SELECT {_COLUMNS} FROM integrations WHERE name=? COLLATE NOCASE", (name,))
        return self._record(rows[0]) if rows else None

    def _record(self, row: tuple[object, ...]) -> IntegrationRecord:
        integration_id, name, config, enabled, reason, credential, tenant, tenant_name, fatal, created = row
        try:
            parsed = integration_from_data(json.loads(str(config)), f"integration {name!r} in {self.state.path}")
        except IntegrationConfigError as error:
            problems = "; ".join(str(problem) for problem in error.problems)
            raise RegistryError(f"integration {name!r} can no longer be read: {problems}") from error
        return IntegrationRecord(
            str(integration_id),
            str(name),
            parsed,
            bool(enabled),
            str(reason),
            str(credential),
            str(tenant),
            str(tenant_name),
            int(str(fatal)),
            str(created),
        )

    def _update(self, record: IntegrationRecord, **changes: object) -> IntegrationRecord:
        updated = replace(record, **changes)  # type: ignore[arg-type]
        with self.state.transaction() as db:
            db.execute(
                "UPDATE integrations SET enabled=?, disabled_reason=?, credential_id=?, tenant_id=?, tenant_name=?, "
                "fatal_runs=? WHERE integration_id=?",
                (
                    int(updated.enabled),
                    updated.disabled_reason,
                    updated.credential_id,
                    updated.tenant_id,
                    updated.tenant_name,
                    updated.fatal_runs,
                    updated.integration_id,
                ),
            )
        return updated

    def enable(self, name_or_id: str) -> IntegrationRecord:
        """Re-enabling is always explicit; it starts the count of consecutive fatal runs again."""
        return self._update(self.find(name_or_id), enabled=True, disabled_reason="", fatal_runs=0)

    def disable(self, name_or_id: str, reason: str) -> IntegrationRecord:
        return self._update(self.find(name_or_id), enabled=False, disabled_reason=reason)

    def delete(self, name_or_id: str, *, force: bool = False) -> IntegrationRecord:
        """Refused while the integration has Xero objects mapped, unless forced: without its mappings a new
        integration for the same organisation would create every object again."""
        record = self.find(name_or_id)
        mapped = self.state.read("SELECT COUNT(*) FROM mappings WHERE integration_id=?", (record.integration_id,))
        count = int(str(mapped[0][0]))
        if count and not force:
            raise RegistryError(
                f"integration {record.name!r} has {count} Xero objects mapped; deleting it loses what it knows of "
                "them, so a new integration would create them again. Disable it instead, or delete with --force"
            )
        with self.state.transaction() as db:
            db.execute("DELETE FROM integrations WHERE integration_id=?", (record.integration_id,))
            db.execute("DELETE FROM external_mappings WHERE integration_id=?", (record.integration_id,))
        return record

    def connect(self, name_or_id: str, credential_id: str, tenant_id: str, tenant_name: str) -> IntegrationRecord:
        return self._update(
            self.find(name_or_id), credential_id=credential_id, tenant_id=tenant_id, tenant_name=tenant_name
        )

    def disconnect(self, name_or_id: str) -> IntegrationRecord:
        return self._update(self.find(name_or_id), credential_id="", tenant_id="", tenant_name="")

    def using_credential(self, credential_id: str) -> list[IntegrationRecord]:
        return [record for record in self.all() if record.credential_id == credential_id]

    def run_finished(self, record: IntegrationRecord, *, fatal: str | None) -> IntegrationRecord:
        """Count a run: ``fatal`` is why it could not do its work (None for a run that could). The
        integration is disabled when the consecutive fatal runs reach its ``disable_after_fatal_runs``."""
        current = self.find(record.integration_id)
        if fatal is None:
            return self._update(current, fatal_runs=0) if current.fatal_runs else current
        runs = current.fatal_runs + 1
        if runs >= current.config.disable_after_fatal_runs:
            reason = f"disabled after {runs} consecutive fatal run(s); the last: {fatal}"
            return self._update(current, fatal_runs=runs, enabled=False, disabled_reason=reason)
        return self._update(current, fatal_runs=runs)

    # -- external mappings --

    def add_mapping(self, account_id: str, code: str, integration: str | None = None) -> ExternalMapping:
        if not account_id.strip() or not code.strip():
            raise RegistryError("an external mapping needs a billing account id and a code, both non-empty")
        linked = self.find(integration).integration_id if integration else GLOBAL
        with self.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO external_mappings VALUES (?, ?, ?, ?)", (account_id, linked, code, _now())
            )
        return ExternalMapping(account_id, code, linked)

    def mappings(self, integration: str | None = None) -> list[ExternalMapping]:
        """Every external mapping, or the ones linked to one integration."""
        if integration is None:
            rows = self.state.read(
                "SELECT account_id, code, integration_id FROM external_mappings ORDER BY integration_id, account_id"
            )
        else:
            rows = self.state.read(
                "SELECT account_id, code, integration_id FROM external_mappings WHERE integration_id=? "
                "ORDER BY account_id",
                (self.find(integration).integration_id,),
            )
        return [ExternalMapping(str(account), str(code), str(linked)) for account, code, linked in rows]

    def delete_mapping(self, account_id: str, integration: str | None = None) -> ExternalMapping:
        linked = self.find(integration).integration_id if integration else GLOBAL
        rows = self.state.read(
            "SELECT code FROM external_mappings WHERE account_id=? AND integration_id=?", (account_id, linked)
        )
        if not rows:
            where = f"linked to integration {integration!r}" if integration else "global"
            raise RegistryError(f"there is no {where} external mapping for account {account_id!r}")
        with self.state.transaction() as db:
            db.execute("DELETE FROM external_mappings WHERE account_id=? AND integration_id=?", (account_id, linked))
        return ExternalMapping(account_id, str(rows[0][0]), linked)

    def external_codes(self, integration_id: str, enforce_linked: bool) -> Mapping[str, str]:
        """Billing account id → code for one integration: its linked mappings over the global ones, or (with
        *enforce external mappings for config*) its linked mappings only."""
        codes: dict[str, str] = {}
        if not enforce_linked:
            codes.update((m.account_id, m.code) for m in self._mappings_of(GLOBAL))
        codes.update((m.account_id, m.code) for m in self._mappings_of(integration_id))
        return codes

    def _mappings_of(self, integration_id: str) -> list[ExternalMapping]:
        rows = self.state.read(
            "SELECT account_id, code FROM external_mappings WHERE integration_id=?", (integration_id,)
        )
        return [ExternalMapping(str(account), str(code), integration_id) for account, code in rows]
