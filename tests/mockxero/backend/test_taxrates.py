"""The tax-rate arithmetic as pure functions."""

from decimal import Decimal

from mockxero.backend.taxrates import applies_to, display_rate, effective_rate


def components(*rates, compound=()):
    return [{"Rate": Decimal(r), "IsCompound": i in compound} for i, r in enumerate(rates)]


def test_display_rate_is_the_plain_sum_to_four_places():
    assert str(display_rate(components("5", "7", compound=(1,)))) == "12.0000"


def test_effective_rate_charges_compound_components_on_the_taxed_price():
    assert str(effective_rate(components("5", "7", compound=(1,)))) == "12.3500"
    assert str(effective_rate(components("5", "7"))) == "12.0000"


def test_effective_rate_rounds_half_up_at_the_fourth_place():
    # 0.00005 is exactly half of the last place: half-up gives 0.0001 where banker's rounding gives 0.0000.
    assert str(effective_rate(components("0.00005", compound=(0,)))) == "0.0001"


def test_applies_to_follows_the_report_tax_type():
    assert applies_to("INPUT2")["CanApplyToRevenue"] is False
    assert applies_to("OUTPUT")["CanApplyToExpenses"] is False
    assert all(applies_to("NONE").values())
    assert all(applies_to(None).values())
