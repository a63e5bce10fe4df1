"""Small pieces every rule shares: dates on the wire, references, contact links."""

from __future__ import annotations

from datetime import date

from syncer.refs import Kind, Ref


def iso(day: date) -> str:
    """Xero takes request dates as YYYY-MM-DD."""
    return day.isoformat()


def contact_link(customer_id: str) -> dict[str, Ref]:
    return {"ContactID": Ref(Kind.CONTACT, customer_id)}


def reference(kind: str, *billing_ids: str) -> str:
    """The deterministic Reference a payment, bank transaction or transfer carries, built from the billing
    ids it was made from: how the engine finds it in Xero after a lost response (``fee:pay_1``)."""
    return ":".join((kind, *billing_ids))
