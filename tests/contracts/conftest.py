"""Fixtures for the contract suite: a fresh emulator served to schemathesis over WSGI, a real token for it,
and the ledger of every status code the suite reaches.

The suite has three producers of calls (the stateless run, the stateful run and the gateway-error test). Each
records the status codes it sees; when all three ran, the session ends by checking that every status code
the contract documents for every operation was reached at least once, so a documented answer nobody can
provoke (or a contract that forgot what the mock answers) is caught.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
import schemathesis
import yaml
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contracts import ACCOUNTING, read_contract
from mockxero import create_app
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_TENANT_ID, MockConfig
from tests.helpers import issue_token

# What every answer must satisfy: no 5xx, and status, content type, headers and body as documented.
CONFORMANCE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class FreshKeys:
    """Generated Idempotency-Key values repeat (hypothesis favours short strings), and a repeat for another
    request is a 422 that teaches nothing new; each generated key is replaced by a fresh one. The 422 itself
    is provoked on purpose in test_gateway_errors."""

    def __init__(self) -> None:
        self.issued = 0

    def refresh(self, case) -> None:
        if case.headers and "Idempotency-Key" in case.headers:
            self.issued += 1
            case.headers["Idempotency-Key"] = f"contract-{self.issued}"


@pytest.fixture
def fresh_keys() -> FreshKeys:
    return FreshKeys()


def checks_for(operation) -> list:
    """An operation documented to answer 5xx (501 on /Organisation writes) is allowed to: the status check
    still holds it to the documented codes."""
    if any(code.startswith("5") for code in operation.definition.raw["responses"]):
        return [check for check in CONFORMANCE_CHECKS if check is not not_a_server_error]
    return CONFORMANCE_CHECKS


# Fixed seed and derandomised generation: the same cases on every run, so CI never flakes on a new example.
SEED = 20260115
STATELESS_EXAMPLES = 12
SCHEMATHESIS_CONFIG = {
    "seed": SEED,
    "generation": {"mode": "positive", "max-examples": STATELESS_EXAMPLES, "deterministic": True, "database": "none"},
    # Workflows follow the contract's own links only; inferred ones guess (and guess the tenant header is a
    # resource nobody creates, which would keep every accounting operation from starting a workflow).
    "phases": {"stateful": {"inference": {"algorithms": []}}},
}

# The tests that produce calls; the status check runs only when all of them ran in the session.
PRODUCERS = (
    "tests/contracts/test_accounting_contract.py::test_every_operation_conforms",
    "tests/contracts/test_accounting_contract.py::test_workflows_conform",
    "tests/contracts/test_gateway_errors.py::test_gateway_errors_conform",
    "tests/contracts/test_gateway_errors.py::test_identity_answers_conform",
    "tests/contracts/test_links.py::test_every_link_leads_from_a_success_to_a_success",
)


def contract_operations() -> dict[str, set[str]]:
    """``"METHOD /path"`` → the status codes the shipped contract documents for it."""
    document = yaml.safe_load(read_contract(ACCOUNTING))
    operations = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operations[f"{method.upper()} {path}"] = set(operation["responses"])
    return operations


class StatusLedger:
    """Every status code seen per operation, and how many requests each producer sent."""

    def __init__(self) -> None:
        self.reached: dict[str, set[str]] = defaultdict(set)
        self.calls: Counter[str] = Counter()

    def record(self, label: str, status: int, source: str) -> None:
        self.reached[label].add(str(status))
        self.calls[source] += 1

    def missing(self) -> dict[str, list[str]]:
        gaps = {}
        for label, documented in contract_operations().items():
            absent = sorted(documented - self.reached.get(label, set()))
            if absent:
                gaps[label] = absent
        return gaps


LEDGER_KEY = pytest.StashKey[StatusLedger]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """How many requests the contract suite generated (the README quotes this line)."""
    ledger = config.stash.get(LEDGER_KEY, None)
    if ledger is not None and ledger.calls:
        parts = ", ".join(f"{source} {count}" for source, count in sorted(ledger.calls.items()))
        terminalreporter.write_line(f"contract suite: {sum(ledger.calls.values())} requests ({parts})")


@pytest.fixture(scope="session")
def status_ledger(request: pytest.FixtureRequest) -> Iterator[StatusLedger]:
    ledger = StatusLedger()
    request.config.stash[LEDGER_KEY] = ledger
    yield ledger
    session = request.session
    selected = {item.nodeid.split("[")[0] for item in session.items}
    if session.testsfailed or not all(producer in selected for producer in PRODUCERS):
        return  # a partial or failing run cannot judge coverage
    gaps = ledger.missing()
    assert not gaps, (
        "documented status codes that no contract test reached (provoke them, or stop documenting them):\n"
        + "\n".join(f"  {label}: {', '.join(codes)}" for label, codes in sorted(gaps.items()))
    )


def contract_mock_config() -> MockConfig:
    """A fresh emulator on a manual clock (tokens never expire mid-run) with seeded ids (the same GUIDs every
    run, so the same answers steer the same workflows), rate limits off: generated requests come in the
    hundreds, and the 429s are provoked on purpose by the targeted test."""
    return MockConfig(clock=ManualClock(), testing=True, rate_limits=False, seed=SEED)


@pytest.fixture
def contract_app():
    return create_app(contract_mock_config())


@pytest.fixture
def auth_headers(contract_app) -> dict[str, str]:
    """What an authorised JSON client sends: generated tenant ids would all be refused with 403."""
    token = issue_token(contract_app.test_client())
    return {"Authorization": f"Bearer {token}", "xero-tenant-id": DEFAULT_TENANT_ID, "Accept": "application/json"}


def load_schema(app) -> schemathesis.BaseSchema:
    """The contract as the app serves it, so the suite tests what the mock publishes."""
    return schemathesis.openapi.from_wsgi(
        "/openapi.yaml", app, config=schemathesis.Config.from_dict(SCHEMATHESIS_CONFIG)
    )


@pytest.fixture
def accounting_schema(contract_app) -> schemathesis.BaseSchema:
    return load_schema(contract_app)
