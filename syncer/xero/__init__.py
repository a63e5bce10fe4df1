"""Talking to Xero over HTTP: the retry policy, idempotency keys and the per-tenant call budget."""
