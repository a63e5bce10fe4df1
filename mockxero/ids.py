"""Identifier generation: random by default, reproducible when seeded (like moto's ``mock_random``)."""

from __future__ import annotations

import os
import random
import re
import secrets
import threading
import uuid

ZERO_GUID = "00000000-0000-0000-0000-000000000000"

# Random bytes are drawn from the OS this many at a time and handed out 16 per GUID: an invoice create makes
# about ten GUIDs, and one ``os.urandom`` call per GUID (what ``uuid.uuid4`` does) was a tenth of its time.
_POOL_BYTES = 16 * 256


# A forked child must not hand out the GUIDs its parent's pool still holds: every pool drawn before a fork is
# dropped in the child (the generation number moves on, and a generator refills when its pool is older).
_generation = 0


def _after_fork_in_child() -> None:
    global _generation
    _generation += 1


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


# RFC 4122 version 4: the version digit reads 4, and the variant digit 8, 9, a or b (its two high bits are
# 10, its two low bits random).
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def v4_text(random16: bytes) -> str:
    """The version-4 GUID made of 16 random bytes, written as ``str(uuid.UUID(bytes=random16, version=4))``
    writes it (lower-case, dashed), without building a ``UUID`` object: straight from the bytes' hex digits,
    with no integer, masks or ``%`` formatting, which made GUIDs (eight an invoice create) take 40 % longer."""
    digits = random16.hex()
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{_VARIANT_DIGIT[digits[16]]}{digits[17:20]}-{digits[20:]}"


class IdGenerator:
    def __init__(self, seed: int | str | None = None):
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | str | None) -> None:
        with self._lock:
            self._rng = random.Random(seed) if seed is not None else None
            self._pool = b""
            self._taken = 0
            self._pool_generation = _generation

    def guid(self) -> str:
        """A version-4 GUID in Xero's lower-case form: from the OS's random bytes, or the seeded sequence."""
        with self._lock:
            if self._rng is not None:
                return v4_text(self._rng.getrandbits(128).to_bytes(16, "big"))  # a seed gives the GUIDs it always gave
            if self._taken == len(self._pool) or self._pool_generation != _generation:
                self._pool, self._taken, self._pool_generation = os.urandom(_POOL_BYTES), 0, _generation
            start = self._taken
            self._taken = start + 16
            return v4_text(self._pool[start : start + 16])

    def token(self, nbytes: int = 32) -> str:
        """An opaque secret (refresh tokens, authorization codes)."""
        with self._lock:
            if self._rng is None:
                return secrets.token_hex(nbytes)
            return self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()


_HEX_32 = re.compile(r"[0-9a-fA-F]{32}")


def is_guid(value: object) -> bool:
    """32 hexadecimal digits, bare or with four dashes among them, as this check has always read ids (the
    dashes' places are not checked); unlike ``uuid.UUID`` it takes no whitespace or underscores, which ids
    never carry."""
    if not isinstance(value, str) or value.count("-") not in (0, 4):
        return False
    return _HEX_32.fullmatch(value.replace("-", "")) is not None


# Ids of answers and error instances, which no seed makes reproducible (they name one answer, not a record)
# and which must not take GUIDs from a seeded book's sequence.
_ANSWER_IDS = IdGenerator()


def answer_id() -> str:
    """A fresh GUID for an answer's envelope ``Id`` or an error's ``Instance``."""
    return _ANSWER_IDS.guid()


# A GUID already in the form ``normalise_guid`` gives (most are: every id this emulator writes, and the
# tenant header of each call) is returned as it is: building a ``UUID`` to print the same text again was a
# few microseconds of every call.
_CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalise_guid(value: str) -> str:
    """``value`` in the lower-case, dashed form; what ``uuid.UUID`` refuses raises its ``ValueError``."""
    if type(value) is str and _CANONICAL_GUID.fullmatch(value):
        return value
    return str(uuid.UUID(value))
