"""The posting rules as pure functions: each record's journal lines, signs and balance, with no store."""

from decimal import Decimal as D

import pytest

from mockxero import posting
from mockxero.statuses import DocumentStatus

ACCOUNTS = {
    "rev": {"AccountID": "rev", "Type": "REVENUE", "Name": "Sales"},
    "exp": {"AccountID": "exp", "Type": "EXPENSE", "Name": "Costs"},
    "bank": {"AccountID": "bank", "Type": "BANK", "Name": "Bank"},
    "other-bank": {"AccountID": "other-bank", "Type": "BANK", "Name": "Savings"},
}
SYSTEM = {
    name: {"AccountID": name.lower(), "SystemAccount": name} for name in ("DEBTORS", "CREDITORS", "GST", "ROUNDING")
}


def _by_account(lines: list[posting.Line]) -> dict[str, D]:
    return {line.account["AccountID"]: line.net for line in lines}


def _document(doc_type: str, account_id: str, mode: str = "Exclusive") -> dict:
    return {
        "Type": doc_type,
        "LineAmountTypes": mode,
        "LineItems": [{"AccountID": account_id, "LineAmount": D("100.00"), "TaxAmount": D("15.00")}],
        "SubTotal": D("100.00"),
        "TotalTax": D("15.00"),
        "Total": D("115.00"),
    }


def test_a_sales_invoice_debits_receivables_and_credits_revenue_and_tax():
    lines = posting.document_lines(_document("ACCREC", "rev"), ACCOUNTS.__getitem__, SYSTEM.__getitem__)
    assert _by_account(lines) == {"debtors": D("115.00"), "rev": D("-100.00"), "gst": D("-15.00")}


def test_a_bill_credits_payables_and_debits_its_lines():
    lines = posting.document_lines(_document("ACCPAY", "exp"), ACCOUNTS.__getitem__, SYSTEM.__getitem__)
    assert _by_account(lines) == {"creditors": D("-115.00"), "exp": D("100.00"), "gst": D("15.00")}


@pytest.mark.parametrize("doc_type", ["ACCRECCREDIT", "ACCPAYCREDIT"])
def test_a_credit_note_posts_the_opposite_of_its_invoice(doc_type):
    invoice_type = doc_type.removesuffix("CREDIT")
    account = "rev" if invoice_type == "ACCREC" else "exp"
    credit = _by_account(posting.document_lines(_document(doc_type, account), ACCOUNTS.__getitem__, SYSTEM.__getitem__))
    invoice = _by_account(
        posting.document_lines(_document(invoice_type, account), ACCOUNTS.__getitem__, SYSTEM.__getitem__)
    )
    assert credit == {key: -value for key, value in invoice.items()}


def test_an_inclusive_line_posts_its_amount_less_the_tax_inside_it():
    record = _document("ACCREC", "rev", mode="Inclusive")
    record["Total"] = D("100.00")
    lines = _by_account(posting.document_lines(record, ACCOUNTS.__getitem__, SYSTEM.__getitem__))
    assert lines == {"debtors": D("100.00"), "rev": D("-85.00"), "gst": D("-15.00")}


def test_a_residue_goes_to_rounding_so_the_journal_balances():
    record = _document("ACCREC", "rev")
    record["Total"] = D("115.01")  # a total the lines do not add up to
    lines = posting.document_lines(record, ACCOUNTS.__getitem__, SYSTEM.__getitem__)
    assert _by_account(lines)["rounding"] == D("-0.01")
    assert sum(line.net for line in lines) == 0


def test_a_line_without_an_account_posts_nothing():
    record = _document("ACCREC", "rev")
    record["LineItems"].append({"LineAmount": D("0.00"), "TaxAmount": D("0.00")})
    assert len(posting.document_lines(record, ACCOUNTS.__getitem__, SYSTEM.__getitem__)) == 3


# The payment table written out by hand, as finance states it: the derived table must say the same.
PAYMENTS_AS_FINANCE_STATES_THEM = {
    "ACCRECPAYMENT": ("DEBTORS", "cash in"),
    "ACCPAYPAYMENT": ("CREDITORS", "cash out"),
    "ARCREDITPAYMENT": ("DEBTORS", "cash out"),
    "APCREDITPAYMENT": ("CREDITORS", "cash in"),
    "AROVERPAYMENTPAYMENT": ("DEBTORS", "cash out"),
    "APOVERPAYMENTPAYMENT": ("CREDITORS", "cash in"),
}


@pytest.mark.parametrize(("payment_type", "expected"), PAYMENTS_AS_FINANCE_STATES_THEM.items())
def test_each_payment_moves_cash_the_way_its_document_needs(payment_type, expected):
    control, direction = expected
    payment = {"PaymentType": payment_type, "Amount": D("40.00")}
    lines = _by_account(posting.payment_lines(payment, ACCOUNTS["bank"], SYSTEM.__getitem__))
    bank = D("40.00") if direction == "cash in" else D("-40.00")
    assert lines == {"bank": bank, control.lower(): -bank}


def test_every_document_type_has_a_payment_type_and_the_payment_table_covers_exactly_those():
    assert set(posting.PAYMENT_TYPE) == set(posting.DOCUMENT_CONTROL)
    assert set(posting.PAYMENT_SIDE) == set(PAYMENTS_AS_FINANCE_STATES_THEM)


@pytest.mark.parametrize(("kind", "bank"), [("RECEIVE", D("115.00")), ("SPEND", D("-115.00"))])
def test_a_bank_transaction_moves_its_total_through_its_bank_account(kind, bank):
    record = _document(kind, "rev" if kind == "RECEIVE" else "exp")
    record["BankAccount"] = {"AccountID": "bank"}
    lines = _by_account(posting.bank_transaction_lines(record, ACCOUNTS.__getitem__, SYSTEM.__getitem__))
    line_account = "rev" if kind == "RECEIVE" else "exp"
    assert lines == {line_account: -bank * 100 / 115, "gst": -bank * 15 / 115, "bank": bank}


def test_a_transfer_debits_to_and_credits_from():
    lines = posting.transfer_lines(ACCOUNTS["bank"], ACCOUNTS["other-bank"], D("25.00"))
    assert _by_account(lines) == {"other-bank": D("25.00"), "bank": D("-25.00")}


@pytest.mark.parametrize("status", list(DocumentStatus))
def test_a_document_is_posted_exactly_when_authorised_or_paid(status):
    assert posting.is_posted(status) is (status in ("AUTHORISED", "PAID"))
    assert (status in posting.RETIRED) is (status in ("VOIDED", "DELETED"))


def test_journal_source_types_cover_every_posting_and_cash_ones_exclude_documents():
    expected = {*posting.DOCUMENT_CONTROL, *posting.PAYMENT_TYPE.values(), "CASHREC", "CASHPAID", "TRANSFER"}
    expected |= {"AROVERPAYMENT", "APOVERPAYMENT", "ARPREPAYMENT", "APPREPAYMENT"}
    assert expected == posting.SOURCE_TYPES
    assert "ACCREC" not in posting.CASH_SOURCES and "ACCRECPAYMENT" in posting.CASH_SOURCES
