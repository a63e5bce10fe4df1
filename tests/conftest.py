"""Shared fixtures: a fresh emulator per test on a manual clock, and an authorised API client.

Plain helpers (the test client, token issuing, message extraction) live in ``tests/helpers.py``."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.clock import ManualClock
from mockxero.config import MockConfig
from mockxero.emulator import Emulator
from mockxero.serving import EmbeddedServer
from tests.helpers import XeroTestClient, issue_token, ledger_breaks

LEDGER_UNCHECKED = "ledger_unchecked"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{LEDGER_UNCHECKED}: the test breaks the books on purpose; skip the autouse ledger check"
    )


@pytest.fixture(autouse=True)
def ledger_check(request, monkeypatch):
    """After every test, every emulator it created and wrote to must pass the ledger check, every tenant.

    Emulators are tracked by wrapping ``Emulator.__init__``, so apps built by fixtures, by ``create_app``
    inside a test or by the CLI's in-process runner are all covered. Books that were never written to
    after start-up are skipped to keep the suite fast. The fixture's value is the tracking list.
    """
    created: list[tuple[Emulator, int]] = []
    original_init = Emulator.__init__

    def tracking_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        created.append((self, self.store.write_count))

    monkeypatch.setattr(Emulator, "__init__", tracking_init)
    yield created
    if not request.node.get_closest_marker(LEDGER_UNCHECKED):
        report = ledger_breaks(created)
        assert report is None, report


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def config(clock: ManualClock) -> MockConfig:
    return MockConfig(clock=clock, testing=True)


@pytest.fixture
def app(config: MockConfig):
    return create_app(config)


@pytest.fixture
def emulator(app):
    return app.extensions["mockxero"]


@pytest.fixture
def unlimited(emulator):
    """Xero's rate limits are on in tests (60 calls a minute on a clock that never moves); a test that
    makes more calls than that asks for this fixture to switch them off."""
    emulator.traffic.limiter.enabled = False
    return emulator


@pytest.fixture
def live_server(app):
    """The test's app served over real HTTP on a free loopback port; yields the base URL."""
    with EmbeddedServer(app) as server:
        yield server.url


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def xero(client) -> XeroTestClient:
    return XeroTestClient(client, issue_token(client))
