"""The where/order language: every operator accepted, every malformed expression refused with its message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import fields

from mockxero.exceptions import QueryParseException
from mockxero.query.expressions import compile_order, compile_where, sort_rows
from mockxero.query.types import Extra, catalog_for
from mockxero.schemas.base import XeroSchema
from mockxero.schemas.common import nested_list
from mockxero.schemas.fields import Choice, Flag, Guid, Money, Text, WholeNumber, XeroDate, XeroDateTime

UTC = UTC
ACME_ID = "5cc8cf28-567e-4d43-b287-687cfcaec47c"
BETA_ID = "0e4c6d1a-7b1c-4a8e-9f7e-1d2c3b4a5f60"


class PartySchema(XeroSchema):
    ContactID = Guid()
    Name = Text()


class LineSchema(XeroSchema):
    Description = Text()


class DocSchema(XeroSchema):
    DocID = Guid()
    Number = Text()
    Reference = Text()
    Status = Choice(("DRAFT", "AUTHORISED", "PAID"), "DocStatus")
    Total = Money()
    Count = WholeNumber()
    Date = XeroDate()
    UpdatedDateUTC = XeroDateTime()
    IsPaid = Flag()
    Contact = fields.Nested(PartySchema)
    Lines = nested_list(LineSchema)


CATALOG = catalog_for(DocSchema())

DOCS = [
    {
        "Number": "INV-001",
        "Reference": "Alpha",
        "Status": "DRAFT",
        "Total": Decimal("10.00"),
        "Count": 1,
        "Date": date(2026, 1, 10),
        "UpdatedDateUTC": datetime(2026, 1, 10, 8, 0, tzinfo=UTC),
        "IsPaid": False,
        "Contact": {"ContactID": ACME_ID, "Name": "Acme Ltd"},
        "Lines": [],
    },
    {
        "Number": "INV-002",
        "Reference": 'Say "hi"',
        "Status": "PAID",
        "Total": Decimal("25.50"),
        "Count": 3,
        "Date": date(2026, 2, 1),
        "UpdatedDateUTC": datetime(2026, 2, 1, 12, 30, 15, tzinfo=UTC),
        "IsPaid": True,
        "Contact": {"ContactID": BETA_ID, "Name": "Beta & Co"},
        "Lines": [],
    },
    {
        "Number": "inv-003",
        "Status": "AUTHORISED",
        "Total": Decimal("-4.00"),
        "Count": 2,
        "Date": date(2026, 2, 1),
        "UpdatedDateUTC": datetime(2026, 3, 1, tzinfo=UTC),
        "IsPaid": False,
        "Contact": {"ContactID": ACME_ID, "Name": "Acme Ltd"},
        "Lines": [],
    },
]


def numbers(where: str, extras=None) -> list[str]:
    test = compile_where(where, CATALOG, extras)
    return [d["Number"] for d in DOCS if test(d)]


def refused(where: str) -> str:
    with pytest.raises(QueryParseException) as caught:
        numbers(where)
    assert caught.value.error_number == 16 and caught.value.error_type == "QueryParseException"
    return caught.value.message


# --- operators -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, expected",
    [
        ("Total == 10", ["INV-001"]),
        ("Total = 10.00", ["INV-001"]),
        ("Total != 10", ["INV-002", "inv-003"]),
        ("Total <> 10", ["INV-002", "inv-003"]),
        ("Total < 10", ["inv-003"]),
        ("Total > 10", ["INV-002"]),
        ("Total <= 10", ["INV-001", "inv-003"]),
        ("Total >= 10", ["INV-001", "INV-002"]),
        ("Total == -4", ["inv-003"]),
        ("Total > 25.49m", ["INV-002"]),
        ("Count >= 2", ["INV-002", "inv-003"]),
    ],
)
def test_comparison_operators_on_money(where, expected):
    assert numbers(where) == expected


@pytest.mark.parametrize(
    "where, expected",
    [
        ('Status == "PAID" AND Total > 1', ["INV-002"]),
        ('Status == "PAID" && Total > 100', []),
        ('Status == "PAID" and Total > 1', ["INV-002"]),
        ('Status == "PAID" OR Status == "DRAFT"', ["INV-001", "INV-002"]),
        ('Status == "PAID" || Total < 0', ["INV-002", "inv-003"]),
        ('NOT (Status == "PAID")', ["INV-001", "inv-003"]),
        ('!(Status == "PAID")', ["INV-001", "inv-003"]),
        ("not IsPaid", ["INV-001", "inv-003"]),
        ("IsPaid", ["INV-002"]),
        ("IsPaid == true", ["INV-002"]),
        ("IsPaid == FALSE", ["INV-001", "inv-003"]),
        # AND binds tighter than OR; parentheses override it.
        ('Status == "DRAFT" OR Status == "PAID" AND Total > 100', ["INV-001"]),
        ('(Status == "DRAFT" OR Status == "PAID") AND Total > 100', []),
    ],
)
def test_logical_operators_and_precedence(where, expected):
    assert numbers(where) == expected


@pytest.mark.parametrize(
    "where, expected",
    [
        ('Number == "INV-003"', ["inv-003"]),
        ('Status == "paid"', ["INV-002"]),
        ('Contact.Name.Contains("ACME")', ["INV-001", "inv-003"]),
        ('Contact.Name.StartsWith("beta")', ["INV-002"]),
        ('Contact.Name.EndsWith("LTD")', ["INV-001", "inv-003"]),
        ('Contact.Name.contains("& co")', ["INV-002"]),
        ('Number.ToLower() == "inv-001"', ["INV-001"]),
        ('Number.ToUpper().EndsWith("3")', ["inv-003"]),
        ('Number > "INV-002"', ["inv-003"]),
    ],
)
def test_text_comparisons_ignore_case(where, expected):
    assert numbers(where) == expected


@pytest.mark.parametrize(
    "where",
    [
        f'Contact.ContactID == guid("{ACME_ID}")',
        f'Contact.ContactID == Guid("{ACME_ID.upper()}")',
        f'Contact.ContactID = GUID("{ACME_ID}")',
        f'contact.contactid == GUID("{ACME_ID}")',
    ],
)
def test_guid_literals_and_nested_paths(where):
    assert numbers(where) == ["INV-001", "inv-003"]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("Date >= DateTime(2026, 02, 01)", ["INV-002", "inv-003"]),
        ("Date < DateTime(2026, 2, 1)", ["INV-001"]),
        ("Date == DateTime(2026, 1, 10)", ["INV-001"]),
        ("UpdatedDateUTC > DateTime(2026, 2, 1, 12, 30, 14)", ["INV-002", "inv-003"]),
        ("UpdatedDateUTC > DateTime(2026, 2, 1, 12, 30, 15)", ["inv-003"]),
        (
            'Date >= DateTime.Parse("2026-02-01T00:00:00") AND Date <= DateTime.Parse("2026-02-01")',
            ["INV-002", "inv-003"],
        ),
    ],
)
def test_date_fields_compare_with_datetime(where, expected):
    assert numbers(where) == expected


@pytest.mark.parametrize(
    "where, expected",
    [
        ("Reference == null", ["inv-003"]),
        ("Reference != null", ["INV-001", "INV-002"]),
        ("null == Reference", ["inv-003"]),
        ('Reference < "zzz"', ["INV-001", "INV-002"]),  # a null side makes a relational comparison false
        ("Reference >= null", []),
        ('Reference != null && Reference.StartsWith("al")', ["INV-001"]),
        ('Reference == null || Reference.EndsWith("a")', ["INV-001", "inv-003"]),
    ],
)
def test_null_semantics(where, expected):
    assert numbers(where) == expected


@pytest.mark.parametrize(
    "where, expected",
    [
        (r'Reference == "Say \"hi\""', ["INV-002"]),
        ('Reference == "Say ""hi"""', ["INV-002"]),
        (r'Reference.Contains("\"")', []),  # the null Reference is guarded below
    ],
)
def test_string_escapes(where, expected):
    if "Contains" in where:
        where = f"Reference != null && {where}"
        expected = ["INV-002"]
    assert numbers(where) == expected


def test_field_names_and_keywords_ignore_case():
    assert numbers('total > 10 aNd STATUS == "paid"') == ["INV-002"]
    assert numbers("ISPAID == True Or isPaid == NULL") == ["INV-002"]


def test_literal_on_the_left_and_field_against_field():
    assert numbers("10 == Total") == ["INV-001"]
    assert numbers("Total > Count") == ["INV-001", "INV-002"]


def test_extras_describe_fields_the_schema_cannot():
    extras = {"ContactName": Extra("string", lambda r: r["Contact"]["Name"])}
    assert numbers('ContactName == "beta & co"', extras) == ["INV-002"]


def test_method_on_a_null_field_is_refused_like_xero():
    message = refused('Reference.StartsWith("a")')
    assert message.startswith("Object reference not set to an instance of an object: Reference is null")
    assert message.endswith("(at index 10)")


# --- malformed expressions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, message",
    [
        ("Total ==", "Expression expected"),
        ('Status != "DELETED" AND ()', "Expression expected"),
        ('Number == "INV', "Unterminated string literal (at index 10)"),
        ("Number == 'INV'", "Character literal must contain exactly one character"),
        ("Foo == 1", "No property or field 'Foo' exists in type 'Doc' (at index 0)"),
        ("Contact.Nope == 1", "No property or field 'Nope' exists in type 'Party' (at index 8)"),
        ("Total.Cents == 1", "No property or field 'Cents' exists in type 'Decimal?' (at index 6)"),
        ('IsPaid == "true"', "Operator '==' incompatible with operand types 'Boolean?' and 'String' (at index 7)"),
        ('Total == "10"', "Operator '==' incompatible with operand types 'Decimal?' and 'String' (at index 6)"),
        (
            f'Contact.ContactID == "{ACME_ID}"',
            "Operator '==' incompatible with operand types 'Guid' and 'String' (at index 18)",
        ),
        ('Date > "2026-01-01"', "Operator '>' incompatible with operand types 'DateTime?' and 'String' (at index 5)"),
        ("IsPaid < true", "Operator '<' incompatible with operand types 'Boolean?' and 'Boolean' (at index 7)"),
        ("Number AND IsPaid", "Operator 'AND' incompatible with operand types 'String' and 'Boolean?' (at index 7)"),
        ("!Number", "Operator '!' incompatible with operand type 'String' (at index 0)"),
        ("-Number == 1", "Operator '-' incompatible with operand type 'String' (at index 0)"),
        ("Total == 5 5", "Syntax error (at index 11)"),
        ("Total + 1 > 2", "Syntax error (at index 6)"),
        ("Total # 1", "Syntax error '#' (at index 6)"),
        ("(Total == 5", "')' or operator expected (at index 11)"),
        ('Number.Contains("a"', "')' or ',' expected (at index 19)"),
        ("Number.", "Identifier expected (at index 7)"),
        ("Number.Reverse()", "No applicable method 'Reverse' exists in type 'String' (at index 7)"),
        ('Number.Contains("a", "b")', "No applicable method 'Contains' exists in type 'String' (at index 7)"),
        ('Total.Contains("1")', "No applicable method 'Contains' exists in type 'Decimal?' (at index 6)"),
        ("Number", "Expression of type 'Boolean' expected (at index 0)"),
        ("Total > 1.", "Digit expected (at index 10)"),
        ("Total > 1e", "Digit expected (at index 10)"),
        (
            "Date > DateTime(2026, 13, 1)",
            "Year, Month, and Day parameters describe an un-representable DateTime. (at index 7)",
        ),
        ("Date > DateTime(2026, 1)", "No matching constructor in type 'DateTime' (at index 7)"),
        ('Date > DateTime.Parse("soon")', "String was not recognized as a valid DateTime. (at index 22)"),
        (
            'Contact.ContactID == Guid("nope")',
            "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). (at index 26)",
        ),
        (r'Number == "a\q"', r"Unrecognized escape sequence '\q' (at index 12)"),
    ],
)
def test_malformed_expressions_are_query_parse_exceptions(where, message):
    assert refused(where) == message


def test_deep_nesting_is_refused_not_crashed():
    assert "nested more than" in refused("(" * 200 + "IsPaid" + ")" * 200)
    assert "nested more than" in refused("!" * 500 + "IsPaid")
    assert "nested more than" in refused(" == ".join(["IsPaid"] * 300))


def test_long_flat_chains_are_fine():
    assert numbers(" OR ".join(["Total == 10"] * 250)) == ["INV-001"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("TotalIsPaidDateNumberContact.()\"'!=<>&|,-+0123456789 \\gGuid")), max_size=60
    )
    | st.text(max_size=40)
)
def test_any_text_either_filters_or_is_a_query_parse_exception(text):
    try:
        test = compile_where(text, CATALOG)
        results = [test(d) for d in DOCS]
    except QueryParseException:
        return
    assert all(isinstance(r, bool) for r in results)


# --- order ---------------------------------------------------------------------------------------------


def ordered(order: str) -> list[str]:
    return [d["Number"] for d in sort_rows(list(DOCS), compile_order(order, CATALOG))]


@pytest.mark.parametrize(
    "order, expected",
    [
        ("Total", ["inv-003", "INV-001", "INV-002"]),
        ("Total ASC", ["inv-003", "INV-001", "INV-002"]),
        ("Total DESC", ["INV-002", "INV-001", "inv-003"]),
        ("total descending", ["INV-002", "INV-001", "inv-003"]),
        ("Number DESC", ["inv-003", "INV-002", "INV-001"]),  # text ignores case
        ("Date DESC, Total ASC", ["inv-003", "INV-002", "INV-001"]),
        ("Date DESC, Total DESC", ["INV-002", "inv-003", "INV-001"]),
        ("Contact.Name, Count DESC", ["inv-003", "INV-001", "INV-002"]),
        ("Reference", ["inv-003", "INV-001", "INV-002"]),  # null first ascending
        ("Reference DESC", ["INV-002", "INV-001", "inv-003"]),  # and last descending
    ],
)
def test_order_by_one_or_several_fields(order, expected):
    assert ordered(order) == expected


def test_order_is_stable_for_ties():
    assert ordered("Contact.ContactID") == ["INV-002", "INV-001", "inv-003"]


@pytest.mark.parametrize(
    "order, message",
    [
        ("Nope", "No property or field 'Nope' exists in type 'Doc' (at index 0)"),
        ("Contact.Nope DESC", "No property or field 'Nope' exists in type 'Party' (at index 8)"),
        ("Total UP", "Syntax error (at index 6)"),
        ("Total DESC,", "Expression expected"),
        ("Lines", "Expression of type 'List' cannot be ordered (at index 0)"),
        ("Contact", "Expression of type 'Party' cannot be ordered (at index 0)"),
    ],
)
def test_bad_order_is_a_query_parse_exception(order, message):
    with pytest.raises(QueryParseException) as caught:
        ordered(order)
    assert caught.value.message == message
