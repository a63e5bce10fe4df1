"""Shared fixtures: a fresh emulator per test on a manual clock, and an authorised API client."""

from __future__ import annotations

from typing import Any

import pytest

from mockxero import create_app
from mockxero.clock import ManualClock
from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, MockConfig
from mockxero.emulator import Emulator
from mockxero.ledger import validate_emulator
from mockxero.serving import EmbeddedServer

API = "/api.xro/2.0"

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


def ledger_breaks(created: list[tuple[Emulator, int]]) -> str | None:
    """Every ledger error of the written-to emulators in ``created``, as one message; None when sound."""
    lines = []
    for emulator, writes_at_start in created:
        if emulator.store.write_count == writes_at_start:
            continue
        for tenant, errors in validate_emulator(emulator).items():
            lines.extend(f"  [{tenant}] {e.source} {e.entry}: {e.message}" for e in errors)
    return "the ledger check failed after this test:\n" + "\n".join(lines) if lines else None


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


def issue_token(
    client, client_id: str = DEFAULT_CLIENT_ID, secret: str = DEFAULT_CLIENT_SECRET, scope: str | None = None
) -> str:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        form["scope"] = scope
    response = client.post("/connect/token", data=form)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["access_token"]


class XeroTestClient:
    """Calls the accounting API as an authorised app would: bearer token, tenant header, JSON."""

    def __init__(self, client, token: str, tenant_id: str = DEFAULT_TENANT_ID):
        self.client = client
        self.headers = {
            "Authorization": f"Bearer {token}",
            "xero-tenant-id": tenant_id,
            "Accept": "application/json",
        }

    def _call(self, method: str, path: str, **kwargs: Any):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self._call("GET", path, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any):
        return self._call("PUT", path, json=json, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        return self._call("POST", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def xero(client) -> XeroTestClient:
    return XeroTestClient(client, issue_token(client))


def validation_messages(response) -> list[str]:
    """Every ``ValidationErrors[].Message`` in a 400 ValidationException body, in order."""
    body = response.json
    assert body["Type"] == "ValidationException", body
    return [e["Message"] for element in body["Elements"] for e in element.get("ValidationErrors", [])]
