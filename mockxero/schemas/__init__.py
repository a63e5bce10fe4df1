"""Marshmallow schemas: they own Xero's PascalCase field names and wire types, nothing else.

``load`` turns a JSON element into a dict of Python values (``Decimal``, ``date``, lower-case GUIDs) with
the same PascalCase keys; ``dump`` turns a stored record into the wire form with absent fields omitted.
Business rules are not here: they live in ``mockxero.backend``.
"""
