"""``xero-sync``: plan, apply, status, runs and check, against Xero or anything that speaks its API.

A command of its own rather than ``mockxero sync``: the sync engine is the part people run in production
against api.xero.com, with no emulator installed or wanted, and ``mockxero`` never imports the syncer. The
same binary runs against the emulator by pointing ``--base-url`` at it.

Every connection setting comes from, in order: the flag, the environment (``XERO_SYNC_<NAME>``), the
``--config`` file (YAML or JSON, keys as the flags are spelt with ``_``), then the default. Exit codes:
0 clean, 1 a record failed or settlement did not reconcile, 2 bad input (source, mapping, configuration,
or the organisation fails preflight) — in which case nothing was written.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from syncer.cli.integrations import GROUPS
from syncer.cli.output import BAD_INPUT, CLEAN, FAILED, BadInput, plain, print_json
from syncer.engine import ChangePolicy, Outcome, RunReport, plan, plan_as_json, read_org
from syncer.integrations.credentials import CredentialError, CredentialsFile
from syncer.integrations.notify import Mailer
from syncer.integrations.registry import IntegrationRecord, Registry, RegistryError
from syncer.integrations.runs import Endpoint, IntegrationRun, apply_and_record, default_outbox, run_integrations
from syncer.mapping.config import MappingConfig, MappingConfigError, load_mapping_config
from syncer.plan import Plan
from syncer.settlement import SettlementReport, check_settlement
from syncer.source.files import SourceError, load_book
from syncer.source.model import BillingBook
from syncer.state.store import StateError, StateStore
from syncer.xero.budget import estimate
from syncer.xero.client import XeroClient, connect
from syncer.xero.errors import XeroError

XERO_API = "https://api.xero.com/api.xro/2.0"
XERO_IDENTITY = "https://identity.xero.com"


@dataclass(frozen=True)
class Connection:
    base_url: str
    identity_url: str
    tenant_id: str | None
    client_id: str | None
    client_secret: str | None
    token_file: Path | None
    state_path: Path
    credentials_path: Path | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "xero-sync@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    outbox: Path | None = None

    def credentials(self) -> CredentialsFile:
        """The integration credentials file: ``--credentials-file``, else beside the state file."""
        return CredentialsFile(
            self.credentials_path or self.state_path.with_name(self.state_path.name + ".credentials.json")
        )

    def mailer(self) -> Mailer:
        return Mailer(
            outbox=self.outbox or default_outbox(self.state_path),
            smtp_host=self.smtp_host,
            smtp_port=self.smtp_port,
            sender=self.smtp_from,
            username=self.smtp_user,
            password=self.smtp_password,
            starttls=self.smtp_starttls,
        )

    def endpoint(self) -> Endpoint:
        return Endpoint(self.base_url, self.identity_url)


def _load_config_file(ctx: click.Context, _: click.Parameter, value: str | None) -> str | None:
    """Eager: the file's keys become the defaults of the options parsed after it."""
    if value is None:
        return None
    try:
        data = yaml.safe_load(Path(value).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BadInput(f"{value}: cannot read the configuration file: {error}") from error
    if not isinstance(data, dict):
        raise BadInput(f"{value}: the configuration file must be a mapping of setting names to values")
    known = {param.name for param in ctx.command.params} | set(getattr(ctx.command, "commands", {}))
    unknown = sorted(set(data) - known)
    if unknown:
        raise BadInput(f"{value}: unknown settings {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    ctx.default_map = {**(ctx.default_map or {}), **data}
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    envvar="XERO_SYNC_CONFIG",
    is_eager=True,
    expose_value=False,
    callback=_load_config_file,
    help="YAML/JSON file of settings (keys as the options below, with _).",
)
@click.option("--base-url", envvar="XERO_SYNC_BASE_URL", default=XERO_API, help="Xero Accounting API base URL.")
@click.option("--identity-url", envvar="XERO_SYNC_IDENTITY_URL", default=XERO_IDENTITY, help="Xero identity URL.")
@click.option("--tenant", "tenant_id", envvar="XERO_SYNC_TENANT", help="xero-tenant-id (default: the only one).")
@click.option("--client-id", envvar="XERO_SYNC_CLIENT_ID", help="OAuth2 client id.")
@click.option("--client-secret", envvar="XERO_SYNC_CLIENT_SECRET", help="OAuth2 client secret.")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="XERO_SYNC_TOKEN_FILE",
    help="Token file (access and rotating refresh token, rewritten atomically). Without it: client credentials.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="XERO_SYNC_STATE",
    default=Path("xero-sync.db"),
    help="State store: mappings, intents and the run ledger.",
)
@click.option(
    "--credentials-file",
    "credentials_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="XERO_SYNC_CREDENTIALS",
    help="Integration credentials (mode 0600) [default: beside the state file, <state>.credentials.json].",
)
@click.option("--smtp-host", envvar="XERO_SYNC_SMTP_HOST", help="SMTP server for disabled-integration notices.")
@click.option("--smtp-port", envvar="XERO_SYNC_SMTP_PORT", type=int, default=25, help="SMTP port.")
@click.option("--smtp-from", envvar="XERO_SYNC_SMTP_FROM", default="xero-sync@localhost", help="Notices' sender.")
@click.option("--smtp-user", envvar="XERO_SYNC_SMTP_USER", help="SMTP login name (with --smtp-password).")
@click.option("--smtp-password", envvar="XERO_SYNC_SMTP_PASSWORD", help="SMTP password (better from the environment).")
@click.option(
    "--smtp-starttls", envvar="XERO_SYNC_SMTP_STARTTLS", is_flag=True, help="Upgrade the SMTP link with STARTTLS."
)
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="XERO_SYNC_OUTBOX",
    help="Folder for notices when no SMTP server is set [default: <state>.outbox beside the state file].",
)
@click.version_option(package_name="mockxero")
@click.pass_context
def cli(ctx: click.Context, **settings: Any) -> None:
    """Sync a billing platform's records into Xero, exactly once, and prove the clearing accounts net to zero."""
    ctx.obj = Connection(**settings)


source_argument = click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
mapping_option = click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="XERO_SYNC_MAPPING",
    help="Mapping configuration (items, tax types, accounts per currency): the single-mapping mode. Without it, "
    "the integrations created with `xero-sync integrations create` run.",
)
integration_option = click.option(
    "--integration",
    help="Only this integration (name or id) [default: every enabled integration]. Not with --mapping.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
policy_option = click.option(
    "--change-policy",
    type=click.Choice([policy.value for policy in ChangePolicy]),
    default=ChangePolicy.REPORT.value,
    envvar="XERO_SYNC_CHANGE_POLICY",
    help="What to do with a change Xero no longer accepts (paid, allocated, voided; payments).",
)


def sync_options(command: Callable[..., None]) -> Callable[..., None]:
    """What plan and apply both take: the source, one mapping or the integrations, the change policy, --json."""
    for option in (click.pass_obj, json_option, policy_option, integration_option, mapping_option, source_argument):
        command = option(command)
    return command


def _inputs(source: Path, mapping_path: Path) -> tuple[BillingBook, MappingConfig]:
    """Both input files, with every problem of both reported at once before anything else happens."""
    problems: list[str] = []
    book = config = None
    try:
        book = load_book(source)
    except SourceError as error:
        problems.extend(str(problem) for problem in error.problems)
    try:
        config = load_mapping_config(mapping_path)
    except MappingConfigError as error:
        problems.extend(str(problem) for problem in error.problems)
    if problems or book is None or config is None:
        raise BadInput("\n".join(problems))
    return book, config


@contextmanager
def _session(connection: Connection) -> Iterator[tuple[XeroClient, StateStore, str]]:
    try:
        state = StateStore.open(connection.state_path)
    except StateError as error:
        raise BadInput(str(error)) from error
    try:
        client = connect(
            base_url=connection.base_url,
            identity_url=connection.identity_url,
            tenant_id=connection.tenant_id,
            client_id=connection.client_id,
            client_secret=connection.client_secret,
            token_file=connection.token_file,
        )
    except XeroError as error:
        state.close()
        raise click.ClickException(f"cannot connect to Xero: {error}") from error
    try:
        yield client, state, client.tenant_id
    finally:
        state.close()


def _planned(
    client: XeroClient, state: StateStore, tenant: str, book: BillingBook, config: MappingConfig, policy: str
) -> Plan:
    return plan(book, config, read_org(client), state.held(tenant), change_policy=ChangePolicy(policy))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plan_json(planned: Plan) -> dict[str, Any]:
    calls = len(planned.writes)
    return {
        "writes": plan_as_json(planned),
        "skips": [vars(skip) | {"kind": str(skip.kind)} for skip in planned.skips],
        "problems": [str(problem) for problem in planned.problems],
        "unchanged": len(planned.unchanged),
        "calls": calls,
        "estimated_seconds": estimate(calls).total_seconds(),
    }


def _echo_plan(planned: Plan) -> None:
    for write in planned.writes:
        click.echo(f"{write.operation:>7} {write.kind} {write.source_id}: {write.reason}")
    for skip in planned.skips:
        click.echo(f"   skip {skip.kind} {skip.source_id}: {skip.reason}")
    for problem in planned.problems:
        click.echo(f"PROBLEM {problem}", err=True)
    calls = len(planned.writes)
    click.echo(
        f"{len(planned.writes)} writes, {len(planned.skips)} skipped, {len(planned.unchanged)} unchanged, "
        f"{len(planned.problems)} problems; {calls} calls, about {_duration(estimate(calls).total_seconds())} "
        "at Xero's limits"
    )


def _mode(mapping_path: Path | None, integration: str | None) -> bool:
    """True for the single-mapping mode (``--mapping``), False when integrations run."""
    if mapping_path is not None and integration is not None:
        raise BadInput("give --mapping (one mapping, no integration) or --integration, not both")
    return mapping_path is not None


def _book(source: Path) -> BillingBook:
    try:
        return load_book(source)
    except SourceError as error:
        raise BadInput("\n".join(str(problem) for problem in error.problems)) from error


def _integration_runs(
    connection: Connection, source: Path, integration: str | None, change_policy: str, *, execute: bool
) -> list[IntegrationRun]:
    book = _book(source)
    try:
        state = StateStore.open(connection.state_path)
    except StateError as error:
        raise BadInput(str(error)) from error
    with state:
        try:
            if not Registry(state).all():
                raise BadInput(
                    "no --mapping was given and no integration exists in "
                    f"{connection.state_path}; create one with `xero-sync integrations create FILE`"
                )
            return run_integrations(
                book,
                _digest(source),
                state,
                connection.endpoint(),
                connection.credentials(),
                connection.mailer(),
                only=integration,
                execute=execute,
                change_policy=ChangePolicy(change_policy),
                on_progress=_progress_line,
            )
        except (RegistryError, CredentialError) as error:
            raise BadInput(str(error)) from error


def _progress_line(record: IntegrationRecord, done: int, total: int) -> None:
    if done == total or done % 50 == 0:
        click.echo(f"{record.name}: {done}/{total} writes", err=True)


def _heading(run: IntegrationRun) -> str:
    record = run.record
    tenant = f"{record.tenant_name or '?'} ({record.tenant_id})" if record.tenant_id else "no tenant"
    return f"== integration {record.name!r} ({record.integration_id}) -> {tenant}: {run.status}"


def _integrations_exit(runs: list[IntegrationRun]) -> int:
    if any(run.planned is not None and run.planned.blocked for run in runs):
        return BAD_INPUT
    if all(run.ok and not (run.planned and run.planned.problems) for run in runs):
        return CLEAN
    return FAILED


@cli.command("plan")
@sync_options
def plan_command(
    connection: Connection,
    source: Path,
    mapping_path: Path | None,
    integration: str | None,
    change_policy: str,
    as_json: bool,
) -> None:
    """List every write a run would make, with its reason; write nothing."""
    if not _mode(mapping_path, integration):
        _run_integrations_and_exit(connection, source, integration, change_policy, as_json, execute=False)
    assert mapping_path is not None
    book, config = _inputs(source, mapping_path)
    with _session(connection) as (client, state, tenant):
        planned = _planned(client, state, tenant, book, config, change_policy)
    if as_json:
        print_json(_plan_json(planned))
    else:
        _echo_plan(planned)
    if planned.blocked:
        sys.exit(BAD_INPUT)
    sys.exit(FAILED if planned.problems else CLEAN)


def _run_integrations_and_exit(
    connection: Connection, source: Path, integration: str | None, change_policy: str, as_json: bool, *, execute: bool
) -> None:
    """``plan`` (``execute=False``) or ``apply`` over the integrations: each one's heading, why it did not run
    or the notice its disabling sent, then its plan or run report."""
    runs = _integration_runs(connection, source, integration, change_policy, execute=execute)
    if as_json:
        print_json({"integrations": [_integration_json(run) for run in runs]})
    for run in [] if as_json else runs:
        click.echo(_heading(run))
        for said in (run.message, run.notice):
            if said:
                click.echo(said, err=True)
        if not execute and run.planned is not None:
            _echo_plan(run.planned)
        if run.report is not None and run.run_id is not None:
            _print_report(run.run_id, run.report, run.settlement, run.status, as_json=False)
    sys.exit(_integrations_exit(runs))


def _integration_json(run: IntegrationRun) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": run.record.integration_id,
        "name": run.record.name,
        "tenant_id": run.record.tenant_id or None,
        "status": run.status,
        "message": run.message or None,
        "enabled": run.record.enabled,
        "notice": run.notice,
    }
    if run.planned is not None:
        found["plan"] = _plan_json(run.planned)
    if run.report is not None:
        found["run"] = run.run_id
        found |= _report_json(run.report, run.settlement)
    return found


@cli.command("apply")
@sync_options
def apply_command(
    connection: Connection,
    source: Path,
    mapping_path: Path | None,
    integration: str | None,
    change_policy: str,
    as_json: bool,
) -> None:
    """Make the plan's writes, record the run, then check settlement."""
    if not _mode(mapping_path, integration):
        _run_integrations_and_exit(connection, source, integration, change_policy, as_json, execute=True)
    assert mapping_path is not None
    book, config = _inputs(source, mapping_path)
    with _session(connection) as (client, state, tenant):
        planned = _planned(client, state, tenant, book, config, change_policy)
        if planned.blocked:
            for problem in planned.problems:
                click.echo(f"PROBLEM {problem}", err=True)
            raise BadInput("preflight failed: nothing was written")
        with click.progressbar(length=len(planned.writes), label="writing", file=sys.stderr) as bar:
            run = apply_and_record(
                planned,
                client,
                state,
                tenant,
                book,
                config.currencies,
                _digest(source),
                on_progress=lambda *_: bar.update(1),
            )
    run_id, report, settlement, status = run.run_id, run.report, run.settlement, run.status
    _print_report(run_id, report, settlement, status, as_json)
    sys.exit(CLEAN if status in ("clean", "deferred") else FAILED)


def _report_json(report: RunReport, settlement: SettlementReport | None) -> dict[str, Any]:
    return {
        "counts": {outcome.value: report.count(outcome) for outcome in Outcome},
        "outcomes": [
            {"kind": str(kind), "source_id": source_id, "outcome": str(outcome), "detail": detail}
            for kind, source_id, outcome, detail in report.outcomes
        ],
        "resume_at": report.stopped_for_day.isoformat() if report.stopped_for_day else None,
        "settlement": [str(problem) for problem in settlement.problems] if settlement else None,
    }


def _print_report(
    run_id: int, report: RunReport, settlement: SettlementReport | None, status: str, as_json: bool
) -> None:
    if as_json:
        print_json({"run": run_id, "status": status} | _report_json(report, settlement))
        return
    counts = {outcome.value: report.count(outcome) for outcome in Outcome}
    for kind, source_id, outcome, detail in report.outcomes:
        if outcome in (Outcome.FAILED, Outcome.DEFERRED):
            click.echo(f"{outcome} {kind} {source_id}: {detail}", err=True)
    click.echo(f"run {run_id}: {status}; " + ", ".join(f"{n} {name}" for name, n in counts.items() if n))
    if report.stopped_for_day is not None:
        click.echo(f"Xero's daily limit was reached; run again after {report.stopped_for_day.isoformat()}")
    if settlement is not None:
        for problem in settlement.problems:
            click.echo(f"UNRECONCILED {problem}", err=True)


@cli.command("check")
@source_argument
@mapping_option
@json_option
@click.pass_obj
def check_command(connection: Connection, source: Path, mapping_path: Path, as_json: bool) -> None:
    """Settlement only: per payout, clearing nets to zero and the deposit equals the payout."""
    book, config = _inputs(source, mapping_path)
    with _session(connection) as (client, _state, _tenant):
        settlement = check_settlement(book, config.currencies, client)
    if as_json:
        print_json({"ok": settlement.ok, "problems": [str(problem) for problem in settlement.problems]})
    else:
        for problem in settlement.problems:
            click.echo(f"UNRECONCILED {problem}")
        click.echo("settled: clearing nets to zero and deposits match the payouts" if settlement.ok else "unreconciled")
    sys.exit(CLEAN if settlement.ok else FAILED)


@cli.command("status")
@json_option
@click.pass_obj
def status_command(connection: Connection, as_json: bool) -> None:
    """What the state store holds: mapped objects per kind, unfinished writes, the last run."""
    try:
        state = StateStore.open(connection.state_path)
    except StateError as error:
        raise BadInput(str(error)) from error
    with state:
        every_run = state.runs()
        try:
            integrations = Registry(state).all()
        except RegistryError as error:
            raise BadInput(str(error)) from error
        # the single-mapping mode is scope ''; each integration is a scope of its own in the same file
        scopes = [("", "")] + [(record.integration_id, record.name) for record in integrations]
        summary: dict[str, Any] = {}
        for scope, name in scopes:
            scoped = state.scoped(scope)
            runs = [run for run in every_run if run.integration_id == scope]
            tenants = {run.tenant_id for run in runs} | ({connection.tenant_id} if connection.tenant_id else set())
            for tenant in sorted(tenants):
                kinds: dict[str, int] = {}
                for ref in scoped.held(tenant):
                    kinds[str(ref.kind)] = kinds.get(str(ref.kind), 0) + 1
                key = f"{tenant} ({name})" if name else tenant
                summary[key] = {"integration": name or None, "mapped": kinds, "pending": len(scoped.pending(tenant))}
        last = every_run[-1] if every_run else None
    if as_json:
        print_json({"tenants": summary, "last_run": _run_json(last) if last else None})
        return
    for tenant, facts in summary.items():
        mapped = ", ".join(f"{n} {kind}" for kind, n in sorted(facts["mapped"].items())) or "nothing"
        click.echo(f"tenant {tenant}: {mapped} mapped; {facts['pending']} unfinished writes")
    click.echo(f"last run: {_run_line(last)}" if last else "no runs yet")


@cli.command("runs")
@click.argument("run_id", type=int, required=False)
@json_option
@click.pass_obj
def runs_command(connection: Connection, run_id: int | None, as_json: bool) -> None:
    """The run ledger: every run, or one run's outcomes record by record."""
    try:
        state = StateStore.open(connection.state_path)
    except StateError as error:
        raise BadInput(str(error)) from error
    with state:
        if run_id is None:
            runs = state.runs()
            if as_json:
                print_json([_run_json(run) for run in runs])
            for run in [] if as_json else runs:
                click.echo(_run_line(run))
            return
        try:
            record = state.run(run_id)
        except StateError as error:
            raise BadInput(str(error)) from error
    if as_json:
        print_json(_run_json(record) | {"outcomes": [vars(outcome) for outcome in record.outcomes]})
        return
    click.echo(_run_line(record))
    for outcome in record.outcomes:
        detail = f": {outcome.detail}" if outcome.detail else ""
        click.echo(f"  {outcome.outcome} {outcome.kind} {outcome.source_id}{detail}")


def _run_json(run: Any) -> dict[str, Any]:
    return {key: plain(value) for key, value in vars(run).items() if key not in ("outcomes", "plan")}


def _run_line(run: Any) -> str:
    return (
        f"run {run.run_id} {run.started_at} {run.status}: {run.calls} calls, {run.retries} retries, {run.seconds:.1f} s"
    )


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


for _group in GROUPS:
    cli.add_command(_group)
