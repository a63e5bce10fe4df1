from decimal import Decimal
from xml.etree import ElementTree

import pytest

from mockxero import xmlwire


def test_wrapped_collection_reads_as_a_json_batch():
    body = b"<Contacts><Contact><Name>Acme</Name></Contact><Contact><Name>Beta</Name></Contact></Contacts>"
    assert xmlwire.parse_body(body) == {"Contacts": [{"Name": "Acme"}, {"Name": "Beta"}]}


def test_bare_element_reads_as_one_object():
    body = (
        b"<Invoice><Type>ACCREC</Type><Contact><ContactID>abc</ContactID></Contact>"
        b"<LineItems><LineItem><Quantity>1</Quantity><UnitAmount>100.00</UnitAmount></LineItem></LineItems>"
        b"</Invoice>"
    )
    assert xmlwire.parse_body(body) == {
        "Type": "ACCREC",
        "Contact": {"ContactID": "abc"},
        "LineItems": [{"Quantity": "1", "UnitAmount": "100.00"}],
    }


def test_empty_known_collection_is_an_empty_list_and_empty_text_is_empty_string():
    assert xmlwire.parse_body(b"<Contact><Phones /><Name></Name></Contact>") == {"Phones": [], "Name": ""}


def test_single_child_collections_stay_lists():
    body = b"<Contact><Addresses><Address><City>Wellington</City></Address></Addresses></Contact>"
    assert xmlwire.parse_body(body) == {"Addresses": [{"City": "Wellington"}]}


def test_an_allocations_applied_amount_reads_as_its_json_amount():
    bare = b"<Allocation><Invoice><InvoiceID>abc</InvoiceID></Invoice><AppliedAmount>10.00</AppliedAmount></Allocation>"
    assert xmlwire.parse_body(bare) == {"Invoice": {"InvoiceID": "abc"}, "Amount": "10.00"}
    wrapped = b"<Allocations><Allocation><AppliedAmount>2.50</AppliedAmount></Allocation></Allocations>"
    assert xmlwire.parse_body(wrapped) == {"Allocations": [{"Amount": "2.50"}]}


def test_applied_amount_keeps_its_name_outside_an_allocation():
    # An overpayment's own AppliedAmount is a different field from an allocation's amount.
    body = b"<Overpayment><AppliedAmount>5.00</AppliedAmount></Overpayment>"
    assert xmlwire.parse_body(body) == {"AppliedAmount": "5.00"}


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b"<Allocation><Amount>1</Amount><AppliedAmount>1</AppliedAmount></Allocation>", "both 'AppliedAmount'"),
        (b"<Contact><Name>x</Contact>", "not well formed"),
        (b"<Contact><Name>a</Name><Name>b</Name></Contact>", "appears twice"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><Contact><Name>&a;</Name></Contact>', "entities"),
        # a DTD however far into the body, and an external entity, are refused as well
        (b"<!--" + b"x" * 4096 + b"--><!DOCTYPE x [<!ELEMENT x ANY>]><Contact><Name>a</Name></Contact>", "entities"),
        (b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><Contact><Name>a</Name></Contact>', "entities"),
    ],
)
def test_unreadable_xml_is_refused_with_a_reason(body, fragment):
    with pytest.raises(xmlwire.XmlBodyError, match=fragment):
        xmlwire.parse_body(body)


def test_envelope_renders_as_response_with_singular_children_and_iso_dates():
    body = {
        "Id": "x",
        "Status": "OK",
        "DateTimeUTC": "/Date(1552262400123)/",
        "Contacts": [
            {
                "ContactID": "c1",
                "Name": "Acme",
                "IsCustomer": True,
                "Balance": Decimal("1.50"),
                "UpdatedDateUTC": "/Date(1552262400000+0000)/",
                "Phones": [],
            }
        ],
    }
    root = ElementTree.fromstring(xmlwire.render(body))
    assert root.tag == "Response"
    contact = root.find("Contacts/Contact")
    assert contact.findtext("Name") == "Acme"
    assert contact.findtext("IsCustomer") == "true"
    assert contact.findtext("Balance") == "1.50"
    assert contact.findtext("UpdatedDateUTC") == "2019-03-11T00:00:00"
    assert root.findtext("DateTimeUTC") == "2019-03-11T00:00:00.123"
    assert contact.find("Phones") is not None and list(contact.find("Phones")) == []


def test_validation_errors_render_as_api_exception():
    body = {
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": [{"ContactID": "z", "ValidationErrors": [{"Message": "Contact Name cannot be empty."}]}],
    }
    root = ElementTree.fromstring(xmlwire.render(body))
    assert root.tag == "ApiException"
    element = root.find("Elements/DataContractBase")
    assert element.get(f"{{{xmlwire.XSI}}}type") == "Contact"
    assert element.findtext("ValidationErrors/ValidationError/Message") == "Contact Name cannot be empty."


@pytest.mark.parametrize(
    "plural, single",
    [
        ("Invoices", "Invoice"),
        ("Currencies", "Currency"),
        ("Addresses", "Address"),
        ("TaxRates", "TaxRate"),
        ("Tracking", "TrackingCategory"),
        ("BankTransactions", "BankTransaction"),
        ("Elements", "DataContractBase"),
    ],
)
def test_singular_names(plural, single):
    assert xmlwire.singular(plural) == single
