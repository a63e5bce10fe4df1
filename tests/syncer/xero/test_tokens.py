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
