"""Each schema's load and dump, planned once from its declared fields and run without marshmallow's general
machinery.

Why: marshmallow decides per value what a field needs (accessors, defaults, validators, hooks, error stores),
which made reading a body and writing its answer about a third of an invoice create. A plan makes those
decisions once per schema: which fields are read and written, under which keys, and by which function. The
functions are the fields' own (``_deserialize``, ``_serialize``) or, for our own leaf types whose writer
returns its value unchanged, nothing at all; so a plan gives exactly marshmallow's result.

A plan only covers the good case. Loading raises ``Unplanned`` at the first thing that is not plainly
right (a null where none is allowed, a wrong type, any ``ValidationError``) and the schema then loads the
element the marshmallow way, which reports every error with its usual messages. A schema whose load has
hooks or whose fields the plan does not understand is never planned for load. ``tests/mockxero/schemas/
test_plans.py`` checks plan against marshmallow on generated elements and on a whole book's answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from marshmallow import fields, missing
from marshmallow.decorators import POST_DUMP, POST_LOAD, PRE_DUMP, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

from .fields import Guid, Money

if TYPE_CHECKING:
    from .base import XeroSchema

Reader = Callable[[Any, dict], Any]

# Off only in the tests that compare plans with marshmallow (``marshmallow_only``).
enabled = True
Writer = Callable[[Any, Any], Any]


class Unplanned(Exception):
    """The element needs marshmallow's own load (an error to report, or a shape the plan does not cover)."""


# --- load ----------------------------------------------------------------------------------------------


class LoadPlan:
    """(wire key, record key, reader) per loadable field, in declared order (marshmallow's output order)."""

    def __init__(self, steps: list[tuple[str, str, Reader, bool]]):
        self.steps = steps

    def load(self, data: Any) -> dict:
        if type(data) is not dict:
            raise Unplanned
        out: dict = {}
        for key, attribute, read, allow_none in self.steps:
            if key in data:
                value = data[key]
                if value is None:
                    if not allow_none:
                        raise Unplanned
                    out[attribute] = None
                else:
                    out[attribute] = read(value, data)
        return out


def load_plan(schema: XeroSchema) -> LoadPlan | None:
    """The schema's load plan, or ``None`` when its load must stay marshmallow's (hooks, dotted keys)."""
    hooks = type(schema).resolve_hooks()
    if any(hooks.get(tag) for tag in (PRE_LOAD, POST_LOAD, VALIDATES, VALIDATES_SCHEMA)) or schema.many:
        return None
    steps = []
    for name, field in schema.load_fields.items():
        attribute = field.attribute or name
        if "." in attribute:
            return None
        key = field.data_key or name
        reader = _reader(field, key)
        if reader is None:
            return None
        steps.append((key, attribute, reader, field.allow_none))
    return LoadPlan(steps)


def _reader(field: Any, key: str) -> Reader | None:
    if field.validators or field.pre_load or field.post_load:
        return None
    kind = type(field)
    if kind is fields.Nested:
        return _nested_reader(field)
    if kind is fields.List:
        inner = field.inner
        if inner.validators or inner.pre_load or inner.post_load:
            return None
        if type(inner) is fields.Nested:
            read_item = _nested_reader(inner)
        else:
            read_item = _leaf_reader(inner, key)
        if read_item is None:
            return None
        inner_allows_none = inner.allow_none

        def read_list(value: Any, data: dict) -> list:
            if type(value) is not list:
                raise Unplanned
            out: list[Any] = []
            for item in value:
                if item is None:
                    if not inner_allows_none:
                        raise Unplanned
                    out.append(None)
                else:
                    out.append(read_item(item, data))
            return out

        return read_list
    return _leaf_reader(field, key)


def _nested_reader(field: Any) -> Reader | None:
    if field.many or field.only or field.exclude or field.unknown is not None:
        return None
    nested = field.schema
    plan = getattr(nested, "load_plan", None)
    if plan is None:
        return None

    def read_nested(value: Any, data: dict) -> dict:
        found = plan()
        if found is None:
            raise Unplanned
        return found.load(value)

    return read_nested


def _leaf_reader(field: Any, key: str) -> Reader:
    deserialize = field._deserialize
    # Any ValidationError from the field's own reader sends the element back to marshmallow for its message.
    return lambda value, data: deserialize(value, key, data, partial=True)


# --- dump ----------------------------------------------------------------------------------------------


class DumpPlan:
    """(record key, wire key, writer) per dumpable field, with the schema's dump hooks, in their order.

    A record (a plain dict) is written by a function compiled from the steps when the plan is made: one
    straight line per field, with no loop, no step to unpack and no test of whether the field has a writer.
    That took a large invoice's dump from about 32 µs to about 20. A schema's null-dropping hook
    (``DROPS_NULLS``) is folded in as a test beside each key. Anything else is written by ``dump_general``."""

    def __init__(
        self,
        steps: list[tuple[str, str, Writer | None]],
        before: list[Callable[..., Any]],
        after: list[Callable[..., Any]],
        get: Callable[[Any, str, Any], Any],
    ):
        self.steps = steps
        self.before = before
        self.after = after
        self.get = get
        self.dump_record = _compile_record_dump(steps, after)

    def dump(self, obj: Any, many: bool = False) -> dict:
        for hook in self.before:
            obj = hook(obj, many=many)
        if type(obj) is dict:
            return self.dump_record(obj, many)
        return self.dump_general(obj, many)

    def dump_general(self, obj: Any, many: bool = False) -> dict:
        """Any object (a dict included), step by step through the schema's accessor; ``before`` hooks not run."""
        out: dict = {}
        for attribute, key, write in self.steps:
            value = self.get(obj, attribute, missing)
            if value is not missing:
                out[key] = value if write is None else write(value, obj)
        for hook in self.after:
            out = hook(out, many=many)
        return out


# A post-dump hook marked with this attribute (set to True) only drops the keys whose value is None.
DROPS_NULLS = "drops_nulls"


def _compile_record_dump(
    steps: list[tuple[str, str, Writer | None]], after: list[Callable[..., Any]]
) -> Callable[[dict, bool], dict]:
    """The source of a plan's dump of one record, compiled. Keys and attributes go in as ``repr`` literals
    of the schema's own field names; writers and hooks are passed in by name, never as text."""
    drops_nulls = len(after) == 1 and getattr(after[0], DROPS_NULLS, False) is True
    hooks = [] if drops_nulls else after
    namespace: dict[str, Any] = {"missing": missing, "hooks": hooks}
    body = ["def dump_record(obj, many=False):", "    get = obj.get", "    out = {}"]
    for index, (attribute, key, write) in enumerate(steps):
        body.append(f"    value = get({attribute!r}, missing)")
        if write is None:
            kept = "value is not missing and value is not None" if drops_nulls else "value is not missing"
            body.append(f"    if {kept}:")
            body.append(f"        out[{key!r}] = value")
        else:
            namespace[f"write_{index}"] = write
            body.append("    if value is not missing:")
            if drops_nulls:
                body.append(f"        value = write_{index}(value, obj)")
                body.append("        if value is not None:")
                body.append(f"            out[{key!r}] = value")
            else:
                body.append(f"        out[{key!r}] = write_{index}(value, obj)")
    body.append("    for hook in hooks:")
    body.append("        out = hook(out, many=many)")
    body.append("    return out")
    # the text holds only repr literals of the schema's field names, so nothing from a request is compiled
    exec(compile("\n".join(body), "<dump plan>", "exec"), namespace)
    return namespace["dump_record"]


def dump_plan(schema: XeroSchema) -> DumpPlan | None:
    """The schema's dump plan, or ``None`` when a field needs marshmallow's general dump."""
    hooks = type(schema).resolve_hooks()
    before: list[Callable[..., Any]] = []
    after: list[Callable[..., Any]] = []
    for tag, into in ((PRE_DUMP, before), (POST_DUMP, after)):
        for attr_name, pass_collection, options in hooks.get(tag, []):
            if pass_collection or options.get("pass_original"):
                return None
            into.append(getattr(schema, attr_name))
    steps: list[tuple[str, str, Writer | None]] = []
    for name, field in schema.dump_fields.items():
        if not field._CHECK_ATTRIBUTE or field.dump_default is not missing:
            return None  # a Method field or a default: rare, and marshmallow's dump handles them
        attribute = field.attribute or name
        if "." in attribute:
            return None
        steps.append((attribute, field.data_key or name, _writer(field, name)))
    return DumpPlan(steps, before, after, schema.get_attribute)


def _writer(field: Any, name: str) -> Writer | None:
    """``None`` for a field whose writer returns the value unchanged (our money and GUIDs)."""
    kind = type(field)
    if kind in (Money, Guid):
        return None
    if kind is fields.Nested and not (field.only or field.exclude):
        return _nested_writer(field)
    if kind is fields.List and type(field.inner) is fields.Nested and not (field.inner.only or field.inner.exclude):
        write_item = _nested_writer(field.inner)
        return lambda value, obj: None if value is None else [write_item(item, obj) for item in value]
    if isinstance(field, fields.String) and kind._serialize is fields.String._serialize:
        serialize_text = field._serialize
        return lambda value, obj: value if type(value) is str else serialize_text(value, name, obj)
    serialize = field._serialize
    return lambda value, obj: serialize(value, name, obj)


def _nested_writer(field: Any) -> Writer:
    nested = field.schema
    many = bool(nested.many or field.many)
    return lambda value, obj: None if value is None else nested.dump(value, many=many)
