"""``xero-sync integrations|credentials|mappings``: the integration registry from the command line.

Every command takes ``--json``. Integrations and their external mappings live in the state file; credentials
in the credentials file (mode 0600), whose secrets no command prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import click
import requests

from syncer.cli.output import BadInput, print_json
from syncer.clock import SystemClock
from syncer.integrations.config import IntegrationConfigError, load_integrations
from syncer.integrations.credentials import (
    CredentialError,
    CredentialKind,
    CredentialsFile,
    CredentialTokenStore,
)
from syncer.integrations.registry import IntegrationRecord, Registry, RegistryError
from syncer.state.store import StateError, StateStore
from syncer.xero.client import connections
from syncer.xero.errors import TokenStoreError, XeroError
from syncer.xero.tokens import Authenticator, FileTokenStore

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")


class Settings(Protocol):
    """What these commands read from the group's connection settings."""

    base_url: str
    identity_url: str
    state_path: Path

    def credentials(self) -> CredentialsFile: ...


@contextmanager
def _registry(settings: Settings) -> Iterator[Registry]:
    try:
        state = StateStore.open(settings.state_path)
    except StateError as error:
        raise BadInput(str(error)) from error
    with state:
        try:
            yield Registry(state)
        except (RegistryError, CredentialError) as error:
            raise BadInput(str(error)) from error


def _line(record: IntegrationRecord) -> str:
    state = "enabled" if record.enabled else f"DISABLED ({record.disabled_reason})"
    tenant = f"{record.tenant_name or '?'} ({record.tenant_id})" if record.connected else "not connected"
    return f"{record.integration_id}  {record.name}  {state}  {tenant}"


def _show(records: list[IntegrationRecord], as_json: bool, verb: str = "") -> None:
    if as_json:
        print_json([record.public() for record in records])
        return
    for record in records:
        click.echo(f"{verb}{_line(record)}" if verb else _line(record))


# -- integrations --


@click.group("integrations")
def integrations_group() -> None:
    """Integration configurations: several per Xero organisation, each with its own settings and state."""


@integrations_group.command("create")
@click.argument("config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_obj
def create_integrations(settings: Settings, config_file: Path, as_json: bool) -> None:
    """Create every integration of a configuration file (all of them, or none when one cannot be)."""
    try:
        configs = load_integrations(config_file)
    except IntegrationConfigError as error:
        raise BadInput("\n".join(str(problem) for problem in error.problems)) from error
    with _registry(settings) as registry:
        taken = [
            config.name
            for config in configs
            if any(r.name.casefold() == config.name.casefold() for r in registry.all())
        ]
        if taken:
            names = ", ".join(repr(name) for name in taken)
            raise BadInput(f"{config_file}: integrations named {names} already exist; nothing was created")
        created = [registry.create(config) for config in configs]
    _show(created, as_json, verb="created ")


@integrations_group.command("list")
@json_option
@click.pass_obj
def list_integrations(settings: Settings, as_json: bool) -> None:
    """Every integration: id, name, enabled or why not, the tenant it is connected to."""
    with _registry(settings) as registry:
        records = registry.all()
    _show(records, as_json)
    if not records and not as_json:
        click.echo("no integrations yet; create them with `xero-sync integrations create FILE`")


@integrations_group.command("show")
@click.argument("integration")
@json_option
@click.pass_obj
def show_integration(settings: Settings, integration: str, as_json: bool) -> None:
    """One integration with its whole configuration."""
    with _registry(settings) as registry:
        record = registry.find(integration)
        linked = registry.mappings(record.integration_id)
    if as_json:
        print_json(record.public() | {"linked_mappings": {m.account_id: m.code for m in linked}})
        return
    click.echo(_line(record))
    for key, value in record.config.as_data().items():
        click.echo(f"  {key}: {value}")
    click.echo(f"  linked external mappings: {len(linked)}")


def _registry_change(
    name: str, help_text: str, change: Callable[[Registry, str], IntegrationRecord], verb: str
) -> click.Command:
    @click.argument("integration")
    @json_option
    @click.pass_obj
    def command(settings: Settings, integration: str, as_json: bool) -> None:
        with _registry(settings) as registry:
            record = change(registry, integration)
        _show([record], as_json, verb=verb)

    command.__doc__ = help_text
    return integrations_group.command(name)(command)


_registry_change(
    "enable",
    "Enable an integration (after an automatic disable, once the cause is fixed).",
    Registry.enable,
    "enabled ",
)
_registry_change(
    "disconnect",
    "Disconnect an integration from its credential and tenant; it does not run until connected again.",
    Registry.disconnect,
    "disconnected ",
)


@integrations_group.command("disable")
@click.argument("integration")
@click.option("--reason", default="disabled by a user", show_default=True, help="Shown by list and in the run output.")
@json_option
@click.pass_obj
def disable_integration(settings: Settings, integration: str, reason: str, as_json: bool) -> None:
    """Disable an integration: it is left out of runs until enabled."""
    with _registry(settings) as registry:
        record = registry.disable(integration, reason)
    _show([record], as_json, verb="disabled ")


@integrations_group.command("delete")
@click.argument("integration")
@click.option("--force", is_flag=True, help="Delete even though it has Xero objects mapped (they stay in Xero).")
@json_option
@click.pass_obj
def delete_integration(settings: Settings, integration: str, force: bool, as_json: bool) -> None:
    """Delete an integration and its linked external mappings."""
    with _registry(settings) as registry:
        record = registry.delete(integration, force=force)
    _show([record], as_json, verb="deleted ")


def _connect(
    settings: Settings, integration: str, credential_name: str, tenant: str | None, as_json: bool, verb: str
) -> None:
    """Read the tenants the credential is connected to from ``/connections`` and connect the integration."""
    file = settings.credentials()
    with _registry(settings) as registry:
        record = registry.find(integration)
        credential = file.find(credential_name)
        session = requests.Session()
        auth = Authenticator(
            settings.identity_url,
            credential.client_id,
            credential.client_secret,
            CredentialTokenStore(file, credential.credential_id),
            SystemClock(),
            session,
        )
        try:
            tenants = connections(settings.base_url, settings.identity_url, auth, session)
        except XeroError as error:
            raise click.ClickException(
                f"cannot read the connections of credential {credential.name!r}: {error}"
            ) from error
        chosen = [(tid, name) for tid, name in tenants if tenant is None or tenant in (tid, name)]
        if len(chosen) != 1:
            listed = ", ".join(f"{name} ({tid})" for tid, name in tenants) or "none"
            what = f"none is {tenant!r}" if tenant else "name one with --tenant"
            raise BadInput(
                f"credential {credential.name!r} is connected to {len(tenants)} organisations ({listed}); {what}"
            )
        tenant_id, tenant_name = chosen[0]
        connected = registry.connect(record.integration_id, credential.credential_id, tenant_id, tenant_name)
    _show([connected], as_json, verb=verb)


def connect_options(command: Callable[..., None]) -> Callable[..., None]:
    """What connect and change-credential both take."""
    for option in (
        click.pass_obj,
        json_option,
        click.option("--tenant", help="Tenant id or name, when the credential is connected to more than one."),
        click.option("--credential", "credential_name", required=True, help="Credential name or id."),
        click.argument("integration"),
    ):
        command = option(command)
    return command


@integrations_group.command("connect")
@connect_options
def connect_integration(
    settings: Settings, integration: str, credential_name: str, tenant: str | None, as_json: bool
) -> None:
    """Connect an integration to a credential and the Xero organisation it reaches."""
    _connect(settings, integration, credential_name, tenant, as_json, "connected ")


@integrations_group.command("change-credential")
@connect_options
def change_credential(
    settings: Settings, integration: str, credential_name: str, tenant: str | None, as_json: bool
) -> None:
    """Switch an integration to another credential (its tenant is read again from /connections)."""
    _connect(settings, integration, credential_name, tenant, as_json, "changed ")


# -- credentials --


@click.group("credentials")
def credentials_group() -> None:
    """Integration credentials: OAuth2 apps and their tokens, in a file only its owner can read."""


@credentials_group.command("create")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in CredentialKind]),
    default=CredentialKind.CLIENT_CREDENTIALS.value,
    show_default=True,
    help="client_credentials: a Xero custom connection; authorization_code: tokens from a user's consent.",
)
@click.option("--client-id", envvar="XERO_SYNC_NEW_CLIENT_ID", required=True, help="The app's client id.")
@click.option(
    "--client-secret",
    envvar="XERO_SYNC_NEW_CLIENT_SECRET",
    prompt=True,
    hide_input=True,
    help="The app's client secret (prompted for, hidden, when not given).",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="For authorization_code: the token file the consent produced (access and refresh token).",
)
@json_option
@click.pass_obj
def create_credential(
    settings: Settings, name: str, kind: str, client_id: str, client_secret: str, token_file: Path | None, as_json: bool
) -> None:
    """Create a credential once; integrations are then connected to it by name."""
    token = None
    if CredentialKind(kind) is CredentialKind.AUTHORIZATION_CODE:
        if token_file is None:
            raise BadInput("an authorization_code credential needs --token-file with the tokens of the consent")
        try:
            token = FileTokenStore(token_file).load()
        except TokenStoreError as error:
            raise BadInput(str(error)) from error
    try:
        created = settings.credentials().create(name, CredentialKind(kind), client_id, client_secret, token)
    except CredentialError as error:
        raise BadInput(str(error)) from error
    if as_json:
        print_json(created.public())
    else:
        click.echo(f"created credential {created.credential_id}  {created.name}  {created.kind}")


@credentials_group.command("list")
@json_option
@click.pass_obj
def list_credentials(settings: Settings, as_json: bool) -> None:
    """Every credential: id, name and kind (never a secret)."""
    try:
        found = [credential.public() for credential in settings.credentials().load().values()]
    except CredentialError as error:
        raise BadInput(str(error)) from error
    if as_json:
        print_json(found)
        return
    for row in found:
        click.echo(f"{row['id']}  {row['name']}  {row['kind']}")
    if not found:
        click.echo("no credentials yet; create one with `xero-sync credentials create NAME --client-id ...`")


@credentials_group.command("delete")
@click.argument("credential")
@json_option
@click.pass_obj
def delete_credential(settings: Settings, credential: str, as_json: bool) -> None:
    """Delete a credential; refused while an integration is connected to it."""
    file = settings.credentials()
    with _registry(settings) as registry:
        found = file.find(credential)
        users = registry.using_credential(found.credential_id)
        if users:
            names = ", ".join(repr(record.name) for record in users)
            raise BadInput(f"credential {found.name!r} is used by {names}; disconnect them first")
        file.delete(found.credential_id)
    if as_json:
        print_json(found.public())
    else:
        click.echo(f"deleted credential {found.credential_id}  {found.name}")


# -- external mappings --


@click.group("mappings")
def mappings_group() -> None:
    """External mappings: billing account id -> the code its Xero contact carries, global or per integration."""


integration_scope = click.option(
    "--integration", help="Linked to this integration (name or id) [default: a global mapping]."
)


@mappings_group.command("add")
@click.argument("account_id")
@click.argument("code")
@integration_scope
@json_option
@click.pass_obj
def add_mapping(settings: Settings, account_id: str, code: str, integration: str | None, as_json: bool) -> None:
    """Map a billing account to an external code (used by integrations with use_external_mapping_account_code)."""
    with _registry(settings) as registry:
        added = registry.add_mapping(account_id, code, integration)
    _echo_mappings([vars(added)], as_json, "added ")


@mappings_group.command("list")
@integration_scope
@json_option
@click.pass_obj
def list_mappings(settings: Settings, integration: str | None, as_json: bool) -> None:
    """Every external mapping, or those linked to one integration."""
    with _registry(settings) as registry:
        found = [vars(mapping) for mapping in registry.mappings(integration)]
    _echo_mappings(found, as_json)


@mappings_group.command("delete")
@click.argument("account_id")
@integration_scope
@json_option
@click.pass_obj
def delete_mapping(settings: Settings, account_id: str, integration: str | None, as_json: bool) -> None:
    """Delete one external mapping (the global one, or the one linked to --integration)."""
    with _registry(settings) as registry:
        deleted = registry.delete_mapping(account_id, integration)
    _echo_mappings([vars(deleted)], as_json, "deleted ")


def _echo_mappings(rows: list[dict[str, Any]], as_json: bool, verb: str = "") -> None:
    if as_json:
        print_json([row | {"integration_id": row["integration_id"] or None} for row in rows])
        return
    for row in rows:
        scope = f"linked to {row['integration_id']}" if row["integration_id"] else "global"
        click.echo(f"{verb}{row['account_id']} -> {row['code']}  ({scope})")


GROUPS = (integrations_group, credentials_group, mappings_group)
