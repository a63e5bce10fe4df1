"""OAuth2 tokens: where they are kept, and renewing them before (or when) Xero stops accepting them.

Xero rotates refresh tokens: each refresh returns a new one and the old one works only for a 30-minute grace
period. So a new token set is written to its store — atomically, and flushed to disk — *before* the new
access token is used; a crash after the refresh then still finds a refresh token that works.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import requests

from ..clock import Clock
from .errors import AuthFailed, GaveUp, TokenStoreError
from .retry import Event, GiveUp, Retry, RetryPolicy, StopForDay, decide

XERO_TOKEN_URL = "https://identity.xero.com/connect/token"
EXPIRY_MARGIN = timedelta(seconds=60)  # renew this long before expiry, as xero-python does


@dataclass(frozen=True)
class Token:
    access_token: str
    refresh_token: str | None
    expires_at: datetime

    def to_dict(self) -> dict[str, str | None]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Token:
        if not isinstance(data, dict):
            raise ValueError("a token must be an object")
        missing = [name for name in ("access_token", "expires_at") if not isinstance(data.get(name), str)]
        if missing:
            raise ValueError(f"missing or not text: {', '.join(missing)}")
        refresh = data.get("refresh_token")
        if refresh is not None and not isinstance(refresh, str):
            raise ValueError("refresh_token must be text or null")
        expires_at = datetime.fromisoformat(data["expires_at"])
        if expires_at.tzinfo is None:
            raise ValueError("expires_at must carry a timezone")
        return cls(data["access_token"], refresh, expires_at)


class TokenStore(Protocol):
    def load(self) -> Token | None: ...

    def save(self, token: Token) -> None: ...


class MemoryTokenStore:
    def __init__(self, token: Token | None = None):
        self.token = token
        self.saves = 0

    def load(self) -> Token | None:
        return self.token

    def save(self, token: Token) -> None:
        self.token = token
        self.saves += 1


class FileTokenStore:
    """One token set in a JSON file, replaced atomically: a reader sees the old file or the new, never half."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def load(self) -> Token | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TokenStoreError(f"cannot read the token file {self.path}: {exc.strerror}") from None
        try:
            return Token.from_dict(json.loads(text))
        except ValueError as exc:
            raise TokenStoreError(f"the token file {self.path} is not a token: {exc}") from None

    def save(self, token: Token) -> None:
        directory = self.path.parent
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                    json.dump(token.to_dict(), file)
                    file.flush()
                    os.fsync(file.fileno())
                os.chmod(temporary, 0o600)  # it is a credential
                os.replace(temporary, self.path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
            directory_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(directory_fd)  # the rename itself survives a power cut
            finally:
                os.close(directory_fd)
        except OSError as exc:
            raise TokenStoreError(f"cannot write the token file {self.path}: {exc.strerror}") from None


class Tokens:
    """Hands out a valid access token, refreshing through the OAuth2 token endpoint when it expires or
    Xero answers 401. Without a refresh token (a custom connection) it asks for a new client-credentials
    token instead."""

    def __init__(
        self,
        store: TokenStore,
        client_id: str,
        client_secret: str,
        clock: Clock,
        token_url: str = XERO_TOKEN_URL,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        timeout: float = 30.0,
    ):
        self.store = store
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self.token_url = token_url
        self.session = session or requests.Session()
        self.policy = policy or RetryPolicy(max_attempts=4)
        self.timeout = timeout
        self.refreshes = 0
        self._lock = threading.Lock()

    def access_token(self) -> str:
        with self._lock:
            token = self.store.load()
            if token is None or token.expires_at - EXPIRY_MARGIN <= self.clock.now():
                token = self._renew(token)
            return token.access_token

    def refresh(self, rejected: str) -> str:
        """Xero refused ``rejected`` (401): renew, unless another caller already has."""
        with self._lock:
            token = self.store.load()
            if token is not None and token.access_token != rejected:
                return token.access_token
            return self._renew(token).access_token

    def _renew(self, current: Token | None) -> Token:
        if current is not None and current.refresh_token:
            form = {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        else:
            form = {"grant_type": "client_credentials"}
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode("ascii")
        headers = {"Authorization": f"Basic {basic}", "Accept": "application/json"}
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.post(self.token_url, data=form, headers=headers, timeout=self.timeout)
            except requests.Timeout:
                event = Event.timeout()
            except requests.ConnectionError:
                # a lost refresh answer is safe to retry: the old refresh token works for 30 more minutes
                event = Event.connection_error()
            else:
                if response.status_code == 200:
                    token = self._token_from(response)
                    self.store.save(token)  # stored before anyone uses it
                    self.refreshes += 1
                    return token
                if response.status_code in (400, 401):
                    raise AuthFailed(
                        f"the token endpoint refused the {form['grant_type']} grant ({_oauth_error(response)}); "
                        "reconnect the organisation",
                        response.status_code,
                    )
                event = Event.http(response.status_code)
            decision = decide(self.policy, attempt, event, self.clock.now(), 0.0)
            if isinstance(decision, Retry):
                self.clock.sleep(decision.delay)
                continue
            assert isinstance(decision, GiveUp | StopForDay)
            raise GaveUp("refreshing the Xero token", attempt, decision.reason)

    def _token_from(self, response: requests.Response) -> Token:
        try:
            data = response.json()
            expires_in = int(data["expires_in"])
            access = data["access_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthFailed(f"the token endpoint answered without a usable token: {exc}", 200) from None
        return Token(access, data.get("refresh_token"), self.clock.now() + timedelta(seconds=expires_in))


def _oauth_error(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or f"HTTP {response.status_code}"
    if isinstance(body, dict) and "error" in body:
        return str(body["error"]) + (f": {body['error_description']}" if body.get("error_description") else "")
    return f"HTTP {response.status_code}"
