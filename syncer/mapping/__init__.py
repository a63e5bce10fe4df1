"""How billing records become Xero request bodies: configuration, preflight, Xero's arithmetic and the rules.

Everything here is pure: no HTTP, no state. The engine loads a ``MappingConfig``, reads the organisation,
runs ``preflight``, builds a ``MappingContext`` and asks the rules for an ``Outcome`` per record.
"""
