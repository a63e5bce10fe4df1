"""Customer → Contact.

Name sanitised and de-duplicated (``syncer.mapping.names``); Email → EmailAddress; ContactNumber = the
billing customer id, or the external mapping's code; the billing address as a POBOX address when
``sync_addresses`` is on; a deleted customer archives its contact. The natural key is the ContactNumber
(or the ContactID an external mapping names).
"""

from __future__ import annotations

from typing import Any

from syncer.mapping.config import CONTACT_NUMBER_MAX
from syncer.mapping.context import MappingContext
from syncer.mapping.names import NAME_MAX
from syncer.mapping.outcomes import NaturalKey, Outcome, Problem, Rejected, Skip, Write
from syncer.refs import Kind, Ref
from syncer.source.model import Address, Customer

RESOURCE = "Contacts"
ARCHIVED = "ARCHIVED"
# Xero's limits on Address fields
_ADDRESS_LIMITS = {
    "AddressLine1": 500,
    "AddressLine2": 500,
    "City": 255,
    "Region": 255,
    "PostalCode": 50,
    "Country": 50,
}


def contact_number(customer: Customer, context: MappingContext) -> str | None:
    """The ContactNumber the contact carries: the external mapping's, else the billing id. None when the
    external mapping names the contact by ContactID and gives no number."""
    external = context.config.external_contacts.get(customer.id)
    if external is not None:
        return external.contact_number
    return customer.id


def map_contact(customer: Customer, context: MappingContext) -> Outcome:
    where = f"customer {customer.id}"
    excluded = context.settings.customer_excluded(customer)
    if excluded is not None:
        return Skip(Kind.CONTACT, customer.id, excluded)
    ref = Ref(Kind.CONTACT, customer.id)
    external = context.config.external_contacts.get(customer.id)
    number = contact_number(customer, context)
    problems: list[Problem] = []
    if number is not None and len(number) > CONTACT_NUMBER_MAX:
        problems.append(
            Problem(
                where,
                f"ContactNumber {number!r} is longer than Xero's {CONTACT_NUMBER_MAX} characters; "
                "map the customer to a shorter code in external_mappings",
                field="id",
            )
        )
    body: dict[str, Any] = {}
    if external is not None and external.contact_id is not None:
        body["ContactID"] = external.contact_id
        key = NaturalKey(RESOURCE, "ContactID", external.contact_id)
    else:
        if context.held(ref) is not None:
            body["ContactID"] = ref
        key = NaturalKey(RESOURCE, "ContactNumber", str(number))
    if number is not None:
        body["ContactNumber"] = number

    if customer.deleted:
        if "ContactID" not in body:
            return Skip(
                Kind.CONTACT, customer.id, "customer deleted before it was ever sent to Xero: nothing to archive"
            )
        if problems:
            return Rejected(Kind.CONTACT, customer.id, tuple(problems))
        body["ContactStatus"] = ARCHIVED
        return Write(Kind.CONTACT, customer.id, RESOURCE, body, key)

    name = context.contact_names.get(customer.id)
    if not name:
        problems.append(Problem(where, f"name {customer.name!r} is empty once control characters are removed", "name"))
    else:
        body["Name"] = name
    if customer.email is not None and customer.email.strip():
        email = customer.email.strip()
        if len(email) > NAME_MAX:
            problems.append(Problem(where, f"email is longer than Xero's {NAME_MAX} characters", field="email"))
        body["EmailAddress"] = email
    if context.config.sync_addresses and customer.address is not None:
        address = _pobox(customer.address)
        for name_of_field, limit in _ADDRESS_LIMITS.items():
            if len(address.get(name_of_field, "")) > limit:
                problems.append(
                    Problem(where, f"{name_of_field} is longer than Xero's {limit} characters", field="address")
                )
        if len(address) > 1:
            body["Addresses"] = [address]
    if problems:
        return Rejected(Kind.CONTACT, customer.id, tuple(problems))
    return Write(Kind.CONTACT, customer.id, RESOURCE, body, key)


def _pobox(address: Address) -> dict[str, str]:
    fields = {
        "AddressLine1": address.line1,
        "AddressLine2": address.line2,
        "City": address.city,
        "Region": address.region,
        "PostalCode": address.postal_code,
        "Country": address.country,
    }
    return {"AddressType": "POBOX", **{key: value.strip() for key, value in fields.items() if value and value.strip()}}
