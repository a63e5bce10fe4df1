"""The account filter language: what each construct matches and excludes, and every parse error with its
column."""

from __future__ import annotations

import pytest

from syncer.integrations.filter import FilterError, parse_filter
from syncer.source.model import Address, Customer

UK = Customer(
    "cus_uk", "Brit Ltd", email="ap@brit.test", currency="GBP", custom_fields={"country": "UK", "seats": "12"}
)
US = Customer("cus_us", "Yank Inc", currency="USD", custom_fields={"country": "US", "seats": 3})
BARE = Customer("cus_bare", "No Fields", address=Address(country="NZ"))
GONE = Customer("cus_gone", "Gone", deleted=True, custom_fields={"country": "UK"})


def matching(expression: str) -> list[str]:
    found = parse_filter(expression)
    return [account.id for account in (UK, US, BARE, GONE) if found.matches(account)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # the billing platform's own example, with == and with the single = it also accepts
        ("customFields != null AND customFields.country == UK", ["cus_uk", "cus_gone"]),
        ("customFields != null AND customFields.country = UK", ["cus_uk", "cus_gone"]),
        ("customFields == null", ["cus_bare"]),
        ("customFields.country != UK", ["cus_us", "cus_bare"]),
        ("customFields.country == 'UK' OR currency == USD", ["cus_uk", "cus_us", "cus_gone"]),
        ('name == "Yank Inc"', ["cus_us"]),
        ("NOT (customFields.country == UK OR customFields.country == US)", ["cus_bare"]),
        ("currency in [GBP, USD]", ["cus_uk", "cus_us"]),
        ("currency NOT IN [GBP, USD]", ["cus_bare", "cus_gone"]),
        # numbers compare as Decimals, whether the field holds text or a number
        ("customFields.seats >= 10", ["cus_uk"]),
        ("customFields.seats < 10.5", ["cus_us"]),
        ("customFields.seats == 12.0", ["cus_uk"]),
        ("deleted", ["cus_gone"]),
        ("deleted == false AND address.country == NZ", ["cus_bare"]),
        ("email != null", ["cus_uk"]),
        ("customFields.country == uk", []),  # text is compared exactly
        ("id == cus_us", ["cus_us"]),
    ],
)
def test_each_construct_selects_exactly_the_accounts_it_names(expression, expected):
    assert matching(expression) == expected


def test_keywords_are_read_in_any_case_field_names_exactly():
    assert matching("customFields.country == UK and not deleted") == ["cus_uk"]
    assert matching("customFields.country == UK AnD NoT deleted") == ["cus_uk"]
    with pytest.raises(FilterError, match="unknown account field 'customfields'"):
        parse_filter("customfields.country == UK")


@pytest.mark.parametrize(
    ("expression", "column", "reason"),
    [
        ("customFields != null AND customFields.country = = UK", 49,
         "expected a value after '=', found '='; write == or = (one operator)"),
        ("(currency == GBP", 17, "expected ')' to close the '(' at column 1"),
        ("country == UK", 1,
         "unknown account field 'country'; known: id, name, email, currency, deleted, address, customFields"),
        ("name.first == Bob", 1, "name has no fields inside it; only address and customFields do"),
        ("currency in [GBP, USD", 22, "expected ',' or ']' in the list opened at column 13"),
        ("currency in GBP", 13, "expected '[' to start the list after IN"),
        ("name == 'Brit", 9, "the text that starts here is not closed with its quote"),
        ("currency ==", 12, "expected a value after '==', found the end"),
        ("currency == GBP currency", 17, "expected AND, OR or the end of the expression, found 'currency'"),
        ("currency == GBP AND", 20, "expected an account field such as customFields.country, found the end"),
        ("currency ~ GBP", 10, "unexpected character '~'"),
        ("   ", 1, "the expression is empty"),
    ],
)  # fmt: skip
def test_a_bad_expression_is_refused_with_the_column_of_the_problem(expression, column, reason):
    with pytest.raises(FilterError) as refused:
        parse_filter(expression)
    assert (refused.value.column, refused.value.reason) == (column, reason)
    assert str(refused.value) == f"column {column}: {reason}"


def test_a_value_that_cannot_be_ordered_against_the_literal_is_never_matched():
    odd = Customer("cus_odd", "Odd", custom_fields={"seats": "many"})
    assert parse_filter("customFields.seats > 1").matches(odd) is False
    assert parse_filter("customFields.seats != 1").matches(odd) is True
    assert parse_filter("customFields.seats == 'many'").matches(odd) is True
