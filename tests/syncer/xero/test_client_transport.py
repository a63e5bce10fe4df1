"""The client on a scripted transport, for what a served mock cannot do on cue: connect timeouts, read
timeouts after a commit."""

from __future__ import annotations

from datetime import timedelta

import requests

from syncer.clock import FakeClock
from syncer.xero.client import XeroClient
from syncer.xero.tokens import Authenticator, MemoryTokenStore, Token


def answer(status: int, body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    return response


class Script:
    """Each request takes the next item: an answer to return or an exception to raise."""

    def __init__(self, *items):
        self.items = list(items)
        self.keys: list[str | None] = []

    def request(self, method, url, params=None, data=None, headers=None, timeout=None):
        self.keys.append((headers or {}).get("Idempotency-Key"))
        item = self.items.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def client_on(script: Script) -> XeroClient:
    clock = FakeClock()
    store = MemoryTokenStore()
    store.save(Token("access", clock.now() + timedelta(minutes=30)))
    auth = Authenticator("https://identity.test", "id", "secret", store, clock)
    return XeroClient("https://api.test/api.xro/2.0", "t-1", auth, clock, session=script, jitter=lambda: 0.0)  # type: ignore[arg-type]


def test_a_read_timeout_after_commit_is_reconciled_instead_of_resent():
    script = Script(requests.ReadTimeout("slow"))
    found = {"ContactID": "c-1", "ContactNumber": "n-1"}
    client = client_on(script)
    assert client.write("PUT", "/Contacts", {"Contacts": []}, idempotency_key="k-1", reconcile=lambda: found) == found
    assert script.keys == ["k-1"]
    assert client.counts.reconciled == 1


def test_a_connect_timeout_never_reached_xero_so_it_is_resent_without_a_lookup():
    script = Script(requests.ConnectTimeout("no route"), answer(200, b'{"Contacts": [{"ContactID": "x"}]}'))
    looked_up: list[int] = []

    def reconcile():
        looked_up.append(1)
        return None

    client = client_on(script)
    result = client.write("PUT", "/Contacts", {"Contacts": []}, idempotency_key="k-1", reconcile=reconcile)
    assert result == {"Contacts": [{"ContactID": "x"}]}
    assert looked_up == []
    assert script.keys == ["k-1", "k-1"]
