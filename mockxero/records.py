"""Fields the emulator keeps on stored records beyond Xero's own. A leaf any layer may import.

Schemas dump declared fields only, so none of these ever reaches the wire.
"""

# The app client that first saved a record, kept for ``createdByMyApp``.
CREATED_BY_APP = "_CreatedByAppID"
