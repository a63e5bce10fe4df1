"""Integration credentials: kept in a file of their own, outside any configuration, readable by its owner only.

A credential is an OAuth2 app (client id and secret) and, for an authorization-code app, the tokens its
grant returned. Secrets never leave this module in printable form: ``Credential.public()`` is what a
listing shows (id, name, kind). The file is JSON, replaced atomically with mode 0600 on every save; a file
that group or others can read or write is refused before a secret is read from it, as ssh refuses a key.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from syncer.xero.tokens import Token

FORMAT_VERSION = 1


class CredentialError(Exception):
    """The credentials file or a credential in it cannot be used; the message names the file."""


class CredentialKind(StrEnum):
    AUTHORIZATION_CODE = "authorization_code"  # tokens from a user's consent, with a rotating refresh token
    CLIENT_CREDENTIALS = "client_credentials"  # a Xero custom connection: the app alone gets tokens


@dataclass(frozen=True)
class Credential:
    credential_id: str
    name: str
    kind: CredentialKind
    client_id: str
    client_secret: str
    access_token: str = ""
    refresh_token: str = ""
    expires_at: str = ""  # ISO 8601, empty when no token is held

    def public(self) -> dict[str, str]:
        """What may be shown: never the secret or a token."""
        return {"id": self.credential_id, "name": self.name, "kind": str(self.kind)}

    def __repr__(self) -> str:  # a traceback or a log line must not carry the secret either
        return f"Credential(id={self.credential_id!r}, name={self.name!r}, kind={str(self.kind)!r})"

    def token(self) -> Token | None:
        if not self.access_token or not self.expires_at:
            return None
        return Token(self.access_token, datetime.fromisoformat(self.expires_at), self.refresh_token or None)


class CredentialsFile:
    """Every credential, by id, in one JSON file with mode 0600."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def load(self) -> dict[str, Credential]:
        if not self.path.exists():
            return {}
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise CredentialError(
                f"{self.path}: the credentials file can be read or written by others (mode {mode:04o}); "
                f"refusing to use it; run: chmod 600 {self.path}"
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"version {data.get('version')!r}, expected {FORMAT_VERSION}")
            return {
                key: Credential(
                    key,
                    row["name"],
                    CredentialKind(row["kind"]),
                    row["client_id"],
                    row["client_secret"],
                    row.get("access_token", ""),
                    row.get("refresh_token", ""),
                    row.get("expires_at", ""),
                )
                for key, row in data["credentials"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise CredentialError(f"{self.path}: not a credentials file xero-sync can read ({error})") from error

    def save(self, credentials: dict[str, Credential]) -> None:
        document: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "credentials": {
                key: {
                    "name": found.name,
                    "kind": str(found.kind),
                    "client_id": found.client_id,
                    "client_secret": found.client_secret,
                    "access_token": found.access_token,
                    "refresh_token": found.refresh_token,
                    "expires_at": found.expires_at,
                }
                for key, found in credentials.items()
            },
        }
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # mkstemp creates the file 0600, so the secret is never on disk readable by others, not even briefly
            handle, temporary = tempfile.mkstemp(prefix=".credentials-", dir=directory)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(document, file, indent=2)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except OSError as error:
            raise CredentialError(f"{self.path}: cannot save the credentials: {error}") from error

    def create(
        self, name: str, kind: CredentialKind, client_id: str, client_secret: str, token: Token | None = None
    ) -> Credential:
        credentials = self.load()
        if any(found.name.casefold() == name.casefold() for found in credentials.values()):
            raise CredentialError(f"{self.path}: a credential named {name!r} already exists")
        if not client_id or not client_secret:
            raise CredentialError(f"credential {name!r}: a client id and a client secret are both required")
        created = _with_token(Credential(str(uuid.uuid4()), name, kind, client_id, client_secret), token)
        self.save({**credentials, created.credential_id: created})
        return created

    def find(self, name_or_id: str) -> Credential:
        credentials = self.load()
        if name_or_id in credentials:
            return credentials[name_or_id]
        for found in credentials.values():
            if found.name.casefold() == name_or_id.casefold():
                return found
        raise CredentialError(f"{self.path}: no credential named or with id {name_or_id!r}")

    def delete(self, name_or_id: str) -> Credential:
        found = self.find(name_or_id)
        credentials = self.load()
        del credentials[found.credential_id]
        self.save(credentials)
        return found


def _with_token(credential: Credential, token: Token | None) -> Credential:
    if token is None:
        return replace(credential, access_token="", refresh_token="", expires_at="")
    return replace(
        credential,
        access_token=token.access_token,
        refresh_token=token.refresh_token or "",
        expires_at=token.expires_at.isoformat(),
    )


class CredentialTokenStore:
    """The ``TokenStore`` of one credential: syncer.xero.tokens.Authenticator saves each rotated refresh
    token here, into the credentials file, before using it."""

    def __init__(self, file: CredentialsFile, credential_id: str):
        self.file = file
        self.credential_id = credential_id

    def load(self) -> Token | None:
        return self.file.find(self.credential_id).token()

    def save(self, token: Token) -> None:
        credentials = self.file.load()
        if self.credential_id not in credentials:
            raise CredentialError(f"{self.file.path}: credential {self.credential_id} was deleted during the run")
        credentials[self.credential_id] = _with_token(credentials[self.credential_id], token)
        self.file.save(credentials)
