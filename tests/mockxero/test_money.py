from decimal import Decimal

from mockxero.money import has_more_places, round_money


def test_rounds_half_up_not_to_even():
    assert round_money(Decimal("2.165")) == Decimal("2.17")
    assert round_money(Decimal("2.125")) == Decimal("2.13")
    assert round_money(Decimal("2.164")) == Decimal("2.16")


def test_negative_amounts_round_away_from_zero_at_the_half():
    assert round_money(Decimal("-2.165")) == Decimal("-2.17")


def test_result_carries_exactly_the_places_asked_for():
    assert str(round_money(Decimal("15"), 4)) == "15.0000"
    assert str(round_money(Decimal("7.5"))) == "7.50"


def test_extra_places_are_detected_by_value_not_by_spelling():
    assert not has_more_places(Decimal("1.23450"), 4)
    assert has_more_places(Decimal("1.23456"), 4)
