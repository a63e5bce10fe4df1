"""Running scenarios: each case on a fresh emulator and tenant, its timeline in order, every layer judged.

By default each case boots its own embedded emulator on a free loopback port with a manual clock set to
the scenario's start and a fixed seed; with an ``ExternalEmulator`` (``--url``) the cases use one that is
already running, one at a time (``scenarios.emulator``). Either way a case adds a tenant for the
scenario's organisation and the sync engine talks to it over HTTP only, as it talks to Xero. Embedded,
nothing is shared between cases, so a parallel run (``jobs > 1``, a thread pool) gives exactly the results
of a serial one.

The engine's clock is a ``FakeClock`` whose every wait moves the emulator's clock the same amount, so
Retry-After, backoff, the minute limit and ``advance`` steps all happen on virtual time: nothing sleeps.
Requests the harness makes itself (setting up the organisation, reading back for expectations and the
standing invariants) are kept out of the ``requests:`` layer, which sees only the syncs' calls.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import yaml

from mockxero.paths import API_PREFIX
from scenarios.emulator import EmbeddedEmulators, EmulatorHandle, EmulatorSource, TenantAccess
from scenarios.expect.books import JournalLine, asserted_balance, balances, journal_lines
from scenarios.expect.objects import SECTIONS, differences, render
from scenarios.format.document import PathKey
from scenarios.format.loader import ScenarioError, load_scenarios, parse_assertion, plain_for_yaml
from scenarios.format.model import Scenario, StatementEntry, Step
from scenarios.results import (
    BankAccountLine,
    Books,
    Failure,
    Layer,
    Location,
    RunningBalance,
    RunResult,
    ScenarioResult,
    StatementLine,
    StatementMatch,
    TrialBalanceLine,
)
from syncer.clock import FakeClock
from syncer.engine import ChangePolicy, Outcome, RunReport, StatePort, apply, plan, read_org
from syncer.integrations.config import integration_from_data
from syncer.integrations.credentials import CredentialKind, CredentialsFile
from syncer.integrations.notify import Mailer
from syncer.integrations.registry import Registry
from syncer.integrations.runs import Endpoint, IntegrationRun, run_integrations
from syncer.refs import Kind, Ref
from syncer.settlement import Movement, bank_movements, check_settlement
from syncer.source.files import SourceError, parse_book
from syncer.state.store import Mapped, StateStore
from syncer.xero.budget import CallBudget
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore, Token
from syncer.xero.wire import xero_day

COLLECTIONS = {
    Kind.CONTACT: "Contacts",
    Kind.INVOICE: "Invoices",
    Kind.PAYMENT: "Payments",
    Kind.FEE: "BankTransactions",
    Kind.TRANSFER: "BankTransfers",
    Kind.CREDIT_NOTE: "CreditNotes",
    Kind.REFUND: "Payments",
    Kind.DISPUTE: "BankTransactions",
}
# what identifies a billing object's Xero object, to find two made for one
IDENTITY_FIELDS = {
    "Contacts": "ContactNumber",
    "Invoices": "InvoiceNumber",
    "CreditNotes": "CreditNoteNumber",
    "Payments": "Reference",
    "BankTransactions": "Reference",
    "BankTransfers": "Reference",
}
LIVE = {"DELETED", "VOIDED", "ARCHIVED"}
SYNC_EXPECTATIONS = (
    *(o.value for o in Outcome),
    "problems",
    "stopped",
    "auth_failure",
    "crashed",
    "pending",
    "integrations",
)
AUTHORIZATION_CODE = "authorization_code"
CALLBACK = "http://localhost/scenario-callback"  # the emulator takes any redirect URI an app has not registered


class SimulatedCrash(BaseException):
    """The engine's process dying mid-run: a BaseException, so no handler meant for errors catches it."""


class WriteCountdown:
    """``crash_after_writes``: counts the writes completed through every state it wraps (one per integration
    when a sync runs several) and dies at the ``after``-th."""

    def __init__(self, after: int):
        self.after, self.completed = after, 0

    def wrap(self, state: StateStore) -> CrashingState:
        return CrashingState(state, self)


class CrashingState:
    """The engine's state store, which dies at the countdown's last completed write: that write reached
    Xero, and its completion is never saved (the intent journal keeps what was begun), as in a crash."""

    def __init__(self, state: StateStore, countdown: WriteCountdown):
        self.state, self.countdown = state, countdown

    def held(self, tenant_id: str) -> Mapping[Ref, Mapped]:
        return self.state.held(tenant_id)

    def pending(self, tenant_id: str) -> Mapping[Ref, str]:
        return self.state.pending(tenant_id)

    def begin_write(self, tenant_id: str, ref: Ref, idempotency_key: str, natural_key: str) -> None:
        self.state.begin_write(tenant_id, ref, idempotency_key, natural_key)

    def complete_write(self, tenant_id: str, ref: Ref, mapped: Mapped) -> None:
        countdown = self.countdown
        countdown.completed += 1
        if countdown.completed == countdown.after:
            raise SimulatedCrash(f"the engine died after write {countdown.after} reached Xero, before it was saved")
        self.state.complete_write(tenant_id, ref, mapped)

    def abandon_write(self, tenant_id: str, ref: Ref) -> None:
        self.state.abandon_write(tenant_id, ref)


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """The scenario files under the paths given (a directory means every *.yaml in it, recursively)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.yaml") if "fixtures" not in p.parts))
        else:
            found.append(path)
    return found


@dataclass
class Loaded:
    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)


def load_all(files: Iterable[Path], name_filter: str | None = None) -> Loaded:
    loaded = Loaded()
    for path in files:
        try:
            cases = load_scenarios(path)
        except ScenarioError as error:
            loaded.problems.extend(error.problems)
            continue
        loaded.scenarios.extend(c for c in cases if not name_filter or name_filter in c.case_id)
    return loaded


def run_all(
    scenarios: Sequence[Scenario],
    *,
    jobs: int = 1,
    on_result: Callable[[ScenarioResult], None] | None = None,
    emulators: EmulatorSource | None = None,
) -> RunResult:
    """Every case, on ``emulators`` (default: an embedded emulator each); ``jobs`` at once where the
    emulators allow it (an external one runs its cases one at a time)."""
    started = time.perf_counter()
    source = emulators or EmbeddedEmulators()

    def one(scenario: Scenario) -> ScenarioResult:
        result = run_scenario(scenario, source)
        if on_result is not None:
            on_result(result)
        return result

    if jobs > 1 and source.parallel:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(one, scenarios))
    else:
        results = [one(scenario) for scenario in scenarios]
    return RunResult(tuple(results), time.perf_counter() - started)


def rerun_command(scenario: Scenario) -> str:
    return f"xero-scenarios run {scenario.location.file} -k '{scenario.case_id}'"


def run_scenario(scenario: Scenario, emulators: EmulatorSource | None = None) -> ScenarioResult:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mockxero-scenario-") as work:
        case = _Case(scenario, Path(work) / "state.db", emulators or EmbeddedEmulators())
        try:
            case.run()
        except Exception as error:  # a step that cannot run is a located failure, never a crash of the run
            case.fail(Layer.RUN, f"the scenario could not go on: {type(error).__name__}: {error}", case.at)
        books = case.books_or_none()
        return ScenarioResult(
            case_id=scenario.case_id,
            name=scenario.name,
            location=scenario.location,
            failures=tuple(case.failures),
            tags=scenario.tags,
            allowed=scenario.allow,
            duration_seconds=time.perf_counter() - started,
            requests=tuple(case.request_lines()),
            books=books,
            rerun=rerun_command(scenario),
        )


class _Case:
    def __init__(self, scenario: Scenario, state_path: Path, emulators: EmulatorSource):
        self.scenario = scenario
        self.emulators = emulators
        self.state_path = state_path
        self.failures: list[Failure] = []
        self.at = scenario.location
        self.step: Step | None = None
        self.book = scenario.book
        self.source: dict[str, Any] = deepcopy(dict(scenario.source))
        self.sync_rows: list[dict[str, Any]] = []
        self.last_report: RunReport | None = None
        self.last_problems: list[str] = []
        self.last_error: str | None = None
        self.last_crash: str | None = None
        self.broken_allowed: set[str] = set()  # invariants under allow: that did break
        self._mock: EmulatorHandle | None = None
        self._tenant: TenantAccess | None = None
        self.client: XeroClient | None = None

    # -- plumbing --

    def mismatch(self, layer: Layer, message: str, at: PathKey, **detail: Any) -> None:
        """A failure at a place in the scenario: its file position and its dotted path both come from ``at``."""
        self.fail(layer, message, self.where(at), path=_dotted(at), **detail)

    def fail(self, layer: Layer, message: str, location: Location, **detail: Any) -> None:
        self.failures.append(Failure(layer, message, location, step=self.step.label if self.step else None, **detail))

    def run(self) -> None:
        scenario = self.scenario
        with self.emulators.for_case(scenario.start) as mock:
            self._mock = mock
            if scenario.rate_limits:
                mock.rate_limits(**scenario.rate_limits)
            self._tenant = mock.add_tenant(scenario.organisation.name, scenario.organisation.country)
            self.clock = FakeClock(scenario.start, on_advance=mock.advance_clock)
            session = requests.Session()
            auth = Authenticator(
                mock.base_url,
                self.tenant.client_id,
                self.tenant.client_secret,
                MemoryTokenStore(self.connect(mock.base_url, session) if scenario.auth == AUTHORIZATION_CODE else None),
                self.clock,
                session,
            )
            # the harness reads with a custom connection of its own when the engine's can be revoked, so a
            # sync cut off from Xero can still be judged
            reader_auth = (
                auth
                if scenario.auth != AUTHORIZATION_CODE
                else Authenticator(
                    mock.base_url,
                    self.tenant.client_id,
                    self.tenant.client_secret,
                    MemoryTokenStore(),
                    self.clock,
                    session,
                )
            )
            self.client = XeroClient(
                mock.api_url,
                self.tenant.tenant_id,
                auth,
                self.clock,
                budget=CallBudget(self.tenant.tenant_id, self.clock),
                session=session,
                jitter=lambda: 0.0,
                timeout=30,
            )
            # the harness reads back through a client of its own with no call budget, and with the
            # emulator's limiter off while it reads, so judging a run never spends the run's limits
            self.reader = XeroClient(
                mock.api_url,
                self.tenant.tenant_id,
                reader_auth,
                self.clock,
                session=session,
                jitter=lambda: 0.0,
                timeout=30,
            )
            with self.unlimited():
                self.set_up_organisation()
            for step in scenario.steps:
                self.step, self.at = step, step.location
                getattr(self, f"do_{step.kind}")(step.body)
            self.step = None
            self.at = scenario.location
            with self.unlimited():
                self.final_invariants()
                self.unneeded_allowances()
                self._books = self.read_books()

    @property
    def mock(self) -> EmulatorHandle:
        assert self._mock is not None, "the case's emulator is not running yet"
        return self._mock

    @property
    def tenant(self) -> TenantAccess:
        assert self._tenant is not None, "the case's tenant is not set up yet"
        return self._tenant

    def connect(self, base_url: str, session: requests.Session) -> Token:
        """A web app's connection: consent (the emulator gives it at once), then the code exchanged for an
        access token and a refresh token, as the engine's first token."""
        tenant = self.tenant
        consent = session.get(
            base_url + "/connect/authorize",
            params={"response_type": "code", "client_id": tenant.client_id, "redirect_uri": CALLBACK, "state": "s"},
            allow_redirects=False,
            timeout=30,
        )
        codes = parse_qs(urlsplit(consent.headers.get("Location", "")).query).get("code")
        if consent.status_code != 302 or not codes:
            raise RuntimeError(f"the emulator refused the authorization request: {consent.status_code} {consent.text}")
        answer = session.post(
            base_url + "/connect/token",
            data={"grant_type": "authorization_code", "code": codes[0], "redirect_uri": CALLBACK},
            auth=(tenant.client_id, tenant.client_secret),
            timeout=30,
        )
        body = answer.json() if answer.status_code == 200 else {}
        if "refresh_token" not in body:
            raise RuntimeError(f"the emulator refused the code exchange: {answer.status_code} {answer.text}")
        expires_at = self.clock.now() + timedelta(seconds=int(body["expires_in"]))
        return Token(str(body["access_token"]), expires_at, str(body["refresh_token"]))

    def xero(self) -> XeroClient:
        assert self.client is not None
        return self.client

    def read(self) -> XeroClient:
        return self.reader

    @contextmanager
    def unlimited(self) -> Iterator[None]:
        was = bool(self.mock.rate_limits()["enabled"])
        if was:
            self.mock.rate_limits(enabled=False)
        try:
            yield
        finally:
            if was:
                self.mock.rate_limits(enabled=True)

    def last_sequence(self) -> int:
        rows = self.mock.requests(self.tenant.tenant_id)
        return max((row["sequence"] for row in rows), default=0)

    # -- given --

    def set_up_organisation(self) -> None:
        organisation = self.scenario.organisation
        client = self.read()
        for code in organisation.currencies:
            client.write("PUT", "Currencies", {"Code": code}, idempotency_key=f"setup-currency-{code}")
        for index, account in enumerate(organisation.accounts):
            client.write("PUT", "Accounts", dict(account), idempotency_key=f"setup-account-{index}")
        for index, tax_rate in enumerate(organisation.tax_rates):
            client.write("PUT", "TaxRates", {"TaxRates": [dict(tax_rate)]}, idempotency_key=f"setup-tax-{index}")
        if organisation.items:
            client.write(
                "PUT", "Items", {"Items": [dict(i) for i in organisation.items]}, idempotency_key="setup-items"
            )
        for currency, since, rate in organisation.exchange_rates:
            self.mock.set_exchange_rate(self.tenant.tenant_id, currency, since, rate)
        if organisation.lock_dates:
            self.mock.set_lock_dates(self.tenant.tenant_id, organisation.lock_dates)

    # -- steps --

    def do_sync(self, options: Mapping[str, Any]) -> None:
        before = self.last_sequence()
        self.last_report, self.last_error, self.last_problems, self.last_crash = None, None, [], None
        if self.scenario.integrations:
            self.sync_integrations(options)
        else:
            self.sync_one_mapping(options)
        self.sync_rows.extend(row for row in self.mock.requests(self.tenant.tenant_id) if row["sequence"] > before)
        with self.unlimited():
            self.after_sync_invariants()

    def sync_one_mapping(self, options: Mapping[str, Any]) -> None:
        crash_after = options.get("crash_after_writes")
        try:
            with StateStore.open(self.state_path) as state:
                planned = plan(
                    self.book,
                    self.scenario.mapping,
                    read_org(self.xero()),
                    state.held(self.tenant.tenant_id),
                    change_policy=ChangePolicy(options.get("change_policy", "report")),
                )
                self.last_problems = [str(problem) for problem in planned.problems]
                port: StatePort = state if crash_after is None else WriteCountdown(crash_after).wrap(state)
                self.last_report = apply(planned, self.xero(), port, self.tenant.tenant_id)
        except SimulatedCrash as crash:  # what the step asked for; the state file is as the crash left it
            self.last_crash = str(crash)
        except Exception as error:  # the engine stopped (a daily limit, a revoked app): judged by expect
            self.last_error = f"{type(error).__name__}: {error}"
        self.crash_happened_as_asked(crash_after)

    def crash_happened_as_asked(self, crash_after: int | None) -> None:
        if crash_after is not None and self.last_crash is None:
            self.fail(
                Layer.RUN,
                f"the sync was to crash after {crash_after} write(s), but it made fewer and finished",
                self.at,
            )

    # -- integrations: the engine's own registry, credentials and runner, in the case's work folder --

    def integrations_ready(self, state: StateStore) -> None:
        """On the first sync: the scenario's integrations created and connected to the case's tenant through
        one credential of the kind ``given.auth`` names (the engine's client holds its tokens), and its external
        mappings added, as a user would with xero-sync."""
        registry = Registry(state)
        if registry.all():
            return
        work = self.state_path.parent
        mapping_file = work / "mapping.yaml"
        mapping_file.write_text(self.scenario.mapping_text, encoding="utf-8")
        credential = self.credentials.create(
            "scenario", CredentialKind(self.scenario.auth), self.tenant.client_id, self.tenant.client_secret
        )
        for entry in self.scenario.integrations:
            data = {"mapping": str(mapping_file), **entry}
            record = registry.create(integration_from_data(data, "given.integrations"))
            registry.connect(record.integration_id, credential.credential_id, self.tenant.tenant_id, "scenario")
        for account, code, linked in self.scenario.external_mappings:
            registry.add_mapping(account, code, linked)

    @property
    def credentials(self) -> CredentialsFile:
        return CredentialsFile(self.state_path.parent / "credentials.json")

    @property
    def outbox(self) -> Path:
        return self.state_path.parent / "outbox"

    def run_integrations(
        self, options: Mapping[str, Any], *, execute: bool, countdown: WriteCountdown | None = None
    ) -> list[IntegrationRun]:
        with StateStore.open(self.state_path) as state:
            self.integrations_ready(state)
            client = self.xero() if execute else self.read()
            return run_integrations(
                self.book,
                "scenario",
                state,
                Endpoint(self.mock.api_url, self.mock.base_url),
                self.credentials,
                Mailer(outbox=self.outbox),
                only=options.get("integration"),
                execute=execute,
                change_policy=ChangePolicy(options.get("change_policy", "report")),
                connector=lambda *_: client,
                writes_through=None if countdown is None else countdown.wrap,
            )

    def sync_integrations(self, options: Mapping[str, Any]) -> None:
        """Every enabled integration (or the one named) plans and applies; their outcomes are judged as one
        run's, and each integration's own status by ``expect: sync: integrations``."""
        crash_after = options.get("crash_after_writes")
        countdown = None if crash_after is None else WriteCountdown(crash_after)
        try:
            runs = self.run_integrations(options, execute=True, countdown=countdown)
        except SimulatedCrash as crash:  # the integration running then stopped there, its run left open
            self.last_crash = str(crash)
            return
        except Exception as error:
            self.last_error = f"{type(error).__name__}: {error}"
            return
        finally:
            self.crash_happened_as_asked(crash_after)
        self.integration_runs = {run.record.name: run for run in runs}
        combined = RunReport()
        for run in runs:
            if run.report is not None:
                combined.outcomes.extend(run.report.outcomes)
                combined.stopped_for_day = combined.stopped_for_day or run.report.stopped_for_day
                combined.auth_failure = combined.auth_failure or run.report.auth_failure
            if run.planned is not None:
                self.last_problems.extend(str(problem) for problem in run.planned.problems)
        self.last_report = combined
        stopped = [run.message for run in runs if run.status in ("failed", "not-run") and run.message]
        self.last_error = "; ".join(stopped) or None

    def held(self) -> dict[Ref, Any]:
        """What the state store knows Xero holds, across the single-mapping mode and every integration."""
        return self.across_state(lambda state: state.held(self.tenant.tenant_id))

    def pending(self) -> dict[Ref, Any]:
        """The writes begun and never saved, across the single-mapping mode and every integration."""
        return self.across_state(lambda state: state.pending(self.tenant.tenant_id))

    def across_state(self, read: Callable[[StateStore], Mapping[Ref, Any]]) -> dict[Ref, Any]:
        """``read`` of the single-mapping mode's state and of each integration's, merged."""
        with StateStore.open(self.state_path) as state:
            found = dict(read(state))
            for record in Registry(state).all() if self.scenario.integrations else []:
                found.update(read(state.scoped(record.integration_id)))
        return found

    def do_advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def do_faults(self, rules: Sequence[Mapping[str, Any]]) -> None:
        for rule in rules:
            self.mock.add_fault(self.tenant.tenant_id, rule)

    def do_change(self, patch: Mapping[str, Any]) -> None:
        source = self.source
        for section, records in patch.items():
            if section == "add":
                for name, rows in records.items():
                    source.setdefault(name, []).extend(deepcopy(rows))
            elif section == "remove":
                for name, ids in records.items():
                    source[name] = [row for row in source.get(name, []) if row.get("id") not in set(ids)]
            else:
                rows = source.get(section, [])
                known = {row.get("id") for row in rows}
                for record_id in records:
                    if record_id not in known:
                        self.fail(
                            Layer.RUN, f"change names {section} {record_id}, which the source does not have", self.at
                        )
                source[section] = [
                    _merged(row, records[row.get("id")]) if row.get("id") in records else row for row in rows
                ]
        text = yaml.safe_dump(plain_for_yaml({"format_version": 1, **source}), sort_keys=False)
        try:
            self.book = parse_book(text, source=self.step.label if self.step else "change")
        except SourceError as error:
            for problem in error.problems:
                self.fail(Layer.LOAD, f"after the change: {problem}", self.at)
            raise RuntimeError("the changed source is not a valid billing book") from error

    def do_expect(self, layers: Mapping[str, Any]) -> None:
        index = self.step.index if self.step else 0
        base: PathKey = ("steps", index, "expect")
        with self.unlimited():
            for layer, spec in layers.items():
                getattr(self, f"expect_{layer}")(spec or {}, (*base, layer))

    # -- expectation layers --

    def where(self, path: PathKey) -> Location:
        return self.scenario.where(path)

    def expect_sync(self, spec: Mapping[str, Any], path: PathKey) -> None:
        report = self.last_report
        for key, want in spec.items():
            at = (*path, key)
            if key == "stopped":
                self.expect_said(self.last_error, want, "the last sync did not stop as expected", at)
            elif key == "problems":
                if isinstance(want, int):
                    if len(self.last_problems) != want:
                        self.mismatch(
                            Layer.RUN,
                            "the plan's problems differ",
                            at,
                            expected=str(want),
                            actual="; ".join(self.last_problems) or "0",
                        )
                else:
                    for n, text in enumerate(want or []):
                        if not any(text in problem for problem in self.last_problems):
                            self.mismatch(
                                Layer.RUN,
                                "no plan problem says this",
                                (*at, n),
                                expected=render(text),
                                actual="; ".join(self.last_problems) or "none",
                            )
            elif key == "auth_failure":
                lost = report.auth_failure if report else None
                self.expect_said(lost, want, "the last sync did not fail its authentication as expected", at)
            elif key == "crashed":
                if bool(self.last_crash) != bool(want):
                    self.mismatch(
                        Layer.RUN,
                        "the last sync crashed" if self.last_crash else "the last sync did not crash",
                        at,
                        expected=render(want),
                        actual=render(self.last_crash),
                    )
            elif key == "pending":
                begun = self.pending()
                if len(begun) != want:
                    self.mismatch(
                        Layer.RUN,
                        "the writes begun and never saved in the engine's state differ",
                        at,
                        expected=str(want),
                        actual=f"{len(begun)} {sorted(f'{ref.kind} {ref.source_id}' for ref in begun)}",
                    )
            elif key == "integrations":
                self.expect_integrations(want, at)
            elif key in {o.value for o in Outcome}:
                got_count = report.count(Outcome(key)) if report else 0
                if got_count != want:
                    details = [
                        f"{kind} {source}: {detail}"
                        for kind, source, outcome, detail in (report.outcomes if report else [])
                        if outcome == key
                    ]
                    self.mismatch(
                        Layer.RUN,
                        f"the last sync's {key} count differs",
                        at,
                        expected=str(want),
                        actual=f"{got_count} {details}" if details else str(got_count),
                    )
            else:
                self.mismatch(
                    Layer.LOAD,
                    f"unknown sync expectation {key!r}; use {', '.join(SYNC_EXPECTATIONS)}",
                    at,
                )
        if self.last_error and "stopped" not in spec:
            self.mismatch(
                Layer.RUN,
                f"the last sync stopped: {self.last_error}",
                path,
            )
        if report is not None and report.auth_failure and "auth_failure" not in spec:
            self.mismatch(Layer.RUN, f"the last sync lost its authentication: {report.auth_failure}", path)

    def expect_said(self, said: str | None, want: Any, message: str, at: PathKey) -> None:
        """Something was said (an error, a reason), and it contains ``want`` when that is text."""
        if not said or (isinstance(want, str) and want not in said):
            self.mismatch(Layer.RUN, message, at, expected=render(want), actual=render(said))

    def expect_integrations(self, spec: Any, path: PathKey) -> None:
        """``integrations: {UK bills: {status: clean, enabled: true, notified: false, message: text}}``."""
        runs = getattr(self, "integration_runs", {})
        with StateStore.open(self.state_path) as state:
            records = {record.name: record for record in Registry(state).all()}
        for name, want in (spec or {}).items():
            at = (*path, name)
            record = records.get(str(name))
            if record is None or not isinstance(want, dict):
                self.mismatch(Layer.LOAD, f"{name!r} is not an integration of this scenario", at)
                continue
            run = runs.get(record.name)
            notices = list(self.outbox.glob(f"*-{record.integration_id}.eml")) if self.outbox.exists() else []
            actual = {
                "status": run.status if run is not None else "not in the last sync",
                "enabled": record.enabled,
                "notified": bool(notices),
                "message": (run.message if run is not None else "") or record.disabled_reason,
            }
            for field_name, expected in want.items():
                got = actual.get(str(field_name))
                same = expected in str(got) if field_name == "message" else got == expected
                if field_name not in actual or not same:
                    self.mismatch(
                        Layer.RUN,
                        f"integration {name!r}: {field_name} differs",
                        (*at, field_name),
                        expected=render(expected),
                        actual=render(got),
                    )

    def expect_objects(self, spec: Mapping[str, Any], path: PathKey) -> None:
        held = self.held()
        for section, records in spec.items():
            if section not in SECTIONS:
                self.mismatch(
                    Layer.LOAD,
                    f"unknown section {section!r}; sections are {', '.join(SECTIONS)}",
                    (*path, section),
                )
                continue
            kind = Kind(SECTIONS[section])
            for source_id, want in (records or {}).items():
                at = (*path, section, source_id)
                mapped = held.get(Ref(kind, str(source_id)))
                if want is None:
                    if mapped is not None:
                        self.mismatch(
                            Layer.OBJECTS,
                            f"{kind} {source_id} was sent to Xero; the scenario says it is not",
                            at,
                            expected="not in Xero",
                            actual=mapped.xero_id,
                        )
                    continue
                if mapped is None:
                    self.mismatch(
                        Layer.OBJECTS,
                        f"{kind} {source_id} is not in Xero",
                        at,
                        expected="an object",
                        actual="none",
                    )
                    continue
                actual = self.read_object(kind, mapped.xero_id)
                for where, why, expected, got in differences(want, actual):
                    full = (*at, *where)
                    self.mismatch(
                        Layer.OBJECTS,
                        f"{_dotted(where) or 'the object'} {why}",
                        full,
                        expected=render(expected),
                        actual=render(got),
                    )

    def read_object(self, kind: Kind, xero_id: str) -> Mapping[str, Any] | None:
        collection = COLLECTIONS.get(kind)
        if collection is None:
            return None
        rows = self.read().get(f"{collection}/{xero_id}").get(collection) or []
        return rows[0] if rows else None

    def expect_requests(self, spec: Mapping[str, Any], path: PathKey) -> None:
        rows = self.sync_rows
        for key, want in spec.items():
            at = (*path, key)
            if key == "calls":
                counts = Counter(_operation(row) for row in rows)
                for operation, count in (want or {}).items():
                    if counts.get(operation, 0) != count:
                        self.mismatch(
                            Layer.REQUESTS,
                            f"{operation} was called {counts.get(operation, 0)} times",
                            (*at, operation),
                            expected=str(count),
                            actual=str(counts.get(operation, 0)),
                        )
            elif key == "statuses":
                for operation, statuses in (want or {}).items():
                    seen = Counter(str(row["status"]) for row in rows if _operation(row) == operation)
                    for status, count in statuses.items():
                        if seen.get(str(status), 0) != count:
                            where = (*at, operation, status)
                            self.fail(
                                Layer.REQUESTS,
                                f"{operation} answered {status} {seen.get(str(status), 0)} times",
                                self.where(where),
                                path=_dotted(where),
                                expected=str(count),
                                actual=str(seen.get(str(status), 0)),
                            )
            elif key == "replayed":
                got = sum(1 for row in rows if row.get("replayed"))
                if got != want:
                    self.mismatch(
                        Layer.REQUESTS,
                        "idempotent replays differ",
                        at,
                        expected=str(want),
                        actual=str(got),
                    )
            elif key == "max_per_minute":
                busiest = _busiest_minute(rows)
                if busiest > want:
                    self.mismatch(
                        Layer.REQUESTS,
                        f"{busiest} calls in one minute on the virtual clock",
                        at,
                        expected=f"at most {want}",
                        actual=str(busiest),
                    )
            else:
                self.mismatch(
                    Layer.LOAD,
                    f"unknown requests expectation {key!r}; use calls, statuses, replayed, max_per_minute",
                    at,
                )

    def expect_ledger(self, spec: Mapping[str, Any], path: PathKey) -> None:
        if spec.get("balanced", True):
            report = self.mock.ledger(self.tenant.tenant_id)
            if not report["balanced"]:
                errors = [e for tenant in report["tenants"] for e in tenant["errors"]]
                self.mismatch(
                    Layer.LEDGER,
                    "the ledger check failed",
                    (*path, "balanced"),
                    expected="balanced",
                    actual="; ".join(errors),
                )
        at_day = spec.get("at")
        totals = balances(self.journal_lines(), at_day if isinstance(at_day, date) else None)
        for code, text in (spec.get("balances") or {}).items():
            assertion = parse_assertion(text)
            if assertion is None:
                continue
            operator, amount = assertion
            got = asserted_balance(totals, str(code), operator)
            if got != amount:
                where = (*path, "balances", code)
                self.mismatch(
                    Layer.LEDGER,
                    f"account {code} balance{' at ' + str(at_day) if at_day else ''} differs",
                    where,
                    expected=f"{operator} {amount}",
                    actual=str(got),
                )

    def expect_reconcile(self, spec: Mapping[str, Any], path: PathKey) -> None:
        clearing = self.clearing_balances()
        for code, want in (spec.get("clearing") or {}).items():
            got = clearing.get(str(code), Decimal("0.00"))
            if got != Decimal(str(want)):
                where = (*path, "clearing", code)
                self.mismatch(
                    Layer.RECONCILE,
                    f"clearing account {code} nets to {got}",
                    where,
                    expected=str(want),
                    actual=str(got),
                )
        if "statement" in spec:
            want = spec["statement"]
            lines = self.statement_match()
            unmatched = [line for line in lines if line.status is not StatementMatch.MATCHED]
            expected_unmatched = 0 if want in (True, "match") else int(want.get("unmatched", 0))
            if len(unmatched) != expected_unmatched:
                where = (*path, "statement")
                self.mismatch(
                    Layer.RECONCILE,
                    "the deposits do not match the bank statement one for one",
                    where,
                    expected=f"{expected_unmatched} unmatched",
                    actual="; ".join(_statement_text(line) for line in unmatched) or "0 unmatched",
                )

    # -- standing invariants --

    def allowed(self, name: str) -> bool:
        return name in self.scenario.allow

    def invariant(self, name: str, message: str, actual: str) -> None:
        if self.allowed(name):
            self.broken_allowed.add(name)
        else:
            self.fail(
                Layer.INVARIANT,
                f"{name}: {message}",
                self.at,
                actual=actual,
                expected="(name it under allow: to expect this)",
            )

    def after_sync_invariants(self) -> None:
        ledger = self.mock.ledger(self.tenant.tenant_id)
        if not ledger["balanced"]:
            errors = [e for tenant in ledger["tenants"] for e in tenant["errors"]]
            self.invariant("ledger-balanced", "the ledger check failed after this sync", "; ".join(errors))
        duplicates = self.duplicate_objects()
        if duplicates:
            self.invariant(
                "no-duplicate-creates", "one billing object has more than one Xero object", "; ".join(duplicates)
            )
        # a run that deferred writes (the day's limit) or failed some is expected to have work left
        report = self.last_report
        clean = report is not None and not report.failed and not report.count(Outcome.DEFERRED) and not self.last_error
        if clean and not self.last_problems:
            if self.scenario.integrations:
                replans = self.run_integrations({}, execute=False)
                writes = [w for run in replans if run.planned is not None for w in run.planned.writes]
            else:
                with StateStore.open(self.state_path) as state:
                    held = state.held(self.tenant.tenant_id)
                    writes = list(plan(self.book, self.scenario.mapping, read_org(self.read()), held).writes)
            if writes:
                names = ", ".join(f"{w.operation} {w.kind} {w.source_id}" for w in writes[:5])
                self.invariant("resync-writes-nothing", "an immediate re-sync with no change would write", names)

    def unneeded_allowances(self) -> None:
        """An invariant under ``allow:`` that held all along fails the case, as a strict xfail does: left
        there, it would hide the day a change breaks that invariant for real."""
        for index, name in enumerate(self.scenario.allow):
            if name not in self.broken_allowed:
                self.mismatch(
                    Layer.INVARIANT,
                    f"{name} is allowed to break but held throughout: take it out of allow:, or it would hide "
                    "a real break",
                    ("allow", index),
                    expected=f"{name} broken",
                    actual="held",
                )

    def final_invariants(self) -> None:
        residue = {code: amount for code, amount in self.clearing_balances().items() if amount}
        if residue:
            self.invariant(
                "clearing-nets-to-zero",
                "a clearing account does not net to zero",
                ", ".join(f"{code}: {amount}" for code, amount in sorted(residue.items())),
            )
        unmatched = [line for line in self.statement_match() if line.status is not StatementMatch.MATCHED]
        if unmatched:
            self.invariant(
                "statement-matches",
                "the deposits do not match the bank statement",
                "; ".join(_statement_text(line) for line in unmatched),
            )

    def duplicate_objects(self) -> list[str]:
        found: list[str] = []
        for collection, identity in IDENTITY_FIELDS.items():
            counts: Counter[str] = Counter()
            for row in self.paged(collection):
                value = row.get(identity)
                if str(row.get("Type", "")).endswith("-TRANSFER"):
                    continue  # a bank transfer's two legs, listed here as well; counted from BankTransfers
                if value and str(row.get("Status", row.get("ContactStatus", ""))) not in LIVE:
                    counts[str(value)] += 1
            found.extend(f"{collection} {identity} {value} ×{n}" for value, n in sorted(counts.items()) if n > 1)
        return found

    # -- reading the books back --

    def paged(self, collection: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            found = self.read().get(collection, {"page": str(page)}).get(collection) or []
            rows.extend(found)
            if collection == "BankTransfers" or len(found) < 100:
                return rows
            page += 1

    def journal_lines(self) -> list[JournalLine]:
        journals: list[dict[str, Any]] = []
        offset = 0
        while True:
            found = self.read().get("Journals", {"offset": str(offset)}).get("Journals") or []
            journals.extend(found)
            if len(found) < 100:
                return journal_lines(journals, xero_day)
            offset = max(int(j["JournalNumber"]) for j in found)

    def clearing_balances(self) -> dict[str, Decimal]:
        report = check_settlement(self.book, self.scenario.mapping.currencies, self.read())
        return {
            self.scenario.mapping.currencies[currency].clearing: amount
            for currency, amount in report.clearing_balances.items()
        }

    def statement(self) -> tuple[StatementEntry, ...]:
        if self.scenario.statement is not None:
            return self.scenario.statement
        # with no statement given, the payouts are the statement: their net arrived on their arrival date
        entries = []
        for payout in self.book.payouts:
            accounts = self.scenario.mapping.currencies.get(payout.currency)
            if accounts is not None:
                entries.append(
                    StatementEntry(
                        accounts.deposit_bank, payout.arrival_date, payout.net, f"payout {payout.id}", payout.currency
                    )
                )
        return tuple(entries)

    def statement_match(self) -> list[StatementLine]:
        deposit_accounts = {
            accounts.deposit_bank: currency for currency, accounts in self.scenario.mapping.currencies.items()
        }
        movements = [m for m in bank_movements(self.read()) if m.account in deposit_accounts]
        pool: dict[tuple[str, date | None, Decimal], list[Any]] = defaultdict(list)
        for movement in movements:
            pool[(movement.account, movement.day, movement.amount)].append(movement)
        lines: list[StatementLine] = []
        for entry in self.statement():
            key = (entry.account, entry.date, entry.amount)
            currency = entry.currency or deposit_accounts.get(entry.account, "")
            if pool.get(key):
                movement = pool[key].pop(0)
                lines.append(
                    StatementLine(
                        entry.account,
                        currency,
                        entry.date,
                        entry.amount,
                        entry.description,
                        StatementMatch.MATCHED,
                        movement.reference,
                    )
                )
            else:
                lines.append(
                    StatementLine(
                        entry.account,
                        currency,
                        entry.date,
                        entry.amount,
                        entry.description,
                        StatementMatch.MISSING_IN_XERO,
                    )
                )
        for (account, day, amount), left in sorted(pool.items(), key=lambda item: str(item[0])):
            for movement in left:
                lines.append(
                    StatementLine(
                        account,
                        deposit_accounts[account],
                        day or date.min,
                        amount,
                        movement.reference,
                        StatementMatch.NOT_ON_STATEMENT,
                        movement.reference,
                    )
                )
        return lines

    def read_books(self) -> Books:
        lines = self.journal_lines()
        totals = balances(lines)
        names = {line.code: (line.name, line.account_type) for line in lines}
        trial = tuple(
            TrialBalanceLine(code, names[code][0], names[code][1], amount)
            for code, amount in sorted(totals.items())
            if amount
        )
        accounts = self.read().get("Accounts").get("Accounts") or []
        movements = bank_movements(self.read())
        organisation = (self.read().get("Organisation").get("Organisations") or [{}])[0]
        base_currency = str(organisation.get("BaseCurrency", ""))
        bank_lines = []
        for account in accounts:
            if account.get("Type") != "BANK":
                continue
            code = str(account.get("Code") or "")
            mine = [m.amount for m in movements if m.account == code]
            received = sum((a for a in mine if a > 0), Decimal("0.00"))
            spent = -sum((a for a in mine if a < 0), Decimal("0.00"))
            currency = str(account.get("CurrencyCode") or base_currency)
            bank_lines.append(
                BankAccountLine(
                    code,
                    str(account.get("Name", "")),
                    currency,
                    Decimal("0.00"),
                    received,
                    spent,
                    received - spent,
                    # the journals hold base-currency amounts: a foreign account's closing as the ledger values it
                    base_closing=totals.get(code, Decimal("0.00")) if currency != base_currency else None,
                )
            )
        account_names = {str(a.get("Code") or ""): str(a.get("Name", "")) for a in accounts}
        clearing = tuple(
            RunningBalance(
                accounts_of.clearing,
                account_names.get(accounts_of.clearing) or names.get(accounts_of.clearing, ("", ""))[0],
                currency,
                _running_balance(movements, accounts_of.clearing),
            )
            for currency, accounts_of in self.scenario.mapping.currencies.items()
        )
        return Books(base_currency, trial, tuple(bank_lines), clearing, tuple(self.statement_match()))

    def books_or_none(self) -> Books | None:
        return getattr(self, "_books", None)

    def request_lines(self) -> list[str]:
        rows = self.sync_rows  # what the engine did; the harness's own reads would only bury it
        return [
            f"{row['sequence']:>4} {row['method']} {row['path']} → {row['status']}"
            + (" (replayed)" if row.get("replayed") else "")
            + (f" [fault: {row['fault']}]" if row.get("fault") else "")
            for row in rows
        ]


def _merged(row: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = deepcopy(value)
    return out


def _operation(row: Mapping[str, Any]) -> str:
    path = str(row["path"]).removeprefix(API_PREFIX)
    parts = path.split("/")
    # /Invoices/<id>/... → /Invoices/{id}/...: counts are per operation, not per object
    shown = [p if i < 2 or not _looks_like_id(p) else "{id}" for i, p in enumerate(parts)]
    return f"{row['method']} {'/'.join(shown)}"


def _looks_like_id(part: str) -> bool:
    return len(part) == 36 and part.count("-") == 4


def _busiest_minute(rows: Sequence[Mapping[str, Any]]) -> int:
    times = sorted(datetime.fromisoformat(str(row["time"])) for row in rows if row["status"] != 429)
    busiest, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= timedelta(minutes=1):
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def _running_balance(movements: Sequence[Movement], code: str) -> tuple[tuple[date, Decimal], ...]:
    """A clearing account's balance after each movement, in the account's own currency.

    From the engine's movements, not the journals: journal lines are base-currency amounts, so a USD
    clearing account that nets to zero in dollars would chart an exchange difference instead, and the chart
    would disagree with the reconcile layer, which judges the same movements. A stable sort by day keeps
    one day's movements in the order Xero lists them (payments, then fees, then the payout's transfer).
    """
    balance = Decimal("0.00")
    points = []
    for movement in sorted((m for m in movements if m.account == code), key=lambda m: m.day or date.min):
        balance += movement.amount
        points.append((movement.day or date.min, balance))
    return tuple(points)


def _statement_text(line: StatementLine) -> str:
    return f"{line.status}: {line.account_code} {line.date} {line.amount} {line.description}".strip()


def _dotted(path: PathKey) -> str:
    return ".".join(str(part) for part in path)
