"""Identifier generation: random by default, reproducible when seeded (like moto's ``mock_random``)."""

from __future__ import annotations

import random
import secrets
import threading
import uuid

ZERO_GUID = "00000000-0000-0000-0000-000000000000"


class IdGenerator:
    def __init__(self, seed: int | str | None = None):
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | str | None) -> None:
        with self._lock:
            self._rng = random.Random(seed) if seed is not None else None

    def guid(self) -> str:
        """A version-4 GUID in Xero's lower-case form."""
        with self._lock:
            if self._rng is None:
                return str(uuid.uuid4())
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def token(self, nbytes: int = 32) -> str:
        """An opaque secret (refresh tokens, authorization codes)."""
        with self._lock:
            if self._rng is None:
                return secrets.token_hex(nbytes)
            return self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()


def is_guid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value.replace("-", "")) == 32 and value.count("-") in (0, 4)


def normalise_guid(value: str) -> str:
    return str(uuid.UUID(value))
