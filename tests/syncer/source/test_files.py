"""Loading a billing source: the example loads whole; a bad file gets every problem at once, located."""

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

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
        "book.yaml:4: customers[1] (cus_1).id: id 'cus_1' is used by another of the customers",
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
        "book.yaml:11: payouts[0] (po_1).payment_ids: settles payment pay_1 in USD, but the payout is in NZD",
        "book.yaml:12: payouts[1] (po_2).payment_ids: settles payment pay_1 in USD, but the payout is in NZD",
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


TWO_CURRENCIES = EXAMPLE.with_name("billing-source.two-currencies.example.yaml")


def test_the_two_currency_example_loads_every_record_kind():
    book = load_book(TWO_CURRENCIES)
    assert [c.deleted for c in book.customers] == [False, False, True]
    assert {i.status for i in book.invoices} == set(InvoiceStatus) - {InvoiceStatus.ROLLUP_PENDING}
    assert {p.currency for p in book.payouts} == {"NZD", "USD"}
    assert [p.net for p in book.payouts] == [Decimal(n) for n in ("156.87", "127.70", "161.00", "509.17", "51.22")]
    assert book.payments[2].exchange_rate == Decimal("0.6100")
    assert book.invoices[0].lines[0].discount == Decimal("10.00")
    assert book.credit_notes[0].lines[0].invoice_line_id == "inv_nz_2_l1"
    assert [r.credit_note_id for r in book.refunds] == ["cn_nz_1", None]
    assert [d.outcome for d in book.disputes] == [DisputeOutcome.WON, DisputeOutcome.LOST]
    assert book.credits[0].credit_note_id is None and book.credit_applications[0].amount == Decimal("34.50")


def test_the_same_book_as_json_loads_to_the_same_records(tmp_path):
    document = yaml.safe_load(TWO_CURRENCIES.read_text(encoding="utf-8"))
    path = tmp_path / "book.json"
    path.write_text(json.dumps(document, default=lambda value: value.isoformat(), indent=2))
    assert load_book(path) == load_book(TWO_CURRENCIES)


def test_a_json_file_with_problems_names_its_lines(tmp_path):
    path = tmp_path / "book.json"
    path.write_text('{\n  "format_version": 1,\n  "customers": [\n    {"id": "cus_1",\n     "name": 7}\n  ]\n}\n')
    with pytest.raises(SourceError) as error:
        load_book(path)
    assert [str(p) for p in error.value.problems] == [f"{path}:5: customers[0] (cus_1).name: Not a valid string."]
    assert error.value.problems[0].line == 5 and error.value.problems[0].field == "name"


def test_invalid_json_says_where(tmp_path):
    path = tmp_path / "book.json"
    path.write_text('{\n  "format_version": 1,\n}\n')
    with pytest.raises(SourceError, match=r"book.json:3: is not valid JSON: Expecting property name"):
        load_book(path)


def test_field_and_cross_record_problems_come_together_and_nothing_is_returned():
    text = """\
format_version: 1
customers:
  - {name: No id}
  - {id: cus_1, name: Acme}
invoices:
  - {id: inv_1, customer_id: cus_1, number: INV-1, status: pending, currency: NZD, issue_date: 2024-01-31,
     due_date: 2024-02-14, tax_mode: exclusive, total: 10.5, lines: []}
payments:
  - {id: pay_1, invoice_id: inv_1, amount: "10.50", currency: NZD, captured_on: 2024-02-01}
  - {id: pay_2, invoice_id: inv_2, amount: "1.00", currency: NZD, captured_on: 2024-02-01}
"""
    # pay_1 names inv_1, which is in the file but failed to load: no second, misleading "unknown" problem
    assert problems(text) == [
        "book.yaml:3: customers[0].id: is required",
        'book.yaml:7: invoices[0] (inv_1).total: write amounts as quoted strings ("10.5"): a bare decimal in YAML '
        "is a binary float",
        "book.yaml:10: payments[1] (pay_2).invoice_id: pays invoice 'inv_2', which is not in the file",
    ]


def test_a_problem_carries_file_line_record_and_field_separately():
    with pytest.raises(SourceError) as error:
        parse_book("format_version: 1\ncustomers:\n  - {id: cus_1, name: A, currency: nz}\n", source="b.yaml")
    (problem,) = error.value.problems
    assert (problem.file, problem.line, problem.record, problem.field) == (
        "b.yaml",
        3,
        "customers[0] (cus_1)",
        "currency",
    )
    assert problem.message == "is not an ISO 4217 currency code (three capitals, e.g. NZD)"
    assert str(error.value) == str(problem)


BOOK_HEAD = """\
format_version: 1
customers: [{id: cus_1, name: Acme}]
invoices:
  - {id: inv_1, customer_id: cus_1, number: INV-1, status: paid, currency: NZD, issue_date: 2024-01-31,
     due_date: 2024-02-14, tax_mode: exclusive, total: "10.00",
     lines: [{id: l1, type: USAGE, description: Calls, quantity: "4", unit_price: "2.50", subtotal: "10.00"}]}
payments:
  - {id: pay_1, invoice_id: inv_1, amount: "10.00", fee: "0.40", currency: NZD, captured_on: 2024-02-01}
"""


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "credit_notes:\n  - {id: cn_1, customer_id: cus_2, number: CN-1, currency: NZD, issue_date: 2024-02-01,\n"
            "     tax_mode: exclusive, total: '1.00', invoice_id: inv_1, lines: [{id: c1, description: x,\n"
            "     quantity: '1', unit_price: '1.00', subtotal: '1.00', invoice_line_id: l9}]}\n",
            [
                "book.yaml:10: credit_notes[0] (cn_1).customer_id: names customer 'cus_2', which is not in the file",
                "book.yaml:11: credit_notes[0] (cn_1).lines: line c1 credits line 'l9', which invoice inv_1 lacks",
            ],
        ),
        (
            "credit_applications:\n  - {id: app_1, credit_note_id: cn_9, invoice_id: inv_9, amount: '1.00',"
            " applied_on: 2024-02-01}\n",
            [
                "book.yaml:10: credit_applications[0] (app_1).credit_note_id: applies credit note 'cn_9', which is "
                "not in the file",
                "book.yaml:10: credit_applications[0] (app_1).invoice_id: applies credit to invoice 'inv_9', which is "
                "not in the file",
            ],
        ),
        (
            "refunds:\n  - {id: re_1, amount: '1.00', currency: NZD, refunded_on: 2024-02-01, credit_note_id: cn_9,\n"
            "     payment_id: pay_9, payout_id: po_9}\n",
            [
                "book.yaml:10: refunds[0] (re_1).credit_note_id: names credit_note 'cn_9', which is not in the file",
                "book.yaml:11: refunds[0] (re_1).payment_id: names payment 'pay_9', which is not in the file",
                "book.yaml:11: refunds[0] (re_1).payout_id: names payout 'po_9', which is not in the file",
            ],
        ),
        (
            "disputes:\n  - {id: dp_1, payment_id: pay_9, amount: '1.00', currency: NZD, opened_on: 2024-02-01,"
            " outcome: won}\n  - {id: dp_2, payment_id: pay_1, amount: '1.00', currency: NZD, opened_on: 2024-02-01,"
            " outcome: lost,\n     payout_id: po_9, reinstated_payout_id: po_8}\n",
            [
                "book.yaml:10: disputes[0] (dp_1).payment_id: disputes payment 'pay_9', which is not in the file",
                "book.yaml:10: disputes[0] (dp_1).reinstated_payout_id: is won, so it needs the payout that returned "
                "the funds",
                "book.yaml:12: disputes[1] (dp_2).payout_id: names payout 'po_9', which is not in the file",
                "book.yaml:12: disputes[1] (dp_2).reinstated_payout_id: names payout 'po_8', which is not in the file",
                "book.yaml:12: disputes[1] (dp_2).reinstated_payout_id: is lost, so no payout returned its funds",
            ],
        ),
        (
            "credits:\n  - {id: cr_1, customer_id: cus_9, amount: '1.00', currency: NZD, granted_on: 2024-02-01,"
            " credit_note_id: cn_9}\n",
            [
                "book.yaml:10: credits[0] (cr_1).credit_note_id: names credit note 'cn_9', which is not in the file",
                "book.yaml:10: credits[0] (cr_1).customer_id: names customer 'cus_9', which is not in the file",
            ],
        ),
        (
            "payouts:\n  - {id: po_1, currency: NZD, arrival_date: 2024-02-03, net: '9.60', payment_ids: [pay_1],"
            " refund_ids: [re_9], dispute_ids: [dp_9]}\n",
            [
                "book.yaml:10: payouts[0] (po_1).dispute_ids: settles dispute 'dp_9', which is not in the file",
                "book.yaml:10: payouts[0] (po_1).refund_ids: settles refund 're_9', which is not in the file",
            ],
        ),
    ],
    ids=["credit note", "credit application", "refund", "dispute", "credit", "payout items"],
)
def test_every_reference_is_checked(tail, expected):
    assert problems(BOOK_HEAD + tail) == expected


def test_a_payout_nets_refunds_disputes_their_fees_and_reinstatements():
    tail = """\
refunds: [{id: re_1, amount: "1.00", currency: NZD, refunded_on: 2024-02-02}]
disputes:
  - {id: dp_1, payment_id: pay_1, amount: "2.00", fee: "0.50", currency: NZD, opened_on: 2024-02-02, outcome: won,
     payout_id: po_1, reinstated_payout_id: po_2}
payouts:
  - {id: po_1, currency: NZD, arrival_date: 2024-02-03, net: "6.10", payment_ids: [pay_1], refund_ids: [re_1],
     dispute_ids: [dp_1]}
  - {id: po_2, currency: NZD, arrival_date: 2024-02-09, net: "2.01"}
"""
    assert problems(BOOK_HEAD + tail) == [
        "book.yaml:16: payouts[1] (po_2).net: is 2.01, but its items add up to 2.00 (gross − fees − refunds − "
        "disputes and their fees + reinstated disputes)"
    ]
    assert parse_book(BOOK_HEAD + tail.replace('"2.01"', '"2.00"')).payouts[0].net == Decimal("6.10")


def test_the_line_of_a_field_problem_is_the_fields_own_line():
    text = BOOK_HEAD.replace('fee: "0.40"', "fee: 0.40") + "\n"
    assert problems(text) == [
        'book.yaml:8: payments[0] (pay_1).fee: write amounts as quoted strings ("0.4"): a bare decimal in YAML is a '
        "binary float"
    ]


def test_the_error_example_in_the_docs_is_what_the_loader_says():
    page = (EXAMPLE.parents[2] / "docs" / "syncer" / "billing-source.md").read_text(encoding="utf-8")
    errors = page[page.index("## Errors") :]
    bad_file, refusal = re.findall(r"(?ms)^```text\n(.*?)^```", errors)[:2]
    assert "\n".join(problems(bad_file)) + "\n" == refusal


def test_a_payout_settling_a_payment_that_names_another_payout_is_reported():
    text = BOOK_HEAD.replace("captured_on: 2024-02-01}", "captured_on: 2024-02-01, payout_id: po_2}") + (
        "payouts:\n"
        "  - {id: po_1, currency: NZD, arrival_date: 2024-02-03, net: '9.60', payment_ids: [pay_1]}\n"
        "  - {id: po_2, currency: NZD, arrival_date: 2024-02-04, net: '0'}\n"
    )
    assert problems(text) == [
        "book.yaml:10: payouts[0] (po_1).payment_ids: settles payment pay_1, which names payout po_2 as its own"
    ]


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
