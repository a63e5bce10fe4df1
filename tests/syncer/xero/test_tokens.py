"""Tokens: stored atomically before use; refresh tokens rotate; client credentials when there is none."""

import json
from datetime import timedelta

import pytest
import requests

from mockxero.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from syncer.clock import FakeClock
from syncer.xero.errors import AuthFailed, TokenStoreError
from syncer.xero.tokens import Authenticator, FileTokenStore, MemoryTokenStore, Token


def test_the_file_store_round_trips_and_leaves_no_temporary_file(tmp_path):
    store = FileTokenStore(tmp_path / "token.json")
    token = Token("access", FakeClock().now() + timedelta(minutes=30), "refresh-1")
    store.save(token)
    assert store.load() == token
    assert [p.name for p in tmp_path.iterdir()] == ["token.json"]
    assert (tmp_path / "token.json").stat().st_mode & 0o777 == 0o600


def test_a_token_file_this_tool_did_not_write_is_refused_by_name(tmp_path):
    path = tmp_path / "token.json"
    path.write_text(json.dumps({"token": "x"}))
    with pytest.raises(TokenStoreError, match="token.json: not a token file this tool wrote"):
        FileTokenStore(path).load()


def test_client_credentials_when_there_is_no_refresh_token(live_server):
    clock = FakeClock()
    auth = Authenticator(live_server, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MemoryTokenStore(), clock)
    first = auth.access_token()
    assert first and auth.access_token() == first  # reused while usable
    clock.advance(30 * 60)
    assert auth.access_token() != first  # renewed before it expires


def test_a_wrong_secret_is_an_auth_failure_that_says_so(live_server):
    auth = Authenticator(live_server, DEFAULT_CLIENT_ID, "wrong", MemoryTokenStore(), FakeClock())
    with pytest.raises(AuthFailed, match="refused the client_credentials grant"):
        auth.access_token()


def test_without_credentials_or_a_token_there_is_nothing_to_do_but_connect():
    auth = Authenticator("http://127.0.0.1:9", None, None, MemoryTokenStore(), FakeClock(), requests.Session())
    with pytest.raises(AuthFailed, match="connect the organisation"):
        auth.access_token()


class RotatingIdentity:
    """A token endpoint that rotates refresh tokens and remembers what it was sent."""

    def __init__(self):
        self.forms = []

    def post(self, url, data, auth, timeout):
        self.forms.append(dict(data))
        response = requests.Response()
        response.status_code = 200
        n = len(self.forms)
        response._content = json.dumps(
            {"access_token": f"access-{n}", "refresh_token": f"refresh-{n + 1}", "expires_in": 1800}
        ).encode()
        return response


def test_a_rotated_refresh_token_is_saved_before_it_is_used(tmp_path):
    clock = FakeClock()
    store = FileTokenStore(tmp_path / "token.json")
    store.save(Token("old", clock.now() - timedelta(seconds=1), "refresh-1"))
    identity = RotatingIdentity()
    auth = Authenticator("https://identity", "id", "secret", store, clock, identity)  # type: ignore[arg-type]
    assert auth.access_token() == "access-1"
    assert identity.forms == [{"grant_type": "refresh_token", "refresh_token": "refresh-1"}]
    assert FileTokenStore(tmp_path / "token.json").load().refresh_token == "refresh-2"
    auth.renew()
    assert identity.forms[-1] == {"grant_type": "refresh_token", "refresh_token": "refresh-2"}


def test_a_401_to_a_token_another_worker_already_renewed_does_not_refresh_again():
    clock = FakeClock()
    store = MemoryTokenStore()
    store.save(Token("access-0", clock.now() - timedelta(seconds=1), "refresh-1"))
    identity = RotatingIdentity()
    auth = Authenticator("https://identity", "id", "secret", store, clock, identity)  # type: ignore[arg-type]
    assert auth.access_token() == "access-1"  # worker A renews the expired token
    assert auth.renew(rejected="access-0").access_token == "access-1"  # worker B's 401 was for the old one
    assert len(identity.forms) == 1  # refresh-2 was not spent a second time
    assert auth.renew(rejected="access-1").access_token == "access-2"  # a 401 to the current one renews
    assert identity.forms[-1] == {"grant_type": "refresh_token", "refresh_token": "refresh-2"}


class LosingIdentity(RotatingIdentity):
    """Loses the answer of the first ``lost`` refreshes (the connection drops after the request)."""

    def __init__(self, lost: int):
        super().__init__()
        self.lost = lost

    def post(self, url, data, auth, timeout):
        if self.lost:
            self.lost -= 1
            self.forms.append(dict(data))
            raise requests.ConnectionError("connection reset")
        return super().post(url, data, auth, timeout)


def test_a_lost_refresh_answer_is_asked_again_with_the_same_refresh_token():
    clock = FakeClock()
    store = MemoryTokenStore(Token("old", clock.now(), "refresh-1"))
    identity = LosingIdentity(lost=1)
    auth = Authenticator("https://identity", "id", "secret", store, clock, identity)  # type: ignore[arg-type]
    assert auth.access_token() == "access-2"
    assert [form["refresh_token"] for form in identity.forms] == ["refresh-1", "refresh-1"]
    assert clock.sleeps == [1]


def test_an_unreachable_token_endpoint_is_an_auth_failure_after_three_tries():
    clock = FakeClock()
    identity = LosingIdentity(lost=5)
    auth = Authenticator("https://identity", "id", "secret", MemoryTokenStore(), clock, identity)  # type: ignore[arg-type]
    with pytest.raises(AuthFailed, match="cannot reach https://identity/connect/token: connection reset"):
        auth.access_token()
    assert len(identity.forms) == 3
    assert clock.sleeps == [1, 2]
