"""The pytest plugin (entry point ``pytest11: mockxero``): one emulator per worker, a fresh tenant per test.

Fixtures (all named ``mockxero_*`` so they clash with no suite's own):

* ``mockxero_server`` (session): the running emulator of this process; under pytest-xdist each worker has
  its own, on its own free port.
* ``mockxero_tenant``: a new organisation with an app connected only to it, so tests never see each
  other's books, tokens or rate limits, however they are ordered or spread over workers.
* ``mockxero_accounting_api``: an ``xero_python`` ``AccountingApi`` configured for that tenant (skips the
  test when xero-python is not installed).
* ``mockxero_pyxero``: a pyxero ``Xero`` client for that tenant (skips when pyxero is not installed).
* ``mockxero_prebuilt``: ``mockxero_prebuilt(key, build)`` builds a set-up once per worker into a tenant of
  its own, snapshots it, and restores the snapshot into that tenant each time a test asks for it.

``--mockxero-url URL`` (or ``MOCKXERO_URL``) points every worker at a server already running there (``mockxero
serve``, a CI service container) instead of starting one: each test still gets a tenant of its own on it.

``--mockxero-ledger`` (or ``@pytest.mark.mockxero_ledger`` on a test) fails a test whose tenants' books
break the ledger check after it ran. A failing test that used a tenant gets that tenant's request log
added to its report. Nothing runs unless a test asks for a fixture: a suite that does not use the plugin
behaves as without it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

from .embedding import RunningMock, Tenant, connect, running

LEDGER_MARKER = "mockxero_ledger"
_TENANTS = pytest.StashKey[list[Tenant]]()
_PREBUILT = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockxero")
    group.addoption(
        "--mockxero-url",
        default=os.environ.get("MOCKXERO_URL") or None,
        metavar="URL",
        help="use the mockxero server running at URL (e.g. http://127.0.0.1:8765) rather than starting one "
        "per worker; default: $MOCKXERO_URL",
    )
    group.addoption(
        "--mockxero-ledger",
        action="store_true",
        default=False,
        help="fail every test whose mockxero tenants break the ledger check after it",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{LEDGER_MARKER}: fail the test if its mockxero tenants break the ledger check after it"
    )


@pytest.fixture(scope="session")
def mockxero_server(pytestconfig: pytest.Config) -> Iterator[RunningMock]:
    """The emulator of this test process, on a free loopback port; or the one at ``--mockxero-url``."""
    url = pytestconfig.getoption("--mockxero-url")
    if url:
        try:
            mock = connect(url)
        except ConnectionError as exc:
            raise pytest.UsageError(f"--mockxero-url: {exc}") from None
        yield mock
        return
    with running() as mock:
        yield mock


@pytest.fixture
def mockxero_tenant(request: pytest.FixtureRequest, mockxero_server: RunningMock) -> Tenant:
    """A fresh organisation and its own app for this test."""
    tenant = mockxero_server.add_tenant(f"Test {request.node.name}"[:200])
    request.node.stash.setdefault(_TENANTS, []).append(tenant)
    return tenant


@pytest.fixture
def mockxero_accounting_api(mockxero_tenant: Tenant) -> Any:
    """xero-python's ``AccountingApi`` for the test's tenant; call it with ``mockxero_tenant.tenant_id``."""
    pytest.importorskip("xero_python", reason="xero-python is not installed")
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    # The SDK judges expiry by the machine's time; the emulator's own clock is what decides on each call.
    token = {
        "access_token": mockxero_tenant.access_token,
        "token_type": "Bearer",
        "expires_in": 1800,
        "expires_at": time.time() + 1800,
        "scope": [],
    }
    # xero-python's Configuration() hands back a copy of the first one ever made, whatever it is given, so
    # the client of this test's tenant is set on the copy: passed in, it would be the first test's client
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(
        client_id=mockxero_tenant.client_id, client_secret=mockxero_tenant.client_secret
    )
    api_client = ApiClient(
        configuration,
        pool_threads=1,
        oauth2_token_getter=lambda: token,
        oauth2_token_saver=token.update,
    )
    return AccountingApi(api_client, base_url=mockxero_tenant.mock.api_url)


@pytest.fixture
def mockxero_pyxero(mockxero_tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A pyxero ``Xero`` client for the test's tenant (skips the test when pyxero is not installed)."""
    pytest.importorskip("xero", reason="pyxero is not installed")
    from xero import Xero
    from xero.auth import OAuth2Credentials

    # requests-oauthlib refuses plain http unless told the transport is local and trusted
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    tenant = mockxero_tenant
    token = {"access_token": tenant.access_token, "token_type": "Bearer", "expires_in": 1800}
    credentials = OAuth2Credentials(tenant.client_id, tenant.client_secret, token=token, tenant_id=tenant.tenant_id)
    credentials.base_url = tenant.mock.base_url
    return Xero(credentials)


@pytest.fixture
def mockxero_prebuilt(
    request: pytest.FixtureRequest, mockxero_server: RunningMock
) -> Callable[[str, Callable[[Tenant], None]], Tenant]:
    """``mockxero_prebuilt(key, build)``: the tenant of set-up ``key``, its books as ``build`` left them.

    ``build`` runs once per worker; every later use restores its snapshot, so each test starts from the
    same books however the tests before it changed them.
    """
    built: dict[str, tuple[Tenant, dict[str, Any]]] = request.config.stash.setdefault(_PREBUILT, {})

    def prebuilt(key: str, build: Callable[[Tenant], None]) -> Tenant:
        if key not in built:
            tenant = mockxero_server.add_tenant(f"Prebuilt {key}"[:200])
            build(tenant)
            built[key] = (tenant, tenant.snapshot())
        tenant, snapshot = built[key]
        tenant.restore(snapshot)
        request.node.stash.setdefault(_TENANTS, []).append(tenant)
        return tenant

    return prebuilt


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    result = yield
    wanted = item.config.getoption("--mockxero-ledger") or item.get_closest_marker(LEDGER_MARKER) is not None
    if wanted:
        for tenant in item.stash.get(_TENANTS, []):
            tenant.check_ledger()  # raises LedgerBroken: the test fails with every broken invariant listed
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.failed and call.when == "call":
        for tenant in item.stash.get(_TENANTS, []):
            rows = tenant.requests()
            text = "\n".join(json.dumps(row, default=str) for row in rows) or "(no calls)"
            report.sections.append((f"mockxero requests of tenant {tenant.tenant_id}", text))
    return report
