"""Running integrations: each enabled one (or the one named) plans and applies the billing book through its
own settings, mapping, credential and state, with overlaps between them caught before anything is sent.

An **overlap** is a billing account that two integrations connected to the same organisation would both
send. Unless every one of them says ``allow_overlap: true``, the account is sent by none of them and each
plan reports it, so it is never posted twice and someone chooses.

An integration that cannot run says why and is not run: disabled (with the reason it was disabled), not
connected to a credential, or its credential gone. An authentication failure (a revoked or expired refresh
token, a tenant no longer connected) disables the integration at once, because no retry can mend it; other
fatal runs (Xero unreachable, preflight refusing the organisation) disable it when they reach its
``disable_after_fatal_runs`` in a row. Either way the run ledger says why and the notification users are
told (``syncer.integrations.notify``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import requests

from syncer.engine import ChangePolicy, RunReport, StatePort, apply, plan, plan_as_json, read_org
from syncer.integrations.credentials import CredentialError, CredentialsFile, CredentialTokenStore
from syncer.integrations.notify import Mailer, NotifyError, notify_disabled
from syncer.integrations.registry import IntegrationRecord, Registry
from syncer.integrations.settings import IntegrationSettings
from syncer.mapping.config import CurrencyAccounts, MappingConfig
from syncer.plan import Plan, Problem
from syncer.refs import Kind
from syncer.settlement import SettlementReport, check_settlement
from syncer.source.model import BillingBook, Customer
from syncer.state.store import StateStore
from syncer.xero.client import XeroClient, connect
from syncer.xero.errors import AuthFailed, XeroError


@dataclass(frozen=True)
class Endpoint:
    """Where Xero is: the Accounting API and the identity service (the emulator's URLs in tests)."""

    base_url: str
    identity_url: str


@dataclass
class IntegrationRun:
    """What happened to one integration in one invocation. ``status``: clean, failed, unreconciled, deferred,
    planned (plan only), or not-run (``message`` says why)."""

    record: IntegrationRecord
    status: str
    message: str = ""
    planned: Plan | None = None
    report: RunReport | None = None
    settlement: SettlementReport | None = None
    run_id: int | None = None
    notice: str | None = None  # where the disabled-notice went, when this run disabled the integration

    @property
    def ok(self) -> bool:
        return self.status in ("clean", "deferred", "planned")


def settings_for(record: IntegrationRecord, registry: Registry) -> IntegrationSettings:
    codes = registry.external_codes(record.integration_id, record.config.enforce_external_mappings)
    return IntegrationSettings.of(record.config, codes)


@dataclass(frozen=True)
class OverlapGuard(IntegrationSettings):
    """An integration's settings with the accounts it shares with other integrations taken out."""

    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # account id → the other integrations

    def customer_excluded(self, customer: Customer) -> str | None:
        others = self.shared.get(customer.id)
        if others:
            names = ", ".join(repr(name) for name in others)
            return (
                f"account {customer.id} is selected by integration {self.config.name!r} and by {names}; an account "
                "is sent by one integration only, unless every one of them sets allow_overlap"
            )
        return super().customer_excluded(customer)


def overlaps(
    book: BillingBook, records: Sequence[IntegrationRecord], registry: Registry
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per integration id: the accounts it would send that another integration of the same organisation
    would send too (unless all of them allow overlap), with the other integrations' names."""
    selects: dict[str, set[str]] = {}
    for record in records:
        settings = settings_for(record, registry)
        selects[record.integration_id] = {c.id for c in book.customers if settings.customer_excluded(c) is None}
    found: dict[str, dict[str, tuple[str, ...]]] = {record.integration_id: {} for record in records}
    for record in records:
        for account in selects[record.integration_id]:
            sharing = [
                other
                for other in records
                if other.integration_id != record.integration_id
                and other.tenant_id == record.tenant_id
                and account in selects[other.integration_id]
            ]
            if sharing and not all(r.config.allow_overlap for r in (record, *sharing)):
                found[record.integration_id][account] = tuple(other.name for other in sharing)
    return found


def _client(record: IntegrationRecord, endpoint: Endpoint, credentials: CredentialsFile) -> XeroClient:
    credential = credentials.find(record.credential_id)
    return connect(
        base_url=endpoint.base_url,
        identity_url=endpoint.identity_url,
        tenant_id=record.tenant_id,
        client_id=credential.client_id,
        client_secret=credential.client_secret,
        token_file=None,
        session=requests.Session(),
        token_store=CredentialTokenStore(credentials, credential.credential_id),
    )


def run_integrations(
    book: BillingBook,
    source_digest: str,
    state: StateStore,
    endpoint: Endpoint,
    credentials: CredentialsFile,
    mailer: Mailer,
    *,
    only: str | None = None,
    execute: bool,
    change_policy: ChangePolicy = ChangePolicy.REPORT,
    connector: Callable[[IntegrationRecord, Endpoint, CredentialsFile], XeroClient] = _client,
    on_progress: Callable[[IntegrationRecord, int, int], None] | None = None,
    writes_through: Callable[[StateStore], StatePort] | None = None,
) -> list[IntegrationRun]:
    """Plan (``execute=False``) or plan and apply every enabled integration, or only the one named.

    ``writes_through`` wraps the state each integration's writes are recorded in (the scenario harness's
    crash simulation); the run ledger is written to the state itself."""
    registry = Registry(state)
    every = registry.all()
    chosen = [registry.find(only)] if only else [record for record in every if record.enabled]
    shared = overlaps(book, [record for record in every if record.enabled and record.connected], registry)
    results = []
    for record in chosen:
        results.append(
            _run_one(
                record,
                book,
                source_digest,
                state,
                registry,
                endpoint,
                credentials,
                mailer,
                shared.get(record.integration_id, {}),
                execute=execute,
                change_policy=change_policy,
                connector=connector,
                on_progress=on_progress,
                writes_through=writes_through,
            )
        )
    return results


def _why_not(record: IntegrationRecord, credentials: CredentialsFile) -> str | None:
    if not record.enabled:
        return f"integration {record.name!r} is disabled: {record.disabled_reason or 'by a user'}"
    if not record.connected:
        return (
            f"integration {record.name!r} is not connected to a credential; run "
            f"`xero-sync integrations connect {record.name!r} --credential NAME`"
        )
    try:
        credentials.find(record.credential_id)
    except CredentialError as error:
        return f"integration {record.name!r} cannot use its credential: {error}"
    return None


def _run_one(
    record: IntegrationRecord,
    book: BillingBook,
    source_digest: str,
    state: StateStore,
    registry: Registry,
    endpoint: Endpoint,
    credentials: CredentialsFile,
    mailer: Mailer,
    shared: Mapping[str, tuple[str, ...]],
    *,
    execute: bool,
    change_policy: ChangePolicy,
    connector: Callable[[IntegrationRecord, Endpoint, CredentialsFile], XeroClient],
    on_progress: Callable[[IntegrationRecord, int, int], None] | None,
    writes_through: Callable[[StateStore], StatePort] | None = None,
) -> IntegrationRun:
    reason = _why_not(record, credentials)
    if reason is not None:
        return IntegrationRun(record, "not-run", reason)
    scoped = state.scoped(record.integration_id)
    attempt = _Attempt(record, registry, mailer, scoped, source_digest, execute)
    settings = OverlapGuard(**vars(settings_for(record, registry)), shared=shared)
    config: MappingConfig = record.config.mapping
    try:
        client = connector(record, endpoint, credentials)
        planned = plan(
            book,
            config,
            read_org(client),
            scoped.held(record.tenant_id),
            settings=settings,
            change_policy=change_policy,
        )
    except AuthFailed as error:
        return attempt.fatal(f"authentication failed: {error}", authentication=True)
    except XeroError as error:
        return attempt.fatal(f"cannot read the organisation: {error}")
    planned = replace(planned, problems=(*planned.problems, *_overlap_problems(shared, record)))
    if not execute:
        return IntegrationRun(record, "planned", planned=planned)
    if planned.blocked:
        problems = "; ".join(str(problem) for problem in planned.problems)
        return attempt.fatal(f"preflight failed, nothing was written: {problems}", planned=planned)
    done = 0

    def progress(*_: object) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(record, done, len(planned.writes))

    run = apply_and_record(
        planned,
        client,
        scoped,
        record.tenant_id,
        book,
        config.currencies,
        source_digest,
        on_progress=progress,
        payouts=_own_payouts(book, planned),
        writes_through=writes_through,
    )
    if run.report.auth_failure is not None:
        result = attempt.fatal(
            f"authentication failed: {run.report.auth_failure}", authentication=True, run_id=run.run_id
        )
        result.planned, result.report = planned, run.report
        return result
    registry.run_finished(record, fatal=None)
    return IntegrationRun(
        record, run.status, planned=planned, report=run.report, settlement=run.settlement, run_id=run.run_id
    )


@dataclass(frozen=True)
class RecordedRun:
    run_id: int
    report: RunReport
    settlement: SettlementReport | None
    status: str


def apply_and_record(
    planned: Plan,
    client: XeroClient,
    state: StateStore,
    tenant_id: str,
    book: BillingBook,
    currencies: Mapping[str, CurrencyAccounts],
    source_digest: str,
    *,
    on_progress: Callable[..., None] | None = None,
    payouts: set[str] | None = None,
    writes_through: Callable[[StateStore], StatePort] | None = None,
) -> RecordedRun:
    """One run in the ledger: its plan, every outcome, the settlement check (of ``payouts``, or of every
    payout of the book), the calls it cost and its status. Used by ``apply`` in both modes. The writes'
    intents and completions go through ``writes_through(state)`` when given (see ``run_integrations``)."""
    run_id = state.start_run(tenant_id, source_digest, plan_as_json(planned))
    started = time.monotonic()
    port = state if writes_through is None else writes_through(state)
    report = apply(planned, client, port, tenant_id, on_progress=on_progress)
    for kind, source_id, outcome, detail in report.outcomes:
        state.record_outcome(run_id, str(kind), source_id, str(outcome), detail)
    settlement = None
    if report.stopped_for_day is None and report.auth_failure is None:  # settling reads Xero, which it can
        settlement = check_settlement(book, currencies, client, only=payouts)
    status = run_status(report, settlement)
    state.finish_run(
        run_id,
        status=status,
        calls=client.calls,
        retries=client.retries,
        seconds=time.monotonic() - started,
        resume_at=report.stopped_for_day,
    )
    return RecordedRun(run_id, report, settlement, status)


@dataclass(frozen=True)
class _Attempt:
    """One integration's turn, for recording a run that could not do its work."""

    record: IntegrationRecord
    registry: Registry
    mailer: Mailer
    state: StateStore
    source_digest: str
    execute: bool

    def fatal(
        self, reason: str, *, authentication: bool = False, planned: Plan | None = None, run_id: int | None = None
    ) -> IntegrationRun:
        """A run that could not do its work: in the run ledger with the reason, counted towards the automatic
        disable (an authentication failure disables at once), and the users told when it disabled. A plan
        only reads, so it changes nothing and only says why."""
        record = self.record
        if not self.execute:
            return IntegrationRun(record, "not-run", reason, planned=planned)
        if run_id is None:
            run_id = self.state.start_run(record.tenant_id, self.source_digest, [])
            self.state.finish_run(run_id, status="fatal", calls=0, retries=0, seconds=0.0, resume_at=None)
        self.state.record_outcome(run_id, "integration", record.integration_id, "fatal", reason)
        if authentication:
            counted = self.registry.disable(record.integration_id, reason)
        else:
            counted = self.registry.run_finished(record, fatal=reason)
        if counted.enabled:
            return IntegrationRun(counted, "failed", reason, planned=planned, run_id=run_id)
        message = f"integration {record.name!r} was disabled: {counted.disabled_reason}"
        notice = _tell(counted, self.mailer)
        self.state.record_outcome(run_id, "integration", record.integration_id, "disabled", f"{message}; {notice}")
        return IntegrationRun(counted, "failed", message, planned=planned, run_id=run_id, notice=notice)


def _overlap_problems(shared: Mapping[str, tuple[str, ...]], record: IntegrationRecord) -> list[Problem]:
    return [
        Problem(
            f"account {account} is also selected by {', '.join(repr(n) for n in others)}: not sent by "
            f"{record.name!r} (set allow_overlap on every one of them to send it from each)",
            Kind.CONTACT,
            account,
        )
        for account, others in sorted(shared.items())
    ]


def _own_payouts(book: BillingBook, planned: Plan) -> set[str]:
    """The payouts this integration sends: settlement is judged on what it posted."""
    left_out = {skip.source_id for skip in planned.skips if skip.kind is Kind.TRANSFER}
    return {payout.id for payout in book.payouts if payout.id not in left_out}


def run_status(report: RunReport, settlement: SettlementReport | None) -> str:
    """``fatal`` when the token stopped working mid-run (the rest was not sent), then failed, deferred,
    unreconciled or clean."""
    if report.auth_failure is not None:
        return "fatal"
    if report.failed:
        return "failed"
    if report.stopped_for_day is not None:
        return "deferred"
    if settlement is not None and not settlement.ok:
        return "unreconciled"
    return "clean"


def _tell(record: IntegrationRecord, mailer: Mailer) -> str:
    try:
        return notify_disabled(record, mailer)
    except NotifyError as error:
        return f"the disabled-notice could not be delivered: {error}"


def default_outbox(state_path: Path) -> Path:
    """Where notices go when no SMTP server is configured: beside the state file."""
    return state_path.with_name(state_path.name + ".outbox")
