from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from syncer.xero.errors import TokenStoreError
from syncer.xero.tokens import FileTokenStore, Token

TOKEN = Token("a", "r", datetime(2026, 1, 15, 9, 30, tzinfo=UTC))


def test_the_file_store_round_trips_and_replaces_atomically(tmp_path, monkeypatch):
    store = FileTokenStore(tmp_path / "token.json")
    assert store.load() is None
    store.save(TOKEN)
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b)))
    store.save(Token("b", "r2", TOKEN.expires_at))
    assert store.load() == Token("b", "r2", TOKEN.expires_at)
    assert replaced[0][1] == store.path
    assert os.stat(store.path).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]  # no temporary file left behind


def test_a_failed_write_leaves_the_old_token(tmp_path, monkeypatch):
    store = FileTokenStore(tmp_path / "token.json")
    store.save(TOKEN)

    def broken(a, b):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(TokenStoreError, match="cannot write the token file .*token.json: No space left on device"):
        store.save(Token("b", "r2", TOKEN.expires_at))
    assert store.load() == TOKEN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]


def test_a_damaged_file_names_itself(tmp_path):
    path = tmp_path / "token.json"
    path.write_text(json.dumps({"access_token": "a"}))
    with pytest.raises(TokenStoreError, match=r"token.json is not a token: missing or not text: expires_at"):
        FileTokenStore(path).load()
