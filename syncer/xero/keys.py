"""Deterministic ``Idempotency-Key`` values.

One write of one billing object is always sent under the same key — on every retry of a call and on every
re-run of the engine — so Xero (and the mock) can recognise a repeat and answer it without writing twice.
The key is derived, never stored: ``sync1.<operation>.<kind>.<sha256 hex>`` where the hash covers the
canonical tuple (scheme, tenant, kind, source id, version, operation). A new version of the billing
object, another tenant or another operation gives another key; nothing else does.

Xero accepts at most 128 characters; the longest kind and operation allowed here stay well within it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

SCHEME = "sync1"  # bump if the derivation ever changes, so old and new keys cannot collide
MAX_KEY_LENGTH = 128  # Xero's limit on Idempotency-Key
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,23}$")


def _checked_name(what: str, value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(f"{what} must be 1-24 lower-case letters, digits or '_' starting with a letter, got {value!r}")
    return value


def _digest(parts: Sequence[str]) -> str:
    canonical = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(tenant_id: str, kind: str, source_id: str, version: str | int, operation: str) -> str:
    """The key for writing version ``version`` of billing object ``source_id`` (a ``kind``) to a tenant.

    ``operation`` names the write (``create``, ``update``, ``void``, ``archive``, ...). The tenant id is
    compared as a GUID, so its case does not change the key.
    """
    kind = _checked_name("kind", str(kind))
    operation = _checked_name("operation", operation)
    if not source_id:
        raise ValueError("source_id must not be empty")
    if isinstance(version, bool):
        raise ValueError("version must be text or a whole number, not a boolean")
    digest = _digest([SCHEME, tenant_id.strip().lower(), kind, source_id, str(version), operation])
    key = f"{SCHEME}.{operation}.{kind}.{digest}"
    assert len(key) <= MAX_KEY_LENGTH  # 6 + 25 + 25 + 64 at the most
    return key


def batch_key(collection: str, element_keys: Sequence[str]) -> str:
    """The key of one batch request: derived from its elements' keys in order, so the same elements in the
    same order are the same request, and any other composition is another request."""
    if not element_keys:
        raise ValueError("a batch needs at least one element key")
    name = _checked_name("collection", collection.lower())
    digest = _digest([SCHEME, "batch", name, *element_keys])
    return f"{SCHEME}.batch.{name}.{digest}"
