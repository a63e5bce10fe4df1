"""The Xero client: HTTP calls, the retry policy, idempotency keys and the per-tenant call budget."""
