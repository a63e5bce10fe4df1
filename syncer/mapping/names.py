"""Contact names: sanitised to Xero's limits and made unique, deterministically.

Xero refuses a second active contact with the same Name ("The contact name ... is already assigned to
another contact"), while billing platforms happily keep two customers called "Acme Ltd". The name each
customer gets must not depend on the order records arrive in, or a re-run would rename contacts: clashes
are resolved in customer-id order, the customer with the smallest id keeps the plain name and every other
one gets its id appended, ``Acme Ltd (cus_2)``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from syncer.source.model import Customer

NAME_MAX = 255  # Xero: Contact.Name ≤ 255


def sanitise_name(name: str) -> str:
    """Control characters removed (line breaks and tabs become spaces), runs of spaces collapsed, trimmed,
    cut to 255 characters. May return "" when nothing printable is left."""
    kept = []
    for char in name:
        if unicodedata.category(char) == "Cc":
            if char.isspace():
                kept.append(" ")
            continue
        kept.append(char)
    cleaned = " ".join("".join(kept).split())
    return cleaned[:NAME_MAX].rstrip()


def with_suffix(name: str, suffix: str) -> str:
    """``name`` + ``suffix``, the name shortened so the whole stays within Xero's 255 characters."""
    return name[: NAME_MAX - len(suffix)].rstrip() + suffix


def unique_contact_names(customers: Iterable[Customer], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Customer id → a Name no other live customer (nor any ``reserved`` name) has, compared case-blind.

    Deleted customers are left out: their contacts are archived, and Xero only keeps active names unique.
    Customers whose name sanitises to nothing are left out too; the contact rule reports them.
    """
    taken = {name.casefold() for name in reserved}
    names: dict[str, str] = {}
    for customer in sorted(customers, key=lambda record: record.id):
        base = sanitise_name(customer.name)
        if customer.deleted or not base:
            continue
        candidate = base
        attempt = 1
        while candidate.casefold() in taken:
            attempt += 1
            candidate = with_suffix(base, f" ({customer.id})" if attempt == 2 else f" ({customer.id} {attempt - 1})")
        taken.add(candidate.casefold())
        names[customer.id] = candidate
    return names
