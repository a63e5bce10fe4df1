"""Xero's line arithmetic: per-line half-up tax, then sums."""

from decimal import Decimal as D

import pytest

from mockxero import money as a


@pytest.mark.parametrize(
    "value, expected", [("2.165", "2.17"), ("2.164", "2.16"), ("-2.165", "-2.17"), ("0.005", "0.01")]
)
def test_round_money_is_half_up(value, expected):
    assert a.round_money(D(value)) == D(expected)


def test_unit_amounts_keep_four_places_only_with_unitdp_4():
    assert a.round_unit_amount(D("1.23456")) == D("1.23")
    assert a.round_unit_amount(D("1.23456"), unitdp=4) == D("1.2346")


def test_line_amount_applies_rate_or_amount_discounts():
    assert a.line_amount(D("3"), D("10.00")) == D("30.00")
    assert a.line_amount(D("3"), D("10.00"), discount_rate=D("12.5")) == D("26.25")
    assert a.line_amount(D("3"), D("10.00"), discount_amount=D("4.50")) == D("25.50")


def test_tax_is_rounded_per_line_then_summed():
    # Xero's own rounding example: 11.44, where a total-first calculation gives 11.45.
    lines = [(amount, a.line_tax(amount, D("15"), a.EXCLUSIVE)) for amount in (D("25.06"), D("25.61"), D("25.63"))]
    assert [tax for _, tax in lines] == [D("3.76"), D("3.84"), D("3.84")]
    assert a.document_totals(lines, a.EXCLUSIVE) == (D("76.30"), D("11.44"), D("87.74"))


def test_inclusive_lines_contain_their_tax():
    tax = a.line_tax(D("20.00"), D("15"), a.INCLUSIVE)
    assert tax == D("2.61")
    assert a.line_net(D("20.00"), tax, a.INCLUSIVE) == D("17.39")
    assert a.document_totals([(D("20.00"), tax)], a.INCLUSIVE) == (D("17.39"), D("2.61"), D("20.00"))


def test_no_tax_lines_carry_none():
    assert a.line_tax(D("20.00"), D("15"), a.NO_TAX) == D("0.00")
    assert a.document_totals([(D("20.00"), D("0.00"))], a.NO_TAX) == (D("20.00"), D("0.00"), D("20.00"))


def test_exclusive_net_is_the_line_amount():
    assert a.line_net(D("20.00"), D("3.00"), a.EXCLUSIVE) == D("20.00")
