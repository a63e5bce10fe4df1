"""A ``XeroClient`` pointed at the mock served on a loopback port, on a fake clock that moves the mock's."""

from __future__ import annotations

import pytest
import requests

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID
from syncer.clock import FakeClock
from syncer.xero.budget import CallBudget
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore


class Served:
    def __init__(self, url: str, client: XeroClient, clock: FakeClock):
        self.url = url
        self.client = client
        self.clock = clock

    def fault(self, **rule) -> None:
        response = requests.post(self.url + "/mock-api/faults", json=rule, timeout=10)
        assert response.status_code == 201, response.text

    def requests(self, method: str | None = None, path: str | None = None) -> list[dict]:
        params = {k: v for k, v in (("method", method), ("path", path)) if v}
        return requests.get(self.url + "/mock-api/requests", params=params, timeout=10).json()["requests"]


@pytest.fixture
def served(live_server, clock) -> Served:
    """The client waits on its own fake clock; each wait moves the mock's clock too, so the mock's rate-limit
    windows pass in step and nothing really sleeps."""
    fake = FakeClock(clock.now(), on_advance=clock.advance)
    auth = Authenticator(live_server, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), fake)
    client = XeroClient(
        live_server + "/api.xro/2.0",
        DEFAULT_TENANT_ID,
        auth,
        fake,
        budget=CallBudget(DEFAULT_TENANT_ID, fake),
        jitter=lambda: 0.0,
    )
    return Served(live_server, client, fake)
