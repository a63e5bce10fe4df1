"""/Accounts over HTTP: Xero's chart-of-accounts rules, each accepted and refused."""

from __future__ import annotations

import pytest

from mockxero import create_app
from mockxero.config import MockConfig, TenantConfig
from tests.helpers import XeroTestClient, issue_token, validation_messages

EXPENSE = {"Code": "123456", "Name": "Foobar", "Type": "EXPENSE", "Description": "Hello World"}
BANK = {"Name": "Cheque Account", "Type": "BANK", "BankAccountNumber": "12-3456-7890123-00"}


def create(xero, **account):
    response = xero.put("/Accounts", account)
    assert response.status_code == 200, response.get_data(as_text=True)
    (created,) = response.json["Accounts"]
    return created


def refused(response) -> list[str]:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["ErrorNumber"] == 10
    return validation_messages(response)


def update(xero, account_id, **changes):
    return xero.post(f"/Accounts/{account_id}", {"Accounts": [changes]})


def by_code(xero, code):
    return next(a for a in xero.get("/Accounts").json["Accounts"] if a.get("Code") == code)


@pytest.fixture
def au_xero(clock):
    app = create_app(MockConfig(clock=clock, testing=True, tenants=(TenantConfig(country_code="AU"),)))
    client = app.test_client()
    return XeroTestClient(client, issue_token(client))


# --- reading -------------------------------------------------------------------------------------------


def test_a_new_tenant_has_xeros_demo_chart(xero):
    response = xero.get("/Accounts")
    assert response.status_code == 200
    accounts = {a["Code"]: a for a in response.json["Accounts"]}
    assert accounts["090"]["Type"] == "BANK" and accounts["090"]["BankAccountType"] == "BANK"
    assert accounts["200"]["Class"] == "REVENUE" and accounts["200"]["TaxType"] == "OUTPUT2"
    assert accounts["610"]["SystemAccount"] == "DEBTORS"
    assert "Description" not in accounts["090"]


def test_get_one_by_account_id(xero):
    sales = by_code(xero, "200")
    response = xero.get(f"/Accounts/{sales['AccountID']}")
    assert response.status_code == 200
    assert response.json["Accounts"] == [sales]


def test_unknown_or_malformed_account_id_is_404(xero):
    assert xero.get("/Accounts/00000000-0000-0000-0000-00000000abcd").status_code == 404
    assert xero.get("/Accounts/200").status_code == 404


# --- creating ------------------------------------------------------------------------------------------


def test_create_answers_like_the_spec_example(xero):
    account = create(xero, **EXPENSE)
    assert {
        k: account[k]
        for k in (
            "Code",
            "Name",
            "Status",
            "Type",
            "Description",
            "Class",
            "EnablePaymentsToAccount",
            "ShowInExpenseClaims",
            "ReportingCode",
            "ReportingCodeName",
        )
    } == {
        "Code": "123456",
        "Name": "Foobar",
        "Status": "ACTIVE",
        "Type": "EXPENSE",
        "Description": "Hello World",
        "Class": "EXPENSE",
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        "ReportingCode": "EXP",
        "ReportingCodeName": "Expense",
    }
    assert account["TaxType"] == "INPUT2"  # the organisation's purchases rate, as Xero defaults it
    assert account["UpdatedDateUTC"].endswith("+0000)/")
    assert by_code(xero, "123456")["AccountID"] == account["AccountID"]


def test_a_wrapped_body_is_accepted_and_only_its_first_account_is_created(xero):
    response = xero.put("/Accounts", {"Accounts": [EXPENSE, {**EXPENSE, "Code": "999", "Name": "Other"}]})
    assert response.status_code == 200
    assert [a["Code"] for a in response.json["Accounts"]] == ["123456"]
    assert not any(a["Code"] == "999" for a in xero.get("/Accounts").json["Accounts"])


def test_class_and_reporting_code_follow_the_type(xero):
    assert create(xero, Code="300", Name="Fit-out", Type="FIXED")["Class"] == "ASSET"
    liability = create(xero, Code="301", Name="Loan", Type="TERMLIAB")
    assert (liability["Class"], liability["ReportingCode"], liability["ReportingCodeName"]) == (
        "LIABILITY",
        "LIA",
        "Liability",
    )


def test_missing_code_is_refused(xero):
    assert refused(xero.put("/Accounts", {"Name": "No code", "Type": "EXPENSE"})) == ["Please enter a Code."]


def test_code_of_ten_is_accepted_and_eleven_refused(xero):
    assert create(xero, Code="A123456789", Name="Ten", Type="EXPENSE")["Code"] == "A123456789"
    response = xero.put("/Accounts", {"Code": "A1234567890", "Name": "Eleven", "Type": "EXPENSE"})
    assert refused(response) == ["Account Code is too long. Maximum of 10 characters allowed"]


def test_code_must_be_letters_and_digits(xero):
    response = xero.put("/Accounts", {"Code": "200-1", "Name": "Dashed", "Type": "EXPENSE"})
    assert refused(response) == ["Account Code must contain only letters and numbers."]


def test_code_is_unique_without_regard_to_case(xero):
    create(xero, Code="abc", Name="First", Type="EXPENSE")
    response = xero.put("/Accounts", {"Code": "ABC", "Name": "Second", "Type": "EXPENSE"})
    assert refused(response) == ["Please enter a unique Code."]


def test_name_is_required(xero):
    assert refused(xero.put("/Accounts", {"Code": "555", "Type": "EXPENSE"})) == ["Please enter a Name."]


def test_name_of_150_is_accepted_and_151_refused(xero):
    assert create(xero, Code="555", Name="n" * 150, Type="EXPENSE")["Name"] == "n" * 150
    response = xero.put("/Accounts", {"Code": "556", "Name": "m" * 151, "Type": "EXPENSE"})
    assert refused(response) == ["Account Name is too long. Maximum of 150 characters allowed"]


def test_duplicate_name_gets_xeros_message_and_the_element_echoed(xero):
    create(xero, **EXPENSE)
    response = xero.put("/Accounts", {**EXPENSE, "Code": "654321", "Name": "FOOBAR "})
    assert refused(response) == ["Please enter a unique Name."]
    assert response.json["Elements"][0]["Code"] == "654321"


def test_type_is_required_and_must_be_one_of_xeros(xero):
    assert refused(xero.put("/Accounts", {"Code": "557", "Name": "Typeless"})) == ["Account Type must be specified"]
    response = xero.put("/Accounts", {"Code": "557", "Name": "Odd", "Type": "ODD"})
    assert response.status_code == 400
    assert response.json["Type"] == "PostDataInvalidException"
    assert "Accounts[0].Type" in response.json["Message"]


def test_description_of_4000_is_accepted_and_4001_refused(xero):
    assert len(create(xero, Code="560", Name="Long", Type="EXPENSE", Description="d" * 4000)["Description"]) == 4000
    response = xero.put("/Accounts", {"Code": "561", "Name": "Longer", "Type": "EXPENSE", "Description": "d" * 4001})
    assert refused(response) == ["Account Description is too long. Maximum of 4000 characters allowed"]


def test_tax_type_must_exist(xero):
    response = xero.put("/Accounts", {**EXPENSE, "TaxType": "GST15"})
    assert refused(response) == [
        "The TaxType code 'GST15' does not exist or cannot be used for this type of transaction."
    ]


def test_tax_type_must_fit_the_accounts_class(xero):
    response = xero.put("/Accounts", {"Code": "201", "Name": "Other sales", "Type": "REVENUE", "TaxType": "INPUT2"})
    assert refused(response) == ["The TaxType code 'INPUT2' cannot be used with account code '201'."]
    assert create(xero, Code="201", Name="Other sales", Type="REVENUE", TaxType="ZERORATED")["TaxType"] == "ZERORATED"


def test_enable_payments_to_account_is_settable(xero):
    account = create(xero, Code="880", Name="Clearing", Type="CURRLIAB", EnablePaymentsToAccount=True)
    assert account["EnablePaymentsToAccount"] is True
    changed = update(xero, account["AccountID"], EnablePaymentsToAccount=False)
    assert changed.json["Accounts"][0]["EnablePaymentsToAccount"] is False


# --- bank accounts -------------------------------------------------------------------------------------


def test_bank_account_gets_its_bank_type_and_the_base_currency(xero):
    account = create(xero, **BANK)
    assert (account["BankAccountType"], account["CurrencyCode"], account["Class"]) == ("BANK", "NZD", "ASSET")
    assert "Code" not in account  # Xero lets a bank account go without a code


def test_bank_account_needs_a_number(xero):
    response = xero.put("/Accounts", {"Name": "Numberless", "Type": "BANK"})
    assert refused(response) == ["Please enter a Bank Account Number."]


def test_bank_account_cannot_have_a_description(xero):
    response = xero.put("/Accounts", {**BANK, "Description": "Our cheque account"})
    assert refused(response) == ["Bank accounts cannot have a Description."]


def test_credit_card_accounts_cannot_be_created_but_paypal_can(xero):
    response = xero.put("/Accounts", {**BANK, "BankAccountType": "CREDITCARD"})
    assert refused(response) == ["Credit card accounts cannot be created through the API."]
    assert create(xero, **{**BANK, "BankAccountType": "PAYPAL"})["BankAccountType"] == "PAYPAL"


def test_bank_currency_must_be_enabled(xero):
    response = xero.put("/Accounts", {**BANK, "CurrencyCode": "JPY"})
    assert refused(response) == ["The currency JPY has not been added to this organisation."]
    xero.put("/Currencies", {"Code": "JPY"})
    assert create(xero, **{**BANK, "CurrencyCode": "JPY"})["CurrencyCode"] == "JPY"


def test_bank_only_fields_are_dropped_from_other_accounts(xero):
    account = create(xero, **EXPENSE, BankAccountNumber="123", CurrencyCode="USD")
    assert "BankAccountNumber" not in account and "CurrencyCode" not in account


def test_australian_bank_numbers_need_a_bsb(au_xero):
    response = au_xero.put("/Accounts", {"Name": "Cheque", "Type": "BANK", "BankAccountNumber": "1234"})
    assert refused(response) == ["The Bank Account Number must contain a 6-digit BSB code and account number"]
    account = create(au_xero, Name="Cheque", Type="BANK", BankAccountNumber="062-000 12345678")
    assert account["CurrencyCode"] == "AUD"


# --- updating ------------------------------------------------------------------------------------------


def test_update_renames_and_moves_the_timestamp(xero, clock):
    account = create(xero, **EXPENSE)
    clock.advance(60)
    response = update(xero, account["AccountID"], Code="654321", Name="BarFoo", Description="Good Bye World")
    assert response.status_code == 200
    changed = response.json["Accounts"][0]
    assert (changed["Code"], changed["Name"], changed["Description"]) == ("654321", "BarFoo", "Good Bye World")
    assert changed["UpdatedDateUTC"] != account["UpdatedDateUTC"]


def test_update_of_unknown_account_is_404(xero):
    response = update(xero, "00000000-0000-0000-0000-00000000abcd", Name="Ghost")
    assert response.status_code == 404


def test_type_change_rederives_class_reporting_code_and_an_unfitting_tax_type(xero):
    account = create(xero, **EXPENSE)
    changed = update(xero, account["AccountID"], Type="REVENUE").json["Accounts"][0]
    assert (changed["Class"], changed["ReportingCode"], changed["TaxType"]) == ("REVENUE", "REV", "OUTPUT2")


def test_update_keeps_the_uniqueness_rules(xero):
    account = create(xero, **EXPENSE)
    assert refused(update(xero, account["AccountID"], Code="200")) == ["Please enter a unique Code."]
    assert refused(update(xero, account["AccountID"], Name="sales")) == ["Please enter a unique Name."]
    assert update(xero, account["AccountID"], Name="foobar").status_code == 200  # its own name, recased


def test_system_account_type_cannot_change(xero):
    receivables = by_code(xero, "610")
    response = update(xero, receivables["AccountID"], Type="FIXED")
    assert refused(response) == ["The Type of a system account cannot be changed."]
    assert update(xero, receivables["AccountID"], Name="Debtors").status_code == 200


def test_bank_accounts_keep_their_type(xero):
    bank = by_code(xero, "090")
    assert refused(update(xero, bank["AccountID"], Type="CURRENT")) == [
        "Bank accounts cannot become other types of account, nor other accounts bank accounts."
    ]
    account = create(xero, Code="777", Name="Plain", Type="EXPENSE")
    assert refused(update(xero, account["AccountID"], Type="BANK", BankAccountNumber="1")) == [
        "Bank accounts cannot become other types of account, nor other accounts bank accounts."
    ]


# --- status --------------------------------------------------------------------------------------------


def test_archive_and_restore(xero):
    account = create(xero, **EXPENSE)
    archived = update(xero, account["AccountID"], Status="ARCHIVED")
    assert archived.status_code == 200 and archived.json["Accounts"][0]["Status"] == "ARCHIVED"
    assert by_code(xero, "123456")["Status"] == "ARCHIVED"  # archived accounts are still listed
    restored = update(xero, account["AccountID"], Status="ACTIVE")
    assert restored.json["Accounts"][0]["Status"] == "ACTIVE"


def test_status_cannot_change_with_other_details(xero):
    account = create(xero, **EXPENSE)
    response = update(xero, account["AccountID"], Status="ARCHIVED", Name="Renamed")
    assert refused(response) == ["Cannot update account details and STATUS on the same request"]
    assert by_code(xero, "123456")["Status"] == "ACTIVE"


def test_status_deleted_is_refused_on_update(xero):
    account = create(xero, **EXPENSE)
    assert refused(update(xero, account["AccountID"], Status="DELETED")) == [
        "An account's Status can only be set to ACTIVE or ARCHIVED; use DELETE to delete it."
    ]


def test_system_accounts_cannot_be_archived(xero):
    response = update(xero, by_code(xero, "800")["AccountID"], Status="ARCHIVED")
    assert refused(response) == ["System accounts cannot be archived."]


# --- deleting ------------------------------------------------------------------------------------------


def test_delete_answers_the_account_with_status_deleted(xero):
    account = create(xero, **EXPENSE)
    response = xero.delete(f"/Accounts/{account['AccountID']}")
    assert response.status_code == 200
    assert response.json["Accounts"][0]["Status"] == "DELETED"
    again = xero.delete(f"/Accounts/{account['AccountID']}")
    assert again.status_code == 200 and again.json["Accounts"][0]["Status"] == "DELETED"


def test_deleted_accounts_leave_the_list_but_stay_readable_by_id(xero):
    account = create(xero, **EXPENSE)
    xero.delete(f"/Accounts/{account['AccountID']}")
    assert not any(a["AccountID"] == account["AccountID"] for a in xero.get("/Accounts").json["Accounts"])
    assert xero.get(f"/Accounts/{account['AccountID']}").json["Accounts"][0]["Status"] == "DELETED"
    asked = xero.get('/Accounts?where=Status=="DELETED"').json["Accounts"]
    assert any(a["AccountID"] == account["AccountID"] for a in asked)


def test_deleted_accounts_cannot_be_updated(xero):
    account = create(xero, **EXPENSE)
    xero.delete(f"/Accounts/{account['AccountID']}")
    assert refused(update(xero, account["AccountID"], Name="Back")) == [
        "This account has been deleted and cannot be updated."
    ]


def test_a_deleted_accounts_code_and_name_can_be_reused(xero):
    old = create(xero, **EXPENSE)
    xero.delete(f"/Accounts/{old['AccountID']}")
    new = create(xero, **EXPENSE)
    assert new["AccountID"] != old["AccountID"]
    assert by_code(xero, "123456")["AccountID"] == new["AccountID"]


def test_system_accounts_cannot_be_deleted(xero):
    response = xero.delete(f"/Accounts/{by_code(xero, '820')['AccountID']}")
    assert refused(response) == ["System accounts cannot be deleted."]


def test_delete_of_unknown_account_is_404(xero):
    assert xero.delete("/Accounts/00000000-0000-0000-0000-00000000abcd").status_code == 404


def test_where_and_order_as_in_the_spec_examples(xero):
    create(xero, **BANK)
    banks = xero.get('/Accounts?where=Status=="ACTIVE" AND Type=="BANK"&order=Name ASC').json["Accounts"]
    assert [a["Name"] for a in banks] == ["Business Bank Account", "Business Savings Account", "Cheque Account"]
