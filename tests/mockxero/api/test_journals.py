"""/Journals over HTTP: the ledger as Xero exposes it, paged by journal number."""

from __future__ import annotations

from decimal import Decimal as D

from tests.helpers import XeroTestClient, issue_token


def spend(xero, amount="100.00", **overrides):
    body = {
        "Type": "SPEND",
        "Contact": {"Name": "Acme"},
        "BankAccount": {"Code": "090"},
        "LineItems": [{"Description": "Paper", "UnitAmount": amount, "AccountCode": "429"}],
        **overrides,
    }
    response = xero.put("/BankTransactions", {"BankTransactions": [body]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["BankTransactions"][0]


def transfers(xero, count):
    body = [{"FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": "1.00"}] * count
    response = xero.put("/BankTransfers", {"BankTransfers": body})
    assert response.status_code == 200
    return response.json["BankTransfers"]


def journals(xero, query=""):
    response = xero.get("/Journals" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["Journals"]


def test_a_journal_shows_its_lines_as_xero_does(xero):
    created = spend(xero)
    (journal,) = journals(xero)
    assert journal["JournalNumber"] == 1
    assert journal["SourceID"] == created["BankTransactionID"] and journal["SourceType"] == "CASHPAID"
    assert journal["JournalDate"] == created["Date"]
    expense, tax, bank = journal["JournalLines"]
    assert (expense["AccountCode"], expense["AccountType"], expense["AccountName"]) == (
        "429",
        "EXPENSE",
        "General Expenses",
    )
    assert (expense["NetAmount"], expense["TaxAmount"], expense["GrossAmount"]) == (
        D("100.00"),
        D("15.00"),
        D("115.00"),
    )
    assert (expense["TaxType"], expense["TaxName"]) == ("INPUT2", "15% GST on Expenses")
    assert expense["Description"] == "Paper"
    assert expense["TrackingCategories"] == []
    assert (tax["AccountCode"], tax["NetAmount"]) == ("820", D("15.00"))
    assert (bank["AccountCode"], bank["NetAmount"], bank["GrossAmount"]) == ("090", D("-115.00"), D("-115.00"))
    assert "TaxName" not in bank


def test_journals_come_100_at_a_time_after_the_offset(xero):
    transfers(xero, 105)
    first = journals(xero)
    assert [j["JournalNumber"] for j in first] == list(range(1, 101))
    rest = journals(xero, "?offset=100")
    assert [j["JournalNumber"] for j in rest] == list(range(101, 106))
    assert journals(xero, "?offset=105") == []


def test_a_reversal_is_a_journal_of_its_own(xero):
    created = spend(xero)
    xero.post(f"/BankTransactions/{created['BankTransactionID']}", {"BankTransactions": [{"Status": "DELETED"}]})
    posted, reversal = journals(xero)
    assert reversal["SourceID"] == created["BankTransactionID"]
    assert [line["NetAmount"] for line in reversal["JournalLines"]] == [
        -line["NetAmount"] for line in posted["JournalLines"]
    ]


def test_payments_only_keeps_journals_of_money_that_moved(xero, emulator):
    spend(xero)
    transfers(xero, 1)
    assert [j["SourceType"] for j in journals(xero, "?paymentsOnly=true")] == ["CASHPAID", "TRANSFER"]


def test_if_modified_since_reads_the_created_date(xero, clock):
    spend(xero)
    clock.advance(60)
    later = spend(xero, amount="5.00")
    header = {"If-Modified-Since": clock.now().replace(tzinfo=None).isoformat()}
    found = xero.get("/Journals", headers=header).json["Journals"]
    assert [j["SourceID"] for j in found] == [later["BankTransactionID"]]


def test_one_journal_by_id_and_by_number(xero):
    spend(xero)
    (journal,) = journals(xero)
    assert xero.get(f"/Journals/{journal['JournalID']}").json["Journals"] == [journal]
    assert xero.get("/Journals/1").json["Journals"] == [journal]
    assert xero.get("/Journals/2").status_code == 404
    assert xero.get("/Journals/00000000-0000-0000-0000-00000000abcd").status_code == 404


def test_a_bad_offset_is_a_query_error(xero):
    response = xero.get("/Journals?offset=ten")
    assert response.status_code == 400
    assert response.json["Type"] == "QueryParseException"
    assert response.json["Message"] == "The offset parameter must be a whole number, not 'ten'"


def test_journals_need_the_journals_scope(client):
    without = XeroTestClient(client, issue_token(client, scope="accounting.transactions"))
    response = without.get("/Journals")
    assert response.status_code == 401
    assert response.json["Detail"] == "AuthorizationUnsuccessful"
    with_scope = XeroTestClient(client, issue_token(client, scope="accounting.journals.read"))
    assert with_scope.get("/Journals").status_code == 200
