"""Secrets out of report text: tokens, client secrets and Authorization headers never reach a reader.

A failure message can quote an error an HTTP library raised, and a request excerpt can quote a header or
a form, so any text may carry a credential. ``redact`` replaces what looks like one with ``[redacted]``
and leaves the rest as it was, so the sentence around it still reads. What counts as a secret:

* the value of an ``Authorization`` header, whatever its scheme (``Bearer``, ``Basic``);
* ``Bearer <token>`` anywhere, as in a ``WWW-Authenticate`` answer or a logged header;
* the value of a field named like a credential (``access_token``, ``refresh_token``, ``id_token``,
  ``client_secret``, ``code_verifier``, ``client_assertion``, ``password``, ``api_key``), in a
  form (``a=b&...``), JSON (``"a": "b"``), a Python repr (``'a': 'b'``) or ``a: b`` text;
* a JSON Web Token (three base64url parts, the first starting ``eyJ``), which is what access tokens are;
* a run of 40 or more hex digits, the shape of opaque refresh tokens and secrets. Xero ids are GUIDs with
  dashes (groups of at most 12), so they are never taken for one.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

_CREDENTIAL_FIELDS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "code_verifier",
    "password",
    "api_key",
)
# the header to the end of its line (or of a quoted value): the scheme is not a secret, but nothing of what
# follows is worth the risk of keeping
_AUTHORIZATION = re.compile(r"(?i)(\bauthorization\b[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n]+")
# a challenge's parameters (``Bearer error="invalid_token"``) are not a token, and say why a call failed
_BEARER = re.compile(r"(?i)(\bbearer\s+)(?![a-z_]+=\")[A-Za-z0-9\-._~+/]+=*")
_FIELD = re.compile(
    r"(?i)(\b(?:" + "|".join(_CREDENTIAL_FIELDS) + r")\b[\"']?\s*[:=]\s*[\"']?)(?!\[redacted\])[^\"'&\s,;}\])]+"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_LONG_HEX = re.compile(r"\b[0-9a-fA-F]{40,}\b")


def redact(text: str) -> str:
    """``text`` with every credential-looking part replaced by ``[redacted]``."""
    text = _AUTHORIZATION.sub(lambda m: m.group(1) + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _FIELD.sub(lambda m: m.group(1) + REDACTED, text)
    text = _JWT.sub(REDACTED, text)
    return _LONG_HEX.sub(REDACTED, text)
