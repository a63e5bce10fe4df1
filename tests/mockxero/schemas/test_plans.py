"""A schema's plan (``mockxero.schemas.plans``) reads and writes exactly what marshmallow does.

Three checks: every schema loads generated elements (good, odd and bad values, nested objects, unknown keys)
to the same record or the same error messages both ways; those records dump to the same answer both ways;
and after every step of the transaction state machine, every listing and report of the books answers the
same bytes both ways.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, run_state_machine_as_test
from marshmallow import ValidationError, fields, post_dump

import mockxero.schemas
from mockxero.schemas import plans
from mockxero.schemas.base import XeroSchema
from mockxero.schemas.documents import DualNested
from mockxero.schemas.invoices import InvoiceSchema
from tests.mockxero.test_properties import TransactionBooks


@contextmanager
def marshmallow_only() -> Iterator[None]:
    plans.enabled = False
    try:
        yield
    finally:
        plans.enabled = True


def every_schema() -> list[type[XeroSchema]]:
    found: dict[str, type[XeroSchema]] = {}
    for module_info in pkgutil.iter_modules(mockxero.schemas.__path__):
        module = importlib.import_module(f"mockxero.schemas.{module_info.name}")
        for _, member in inspect.getmembers(module, inspect.isclass):
            if issubclass(member, XeroSchema) and member is not XeroSchema:
                found[f"{member.__module__}.{member.__qualname__}"] = member
    return [found[name] for name in sorted(found)]


SCHEMAS = every_schema()

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**6), max_value=10**6),
    st.sampled_from(
        [
            "",
            "ACCREC",
            "AUTHORISED",
            "Exclusive",
            " inclusive ",
            "2026-01-15",
            "2026-01-15T10:20:30",
            "/Date(1767312000000+0000)/",
            "12.50",
            "abc",
            "true",
            "0b8a1c3e-6f6d-4a3e-9d57-2f1b6c3a9e10",
            "0B8A1C3E6F6D4A3E9D572F1B6C3A9E10",
        ]
    ),
    st.text(max_size=6),
    st.just([]),
    st.just({}),
)


def element_of(schema: XeroSchema, depth: int = 0) -> st.SearchStrategy[dict]:
    """An element with some of the schema's fields (any of them, read-only ones too) and maybe a stray key."""
    values: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in schema.fields.items():
        values[field.data_key or name] = value_for(field, depth)
    return st.fixed_dictionaries({}, optional={**values, "NotAXeroField": ODD_VALUES})


def value_for(field: fields.Field, depth: int) -> st.SearchStrategy[Any]:
    nested = _nested_schema(field)
    if nested is None or depth >= 2:
        inner = field.inner if isinstance(field, fields.List) else None
        if inner is not None:
            return st.one_of(st.lists(ODD_VALUES, max_size=2), ODD_VALUES)
        return ODD_VALUES
    element = element_of(nested, depth + 1)
    if isinstance(field, fields.List):
        return st.one_of(st.lists(st.one_of(element, ODD_VALUES), max_size=2), element, ODD_VALUES)
    return st.one_of(element, ODD_VALUES)


def _nested_schema(field: fields.Field) -> XeroSchema | None:
    inner = field.inner if isinstance(field, fields.List) else field
    if isinstance(inner, fields.Nested):
        return inner.schema if isinstance(inner.schema, XeroSchema) else None
    if isinstance(inner, DualNested):
        return inner.load_schema
    return None


def loaded(schema: XeroSchema, element: dict) -> tuple[str, Any]:
    try:
        return "record", schema.load(element)
    except ValidationError as error:
        return "errors", error.messages


def dumped(schema: XeroSchema, record: dict) -> tuple[str, Any]:
    """The answer, or the kind of exception (a report's dates dumped from a value that is no date)."""
    try:
        return "answer", schema.dump(record)
    except Exception as error:
        return "raises", type(error).__name__


def test_every_schema_with_fields_has_a_plan() -> None:
    """The plans cover the schemas, so the checks below are about plans and not about fallbacks."""
    unplanned_load = [cls.__name__ for cls in SCHEMAS if cls().load_plan() is None]
    unplanned_dump = [cls.__name__ for cls in SCHEMAS if cls().dump_plan() is None]
    assert unplanned_load == []
    # A Method field (a credit note's allocations) needs marshmallow's own dump.
    assert unplanned_dump == ["CreditNoteSchema"]


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda cls: cls.__name__)
@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_plan_loads_and_dumps_what_marshmallow_does(schema_class: type[XeroSchema], data: st.DataObject) -> None:
    schema = schema_class()
    element = data.draw(element_of(schema))
    planned = loaded(schema, element)
    with marshmallow_only():
        reference = loaded(schema, element)
    assert planned == reference
    kind, record = planned
    if kind == "record":
        with marshmallow_only():
            expected = dumped(schema, record)
        assert dumped(schema, record) == expected


def test_a_bad_element_gets_marshmallows_messages() -> None:
    """The plan stops at the first doubt; the messages are marshmallow's, every one of them."""
    element = {"Type": "NOPE", "Date": "soon", "LineItems": [{"Quantity": "two"}, None], "Contact": "Acme"}
    with pytest.raises(ValidationError) as planned:
        InvoiceSchema().load(element)
    assert planned.value.messages == {
        "Type": ["Error converting value \"NOPE\" to type 'InvoiceType'"],
        "Date": ["Error converting value \"soon\" to type 'System.DateTime'"],
        "LineItems": {
            0: {"Quantity": ["Error converting value \"two\" to type 'System.Decimal'"]},
            1: ["Field may not be null."],
        },
        "Contact": ["Error converting value \"Acme\" to type 'Contact'"],
    }
    with marshmallow_only(), pytest.raises(ValidationError) as reference:
        InvoiceSchema().load(element)
    assert planned.value.messages == reference.value.messages


def test_a_good_element_is_read_by_the_plan_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a fallback in disguise: marshmallow's own load is never called for a good invoice."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("marshmallow's load was called")

    monkeypatch.setattr("marshmallow.Schema.load", refuse)
    record = InvoiceSchema().load(
        {"Type": "ACCREC", "Contact": {"ContactID": "0B8A1C3E6F6D4A3E9D572F1B6C3A9E10"}, "LineItems": [{"Quantity": 2}]}
    )
    assert record == {
        "Type": "ACCREC",
        "Contact": {"ContactID": "0b8a1c3e-6f6d-4a3e-9d57-2f1b6c3a9e10"},
        "LineItems": [{"Quantity": Decimal("2")}],
    }


class OddlyKeyed(XeroSchema):
    """Wire keys no Xero schema has, which the compiled dump must write as they are."""

    Quoted = fields.String(data_key='It\'s "quoted"\\')
    Amount = fields.Decimal(allow_none=True)


class HookedTwice(XeroSchema):
    Name = fields.String()

    @post_dump
    def _shout(self, data: dict, **kwargs: Any) -> dict:
        return {key: value.upper() if isinstance(value, str) else value for key, value in data.items()}


def test_a_compiled_dump_writes_any_key_and_drops_nulls_as_the_hook_did() -> None:
    record = {"Quoted": "x", "Amount": None}
    assert OddlyKeyed().dump(record) == {'It\'s "quoted"\\': "x"}
    with marshmallow_only():
        assert OddlyKeyed().dump(record) == {'It\'s "quoted"\\': "x"}


def test_a_schema_with_other_dump_hooks_runs_them_all() -> None:
    assert HookedTwice().dump({"Name": "acme", "Other": 1}) == {"Name": "ACME"}
    assert HookedTwice().dump({"Name": None}) == {}  # the null is still dropped, by the hook
    with marshmallow_only():
        assert HookedTwice().dump({"Name": "acme"}) == {"Name": "ACME"}


LISTINGS = [
    "/Invoices?page=1",
    "/Invoices",
    "/CreditNotes?page=1",
    "/Payments",
    "/Overpayments",
    "/Prepayments",
    "/BankTransactions?page=1",
    "/BankTransfers",
    "/Contacts?page=1",
    "/Journals",
    "/Accounts",
    "/TaxRates",
    "/Currencies",
    "/Organisation",
    "/Reports/TrialBalance",
    "/Reports/BankSummary",
]


ENVELOPE_ID = re.compile(rb'^\{"Id":"[0-9a-f-]{36}"')


class BooksAnsweredBothWays(TransactionBooks):
    def answer(self, path: str) -> bytes:
        """The answer's bytes but for the envelope's Id, which is new on every answer."""
        return ENVELOPE_ID.sub(b'{"Id":""', self.xero._call("GET", path).get_data())

    @invariant()
    def plans_and_marshmallow_answer_alike(self) -> None:
        for path in LISTINGS:
            planned = self.answer(path)
            with marshmallow_only():
                reference = self.answer(path)
            assert planned == reference, path


def test_the_books_answer_the_same_with_and_without_plans() -> None:
    run_state_machine_as_test(
        BooksAnsweredBothWays,
        settings=settings(
            max_examples=6,
            stateful_step_count=20,
            # a failing sequence is reported as found: shrinking one takes minutes here
            phases=[Phase.explicit, Phase.generate],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
