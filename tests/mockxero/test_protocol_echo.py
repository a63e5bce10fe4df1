"""With ``summarizeErrors=false`` (and in a summarised 400), a refused element is echoed as parsed into the
resource's own fields: no keys the resource does not know, and the fields Xero's response schemas require."""

from __future__ import annotations

from decimal import Decimal

from mockxero.ids import ZERO_GUID


def test_a_refused_bank_transfer_is_echoed_without_junk_keys_and_with_its_required_fields(xero):
    body = {"BankTransfers": [{"Reference": "r1", "Junk": {"deep": [1]}, "Amount": "5.00"}]}
    response = xero.put("/BankTransfers?summarizeErrors=false", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    element = response.json["BankTransfers"][0]
    assert "Junk" not in element
    assert element["Reference"] == "r1" and element["Amount"] == Decimal("5.00")
    assert element["FromBankAccount"] == {} and element["ToBankAccount"] == {}
    assert element["BankTransferID"] == ZERO_GUID and element["StatusAttributeString"] == "ERROR"
    assert element["ValidationErrors"][0] == {
        "Message": "The FromBankAccount must be specified with a Code or an AccountID."
    }


def test_a_refused_bank_transaction_without_a_type_is_echoed_with_one(xero):
    body = {"BankTransactions": [{"Contact": {"Name": "Acme"}, "Mystery": 1}]}
    response = xero.put("/BankTransactions?summarizeErrors=false", body)
    element = response.json["BankTransactions"][0]
    assert "Mystery" not in element
    assert (element["Type"], element["LineItems"], element["BankAccount"]) == ("RECEIVE", [], {})
    assert element["Contact"]["Name"] == "Acme"  # the contact as its schema writes it, as in Xero's example
    assert element["ValidationErrors"][0]["Message"] == (
        "The Type of a bank transaction must be specified (SPEND or RECEIVE)."
    )


def test_a_refused_element_keeps_what_the_client_sent_in_the_resource_s_fields(xero):
    body = {"BankTransactions": [{"Type": "SPEND", "Reference": "mine", "BankAccount": {"Code": "999"}}]}
    element = xero.put("/BankTransactions?summarizeErrors=false", body).json["BankTransactions"][0]
    assert (element["Type"], element["Reference"], element["BankAccount"]) == ("SPEND", "mine", {"Code": "999"})


def test_a_refused_item_without_a_code_is_echoed_with_an_empty_one(xero):
    response = xero.put("/Items?summarizeErrors=false", {"Items": [{"Name": "Widget", "Extra": "x"}]})
    element = response.json["Items"][0]
    assert (element["Code"], element["Name"]) == ("", "Widget") and "Extra" not in element


def test_the_summarised_400_echoes_elements_the_same_way(xero):
    response = xero.put("/BankTransfers", {"BankTransfers": [{"Junk": True}]})
    assert response.status_code == 400
    element = response.json["Elements"][0]
    assert "Junk" not in element and element["FromBankAccount"] == {}


def test_a_payment_s_read_only_fields_are_echoed_too(xero):
    body = {"Payments": [{"InvoiceNumber": "INV-9999", "Amount": "1.00", "Date": "2026-01-20", "Junk": 1}]}
    element = xero.put("/Payments?summarizeErrors=false", body).json["Payments"][0]
    assert element["InvoiceNumber"] == "INV-9999" and "Junk" not in element
    assert element["ValidationErrors"] == [
        {"Message": "The invoice or credit note specified for this payment could not be found."}
    ]


def test_a_refused_credit_note_sent_with_null_allocations_is_echoed_with_an_empty_list(xero):
    # found by tests/mockxero/api/test_documents_fuzz.py: the echo dumped the null as a list of allocations (a 500)
    body = {"CreditNotes": [{"Type": "ACCRECCREDIT", "Allocations": None}]}
    response = xero.put("/CreditNotes?summarizeErrors=false", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    element = response.json["CreditNotes"][0]
    assert element["Allocations"] == [] and element["StatusAttributeString"] == "ERROR"
    assert element["ValidationErrors"] == [
        {
            "Message": "The Contact must contain at least 1 of the following elements to identify the contact: "
            "Name, ContactID, ContactNumber"
        },
        {"Message": "One or more line items must be specified"},
    ]
