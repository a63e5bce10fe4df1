"""syncer: the billing → Xero sync engine.

It speaks HTTP only and never imports ``mockxero``: the same engine runs against api.xero.com by changing a
base URL. The parts, lowest first: ``source`` (the billing records the platform hands over), ``mapping``
(how each record becomes a Xero request body, as pure functions), ``xero`` (the HTTP client, its retry policy,
idempotency keys and the per-tenant call budget), ``state`` (external mappings, fingerprints and the run
ledger), then ``engine`` (plan and apply), ``settlement`` (the after-run check) and ``cli``.
"""
