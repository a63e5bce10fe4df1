"""The API gateway the emulator puts in front of its APIs, as Xero's own gateway stands in front of its:
rate limits (``ratelimit``), ``Idempotency-Key`` (``idempotency``), fault injection (``faults``) and the
request log (``requestlog``), wired into the request pipeline by ``gateway``.
"""

from __future__ import annotations

from .gateway import ConnectionDropped, Traffic, install

__all__ = ["ConnectionDropped", "Traffic", "install"]
