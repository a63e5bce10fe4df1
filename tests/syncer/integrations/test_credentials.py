"""The credentials file: written 0600, refused when others can read it, secrets never in what is shown, and
the Authenticator's rotated refresh token saved into it."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from syncer.clock import FakeClock
from syncer.integrations.credentials import (
    CredentialError,
    CredentialKind,
    CredentialsFile,
    CredentialTokenStore,
)
from syncer.xero.tokens import Authenticator, Token

EXPIRES = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_created_credential_is_saved_with_mode_0600_and_found_by_name_or_id(tmp_path):
    file = CredentialsFile(tmp_path / "credentials.json")
    created = file.create("main app", CredentialKind.CLIENT_CREDENTIALS, "client-1", "s3cret")
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
    assert file.find("MAIN APP") == created == file.find(created.credential_id)
    assert created.public() == {"id": created.credential_id, "name": "main app", "kind": "client_credentials"}
    assert "s3cret" not in repr(created) and "s3cret" not in json.dumps(created.public())


def test_a_file_others_can_read_is_refused_with_the_fix(tmp_path):
    file = CredentialsFile(tmp_path / "credentials.json")
    file.create("main app", CredentialKind.CLIENT_CREDENTIALS, "client-1", "s3cret")
    file.path.chmod(0o644)
    with pytest.raises(CredentialError) as refused:
        file.load()
    assert str(refused.value) == (
        f"{file.path}: the credentials file can be read or written by others (mode 0644); "
        f"refusing to use it; run: chmod 600 {file.path}"
    )


def test_a_duplicate_name_an_unknown_name_and_a_missing_secret_are_refused(tmp_path):
    file = CredentialsFile(tmp_path / "credentials.json")
    file.create("main app", CredentialKind.CLIENT_CREDENTIALS, "client-1", "s3cret")
    with pytest.raises(CredentialError, match="a credential named 'Main App' already exists"):
        file.create("Main App", CredentialKind.CLIENT_CREDENTIALS, "client-2", "other")
    with pytest.raises(CredentialError, match="no credential named or with id 'nope'"):
        file.find("nope")
    with pytest.raises(CredentialError, match="credential 'x': a client id and a client secret are both required"):
        file.create("x", CredentialKind.CLIENT_CREDENTIALS, "client-3", "")
    assert [found.name for found in file.load().values()] == ["main app"]


def test_delete_removes_only_that_credential(tmp_path):
    file = CredentialsFile(tmp_path / "credentials.json")
    first = file.create("one", CredentialKind.CLIENT_CREDENTIALS, "c1", "s1")
    second = file.create("two", CredentialKind.CLIENT_CREDENTIALS, "c2", "s2")
    assert file.delete("one") == first
    assert list(file.load()) == [second.credential_id]


def test_a_file_that_is_not_a_credentials_file_is_refused(tmp_path):
    path = tmp_path / "credentials.json"
    path.write_text('{"version": 7}', encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError, match="not a credentials file xero-sync can read \\(version 7, expected 1\\)"):
        CredentialsFile(path).load()


class TokenEndpoint:
    """A session whose token endpoint rotates the refresh token, as Xero does."""

    def __init__(self):
        self.forms = []

    def post(self, url, data, auth, timeout):
        self.forms.append(data)
        return Answer({"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 1800})


class Answer:
    status_code = 200
    text = ""

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


def test_the_authenticator_saves_the_rotated_refresh_token_into_the_credentials_file(tmp_path):
    file = CredentialsFile(tmp_path / "credentials.json")
    old = Token("access-1", EXPIRES - timedelta(hours=1), "refresh-1")
    created = file.create("consented", CredentialKind.AUTHORIZATION_CODE, "client-1", "s3cret", old)
    endpoint = TokenEndpoint()
    clock = FakeClock(EXPIRES)
    auth = Authenticator(
        "http://127.0.0.1:1", "client-1", "s3cret", CredentialTokenStore(file, created.credential_id), clock, endpoint
    )  # type: ignore[arg-type]
    assert auth.access_token() == "access-2"
    assert endpoint.forms == [{"grant_type": "refresh_token", "refresh_token": "refresh-1"}]
    saved = file.find("consented")
    assert (saved.access_token, saved.refresh_token) == ("access-2", "refresh-2")
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
