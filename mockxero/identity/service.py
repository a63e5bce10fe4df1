"""OAuth2 grants, bearer tokens and tenant connections, with Xero's lifetimes and rotation rules.

State lives in the store's ``system:*`` tables, so tokens survive a restart with a data file. Time comes
from the injected clock. Nothing here knows about Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, timedelta

from ..clock import Clock
from ..config import ClientConfig, MockConfig, TenantConfig
from ..exceptions import Forbidden, OAuthError, TokenExpired, Unauthorized
from ..ids import IdGenerator, is_guid, normalise_guid
from ..store import Store
from . import jwt

ISSUER = "https://identity.xero.com"
AUDIENCE = "https://identity.xero.com/resources"
AUTH_CODE_TTL = timedelta(minutes=5)
MOCK_USER_ID = "9f3c6a2e-1b7d-4e58-a0c4-6d2f8b1e5a70"  # the one person who "consents" in the mock

T_SECRETS = "system:Secrets"
T_CODES = "system:AuthCodes"
T_GRANTS = "system:Grants"
T_ACCESS = "system:AccessTokens"
T_REFRESH = "system:RefreshTokens"
T_CONNECTIONS = "system:Connections"
VERIFIED_TOKENS_KEPT = 1024  # bearer tokens whose signature check is remembered (IdentityService._token_id)


@dataclass(frozen=True)
class AccessContext:
    """Who is calling: the verified claims of a bearer token."""

    client_id: str
    client_name: str
    user_id: str
    grant_id: str
    scopes: frozenset[str]
    token_id: str

    def has_scope(self, scope: str, *, read_only: bool) -> bool:
        """A write scope also grants its ``.read`` form, as in Xero."""
        if scope in self.scopes:
            return True
        return read_only and f"{scope}.read" in self.scopes


class IdentityService:
    def __init__(self, config: MockConfig, store: Store, clock: Clock, ids: IdGenerator):
        self.config = config
        self.store = store
        self.clock = clock
        self.ids = ids
        self.clients = {c.client_id: c for c in config.clients}
        self.tenants = {t.tenant_id: t for t in config.tenants}
        store.define_index("Connections", "grant", lambda r: r["GrantID"])
        store.define_index("AccessTokens", "grant", lambda r: r["GrantID"])
        store.define_index("RefreshTokens", "grant", lambda r: r["GrantID"])
        # Bearer tokens whose signature was checked, with the token id they carry, by (signing secret, token):
        # every call presents its token, and the check is the same each time. Keyed by the secret as well,
        # so a book restored with another secret checks its tokens afresh. Revocation and expiry live in
        # the token's record, which is read on every call all the same.
        self._verified: dict[tuple[str, str], str] = {}

    # -- secrets --

    def ensure_secret(self) -> None:
        """Create the token-signing secret once per book (inside the caller's transaction)."""
        if self.store.get(T_SECRETS, "jwt") is None:
            self.store.put(T_SECRETS, "jwt", {"Secret": self.ids.token(32)})

    def _signing_secret(self) -> bytes:
        return bytes.fromhex(self._secret_text())

    def _secret_text(self) -> str:
        record = self.store.peek(T_SECRETS, "jwt")
        if record is None:
            raise RuntimeError("the signing secret is missing; Emulator creates it at start-up")
        return str(record["Secret"])

    def _token_id(self, token: str) -> str:
        """The id (``jti``) a bearer token signed by this book carries; ``jwt.InvalidToken`` if it is not one."""
        key = (self._secret_text(), token)
        token_id = self._verified.get(key)
        if token_id is None:
            token_id = str(jwt.decode(token, bytes.fromhex(key[0])).get("jti", ""))
            if len(self._verified) >= VERIFIED_TOKENS_KEPT:
                self._verified.clear()  # tokens of long ago are checked again: cheaper than an LRU's upkeep
            self._verified[key] = token_id
        return token_id

    # -- client authentication --

    def authenticate_client(self, client_id: str | None, client_secret: str | None) -> ClientConfig:
        client = self.clients.get(client_id or "")
        if client is None or client_secret is None or client.client_secret != client_secret:
            raise OAuthError("invalid_client")
        return client

    def _requested_scopes(self, client: ClientConfig, scope: str | None) -> tuple[str, ...]:
        if not scope or not scope.strip():
            return client.scopes
        requested = tuple(dict.fromkeys(scope.split()))
        not_allowed = [s for s in requested if s not in client.scopes]
        if not_allowed:
            raise OAuthError("invalid_scope", f"scope not allowed for this client: {' '.join(not_allowed)}")
        return requested

    # -- authorization code --

    def authorize(self, *, client_id: str, redirect_uri: str, scope: str | None) -> str:
        """Consent on the user's behalf: connect the client's tenants and return a one-time code."""
        client = self.clients.get(client_id or "")
        if client is None:
            raise OAuthError("invalid_client", "unknown client_id")
        if not redirect_uri or (client.redirect_uris and redirect_uri not in client.redirect_uris):
            raise OAuthError("invalid_request", "redirect_uri is not registered for this client")
        scopes = self._requested_scopes(client, scope)
        code = self.ids.token(24)
        self.store.put(
            T_CODES,
            code,
            {
                "ClientID": client.client_id,
                "RedirectURI": redirect_uri,
                "Scopes": list(scopes),
                "ExpiresAt": self.clock.now() + AUTH_CODE_TTL,
            },
        )
        return code

    def exchange_code(self, client: ClientConfig, code: str | None, redirect_uri: str | None) -> dict:
        code = code or ""
        record = self.store.get(T_CODES, code)
        if record is None or record["ClientID"] != client.client_id:
            raise OAuthError("invalid_grant")
        # Single use, even when the exchange fails below (the token view commits a refused exchange).
        self.store.delete(T_CODES, code)
        if record["ExpiresAt"] <= self.clock.now():
            raise OAuthError("invalid_grant")
        if redirect_uri != record["RedirectURI"]:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request")
        grant_id = self._new_grant(client, MOCK_USER_ID, record["Scopes"])
        return self._issue(client, grant_id, record["Scopes"], with_refresh="offline_access" in record["Scopes"])

    # -- client credentials --

    def client_credentials(self, client: ClientConfig, scope: str | None) -> dict:
        scopes = self._requested_scopes(client, scope)
        grant_id = self._new_grant(client, client.client_id, list(scopes))
        return self._issue(client, grant_id, list(scopes), with_refresh=False)

    # -- refresh tokens with rotation --

    def refresh(self, client: ClientConfig, refresh_token: str | None, scope: str | None) -> dict:
        now = self.clock.now()
        refresh_token = refresh_token or ""
        record = self.store.get(T_REFRESH, refresh_token)
        if record is None or record["ClientID"] != client.client_id or record.get("Revoked"):
            raise OAuthError("invalid_grant")
        if record["ExpiresAt"] <= now:
            raise OAuthError("invalid_grant")
        superseded = record.get("SupersededAt")
        if superseded is not None and now - superseded > timedelta(seconds=self.config.refresh_grace):
            raise OAuthError("invalid_grant")
        grant = self.store.get(T_GRANTS, record["GrantID"])
        if grant is None or grant.get("Revoked"):
            raise OAuthError("invalid_grant")
        scopes = record["Scopes"]
        if scope and scope.strip():
            narrowed = scope.split()
            if any(s not in scopes for s in narrowed):
                raise OAuthError("invalid_scope")
            scopes = narrowed
        if superseded is None:
            record["SupersededAt"] = now
            self.store.put(T_REFRESH, refresh_token, record)
        return self._issue(client, record["GrantID"], scopes, with_refresh=True)

    def revoke(self, client: ClientConfig, token: str | None) -> None:
        """Revoke a refresh token: its grant's tokens stop working and its connections go (RFC 7009: an
        unknown token is not an error)."""
        record = self.store.get(T_REFRESH, token or "")
        if record is None or record["ClientID"] != client.client_id:
            return
        self._revoke_grant(record["GrantID"])

    def revoke_presented_grant(self, authorization: str | None) -> str | None:
        """Revoke the grant of the bearer token in an ``Authorization`` header, as a user disconnecting the
        app would: that token, every other token of the grant and its refresh tokens stop working, and its
        connections go. The grant's id, or None when the header holds no token this emulator issued."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            token_id = self._token_id(token.strip())
        except jwt.InvalidToken:
            return None
        record = self.store.get(T_ACCESS, token_id)
        if record is None:
            return None
        self._revoke_grant(record["GrantID"])
        return str(record["GrantID"])

    def _revoke_grant(self, grant_id: str) -> None:
        grant = self.store.get(T_GRANTS, grant_id)
        if grant is not None:
            grant["Revoked"] = True
            self.store.put(T_GRANTS, grant_id, grant)
        for table in (T_ACCESS, T_REFRESH):
            for key in self.store.keys(table, "grant", grant_id):
                row = self._indexed_row(table, key)
                row["Revoked"] = True
                self.store.put(table, key, row)
        for key in self.store.keys(T_CONNECTIONS, "grant", grant_id):
            self.store.delete(T_CONNECTIONS, key)

    # -- issuing --

    def _new_grant(self, client: ClientConfig, user_id: str, scopes: list[str]) -> str:
        grant_id = self.ids.guid()
        now = self.clock.now()
        self.store.put(
            T_GRANTS,
            grant_id,
            {
                "ClientID": client.client_id,
                "UserID": user_id,
                "Scopes": list(scopes),
                "CreatedAt": now,
            },
        )
        for tenant_id in client.tenant_ids:
            connection_id = self.ids.guid()
            self.store.put(
                T_CONNECTIONS,
                connection_id,
                {
                    "ConnectionID": connection_id,
                    "GrantID": grant_id,
                    "ClientID": client.client_id,
                    "UserID": user_id,
                    "TenantID": tenant_id,
                    "CreatedAt": now,
                    "UpdatedAt": now,
                },
            )
        return grant_id

    def _issue(self, client: ClientConfig, grant_id: str, scopes: list[str], *, with_refresh: bool) -> dict:
        now = self.clock.now()
        expires = now + timedelta(seconds=self.config.token_ttl)
        grant = self._indexed_row(T_GRANTS, grant_id)
        token_id = self.ids.guid()
        claims = {
            "nbf": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "client_id": client.client_id,
            "sub": grant["UserID"],
            "auth_time": int(grant["CreatedAt"].timestamp()),
            "xero_userid": grant["UserID"],
            "global_session_id": grant_id,
            "jti": token_id,
            "authentication_event_id": grant_id,
            "scope": list(scopes),
        }
        self.store.put(
            T_ACCESS,
            token_id,
            {
                "GrantID": grant_id,
                "ClientID": client.client_id,
                "Scopes": list(scopes),
                "ExpiresAt": expires,
            },
        )
        response = {
            "access_token": jwt.encode(claims, self._signing_secret()),
            "expires_in": self.config.token_ttl,
            "token_type": "Bearer",
            "scope": " ".join(scopes),
        }
        if with_refresh:
            refresh_token = self.ids.token(32)
            self.store.put(
                T_REFRESH,
                refresh_token,
                {
                    "GrantID": grant_id,
                    "ClientID": client.client_id,
                    "Scopes": list(scopes),
                    "ExpiresAt": now + timedelta(seconds=self.config.refresh_token_ttl),
                },
            )
            response["refresh_token"] = refresh_token
        if "openid" in scopes:
            response["id_token"] = jwt.encode(
                {
                    "nbf": claims["nbf"],
                    "exp": claims["exp"],
                    "iss": ISSUER,
                    "aud": client.client_id,
                    "sub": grant["UserID"],
                    "xero_userid": grant["UserID"],
                    "global_session_id": grant_id,
                    "preferred_username": "mock.user@example.com",
                    "email": "mock.user@example.com",
                    "given_name": "Mock",
                    "family_name": "User",
                },
                self._signing_secret(),
            )
        return response

    # -- bearer tokens on API calls --

    def authenticate_bearer(self, authorization: str | None) -> AccessContext:
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:  # auth schemes are case-insensitive (RFC 7235)
            raise Unauthorized("AuthenticationUnsuccessful")
        try:
            token_id = self._token_id(token)
        except jwt.InvalidToken:
            raise Unauthorized("AuthenticationUnsuccessful") from None
        # read only, as every call does: peek rather than copy the token and grant records
        record = self.store.peek(T_ACCESS, token_id)
        if record is None or record.get("Revoked"):
            raise Unauthorized("AuthenticationUnsuccessful")
        if record["ExpiresAt"] <= self.clock.now():
            raise TokenExpired(record["ExpiresAt"].astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S"))
        client = self.clients.get(record["ClientID"])
        if client is None:  # the app was removed from the configuration since the token was issued
            raise Unauthorized("AuthenticationUnsuccessful")
        grant = self.store.peek(T_GRANTS, record["GrantID"]) or {}
        return AccessContext(
            client_id=client.client_id,
            client_name=client.name,
            user_id=grant.get("UserID", ""),
            grant_id=record["GrantID"],
            scopes=frozenset(record["Scopes"]),
            token_id=token_id,
        )

    def authorize_tenant(self, context: AccessContext, tenant_header: str | None) -> str:
        """The tenant a call is for, if this token's grant is connected to it; 403 otherwise."""
        if not tenant_header or not is_guid(tenant_header.strip()):
            raise Forbidden("AuthenticationUnsuccessful")
        tenant_id = normalise_guid(tenant_header.strip())
        if tenant_id not in self.tenants:  # connected once, but no longer configured (a restart with a new config)
            raise Forbidden("AuthenticationUnsuccessful")
        for key in self.store.keys(T_CONNECTIONS, "grant", context.grant_id):
            if self._indexed_row(T_CONNECTIONS, key)["TenantID"] == tenant_id:
                return tenant_id
        raise Forbidden("AuthenticationUnsuccessful")

    # -- connections --

    def connections(self, context: AccessContext) -> list[dict]:
        rows = [
            self._indexed_row(T_CONNECTIONS, key) for key in self.store.keys(T_CONNECTIONS, "grant", context.grant_id)
        ]
        return [row for row in rows if row["TenantID"] in self.tenants]

    def delete_connection(self, context: AccessContext, connection_id: str) -> bool:
        for row in self.connections(context):
            if row["ConnectionID"] == connection_id:
                self.store.delete(T_CONNECTIONS, connection_id)
                return True
        return False

    def tenant(self, tenant_id: str) -> TenantConfig:
        return self.tenants[tenant_id]

    def add_tenant(self, tenant: TenantConfig, client: ClientConfig) -> MockConfig:
        """Configure one more tenant and the app connected to it, while running; the new configuration.

        Grants made from then on connect the app to the tenant (as after a user's consent in Xero); the
        new maps are built whole and then swapped in, so a call reading them on another thread sees the
        old set or the new one, never half of it.
        """
        if tenant.tenant_id in self.tenants:
            raise ValueError(f"tenant {tenant.tenant_id} is already configured")
        if client.client_id in self.clients:
            raise ValueError(f"client {client.client_id!r} is already configured")
        if client.tenant_ids != (tenant.tenant_id,):
            raise ValueError(f"client {client.client_id!r} must be connected to tenant {tenant.tenant_id} only")
        config = replace(self.config, tenants=(*self.config.tenants, tenant), clients=(*self.config.clients, client))
        self.tenants = {**self.tenants, tenant.tenant_id: tenant}
        self.clients = {**self.clients, client.client_id: client}
        self.config = config
        return config

    def all_connections(self) -> Iterable[dict]:
        return self.store.scan(T_CONNECTIONS)

    def _indexed_row(self, table: str, key: str) -> dict:
        """A row an index or a grant names; the identity tables never keep a key to a missing row."""
        row = self.store.get(table, key)
        if row is None:
            raise LookupError(f"{table} has no row {key!r} though it is referenced")
        return row
