"""/BankTransfers over HTTP: two bank transactions, one TRANSFER journal, soft delete (spec 16.1.0)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from tests.helpers import validation_messages


@pytest.fixture
def books(emulator):
    return emulator.backend(DEFAULT_TENANT_ID)


def transfer(**overrides):
    body = {"FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": "50.00"}
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def create(xero, **overrides):
    response = xero.put("/BankTransfers", {"BankTransfers": [transfer(**overrides)]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["BankTransfers"][0]


def refused(xero, **overrides):
    response = xero.put("/BankTransfers", {"BankTransfers": [transfer(**overrides)]})
    assert response.status_code == 400, response.get_data(as_text=True)
    return validation_messages(response)


def nets(books, source_id):
    out: dict[str, D] = {}
    for journal in books.journals_for(source_id):
        for line in journal["JournalLines"]:
            out[line["AccountCode"]] = out.get(line["AccountCode"], D(0)) + line["NetAmount"]
    return out


# --- creating ------------------------------------------------------------------------------------------


def test_a_transfer_is_authorised_and_dated_today_by_default(xero):
    created = create(xero, Reference="Sub 098801")
    assert created["Status"] == "AUTHORISED"
    assert created["Amount"] == D("50.00")
    assert created["DateString"] == "2026-01-15T00:00:00"
    assert created["FromBankAccount"] == {
        "AccountID": created["FromBankAccount"]["AccountID"],
        "Code": "090",
        "Name": "Business Bank Account",
    }
    assert created["ToBankAccount"]["Code"] == "091"
    assert created["Reference"] == "Sub 098801"
    assert (created["FromIsReconciled"], created["ToIsReconciled"]) == (False, False)
    assert created["CreatedDateUTC"].startswith("/Date(")


def test_a_transfer_creates_spend_and_receive_transfer_transactions(xero):
    created = create(xero, Date="2026-01-10")
    listed = {t["BankTransactionID"]: t for t in xero.get("/BankTransactions").json["BankTransactions"]}
    spend = listed[created["FromBankTransactionID"]]
    receive = listed[created["ToBankTransactionID"]]
    assert (spend["Type"], spend["BankAccount"]["Code"], spend["Total"]) == ("SPEND-TRANSFER", "090", D("50.00"))
    assert (receive["Type"], receive["BankAccount"]["Code"], receive["Total"]) == (
        "RECEIVE-TRANSFER",
        "091",
        D("50.00"),
    )
    assert spend["DateString"] == receive["DateString"] == "2026-01-10T00:00:00"
    assert spend["LineItems"] == [] and spend["Status"] == "AUTHORISED"


def test_one_transfer_journal_debits_to_and_credits_from(xero, books):
    created = create(xero)
    (journal,) = books.journals_for(created["BankTransferID"])
    assert journal["SourceType"] == "TRANSFER"
    assert nets(books, created["BankTransferID"]) == {"091": D("50.00"), "090": D("-50.00")}
    assert books.journals_for(created["FromBankTransactionID"]) == []
    assert books.journals_for(created["ToBankTransactionID"]) == []


def test_reconciled_flags_are_set_on_the_two_transactions(xero):
    created = create(xero, FromIsReconciled=True)
    assert (created["FromIsReconciled"], created["ToIsReconciled"]) == (True, False)
    spend = xero.get(f"/BankTransactions/{created['FromBankTransactionID']}").json["BankTransactions"][0]
    assert spend["IsReconciled"] is True


def test_accounts_may_be_named_by_account_id(xero, books):
    created = create(
        xero,
        FromBankAccount={"AccountID": books.account_by_code("091")["AccountID"]},
        ToBankAccount={"AccountID": books.account_by_code("090")["AccountID"]},
    )
    assert (created["FromBankAccount"]["Code"], created["ToBankAccount"]["Code"]) == ("091", "090")


def test_the_amount_is_rounded_to_cents(xero):
    assert create(xero, Amount="10.005")["Amount"] == D("10.01")


@pytest.mark.parametrize("amount", [None, "0", "-1.00", "0.004"])
def test_the_amount_must_be_greater_than_zero(xero, amount):
    assert refused(xero, Amount=amount) == ["The Amount of a bank transfer must be greater than zero."]


@pytest.mark.parametrize("side", ["FromBankAccount", "ToBankAccount"])
def test_both_accounts_must_be_bank_accounts(xero, side):
    assert refused(xero, **{side: {"Code": "200"}}) == [
        f"The {side} '200' is not a bank account. Use an account of Type BANK."
    ]
    assert refused(xero, **{side: {"Code": "999"}}) == [f"The {side} '999' does not match a recognised account."]
    response = xero.put("/BankTransfers", {"BankTransfers": [{**transfer(), side: None}]})
    assert validation_messages(response) == [f"The {side} must be specified with a Code or an AccountID."]


def test_from_and_to_must_differ(xero):
    assert refused(xero, ToBankAccount={"Code": "090"}) == [
        "The FromBankAccount and ToBankAccount must be different bank accounts."
    ]


def test_accounts_in_different_currencies_are_refused(xero, books, emulator):
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
    assert refused(xero, ToBankAccount={"Code": "092"}) == [
        "Bank transfers between accounts in different currencies are not supported."
    ]


# --- reading -------------------------------------------------------------------------------------------


def test_get_one_and_list(xero):
    created = create(xero)
    assert xero.get(f"/BankTransfers/{created['BankTransferID']}").json["BankTransfers"] == [created]
    assert xero.get("/BankTransfers").json["BankTransfers"] == [created]


def test_an_unknown_transfer_is_404(xero):
    assert xero.get("/BankTransfers/00000000-0000-0000-0000-00000000abcd").status_code == 404


# --- deleting (spec 16.1.0) ----------------------------------------------------------------------------


def test_delete_by_path_marks_everything_deleted_and_reverses_the_journal(xero, books):
    created = create(xero)
    response = xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Status": "DELETED"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["BankTransfers"][0]["Status"] == "DELETED"
    assert set(nets(books, created["BankTransferID"]).values()) == {D("0.00")}
    for side in ("FromBankTransactionID", "ToBankTransactionID"):
        shown = xero.get(f"/BankTransactions/{created[side]}").json["BankTransactions"][0]
        assert shown["Status"] == "DELETED"


def test_deleted_transfers_are_listed_only_with_include_deleted(xero):
    kept = create(xero)
    gone = create(xero)
    xero.post(f"/BankTransfers/{gone['BankTransferID']}", {"Status": "DELETED"})
    assert [t["BankTransferID"] for t in xero.get("/BankTransfers").json["BankTransfers"]] == [kept["BankTransferID"]]
    listed = xero.get("/BankTransfers?includeDeleted=true").json["BankTransfers"]
    assert [(t["BankTransferID"], t["Status"]) for t in listed] == [
        (kept["BankTransferID"], "AUTHORISED"),
        (gone["BankTransferID"], "DELETED"),
    ]
    assert xero.get(f"/BankTransfers/{gone['BankTransferID']}").json["BankTransfers"][0]["Status"] == "DELETED"


def test_delete_many_with_the_collection_body(xero):
    first, second = create(xero), create(xero)
    response = xero.post(
        "/BankTransfers",
        {
            "BankTransfers": [
                {"BankTransferID": first["BankTransferID"], "Status": "DELETED"},
                {"BankTransferID": second["BankTransferID"], "Status": "DELETED"},
            ]
        },
    )
    assert response.status_code == 200
    assert [t["Status"] for t in response.json["BankTransfers"]] == ["DELETED", "DELETED"]
    assert xero.get("/BankTransfers").json["BankTransfers"] == []


def test_delete_many_reports_bad_elements_and_deletes_the_good(xero):
    good = create(xero)
    response = xero.post(
        "/BankTransfers?summarizeErrors=false",
        {
            "BankTransfers": [
                {"BankTransferID": good["BankTransferID"], "Status": "DELETED"},
                {"BankTransferID": "00000000-0000-0000-0000-00000000abcd", "Status": "DELETED"},
                {"Status": "DELETED"},
            ]
        },
    )
    assert response.status_code == 200
    results = response.json["BankTransfers"]
    assert [r["StatusAttributeString"] for r in results] == ["OK", "ERROR", "ERROR"]
    assert [r.get("ValidationErrors") for r in results[1:]] == [
        [{"Message": "An existing Bank Transfer with the specified BankTransferID could not be found"}],
        [{"Message": "A BankTransferID must be specified to delete a bank transfer."}],
    ]


def test_only_status_deleted_is_accepted(xero):
    created = create(xero)
    response = xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Status": "AUTHORISED"})
    assert response.status_code == 400
    assert validation_messages(response) == ["Bank transfers can only be deleted: the Status must be DELETED."]
    response = xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Reference": "x"})
    assert validation_messages(response) == ["Bank transfers can only be deleted: the Status must be DELETED."]


def test_deleting_an_unknown_transfer_by_path_is_404(xero):
    response = xero.post("/BankTransfers/00000000-0000-0000-0000-00000000abcd", {"Status": "DELETED"})
    assert response.status_code == 404


def test_deleting_twice_is_harmless(xero, books):
    created = create(xero)
    xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Status": "DELETED"})
    again = xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Status": "DELETED"})
    assert again.status_code == 200
    assert len(books.journals_for(created["BankTransferID"])) == 2


def test_a_reconciled_transfer_cannot_be_deleted(xero):
    created = create(xero, ToIsReconciled=True)
    response = xero.post(f"/BankTransfers/{created['BankTransferID']}", {"Status": "DELETED"})
    assert validation_messages(response) == ["This bank transfer has been reconciled and cannot be deleted."]


# --- its bank transactions -----------------------------------------------------------------------------


def test_its_bank_transactions_cannot_be_changed_through_bank_transactions(xero):
    created = create(xero)
    for values in ({"Reference": "x"}, {"Status": "DELETED"}):
        response = xero.post(f"/BankTransactions/{created['FromBankTransactionID']}", {"BankTransactions": [values]})
        assert validation_messages(response) == [
            "This bank transaction belongs to a bank transfer. Change or delete it through the BankTransfers endpoint."
        ]


def test_reconciling_a_side_through_bank_transactions_shows_on_the_transfer(xero):
    created = create(xero)
    response = xero.post(
        f"/BankTransactions/{created['ToBankTransactionID']}", {"BankTransactions": [{"IsReconciled": True}]}
    )
    assert response.status_code == 200
    shown = xero.get(f"/BankTransfers/{created['BankTransferID']}").json["BankTransfers"][0]
    assert (shown["FromIsReconciled"], shown["ToIsReconciled"]) == (False, True)


def test_where_and_order_on_amounts_and_account_codes(xero):
    create(xero, Amount="5.00")
    create(xero, Amount="25.00", FromBankAccount={"Code": "091"}, ToBankAccount={"Code": "090"})
    create(xero, Amount="15.00")
    listed = xero.get('/BankTransfers?where=FromBankAccount.Code=="090"&order=Amount DESC').json["BankTransfers"]
    assert [t["Amount"] for t in listed] == [D("15.00"), D("5.00")]
    assert "pagination" not in xero.get("/BankTransfers").json
