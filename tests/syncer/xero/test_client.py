"""The client on a fake transport: timeouts, 401 refreshes and giving up, with nothing served."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from syncer.clock import FakeClock
from syncer.xero.budget import CallBudget
from syncer.xero.client import XeroClient, _where_text
from syncer.xero.errors import AuthFailed, GaveUp, NotFound
from syncer.xero.retry import RetryPolicy
from syncer.xero.tokens import MemoryTokenStore, Token, Tokens


def answer(status: int, body: bytes = b"{}", headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


class FakeSession:
    """Plays a script: each call takes the next item, an answer to return or an exception to raise."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls: list[tuple[str, str, dict]] = []

    def request(self, method, url, params=None, data=None, headers=None, timeout=None):
        self.calls.append((method, url, dict(headers or {})))
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    def post(self, url, data=None, headers=None, timeout=None):
        return self.request("POST", url, data=data, headers=headers, timeout=timeout)


def make_client(session: FakeSession, clock: FakeClock, token_session: FakeSession | None = None, attempts=4):
    store = MemoryTokenStore(Token("access-1", "refresh-1", clock.now() + timedelta(minutes=30)))
    tokens = Tokens(store, "app", "secret", clock, "https://identity.test/connect/token", token_session)
    budget = CallBudget("t-1", clock)
    return XeroClient(
        "https://api.test/api.xro/2.0",
        "t-1",
        tokens,
        clock,
        budget,
        session,
        policy=RetryPolicy(max_attempts=attempts),
        jitter=lambda: 0.0,
    )


def test_every_call_carries_the_tenant_token_and_json_accept():
    clock = FakeClock()
    session = FakeSession(answer(200, b'{"Organisations": []}'))
    make_client(session, clock).get("/Organisation")
    method, url, headers = session.calls[0]
    assert (method, url) == ("GET", "https://api.test/api.xro/2.0/Organisation")
    assert headers["xero-tenant-id"] == "t-1"
    assert headers["Authorization"] == "Bearer access-1"
    assert headers["Accept"] == "application/json"


def test_a_timeout_after_commit_is_reconciled_before_writing_again():
    clock = FakeClock()
    session = FakeSession(requests.ReadTimeout("slow"))
    found = {"ContactID": "c-id", "ContactNumber": "n-1"}
    result = make_client(session, clock).write("PUT", "/Contacts", {"Contacts": []}, "k-1", reconcile=lambda: found)
    assert result.found == found and result.body is None
    assert len(session.calls) == 1


def test_a_connect_timeout_never_reached_xero_so_it_is_not_reconciled():
    clock = FakeClock()
    session = FakeSession(requests.ConnectTimeout("no route"), answer(200, b'{"Contacts": [{"ContactID": "x"}]}'))
    reconciled = []
    client = make_client(session, clock)
    result = client.write("PUT", "/Contacts", {"Contacts": []}, "k-1", reconcile=lambda: reconciled.append(1))
    assert reconciled == []
    assert result.objects("Contacts") == [{"ContactID": "x"}]
    assert [headers["Idempotency-Key"] for _, _, headers in session.calls] == ["k-1", "k-1"]


def test_retries_end_in_gave_up():
    clock = FakeClock()
    session = FakeSession(*[answer(503, b"The Xero API is temporarily unavailable")] * 3)
    with pytest.raises(GaveUp) as raised:
        make_client(session, clock, attempts=3).get("/Contacts")
    assert raised.value.attempts == 3
    assert str(raised.value) == "GET /Contacts: gave up after 3 attempt(s): HTTP 503 on attempt 3 of 3"


def test_a_401_refreshes_the_token_once_and_stores_it_before_use():
    clock = FakeClock()
    token_session = FakeSession(
        answer(200, b'{"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 1800}')
    )
    session = FakeSession(answer(401, b'{"Detail": "TokenExpired"}'), answer(200, b'{"Contacts": []}'))
    client = make_client(session, clock, token_session)
    client.get("/Contacts")
    assert session.calls[1][2]["Authorization"] == "Bearer access-2"
    assert client.tokens.store.load().refresh_token == "refresh-2"
    [(method, url, headers)] = token_session.calls
    assert (method, url) == ("POST", "https://identity.test/connect/token")
    assert headers["Authorization"] == "Basic YXBwOnNlY3JldA=="  # app:secret


def test_a_second_401_is_auth_failed():
    clock = FakeClock()
    token_session = FakeSession(
        answer(200, b'{"access_token": "access-2", "refresh_token": "r-2", "expires_in": 1800}')
    )
    session = FakeSession(answer(401, b'{"Detail": "x"}'), answer(401, b'{"Detail": "AuthorizationUnsuccessful"}'))
    with pytest.raises(AuthFailed, match="AuthorizationUnsuccessful"):
        make_client(session, clock, token_session).get("/Contacts")


def test_an_invalid_grant_is_auth_failed():
    clock = FakeClock()
    token_session = FakeSession(answer(400, b'{"error": "invalid_grant"}'))
    session = FakeSession(answer(401, b"{}"))
    with pytest.raises(AuthFailed, match=r"refused the refresh_token grant \(invalid_grant\)"):
        make_client(session, clock, token_session).get("/Contacts")


def test_a_404_is_not_found():
    clock = FakeClock()
    session = FakeSession(answer(404, b'{"Detail": "The resource you\'re looking for cannot be found"}'))
    with pytest.raises(NotFound, match="cannot be found"):
        make_client(session, clock).get("/Invoices/nope")


def test_where_text_escapes_quotes_and_backslashes():
    assert _where_text('a"b\\c') == '"a\\"b\\\\c"'
