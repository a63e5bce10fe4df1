from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockxero import money as emulator
from syncer.mapping.arithmetic import (
    EXCLUSIVE,
    INCLUSIVE,
    NO_TAX,
    body_totals,
    document_totals,
    line_amount,
    line_tax,
    round_money,
    total_difference,
)
from syncer.plan import Problem
from syncer.refs import Kind

D = Decimal


@pytest.mark.parametrize(
    ("value", "rounded"), [("2.165", "2.17"), ("2.164", "2.16"), ("-2.165", "-2.17"), ("2.5", "2.50")]
)
def test_rounding_is_half_up_to_cents(value, rounded):
    assert round_money(D(value)) == D(rounded)


def test_the_unit_amount_is_rounded_before_it_is_multiplied():
    # 3 × 33.333 would be 100.00 (99.999); Xero keeps 33.33 and gets 99.99
    assert line_amount(D("3"), D("33.333")) == D("99.99")
    assert line_amount(D("3"), D("33.333"), unit_places=4) == D("100.00")


def test_tax_is_rounded_per_line_then_summed_as_xero_does():
    # Xero's rounding guide: three lines at 15 % carry 3.76 + 3.84 + 3.84 = 11.44, not the 11.45 of a
    # total-first sum (76.30 × 15 % = 11.445)
    totals = document_totals([(D("25.06"), D(15)), (D("25.61"), D(15)), (D("25.63"), D(15))], EXCLUSIVE)
    assert [line.tax for line in totals.lines] == [D("3.76"), D("3.84"), D("3.84")]
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("76.30"), D("11.44"), D("87.74"))


def test_inclusive_lines_already_contain_their_tax():
    # live AU payloads: 55.00 at 10 % holds 5.00 of GST, 47.85 holds 4.35
    totals = document_totals([(D("55.00"), D(10)), (D("47.85"), D(10))], INCLUSIVE)
    assert [line.tax for line in totals.lines] == [D("5.00"), D("4.35")]
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("93.50"), D("9.35"), D("102.85"))


def test_no_tax_lines_carry_none():
    assert line_tax(D("100.00"), D(20), NO_TAX) == D("0.00")
    assert document_totals([(D("10.00"), D(20))], NO_TAX).total == D("10.00")


def test_an_unknown_line_amount_type_is_refused():
    with pytest.raises(ValueError, match="unknown LineAmountTypes 'Gross'"):
        line_tax(D("1.00"), D(20), "Gross")


def test_body_totals_reads_a_mapped_body():
    body = {
        "LineAmountTypes": EXCLUSIVE,
        "LineItems": [
            {"Quantity": D(2), "UnitAmount": D("12.505"), "TaxType": "OUTPUT2"},  # 12.51 × 2 = 25.02, tax 5.00
            {"Quantity": D(1), "UnitAmount": D("-5.00"), "TaxType": "OUTPUT2"},  # tax -1.00
            {"Quantity": D(1), "UnitAmount": D("3.00")},  # no TaxType: no tax
        ],
    }
    totals = body_totals(body, {"OUTPUT2": D(20)}.__getitem__)
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("23.02"), D("4.00"), D("27.02"))


def test_equal_totals_are_no_problem():
    assert total_difference(Kind.INVOICE, "inv_1", D("87.74"), D("87.74")) is None


def test_a_difference_is_reported_with_both_numbers():
    assert total_difference(Kind.INVOICE, "inv_1", D("87.74"), D("87.75")) == Problem(
        "Xero would total 87.74 but the billing total is 87.75 (difference -0.01); not sent, and no rounding "
        "line is added to hide it",
        Kind.INVOICE,
        "inv_1",
        "total",
    )


amounts = st.decimals(min_value=D("-9999.9999"), max_value=D("9999.9999"), places=4)
quantities = st.decimals(min_value=D("0"), max_value=D("999.9999"), places=4)
rates = st.sampled_from([D("0"), D("10.0000"), D("12.5000"), D("15.0000"), D("20.0000")])


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.tuples(quantities, amounts, rates), min_size=1, max_size=6),
    amount_types=st.sampled_from([EXCLUSIVE, INCLUSIVE, NO_TAX]),
)
def test_the_syncer_computes_the_same_totals_as_the_emulator(lines, amount_types):
    """Two implementations of Xero's rounding, written apart, must agree on every document."""
    body = {
        "LineAmountTypes": amount_types,
        "LineItems": [
            {"Quantity": quantity, "UnitAmount": unit, "TaxType": f"T{rate}"} for quantity, unit, rate in lines
        ],
    }
    ours = body_totals(body, lambda tax_type: D(tax_type[1:]))
    rounded = [(emulator.line_amount(q, emulator.round_unit_amount(unit)), rate) for q, unit, rate in lines]
    theirs = emulator.document_totals(
        [(amount, emulator.line_tax(amount, rate, amount_types)) for amount, rate in rounded], amount_types
    )
    assert (ours.sub_total, ours.total_tax, ours.total) == (theirs.sub_total, theirs.total_tax, theirs.total)
