from syncer.mapping.config import ExternalContact, SyncSettings
from syncer.mapping.context import Held
from syncer.mapping.outcomes import NaturalKey, Operation, Priority, Problem, Rejected, Skip, Write
from syncer.mapping.rules.contacts import map_contact
from syncer.refs import Kind, Ref
from syncer.source.model import Address, BillingBook, Customer
from tests.syncer.mapping.helpers import config, context, customer

ADDRESS = Address(line1="1 High St ", line2=None, city="Leeds", region="", postal_code="LS1 1AA", country="GB")
GUID = "5b96e86b-418e-48e8-8949-308c14aec278"


def mapped(record: Customer, **options):
    return map_contact(record, context(BillingBook(customers=(record,)), **options))


def test_a_customer_becomes_a_contact_numbered_by_its_billing_id():
    outcome = mapped(customer(email=" ap@acme.test ", address=ADDRESS))
    assert outcome == Write(
        Kind.CONTACT,
        "cus_1",
        Operation.CREATE,
        "PUT",
        "Contacts",
        {"ContactNumber": "cus_1", "Name": "Acme Ltd", "EmailAddress": "ap@acme.test"},
        "new customer cus_1",
        natural_key=NaturalKey("Contacts", "ContactNumber", "cus_1"),
        priority=Priority.DOCUMENT,
    )


def test_the_address_is_sent_as_pobox_when_address_sync_is_on():
    outcome = mapped(customer(address=ADDRESS), mapping=config(sync_addresses=True))
    assert isinstance(outcome, Write)
    assert outcome.body["Addresses"] == [
        {
            "AddressType": "POBOX",
            "AddressLine1": "1 High St",
            "City": "Leeds",
            "PostalCode": "LS1 1AA",
            "Country": "GB",
        }
    ]


def test_no_address_is_sent_when_the_customer_has_none_or_an_empty_one():
    for record in (customer(), customer(address=Address(line1="  "))):
        outcome = mapped(record, mapping=config(sync_addresses=True))
        assert isinstance(outcome, Write)
        assert "Addresses" not in outcome.body


def test_an_address_beyond_xeros_limits_is_rejected():
    outcome = mapped(customer(address=Address(postal_code="9" * 51)), mapping=config(sync_addresses=True))
    assert outcome == Rejected(
        Kind.CONTACT,
        "cus_1",
        (Problem("PostalCode is longer than Xero's 50 characters", Kind.CONTACT, "cus_1", "address"),),
    )


def test_the_name_is_sanitised_and_de_duplicated():
    first, second = customer("cus_1", " Acme\x00 Ltd"), customer("cus_2", "Acme Ltd")
    ctx = context(BillingBook(customers=(second, first)))
    assert map_contact(first, ctx).body["Name"] == "Acme Ltd"  # type: ignore[union-attr]
    assert map_contact(second, ctx).body["Name"] == "Acme Ltd (cus_2)"  # type: ignore[union-attr]


def test_a_name_that_sanitises_to_nothing_is_rejected():
    assert mapped(customer(name="\x01\x02")) == Rejected(
        Kind.CONTACT,
        "cus_1",
        (Problem("name '\\x01\\x02' is empty once control characters are removed", Kind.CONTACT, "cus_1", "name"),),
    )


def test_the_external_mappings_code_replaces_the_billing_id():
    outcome = mapped(customer(), mapping=config(external_contacts={"cus_1": ExternalContact(contact_number="ACME-01")}))
    assert isinstance(outcome, Write)
    assert outcome.body["ContactNumber"] == "ACME-01"
    assert outcome.natural_key == NaturalKey("Contacts", "ContactNumber", "ACME-01")


def test_an_external_contact_id_updates_that_contact():
    outcome = mapped(customer(), mapping=config(external_contacts={"cus_1": ExternalContact(contact_id=GUID)}))
    assert isinstance(outcome, Write)
    assert (outcome.operation, outcome.method, outcome.xero_id, outcome.priority) == (
        Operation.UPDATE,
        "POST",
        GUID,
        Priority.COSMETIC,
    )
    assert outcome.body == {"Name": "Acme Ltd"}
    assert outcome.natural_key == NaturalKey("Contacts", "ContactID", GUID)


def test_a_billing_id_too_long_for_a_contact_number_is_rejected():
    outcome = mapped(customer(id="c" * 51))
    assert isinstance(outcome, Rejected)
    assert [problem.message for problem in outcome.problems] == [
        f"ContactNumber {'c' * 51!r} is longer than Xero's 50 characters; map the customer to a shorter code in "
        "external_mappings"
    ]


def test_a_synced_contact_is_updated_through_its_id_as_a_cosmetic_write():
    outcome = mapped(customer(), held={Ref(Kind.CONTACT, "cus_1"): Held("guid-c", "ACTIVE")})
    assert isinstance(outcome, Write)
    assert (outcome.operation, outcome.method, outcome.xero_id, outcome.priority, outcome.reason) == (
        Operation.UPDATE,
        "POST",
        "guid-c",
        Priority.COSMETIC,
        "customer cus_1 as billing has it",
    )
    assert "ContactID" not in outcome.body


def test_a_deleted_customer_archives_its_contact():
    outcome = mapped(customer(deleted=True), held={Ref(Kind.CONTACT, "cus_1"): Held("guid-c", "ACTIVE")})
    assert outcome == Write(
        Kind.CONTACT,
        "cus_1",
        Operation.ARCHIVE,
        "POST",
        "Contacts",
        {"ContactNumber": "cus_1", "ContactStatus": "ARCHIVED"},
        "customer cus_1 was deleted in billing: archive its contact",
        natural_key=NaturalKey("Contacts", "ContactNumber", "cus_1"),
        priority=Priority.COSMETIC,
        xero_id="guid-c",
    )


def test_a_customer_deleted_before_it_was_ever_sent_is_skipped():
    assert mapped(customer(deleted=True)) == Skip(
        Kind.CONTACT, "cus_1", "customer deleted before it was ever sent to Xero: nothing to archive"
    )


class NoTestAccounts(SyncSettings):
    def customer_excluded(self, customer):
        return "test account" if customer.custom_fields.get("test") else None


def test_a_customer_the_settings_exclude_is_skipped_with_their_reason():
    excluded = customer(custom_fields={"test": True})
    assert mapped(excluded, settings=NoTestAccounts()) == Skip(Kind.CONTACT, "cus_1", "test account")
    assert isinstance(mapped(customer(), settings=NoTestAccounts()), Write)
