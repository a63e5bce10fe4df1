"""Minimal HS256 JSON Web Tokens.

Xero's access tokens are RS256 JWTs; clients treat them as opaque bearer strings but some decode the
claims (``exp``, ``xero_userid``, ``authentication_event_id``). The mock signs with a per-book secret so
tokens keep working across a restart with a data file and cannot be forged by editing the claims.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class InvalidToken(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], secret: bytes, key_id: str = "mockxero") -> str:
    header = {"alg": "HS256", "kid": key_id, "typ": "JWT"}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def decode(token: str, secret: bytes) -> dict[str, Any]:
    """Verify the signature and return the claims. Expiry is the caller's business (it owns the clock)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a JWT")
    signing_input = (parts[0] + "." + parts[1]).encode("ascii", "replace")
    try:
        signature = _unb64(parts[2])
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidToken("malformed JWT") from exc
    expected = hmac.new(secret, signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise InvalidToken("bad signature")
    if not isinstance(claims, dict):
        raise InvalidToken("claims are not an object")
    return claims
