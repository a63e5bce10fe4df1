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
from syncer.mapping.outcomes import NaturalKey, Operation, Outcome, Priority, Problem, Rejected, Skip
from syncer.mapping.rules.common import planned
from syncer.refs import Kind, Ref
from syncer.source.model import Address, Customer

CONTACTS = "Contacts"
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
    def problem(message: str, field: str) -> Problem:
        return Problem(message, Kind.CONTACT, customer.id, field)

    excluded = context.settings.customer_excluded(customer)
    if excluded is not None:
        return Skip(Kind.CONTACT, customer.id, excluded)
    external = context.config.external_contacts.get(customer.id)
    known_id = external.contact_id if external is not None else None
    number = contact_number(customer, context)
    problems: list[Problem] = []
    if (required := context.settings.customer_problem(customer)) is not None:
        problems.append(problem(required, "id"))
    if number is not None and len(number) > CONTACT_NUMBER_MAX:
        message = (
            f"ContactNumber {number!r} is longer than Xero's {CONTACT_NUMBER_MAX} characters; "
            "map the customer to a shorter code in external_mappings"
        )
        problems.append(problem(message, "id"))
    if known_id is not None:
        key = NaturalKey(CONTACTS, "ContactID", known_id)
    else:
        key = NaturalKey(CONTACTS, "ContactNumber", str(number))
    body: dict[str, Any] = {}
    if number is not None:
        body["ContactNumber"] = number

    if customer.deleted:
        if known_id is None and Ref(Kind.CONTACT, customer.id) not in context.held:
            return Skip(
                Kind.CONTACT, customer.id, "customer deleted before it was ever sent to Xero: nothing to archive"
            )
        if problems:
            return Rejected(Kind.CONTACT, customer.id, tuple(problems))
        body["ContactStatus"] = ARCHIVED
        return planned(
            Kind.CONTACT,
            customer.id,
            CONTACTS,
            body,
            key,
            context,
            reason=f"customer {customer.id} was deleted in billing: archive its contact",
            priority=Priority.COSMETIC,
            operation=Operation.ARCHIVE,
            xero_id=known_id,
        )

    name = context.contact_names.get(customer.id)
    if not name:
        problems.append(problem(f"name {customer.name!r} is empty once control characters are removed", "name"))
    else:
        body["Name"] = name
    if customer.email is not None and customer.email.strip():
        email = customer.email.strip()
        if len(email) > NAME_MAX:
            problems.append(problem(f"email is longer than Xero's {NAME_MAX} characters", "email"))
        body["EmailAddress"] = email
    if context.config.sync_addresses and customer.address is not None:
        address = _pobox(customer.address)
        for name_of_field, limit in _ADDRESS_LIMITS.items():
            if len(address.get(name_of_field, "")) > limit:
                problems.append(problem(f"{name_of_field} is longer than Xero's {limit} characters", "address"))
        if len(address) > 1:
            body["Addresses"] = [address]
    if problems:
        return Rejected(Kind.CONTACT, customer.id, tuple(problems))
    exists = known_id is not None or Ref(Kind.CONTACT, customer.id) in context.held
    return planned(
        Kind.CONTACT,
        customer.id,
        CONTACTS,
        body,
        key,
        context,
        reason=f"customer {customer.id} as billing has it" if exists else f"new customer {customer.id}",
        # a new contact is needed before its invoices; changing one that exists is the cosmetic kind of write
        priority=Priority.COSMETIC if exists else Priority.DOCUMENT,
        xero_id=known_id,
    )


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
