"""Listing: how every ``GET /<Collection>`` reads (``where``, ``order``, paging, ``If-Modified-Since``,
``IDs``/``ContactIDs``/``InvoiceNumbers``/``Statuses``, ``includeArchived``, ``createdByMyApp``,
``searchTerm``).

* ``expressions``: the ``where``/``order`` language (tokenizer, parser, typed tree, compiled closures).
* ``types``: expression types and the field catalogue derived from a resource's schema.
* ``paging``, ``modified``: ``page``/``pageSize`` and ``If-Modified-Since``.
* ``listing``: ``Listing`` (what one endpoint accepts) and ``select`` (the pipeline).

Views call ``mockxero.protocol.list_response``; nothing here knows about Flask.
"""

from .listing import BY_KEY, Extra, Hidden, Listing, ListQuery, Lookup, guid_value, select, text_value, upper_value

__all__ = [
    "BY_KEY",
    "Extra",
    "Hidden",
    "ListQuery",
    "Listing",
    "Lookup",
    "guid_value",
    "select",
    "text_value",
    "upper_value",
]
