"""/BankTransactions over HTTP: spend and receive money, Xero's line rules both ways, and their journals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from tests.helpers import validation_messages

CONTACT_NOT_IDENTIFIED = (
    "The Contact must contain at least 1 of the following elements to identify the contact: "
    "Name, ContactID, ContactNumber"
)


@pytest.fixture
def books(emulator):
    return emulator.backend(DEFAULT_TENANT_ID)


def transaction(**overrides):
    body = {
        "Type": "SPEND",
        "Contact": {"Name": "Acme Supplies"},
        "BankAccount": {"Code": "090"},
        "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": "100.00", "AccountCode": "429"}],
    }
    body.update(overrides)
    return body


def create(xero, **overrides):
    response = xero.put("/BankTransactions", {"BankTransactions": [transaction(**overrides)]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["BankTransactions"][0]


def refused(xero, **overrides):
    response = xero.put("/BankTransactions", {"BankTransactions": [transaction(**overrides)]})
    assert response.status_code == 400, response.get_data(as_text=True)
    return validation_messages(response)


def posted(books, source_id):
    """{account code: net} over every journal of the source (reversals included)."""
    nets: dict[str, D] = {}
    for journal in books.journals_for(source_id):
        for line in journal["JournalLines"]:
            nets[line["AccountCode"]] = nets.get(line["AccountCode"], D(0)) + line["NetAmount"]
    return nets


def line(**overrides):
    return {"Description": "x", "Quantity": 1, "UnitAmount": "10.00", "AccountCode": "429", **overrides}


# --- creating and arithmetic ---------------------------------------------------------------------------


def test_spend_is_created_authorised_with_computed_totals(xero, clock):
    created = create(xero)
    assert created["Type"] == "SPEND" and created["Status"] == "AUTHORISED"
    assert (created["SubTotal"], created["TotalTax"], created["Total"]) == (D("100.00"), D("15.00"), D("115.00"))
    assert created["LineAmountTypes"] == "Exclusive"
    assert created["BankAccount"]["Code"] == "090" and created["BankAccount"]["Name"] == "Business Bank Account"
    assert created["Contact"]["Name"] == "Acme Supplies"
    assert created["IsReconciled"] is False
    assert created["DateString"] == "2026-01-15T00:00:00"  # today on the test clock
    assert created["CurrencyCode"] == "NZD"
    item = created["LineItems"][0]
    assert (item["TaxType"], item["TaxAmount"], item["LineAmount"]) == ("INPUT2", D("15.00"), D("100.00"))


def test_spend_posts_cashpaid_debiting_lines_and_tax_crediting_the_bank(xero, books):
    created = create(xero)
    (journal,) = books.journals_for(created["BankTransactionID"])
    assert journal["SourceType"] == "CASHPAID"
    assert posted(books, created["BankTransactionID"]) == {"429": D("100.00"), "820": D("15.00"), "090": D("-115.00")}


def test_receive_posts_cashrec_the_mirror(xero, books):
    created = create(xero, Type="RECEIVE", LineItems=[line(AccountCode="200", UnitAmount="40.00")])
    (journal,) = books.journals_for(created["BankTransactionID"])
    assert journal["SourceType"] == "CASHREC"
    assert posted(books, created["BankTransactionID"]) == {"200": D("-40.00"), "820": D("-6.00"), "090": D("46.00")}


def test_inclusive_amounts_contain_their_tax_as_in_xeros_example(xero, books):
    created = create(xero, LineAmountTypes="Inclusive", LineItems=[line(UnitAmount="20.00")])
    assert (created["SubTotal"], created["TotalTax"], created["Total"]) == (D("17.39"), D("2.61"), D("20.00"))
    assert posted(books, created["BankTransactionID"]) == {"429": D("17.39"), "820": D("2.61"), "090": D("-20.00")}


def test_no_tax_lines_carry_no_tax(xero):
    created = create(xero, LineAmountTypes="NoTax")
    assert (created["SubTotal"], created["TotalTax"], created["Total"]) == (D("100.00"), D("0.00"), D("100.00"))


def test_tax_is_rounded_per_line(xero):
    lines = [line(UnitAmount=amount) for amount in ("25.06", "25.61", "25.63")]
    created = create(xero, LineItems=lines)
    assert (created["SubTotal"], created["TotalTax"], created["Total"]) == (D("76.30"), D("11.44"), D("87.74"))


def test_quantity_defaults_to_one_and_unit_amounts_round_to_two_places(xero):
    created = create(xero, LineItems=[{"UnitAmount": "10.005", "AccountCode": "429"}])
    item = created["LineItems"][0]
    assert (item["Quantity"], item["UnitAmount"], item["LineAmount"]) == (D("1.0000"), D("10.01"), D("10.01"))


def test_unitdp_4_keeps_four_places(xero):
    response = xero.put(
        "/BankTransactions?unitdp=4",
        {"BankTransactions": [transaction(LineItems=[line(Quantity=3, UnitAmount="1.2345")])]},
    )
    item = response.json["BankTransactions"][0]["LineItems"][0]
    assert (item["UnitAmount"], item["LineAmount"]) == (D("1.2345"), D("3.70"))


def test_line_amount_alone_gives_the_unit_amount(xero):
    created = create(xero, LineItems=[{"LineAmount": "30.00", "Quantity": 3, "AccountCode": "429"}])
    assert created["LineItems"][0]["UnitAmount"] == D("10.00")


def test_client_totals_are_ignored(xero):
    created = create(xero, Total="1.00", SubTotal="1.00")
    assert created["Total"] == D("115.00")


def test_reference_and_date_are_kept(xero):
    created = create(xero, Reference="INV 42", Date="2026-01-02")
    assert created["Reference"] == "INV 42"
    assert created["DateString"] == "2026-01-02T00:00:00"


def test_an_item_code_fills_the_line_from_the_items_purchase_details(xero, books, emulator):
    with emulator.store.transaction():
        books._save(
            "Items",
            "item-1",
            {
                "ItemID": "item-1",
                "Code": "PAPER",
                "Name": "Paper",
                "PurchaseDescription": "A4 paper",
                "PurchaseDetails": {"UnitPrice": D("8.50"), "AccountCode": "429", "TaxType": "INPUT2"},
            },
        )
    created = create(xero, LineItems=[{"ItemCode": "paper", "Quantity": 2}])
    item = created["LineItems"][0]
    assert (item["ItemCode"], item["Description"], item["UnitAmount"], item["AccountCode"]) == (
        "PAPER",
        "A4 paper",
        D("8.50"),
        "429",
    )
    assert created["Total"] == D("19.55")


def test_an_unknown_item_code_is_refused(xero):
    assert refused(xero, LineItems=[line(ItemCode="NOPE")]) == ["The Item with code 'NOPE' could not be found."]


# --- contact -------------------------------------------------------------------------------------------


def test_a_contact_is_required(xero):
    body = transaction()
    del body["Contact"]
    response = xero.put("/BankTransactions", {"BankTransactions": [body]})
    assert response.status_code == 400
    assert validation_messages(response) == [CONTACT_NOT_IDENTIFIED]


def test_a_contact_without_name_id_or_number_is_refused_with_xeros_message(xero):
    assert refused(xero, Contact={"EmailAddress": "a@b.test"}) == [CONTACT_NOT_IDENTIFIED]


def test_an_existing_contact_is_found_by_id_and_by_number(xero):
    contact = xero.put("/Contacts", {"Contacts": [{"Name": "Known Ltd", "ContactNumber": "K1"}]}).json["Contacts"][0]
    assert create(xero, Contact={"ContactID": contact["ContactID"]})["Contact"]["Name"] == "Known Ltd"
    assert create(xero, Contact={"ContactNumber": "K1"})["Contact"]["ContactID"] == contact["ContactID"]
    assert len(xero.get("/Contacts").json["Contacts"]) == 1


def test_a_name_that_matches_nobody_creates_the_contact(xero):
    create(xero, Contact={"Name": "Brand New Ltd"})
    assert [c["Name"] for c in xero.get("/Contacts").json["Contacts"]] == ["Brand New Ltd"]


def test_an_unknown_contact_id_is_refused(xero):
    assert refused(xero, Contact={"ContactID": "00000000-0000-0000-0000-00000000abcd"}) == [
        "The contact with the specified ContactID could not be found."
    ]


def test_an_unknown_contact_number_without_a_name_cannot_create_a_contact(xero):
    assert refused(xero, Contact={"ContactNumber": "nobody"}) == ["Contact Name cannot be empty."]
    assert xero.get("/Contacts").json["Contacts"] == []


def test_an_archived_contact_is_refused(xero):
    contact = xero.put("/Contacts", {"Contacts": [{"Name": "Old Ltd"}]}).json["Contacts"][0]
    xero.post(f"/Contacts/{contact['ContactID']}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    assert refused(xero, Contact={"ContactID": contact["ContactID"]}) == [
        "The contact with the specified contact details has been archived. "
        "The contact must be un-archived before creating new invoices or credit notes."
    ]


# --- bank account and currency -------------------------------------------------------------------------


def test_the_bank_account_may_be_named_by_account_id(xero):
    created = create(xero)
    again = create(xero, BankAccount={"AccountID": created["BankAccount"]["AccountID"]})
    assert again["BankAccount"]["Code"] == "090"


@pytest.mark.parametrize(
    "reference, message",
    [
        (None, "The BankAccount must be specified with a Code or an AccountID."),
        ({"Name": "Business Bank Account"}, "The BankAccount must be specified with a Code or an AccountID."),
        ({"Code": "999"}, "The BankAccount '999' does not match a recognised account."),
        ({"Code": "200"}, "The BankAccount '200' is not a bank account. Use an account of Type BANK."),
    ],
)
def test_the_bank_account_must_be_an_existing_bank_account(xero, reference, message):
    assert refused(xero, BankAccount=reference) == [message]


def test_an_archived_bank_account_is_refused(xero, books, emulator):
    with emulator.store.transaction():
        account = books.account_by_code("091")
        books._save("Accounts", account["AccountID"], {**account, "Status": "ARCHIVED"})
    assert refused(xero, BankAccount={"Code": "091"}) == [
        "The BankAccount '091' has been archived, or has been deleted."
    ]


def test_the_currency_must_match_the_bank_accounts(xero):
    assert create(xero, CurrencyCode="NZD")["CurrencyCode"] == "NZD"
    assert refused(xero, CurrencyCode="USD") == [
        "The currency USD does not match the currency of the bank account 090 (NZD)."
    ]


def test_a_foreign_currency_bank_account_sets_the_currency(xero, books, emulator):
    with emulator.store.transaction():
        books._insert_account(
            {
                "Code": "092",
                "Name": "USD Account",
                "Type": "BANK",
                "CurrencyCode": "USD",
                "BankAccountNumber": "1",
                "BankAccountType": "BANK",
                "TaxType": "NONE",
            }
        )
    created = create(xero, BankAccount={"Code": "092"})
    assert created["CurrencyCode"] == "USD"
    (journal,) = books.journals_for(created["BankTransactionID"])
    assert journal["CurrencyCode"] == "NZD"  # journals are in base currency; the USD amounts ride beside


# --- line items ----------------------------------------------------------------------------------------


def test_at_least_one_line_item_is_required(xero):
    assert refused(xero, LineItems=[]) == ["A bank transaction must have at least one line item."]


def test_a_zero_quantity_is_accepted_and_a_negative_one_refused(xero):
    assert create(xero, LineItems=[line(Quantity=0)])["Total"] == D("0.00")
    assert refused(xero, LineItems=[line(Quantity=-1)]) == [
        "The quantity value '-1.0000' is invalid. Quantity must not be less than zero."
    ]


@pytest.mark.parametrize("unit_amount", ["0", "-5.00", None])
def test_the_unit_amount_must_be_greater_than_zero(xero, unit_amount):
    assert refused(xero, LineItems=[line(UnitAmount=unit_amount)]) == [
        "The UnitAmount of a bank transaction line must be greater than zero."
    ]


def test_amounts_too_large_to_calculate_with_are_refused(xero):
    assert refused(xero, LineItems=[line(UnitAmount="1e30")]) == [
        "The UnitAmount value '1E+30' is out of range: amounts must be below 1,000,000,000,000."
    ]


def test_a_unit_amount_derived_from_a_tiny_quantity_is_refused_when_too_large(xero):
    # LineAmount / Quantity = 1e15: out of range although both given values are in range.
    lines = [line(UnitAmount=None, Quantity="0.0001", LineAmount="100000000000")]
    assert refused(xero, LineItems=lines) == [
        "The UnitAmount value '1.00000000000E+15' is out of range: amounts must be below 1,000,000,000,000."
    ]


@pytest.mark.parametrize(
    "code, message",
    [
        (None, "Each line item of a bank transaction must have an AccountCode or AccountID."),
        ("476", "Account code '476' has been removed as it does not match a recognised account."),
        ("091", "Account code '091' is not a valid code for this document"),
        ("610", "Account code '610' is not a valid code for this document"),
    ],
)
def test_line_accounts_must_be_usable(xero, code, message):
    assert refused(xero, LineItems=[line(AccountCode=code)]) == [message]


def test_an_archived_line_account_is_refused_with_xeros_message(xero, books, emulator):
    with emulator.store.transaction():
        account = books.account_by_code("260")
        books._save("Accounts", account["AccountID"], {**account, "Status": "ARCHIVED"})
    assert refused(xero, LineItems=[line(AccountCode="260")]) == [
        "Account code '260' has been archived, or has been deleted. Each line item must reference a valid account."
    ]


def test_a_line_account_may_be_named_by_account_id(xero, books):
    account_id = books.account_by_code("404")["AccountID"]
    created = create(xero, LineItems=[line(AccountCode=None, AccountID=account_id)])
    assert created["LineItems"][0]["AccountCode"] == "404"
    assert created["TotalTax"] == D("0.00")  # Bank Fees default to no tax


def test_an_unknown_tax_type_is_refused(xero):
    assert refused(xero, LineItems=[line(TaxType="GST on Income")]) == [
        "The TaxType code 'GST on Income' does not exist or cannot be used for this type of transaction."
    ]


def test_a_tax_type_that_cannot_apply_to_the_account_is_refused(xero):
    assert refused(xero, LineItems=[line(TaxType="OUTPUT2")]) == [
        "The TaxType code 'OUTPUT2' cannot be used with account code '429'."
    ]


def test_every_problem_is_reported_at_once(xero):
    assert refused(xero, Contact={}, BankAccount={"Code": "999"}, LineItems=[line(Quantity=-1, AccountCode="476")]) == [
        CONTACT_NOT_IDENTIFIED,
        "The BankAccount '999' does not match a recognised account.",
        "Account code '476' has been removed as it does not match a recognised account.",
        "The quantity value '-1.0000' is invalid. Quantity must not be less than zero.",
    ]


# --- types and statuses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, message",
    [
        (None, "The Type of a bank transaction must be specified (SPEND or RECEIVE)."),
        (
            "SPEND-TRANSFER",
            "Bank transactions of type SPEND-TRANSFER are created by bank transfers; use the BankTransfers endpoint.",
        ),
    ],
)
def test_a_transfer_type_or_no_type_cannot_be_created(xero, kind, message):
    assert refused(xero, Type=kind) == [message]


def test_an_unknown_type_is_post_data_invalid(xero):
    response = xero.put("/BankTransactions", {"BankTransactions": [transaction(Type="SPENDING")]})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert "BankTransactions[0].Type" in response.json["Message"]


def test_a_transaction_cannot_be_created_deleted(xero):
    assert refused(xero, Status="DELETED") == ["A bank transaction cannot be created with the status DELETED."]


# --- reading -------------------------------------------------------------------------------------------


def test_get_one_and_list(xero):
    created = create(xero)
    one = xero.get(f"/BankTransactions/{created['BankTransactionID']}")
    assert one.status_code == 200
    assert one.json["BankTransactions"][0] == created
    assert [t["BankTransactionID"] for t in xero.get("/BankTransactions").json["BankTransactions"]] == [
        created["BankTransactionID"]
    ]


def test_an_unknown_transaction_is_404(xero):
    response = xero.get("/BankTransactions/00000000-0000-0000-0000-00000000abcd")
    assert response.status_code == 404


def test_the_contact_shown_is_the_current_one(xero):
    created = create(xero)
    contact_id = created["Contact"]["ContactID"]
    xero.post(f"/Contacts/{contact_id}", {"Contacts": [{"Name": "Renamed Ltd"}]})
    shown = xero.get(f"/BankTransactions/{created['BankTransactionID']}").json["BankTransactions"][0]
    assert shown["Contact"]["Name"] == "Renamed Ltd"


# --- updating and deleting -----------------------------------------------------------------------------


def update(xero, transaction_id, **values):
    return xero.post(f"/BankTransactions/{transaction_id}", {"BankTransactions": [values]})


def test_an_update_reprices_and_reposts(xero, books):
    created = create(xero)
    response = update(xero, created["BankTransactionID"], LineItems=[line(UnitAmount="200.00")])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["BankTransactions"][0]["Total"] == D("230.00")
    assert len(books.journals_for(created["BankTransactionID"])) == 3  # original, reversal, new
    assert posted(books, created["BankTransactionID"]) == {"429": D("200.00"), "820": D("30.00"), "090": D("-230.00")}


def test_a_reference_only_update_does_not_repost(xero, books):
    created = create(xero)
    response = update(xero, created["BankTransactionID"], Reference="new ref")
    assert response.json["BankTransactions"][0]["Reference"] == "new ref"
    assert len(books.journals_for(created["BankTransactionID"])) == 1


def test_post_collection_updates_by_id_or_creates(xero):
    created = create(xero)
    response = xero.post(
        "/BankTransactions",
        {"BankTransactions": [{"BankTransactionID": created["BankTransactionID"], "Reference": "r"}, transaction()]},
    )
    first, second = response.json["BankTransactions"]
    assert first["BankTransactionID"] == created["BankTransactionID"] and first["Reference"] == "r"
    assert second["BankTransactionID"] != created["BankTransactionID"]


def test_updating_an_unknown_id_in_the_body_is_refused_and_in_the_path_is_404(xero):
    unknown = "00000000-0000-0000-0000-00000000abcd"
    response = xero.post("/BankTransactions", {"BankTransactions": [{"BankTransactionID": unknown, "Reference": "r"}]})
    assert validation_messages(response) == [
        "An existing Bank Transaction with the specified BankTransactionID could not be found"
    ]
    assert update(xero, unknown, Reference="r").status_code == 404


def test_delete_reverses_the_journal_and_keeps_the_transaction(xero, books):
    created = create(xero)
    response = update(xero, created["BankTransactionID"], Status="DELETED")
    assert response.status_code == 200
    assert response.json["BankTransactions"][0]["Status"] == "DELETED"
    assert set(posted(books, created["BankTransactionID"]).values()) == {D("0.00")}
    listed = xero.get("/BankTransactions").json["BankTransactions"]
    assert [t["Status"] for t in listed] == ["DELETED"]


def test_deleting_twice_is_harmless_but_a_deleted_transaction_cannot_be_edited(xero, books):
    created = create(xero)
    update(xero, created["BankTransactionID"], Status="DELETED")
    assert update(xero, created["BankTransactionID"], Status="DELETED").status_code == 200
    assert len(books.journals_for(created["BankTransactionID"])) == 2
    response = update(xero, created["BankTransactionID"], Reference="x")
    assert validation_messages(response) == ["This Bank Transaction has been deleted and cannot be changed."]


def test_voiding_is_refused(xero):
    created = create(xero)
    response = update(xero, created["BankTransactionID"], Status="VOIDED")
    assert response.status_code == 400
    assert validation_messages(response) == ["Bank transactions cannot be voided; delete them with the status DELETED."]


def test_a_reconciled_transaction_cannot_be_edited_or_deleted(xero):
    spend = create(xero, IsReconciled=True)
    assert spend["IsReconciled"] is True
    for values in ({"Reference": "x"}, {"Status": "DELETED"}):
        response = update(xero, spend["BankTransactionID"], **values)
        assert validation_messages(response) == ["Spend money transactions cannot be updated"]
    receive = create(xero, Type="RECEIVE", IsReconciled=True, LineItems=[line(AccountCode="200")])
    assert validation_messages(update(xero, receive["BankTransactionID"], Reference="x")) == [
        "Receive money transactions cannot be updated"
    ]


def test_unreconciling_then_editing_is_allowed(xero):
    created = create(xero, IsReconciled=True)
    response = update(xero, created["BankTransactionID"], IsReconciled=False)
    assert response.json["BankTransactions"][0]["IsReconciled"] is False
    assert update(xero, created["BankTransactionID"], Reference="x").status_code == 200


def test_is_reconciled_can_be_set_on_its_own(xero, books):
    created = create(xero)
    response = update(xero, created["BankTransactionID"], IsReconciled=True)
    assert response.json["BankTransactions"][0]["IsReconciled"] is True
    assert len(books.journals_for(created["BankTransactionID"])) == 1


# --- batches -------------------------------------------------------------------------------------------


def test_summarize_errors_false_answers_each_element(xero):
    response = xero.put(
        "/BankTransactions?summarizeErrors=false", {"BankTransactions": [transaction(), transaction(Contact={})]}
    )
    assert response.status_code == 200
    good, bad = response.json["BankTransactions"]
    assert good["StatusAttributeString"] == "OK"
    assert bad["StatusAttributeString"] == "ERROR"
    assert bad["BankTransactionID"] == "00000000-0000-0000-0000-000000000000"
    assert bad["ValidationErrors"] == [{"Message": CONTACT_NOT_IDENTIFIED}]


def test_a_refused_element_leaves_no_contact_or_journal_behind(xero, books):
    response = xero.put(
        "/BankTransactions",
        {"BankTransactions": [transaction(Contact={"Name": "Ghost Ltd"}, LineItems=[line(AccountCode="476")])]},
    )
    assert response.status_code == 400
    assert xero.get("/Contacts").json["Contacts"] == []
    assert list(books.all_journals()) == []


# --- listing -------------------------------------------------------------------------------------------


def test_the_list_is_paged_like_xeros(xero):
    for _ in range(3):
        create(xero)
    body = xero.get("/BankTransactions?page=1&pageSize=2").json
    assert body["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 3}
    assert len(body["BankTransactions"]) == 2


def test_where_and_order_see_types_totals_and_embedded_names(xero):
    create(xero, Contact={"Name": "Paper Co"}, LineItems=[line(UnitAmount="10.00")])
    create(xero, Contact={"Name": "Ink Co"}, LineItems=[line(UnitAmount="30.00")])
    create(xero, Type="RECEIVE", Contact={"Name": "Client Co"}, LineItems=[line(AccountCode="200")])
    spent = xero.get('/BankTransactions?where=Type=="SPEND"&order=Total DESC').json["BankTransactions"]
    assert [t["Contact"]["Name"] for t in spent] == ["Ink Co", "Paper Co"]
    named = xero.get('/BankTransactions?where=Contact.Name=="Client Co" AND BankAccount.Code=="090"').json
    assert [t["Type"] for t in named["BankTransactions"]] == ["RECEIVE"]


def test_if_modified_since_lists_only_later_changes(xero, clock):
    create(xero)
    clock.advance(60)
    later = create(xero)
    since = clock.now().replace(tzinfo=None).isoformat()
    listed = xero.get("/BankTransactions", headers={"If-Modified-Since": since}).json["BankTransactions"]
    assert [t["BankTransactionID"] for t in listed] == [later["BankTransactionID"]]
