"""/Reports over HTTP: TrialBalance, BankSummary and AgedReceivablesByContact in Xero's report shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from mockxero.config import DEFAULT_TENANT_ID
from mockxero.posting import Line
from tests.helpers import XeroTestClient, issue_token, validation_messages


@pytest.fixture
def books(emulator):
    return emulator.backend(DEFAULT_TENANT_ID)


def bank_transaction(xero, kind="SPEND", amount="100.00", account="429", day="2026-01-10", bank="090", **extra):
    body = {
        "Type": kind,
        "Contact": {"Name": "Acme"},
        "BankAccount": {"Code": bank},
        "Date": day,
        "LineItems": [{"Description": "x", "UnitAmount": amount, "AccountCode": account}],
        **extra,
    }
    response = xero.put("/BankTransactions", {"BankTransactions": [body]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["BankTransactions"][0]


def report(xero, path):
    response = xero.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    (found,) = response.json["Reports"]
    return found


def values(row):
    return [c["Value"] for c in row["Cells"]]


def sections(found):
    return {row["Title"]: [values(r) for r in row["Rows"]] for row in found["Rows"] if row["RowType"] == "Section"}


# --- Trial Balance -------------------------------------------------------------------------------------


def test_trial_balance_shape_and_totals(xero):
    bank_transaction(xero)  # spend 100 + 15 GST
    bank_transaction(xero, kind="RECEIVE", amount="200.00", account="200")  # receive 200 + 30 GST
    found = report(xero, "/Reports/TrialBalance?date=2026-01-31")
    assert found["ReportType"] == "TrialBalance" and found["ReportName"] == "Trial Balance"
    assert found["ReportTitles"] == ["Trial Balance", "Demo Company (NZ)", "As at 31 January 2026"]
    assert found["ReportDate"] == "31 January 2026"
    assert values(found["Rows"][0]) == ["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"]
    assert sections(found) == {
        "Revenue": [["Sales (200)", "", "200.00", "", "200.00"]],
        "Expenses": [["General Expenses (429)", "100.00", "", "100.00", ""]],
        "Assets": [["Business Bank Account (090)", "115.00", "", "115.00", ""]],
        "Liabilities": [["GST (820)", "", "15.00", "", "15.00"]],
        "": [["Total", "215.00", "215.00", "215.00", "215.00"]],
    }
    account_cell = found["Rows"][1]["Rows"][0]["Cells"][0]
    assert account_cell["Attributes"][0]["Id"] == "account"


def test_trial_balance_as_at_leaves_out_later_journals(xero):
    bank_transaction(xero, day="2026-01-10")
    bank_transaction(xero, day="2026-01-20", amount="50.00")
    found = report(xero, "/Reports/TrialBalance?date=2026-01-15")
    assert sections(found)["Expenses"] == [["General Expenses (429)", "100.00", "", "100.00", ""]]


def test_debit_and_credit_are_the_month_and_ytd_the_year(xero):
    bank_transaction(xero, day="2025-12-10", amount="40.00")
    bank_transaction(xero, day="2026-01-10", amount="100.00")
    found = report(xero, "/Reports/TrialBalance?date=2026-01-31")
    assert sections(found)["Expenses"] == [["General Expenses (429)", "100.00", "", "140.00", ""]]


def test_profit_of_earlier_years_sits_in_retained_earnings(xero):
    # The NZ year ends on 31 March: a March 2025 expense belongs to the year before 2026-01's.
    bank_transaction(xero, day="2025-03-10", amount="40.00")
    found = report(xero, "/Reports/TrialBalance?date=2026-01-31")
    got = sections(found)
    assert "Expenses" not in got
    assert got["Equity"] == [["Retained Earnings (960)", "0.00", "", "40.00", ""]]  # last year's loss
    assert got[""] == [["Total", "0.00", "0.00", "46.00", "46.00"]]


def test_trial_balance_defaults_to_today(xero):
    assert report(xero, "/Reports/TrialBalance")["ReportDate"] == "15 January 2026"


def test_a_bad_date_is_refused(xero):
    response = xero.get("/Reports/TrialBalance?date=31/01/2026")
    assert response.status_code == 400
    assert validation_messages(response) == ["The date parameter '31/01/2026' is not a valid date (use YYYY-MM-DD)."]


def test_a_date_before_1900_is_refused(xero):
    response = xero.get("/Reports/TrialBalance?date=0001-01-01")
    assert validation_messages(response) == ["The date parameter '0001-01-01' is before 1900-01-01."]


def test_a_foreign_bank_accounts_journals_count_in_base_currency(xero, books, emulator):
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
    bank_transaction(xero, bank="092")  # 115.00 USD spent at the default 0.625 USD per NZD: 184.00 NZD
    found = report(xero, "/Reports/TrialBalance?date=2026-01-31")
    assert sections(found) == {
        "Expenses": [["General Expenses (429)", "160.00", "", "160.00", ""]],
        "Assets": [["USD Account (092)", "", "184.00", "", "184.00"]],
        "Liabilities": [["GST (820)", "24.00", "", "24.00", ""]],
        "": [["Total", "184.00", "184.00", "184.00", "184.00"]],
    }


# --- Bank Summary --------------------------------------------------------------------------------------


def test_bank_summary_opening_received_spent_closing(xero):
    bank_transaction(xero, kind="RECEIVE", amount="100.00", account="200", day="2025-12-20")  # 115 in, before
    bank_transaction(xero, kind="RECEIVE", amount="200.00", account="200", day="2026-01-05")  # 230 in
    bank_transaction(xero, amount="10.00", day="2026-01-06")  # 11.50 out
    xero.put(
        "/BankTransfers",
        {
            "BankTransfers": [
                {
                    "FromBankAccount": {"Code": "090"},
                    "ToBankAccount": {"Code": "091"},
                    "Amount": "20.00",
                    "Date": "2026-01-07",
                }
            ]
        },
    )
    found = report(xero, "/Reports/BankSummary?fromDate=2026-01-01&toDate=2026-01-31")
    assert found["ReportTitles"] == ["Bank Summary", "Demo Company (NZ)", "From 1 January 2026 to 31 January 2026"]
    assert values(found["Rows"][0]) == [
        "Bank Accounts",
        "Opening Balance",
        "Cash Received",
        "Cash Spent",
        "Closing Balance",
    ]
    assert sections(found)[""] == [
        ["Business Bank Account", "115.00", "230.00", "31.50", "313.50"],
        ["Business Savings Account", "0.00", "20.00", "0.00", "20.00"],
        ["Total", "115.00", "250.00", "31.50", "333.50"],
    ]


def test_a_transaction_deleted_in_the_period_shows_in_neither_column(xero):
    created = bank_transaction(xero, amount="10.00", day="2026-01-06")
    xero.post(f"/BankTransactions/{created['BankTransactionID']}", {"BankTransactions": [{"Status": "DELETED"}]})
    found = report(xero, "/Reports/BankSummary?fromDate=2026-01-01&toDate=2026-01-31")
    assert sections(found)[""][0] == ["Business Bank Account", "0.00", "0.00", "0.00", "0.00"]


def test_bank_summary_defaults_to_the_current_month(xero):
    found = report(xero, "/Reports/BankSummary")
    assert found["ReportTitles"][2] == "From 1 January 2026 to 31 January 2026"


# --- Aged Receivables by Contact -----------------------------------------------------------------------


def sales_invoice(books, emulator, contact_id, number, total, day, due, paid=None, paid_on=None):
    """A sales invoice (and payment) stored as the invoices backend would, journals included."""
    total = D(total)
    amount_paid = D(paid or "0.00")
    with emulator.store.transaction():
        invoice_id = books.ids.guid()
        books._save(
            "Invoices",
            invoice_id,
            {
                "InvoiceID": invoice_id,
                "InvoiceNumber": number,
                "Type": "ACCREC",
                "Contact": {"ContactID": contact_id},
                "Date": day,
                "DueDate": due,
                "Status": "PAID" if amount_paid == total else "AUTHORISED",
                "Total": total,
                "AmountPaid": amount_paid,
                "AmountCredited": D("0.00"),
                "AmountDue": total - amount_paid,
                "CurrencyCode": "NZD",
            },
        )
        books.post_journal(
            source_type="ACCREC",
            source_id=invoice_id,
            journal_date=day,
            currency="NZD",
            lines=[Line(books.system_account("DEBTORS"), total), Line(books.account_by_code("200"), -total)],
        )
        if paid:
            payment_id = books.ids.guid()
            bank = books.account_by_code("090")
            books._save(
                "Payments",
                payment_id,
                {
                    "PaymentID": payment_id,
                    "PaymentType": "ACCRECPAYMENT",
                    "Status": "AUTHORISED",
                    "Date": paid_on,
                    "Amount": amount_paid,
                    "Account": {"AccountID": bank["AccountID"]},
                    "Invoice": {"InvoiceID": invoice_id},
                },
            )
            books.post_journal(
                source_type="ACCRECPAYMENT",
                source_id=payment_id,
                journal_date=paid_on,
                currency="NZD",
                lines=[Line(bank, amount_paid), Line(books.system_account("DEBTORS"), -amount_paid)],
            )
    return invoice_id


@pytest.fixture
def customer(xero):
    return xero.put("/Contacts", {"Contacts": [{"Name": "Customer Ltd"}]}).json["Contacts"][0]["ContactID"]


def test_aged_receivables_lists_what_is_still_owed(xero, books, emulator, customer):
    first = sales_invoice(
        books,
        emulator,
        customer,
        "INV-1",
        "100.00",
        date(2025, 12, 1),
        date(2025, 12, 31),
        paid="40.00",
        paid_on=date(2026, 1, 5),
    )
    sales_invoice(books, emulator, customer, "INV-2", "50.00", date(2026, 1, 10), date(2026, 2, 10))
    sales_invoice(
        books,
        emulator,
        customer,
        "INV-3",
        "20.00",
        date(2026, 1, 11),
        date(2026, 2, 10),
        paid="20.00",
        paid_on=date(2026, 1, 12),
    )
    found = report(xero, f"/Reports/AgedReceivablesByContact?contactId={customer}&date=2026-01-15")
    assert found["ReportTitles"] == [
        "Invoices",
        "Customer Ltd",
        "From 1 December 2025 to 15 January 2026",
        "Showing payments to 15 January 2026",
    ]
    assert values(found["Rows"][0]) == ["Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due"]
    opening, body, closing = (row["Rows"] for row in found["Rows"][1:])
    assert [values(r) for r in opening] == [["2025-12-01T00:00:00", "Opening Balance", "", "", "", "", "", "0.00"]]
    assert [values(r) for r in body] == [
        ["2025-12-01T00:00:00", "INV-1", "2025-12-31T00:00:00", "15 days overdue", "100.00", "40.00", "0.00", "60.00"],
        ["2026-01-10T00:00:00", "INV-2", "2026-02-10T00:00:00", "", "50.00", "0.00", "0.00", "50.00"],
        ["Total", "", "", "", "150.00", "40.00", "0.00", "110.00"],
    ]
    assert body[0]["Cells"][1]["Attributes"] == [{"Value": first, "Id": "invoiceID"}]
    assert [values(r) for r in closing] == [["Closing Balance", "", "", "", "150.00", "40.00", "0.00", "110.00"]]


def test_payments_after_the_report_date_do_not_count(xero, books, emulator, customer):
    sales_invoice(
        books,
        emulator,
        customer,
        "INV-1",
        "100.00",
        date(2026, 1, 1),
        date(2026, 1, 31),
        paid="100.00",
        paid_on=date(2026, 1, 14),
    )
    found = report(xero, f"/Reports/AgedReceivablesByContact?contactId={customer}&date=2026-01-13")
    body = found["Rows"][2]["Rows"]
    assert values(body[0])[4:] == ["100.00", "0.00", "0.00", "100.00"]


def test_documents_before_from_date_make_the_opening_balance(xero, books, emulator, customer):
    sales_invoice(books, emulator, customer, "INV-1", "70.00", date(2025, 11, 1), date(2025, 11, 30))
    sales_invoice(books, emulator, customer, "INV-2", "30.00", date(2026, 1, 2), date(2026, 1, 30))
    found = report(xero, f"/Reports/AgedReceivablesByContact?contactId={customer}&date=2026-01-15&fromDate=2026-01-01")
    opening, body, closing = (row["Rows"] for row in found["Rows"][1:])
    assert values(opening[0])[-1] == "70.00"
    assert [values(r)[1] for r in body[:-1]] == ["INV-2"]
    assert values(closing[0])[-1] == "100.00"


def test_aged_receivables_needs_a_known_contact(xero):
    response = xero.get("/Reports/AgedReceivablesByContact")
    assert response.status_code == 400
    assert validation_messages(response) == ["The contactId parameter is required."]
    response = xero.get("/Reports/AgedReceivablesByContact?contactId=nope")
    assert validation_messages(response) == ["The contactId parameter 'nope' is not a valid GUID."]
    response = xero.get("/Reports/AgedReceivablesByContact?contactId=00000000-0000-0000-0000-00000000abcd")
    assert response.status_code == 404


def test_reports_need_the_reports_scope(client):
    without = XeroTestClient(client, issue_token(client, scope="accounting.transactions"))
    assert without.get("/Reports/TrialBalance").status_code == 401
    with_scope = XeroTestClient(client, issue_token(client, scope="accounting.reports.read"))
    assert with_scope.get("/Reports/TrialBalance").status_code == 200


def test_an_unused_overpayment_is_a_credit_in_aged_receivables(xero):
    overpayment = bank_transaction(xero, kind="RECEIVE-OVERPAYMENT", amount="40.00", Reference="Paid twice")
    contact_id = overpayment["Contact"]["ContactID"]
    bank_transaction(xero, kind="SPEND-OVERPAYMENT", amount="25.00")  # a supplier's: not receivable
    found = report(xero, f"/Reports/AgedReceivablesByContact?contactId={contact_id}&date=2026-01-15")
    body = found["Rows"][2]["Rows"]
    assert [values(r) for r in body] == [
        ["2026-01-10T00:00:00", "Paid twice", "", "", "-40.00", "0.00", "0.00", "-40.00"],
        ["Total", "", "", "", "-40.00", "0.00", "0.00", "-40.00"],
    ]
    assert body[0]["Cells"][1]["Attributes"] == [{"Value": overpayment["OverpaymentID"], "Id": "overpaymentID"}]
