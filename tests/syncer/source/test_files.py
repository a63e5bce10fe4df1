"""Loading a billing source: the example loads whole; a bad file gets every problem at once, located."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from syncer.source.files import SourceError, load_book, parse_book
from syncer.source.model import DisputeOutcome, InvoiceStatus, LineItemType

EXAMPLE = Path(__file__).resolve().parents[3] / "contracts" / "examples" / "billing-source.example.yaml"


def test_the_bundled_example_loads_with_exact_amounts_dates_and_enums():
    book = load_book(EXAMPLE)
    assert [i.status for i in book.invoices] == [InvoiceStatus.PENDING, InvoiceStatus.PENDING]
    assert book.invoices[0].lines[0].type is LineItemType.STANDING_CHARGE
    assert book.payments[0].fee == Decimal("3.20") and book.payouts[1].net == Decimal("-130.00")
    assert book.disputes[0].outcome is DisputeOutcome.WON
    assert book.invoices[0].billing_period.start.isoformat() == "2024-01-01"


def test_json_takes_exact_numbers(tmp_path):
    document = {
        "format_version": 1,
        "customers": [{"id": "cus_1", "name": "Acme"}],
        "credits": [{"id": "cr_1", "customer_id": "cus_1", "amount": 0, "currency": "NZD", "granted_on": "2024-01-02"}],
    }
    text = json.dumps(document).replace('"amount": 0', '"amount": 10.10')
    path = tmp_path / "book.json"
    path.write_text(text)
    assert load_book(path).credits[0].amount == Decimal("10.10")


BAD = """\
format_version: 1
customers:
  - {id: cus_1, name: Acme, email: not-an-email}
  - {id: cus_1, name: Acme again}
invoices:
  - id: inv_1
    customer_id: cus_1
    number: INV-1
    status: sent
    currency: nzd
    issue_date: 2024-01-31
    due_date: 2024-02-14
    tax_mode: exclusive
    total: 115.00
    colour: red
    lines: []
"""


def problems(text: str) -> list[str]:
    with pytest.raises(SourceError) as error:
        parse_book(text, source="book.yaml")
    return [str(problem) for problem in error.value.problems]


def test_every_field_problem_is_reported_at_once_with_file_line_record_and_field():
    assert problems(BAD) == [
        "book.yaml:3: customers[0] (cus_1).email: Not a valid email address.",
        "book.yaml:9: invoices[0] (inv_1).status: Must be one of: draft, rollup_pending, pending, paid, voided.",
        "book.yaml:10: invoices[0] (inv_1).currency: is not an ISO 4217 currency code (three capitals, e.g. NZD)",
        'book.yaml:14: invoices[0] (inv_1).total: write amounts as quoted strings ("115.0"): a bare decimal in YAML '
        "is a binary float",
        "book.yaml:15: invoices[0] (inv_1).colour: is not a field of this record",
    ]


def test_references_and_sums_are_checked_across_records():
    text = """\
format_version: 1
customers: [{id: cus_1, name: Acme}, {id: cus_1, name: Twin}]
invoices:
  - {id: inv_1, customer_id: cus_9, number: INV-1, status: pending, currency: NZD, issue_date: 2024-01-31,
     due_date: 2024-01-01, tax_mode: exclusive, total: "10.00",
     lines: [{id: l1, type: USAGE, description: Calls, quantity: "3", unit_price: "1.50", subtotal: "4.00"}]}
payments:
  - {id: pay_1, invoice_id: inv_1, amount: "10.00", fee: "0.50", currency: USD, captured_on: 2024-02-01}
  - {id: pay_2, invoice_id: inv_404, amount: "5.00", currency: NZD, captured_on: 2024-02-01}
payouts:
  - {id: po_1, currency: NZD, arrival_date: 2024-02-03, net: "9.00", payment_ids: [pay_1]}
  - {id: po_2, currency: NZD, arrival_date: 2024-02-03, net: "9.50", payment_ids: [pay_1, pay_9]}
"""
    assert problems(text) == [
        "book.yaml:2: customers[1] (cus_1).id: id 'cus_1' is used by another of the customers",
        "book.yaml:4: invoices[0] (inv_1).customer_id: names customer 'cus_9', which is not in the file",
        "book.yaml:5: invoices[0] (inv_1).due_date: is due 2024-01-01, before it is issued 2024-01-31",
        "book.yaml:6: invoices[0] (inv_1).lines: line l1: subtotal 4.00 is not quantity 3 × unit price 1.50 = 4.50",
        "book.yaml:8: payments[0] (pay_1).currency: is in USD, but invoice inv_1 is in NZD",
        "book.yaml:9: payments[1] (pay_2).invoice_id: pays invoice 'inv_404', which is not in the file",
        "book.yaml:11: payouts[0] (po_1).net: is 9.00, but its items add up to 9.50 (gross − fees − refunds − "
        "disputes and their fees + reinstated disputes)",
        "book.yaml:12: payouts[1] (po_2).payment_ids: settles payment pay_1, which payout po_1 settles already",
        "book.yaml:12: payouts[1] (po_2).payment_ids: settles payment 'pay_9', which is not in the file",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format_version: 2\n", "book.yaml:1: format_version must be 1 (this syncer reads version 1), got 2"),
        ("- a list\n", "book.yaml:1: must be a mapping with format_version and lists of records"),
        ("format_version: 1\ninvoices: {}\n", "book.yaml:2: must be a list of records"),
        (
            "format_version: 1\nbills: []\n",
            "book.yaml:2: unknown section; the sections are customers, invoices, "
            "payments, payouts, credit_notes, credits, credit_applications, refunds, disputes",
        ),
        ("format_version: [1\n", "book.yaml:2: is not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ],
)
def test_a_file_of_the_wrong_shape_says_where(text, message):
    assert problems(text) == [message]


def test_a_missing_file_is_a_source_error_naming_it(tmp_path):
    with pytest.raises(SourceError, match="missing.yaml: cannot be read"):
        load_book(tmp_path / "missing.yaml")


def test_the_file_source_is_a_source_adapter():
    from syncer.source.adapter import FileSource, SourceAdapter

    source: SourceAdapter = FileSource(EXAMPLE)
    assert source.name == str(EXAMPLE) and len(source.load().customers) == 1


CREDIT = """\
format_version: 1
customers:
  - {id: cus_1, name: Acme}
credits:
  - {id: cr_1, customer_id: cus_1, amount: "10.00", currency: NZD, granted_on: GRANTED}
"""


def test_an_iso_date_loads_as_a_date():
    assert parse_book(CREDIT.replace("GRANTED", "2024-02-29")).credits[0].granted_on == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2024-02-30", "is not a date (YYYY-MM-DD): '2024-02-30'"),
        ("2024-02-01T10:00:00", "is a date and time; give the date alone (YYYY-MM-DD)"),
        ("2024-02-01 10:00:00Z", "is a date and time; give the date alone (YYYY-MM-DD)"),
        ("next tuesday", "is not a date (YYYY-MM-DD): 'next tuesday'"),
    ],
)
def test_an_impossible_or_timed_date_is_a_located_problem_not_a_crash(written, message):
    assert problems(CREDIT.replace("GRANTED", written)) == [f"book.yaml:5: credits[0] (cr_1).granted_on: {message}"]


def test_a_key_written_twice_is_refused_rather_than_silently_keeping_the_last():
    text = """\
format_version: 1
customers:
  - {id: cus_1, name: Acme}
credits:
  - {id: cr_1, customer_id: cus_1, amount: "10.00", amount: "1000.00", currency: NZD, granted_on: 2024-02-01}
credits:
  - {id: cr_2, customer_id: cus_1, amount: "5.00", currency: NZD, granted_on: 2024-02-01}
"""
    assert problems(text) == [
        "book.yaml:5: credits[0] (cr_1).amount: appears twice; keep one",
        "book.yaml:6: credits: appears twice; keep one",
    ]


def test_a_key_written_twice_in_json_is_refused_too(tmp_path):
    path = tmp_path / "book.json"
    path.write_text('{"format_version": 1,\n "format_version": 1}', encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_book(path)
    assert [str(problem) for problem in error.value.problems] == [f"{path}:2: format_version: appears twice; keep one"]
