"""Xero's line arithmetic as pure functions: half-up rounding per line, then sums."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockxero.backend.lineitems import line_totals
from mockxero.money import line_tax, round_money
from mockxero.posting import net_of_tax

D = Decimal


@pytest.mark.parametrize(
    "raw, rounded",
    [
        ("2.165", "2.17"),
        ("2.164", "2.16"),
        ("2.175", "2.18"),
        ("-2.165", "-2.17"),
        ("0.005", "0.01"),
        ("7", "7.00"),
    ],
)
def test_money_rounds_half_up_to_cents(raw, rounded):
    assert str(round_money(D(raw))) == rounded


def test_unit_amounts_round_to_the_places_asked_for():
    assert (round_money(D("10.12345"), 4), round_money(D("10.125"), 2)) == (D("10.1235"), D("10.13"))


@pytest.mark.parametrize("amount, tax", [("25.06", "3.76"), ("25.61", "3.84"), ("25.63", "3.84")])
def test_exclusive_tax_per_line(amount, tax):
    assert line_tax(D(amount), D("15.0000"), "Exclusive") == D(tax)


def test_inclusive_tax_is_extracted_from_the_line():
    assert line_tax(D("20.00"), D("15.0000"), "Inclusive") == D("2.61")
    assert line_tax(D("55.00"), D("10.0000"), "Inclusive") == D("5.00")


def test_no_tax_and_zero_rate_carry_no_tax():
    assert line_tax(D("20.00"), D("15"), "NoTax") == line_tax(D("20.00"), D("0"), "Exclusive") == D("0.00")


def test_totals_sum_rounded_lines_not_a_rounded_total():
    lines = [
        {"LineAmount": D(a), "TaxAmount": line_tax(D(a), D("15"), "Exclusive")} for a in ("25.06", "25.61", "25.63")
    ]
    totals = line_totals(lines, "Exclusive")
    assert (totals["SubTotal"], totals["TotalTax"], totals["Total"]) == (D("76.30"), D("11.44"), D("87.74"))


def test_inclusive_totals_take_the_tax_out_of_the_subtotal():
    lines = [{"LineAmount": D("20.00"), "TaxAmount": D("2.61")}]
    totals = line_totals(lines, "Inclusive")
    assert (totals["SubTotal"], totals["TotalTax"], totals["Total"]) == (D("17.39"), D("2.61"), D("20.00"))
    assert net_of_tax(lines[0], "Inclusive") == D("17.39")


cents = st.decimals(min_value=D("-10000"), max_value=D("10000"), places=2, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([D("0"), D("5"), D("10"), D("12.5"), D("15"), D("20")])


@given(st.lists(st.tuples(cents, rates), min_size=1, max_size=8), st.sampled_from(["Exclusive", "Inclusive", "NoTax"]))
def test_lines_always_add_up_to_the_total(priced, mode):
    lines = [{"LineAmount": amount, "TaxAmount": line_tax(amount, rate, mode)} for amount, rate in priced]
    totals = line_totals(lines, mode)
    assert totals["SubTotal"] + totals["TotalTax"] == totals["Total"]
    assert sum(net_of_tax(li, mode) for li in lines) + totals["TotalTax"] == totals["Total"]
    assert all(value.as_tuple().exponent == -2 for key, value in totals.items() if key != "IsDiscounted")
