"""Access tokens: client credentials for custom connections, or a stored, rotating refresh token.

Xero rotates refresh tokens: each refresh returns a new one and the old one stops working (after a short
grace). A new token is therefore written to the store **before** it is used, atomically (a temporary file,
fsync, rename), so a crash can never leave the only valid refresh token in memory alone.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import requests

from ..clock import Clock
from .errors import AuthFailed, TokenStoreError

UNREACHABLE_ATTEMPTS = 3  # tries of the token endpoint when it cannot be reached, 1 s then 2 s apart
EARLY = timedelta(seconds=60)  # renew this long before expiry, so no call goes out with a dying token


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_at: datetime
    refresh_token: str | None = None

    def usable(self, now: datetime) -> bool:
        return now + EARLY < self.expires_at


class TokenStore(Protocol):
    def load(self) -> Token | None: ...

    def save(self, token: Token) -> None: ...


class MemoryTokenStore:
    def __init__(self, token: Token | None = None):
        self.token = token

    def load(self) -> Token | None:
        return self.token

    def save(self, token: Token) -> None:
        self.token = token


class FileTokenStore:
    """A JSON file ``{"access_token", "refresh_token", "expires_at"}``, replaced atomically on every save."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def load(self) -> Token | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Token(data["access_token"], datetime.fromisoformat(data["expires_at"]), data.get("refresh_token"))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise TokenStoreError(f"{self.path}: not a token file this tool wrote ({error})") from error

    def save(self, token: Token) -> None:
        data = {
            "access_token": token.access_token,
            "refresh_token": token.refresh_token,
            "expires_at": token.expires_at.isoformat(),
        }
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".token-", dir=directory)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
            directory_handle = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(directory_handle)
            finally:
                os.close(directory_handle)
        except OSError as error:
            raise TokenStoreError(f"{self.path}: cannot save the token: {error}") from error


class Authenticator:
    """Hands out a usable access token, renewing it through ``/connect/token`` when needed.

    With a refresh token in the store it uses the ``refresh_token`` grant (and stores the rotated token
    before returning it); without one, the ``client_credentials`` grant of a custom connection.
    """

    def __init__(
        self,
        identity_url: str,
        client_id: str | None,
        client_secret: str | None,
        store: TokenStore,
        clock: Clock,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ):
        self.token_url = identity_url.rstrip("/") + "/connect/token"
        self.client_id = client_id
        self.client_secret = client_secret
        self.store = store
        self.clock = clock
        self.session = session or requests.Session()
        self.timeout = timeout
        # Workers share one Authenticator: refreshing one token set twice at once makes Xero answer the
        # second with invalid_grant, so renewals take turns.
        self._lock = threading.RLock()

    def access_token(self) -> str:
        with self._lock:
            token = self.store.load()
            if token is None or not token.usable(self.clock.now()):
                token = self.renew()
            return token.access_token

    def renew(self, rejected: str | None = None) -> Token:
        """A new token now (after expiry, or after Xero answered 401 to ``rejected``). When the stored token
        is no longer ``rejected`` another worker has already renewed it, and that one is returned."""
        with self._lock:
            current = self.store.load()
            if (
                rejected is not None
                and current is not None
                and current.access_token != rejected
                and current.usable(self.clock.now())
            ):
                return current
            return self._renew(current)

    def _renew(self, current: Token | None) -> Token:
        if current is not None and current.refresh_token:
            form = {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        else:
            form = {"grant_type": "client_credentials"}
        if not self.client_id or not self.client_secret:
            raise AuthFailed("no usable token and no client id and secret to get one; connect the organisation")
        response = None
        for attempt in range(1, UNREACHABLE_ATTEMPTS + 1):
            try:
                response = self.session.post(
                    self.token_url, data=form, auth=(self.client_id, self.client_secret), timeout=self.timeout
                )
                break
            except (requests.ConnectionError, requests.Timeout) as error:
                # A lost answer is safe to ask again: Xero keeps the old refresh token valid for 30 minutes.
                if attempt == UNREACHABLE_ATTEMPTS:
                    raise AuthFailed(f"cannot reach {self.token_url}: {error}") from error
                self.clock.sleep(2 ** (attempt - 1))
            except requests.RequestException as error:
                raise AuthFailed(f"cannot reach {self.token_url}: {error}") from error
        assert response is not None
        answer = _json(response)
        if response.status_code != 200 or "access_token" not in answer:
            reason = answer.get("error_description") or answer.get("error") or response.text[:200]
            raise AuthFailed(f"{self.token_url} refused the {form['grant_type']} grant: {reason}", response.status_code)
        token = Token(
            access_token=answer["access_token"],
            expires_at=self.clock.now() + timedelta(seconds=int(answer.get("expires_in", 1800))),
            refresh_token=answer.get("refresh_token") or (current.refresh_token if current else None),
        )
        self.store.save(token)  # before use: the old refresh token may already be dead
        return token


def _json(response: requests.Response) -> Mapping[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
