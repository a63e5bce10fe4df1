"""The base schema and the two ways a body element is read: wire → values (load) and values → wire (dump)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_dump
from marshmallow.utils import get_value

from ..exceptions import PostDataInvalidException
from . import plans

_UNPLANNED: Any = object()  # a plan not yet made (``None`` is a schema that has none)


class XeroSchema(Schema):
    """Field names are Xero's PascalCase names; unknown keys are ignored as Xero's JSON reader does."""

    class Meta:
        unknown = EXCLUDE

    _load_plan: plans.LoadPlan | None = _UNPLANNED
    _dump_plan: plans.DumpPlan | None = _UNPLANNED

    def load(self, data: Any, *, many: bool | None = None, partial: Any = None, unknown: Any = None) -> Any:
        """Read only the fields an element carries. No Xero field is required or has a default when absent
        (an absent field simply stays absent), so ``partial=True`` changes no outcome; it saves marshmallow
        visiting every declared field of every nested object, which was most of a write's load time
        (an invoice names its contact by one key of the forty a contact has). Nested fields pass it on.

        A good element is read by the schema's plan (``plans``); anything else, and every error, by
        marshmallow, so messages are marshmallow's."""
        if many is None and partial is None and unknown is None and plans.enabled:
            plan = self.load_plan()
            if plan is not None:
                try:
                    return plan.load(data)
                except (plans.Unplanned, ValidationError):
                    pass
        return super().load(data, many=many, partial=True if partial is None else partial, unknown=unknown)

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """Written by the schema's plan when it has one: marshmallow's result without its per-value work."""
        plan = self.dump_plan() if plans.enabled else None
        if plan is None:
            return super().dump(obj, many=many)
        if self.many if many is None else many:
            return [plan.dump(item, many=True) for item in obj]
        return plan.dump(obj)

    def load_plan(self) -> plans.LoadPlan | None:
        if self._load_plan is _UNPLANNED:
            self._load_plan = plans.load_plan(self)
        return self._load_plan

    def dump_plan(self) -> plans.DumpPlan | None:
        if self._dump_plan is _UNPLANNED:
            self._dump_plan = plans.dump_plan(self)
        return self._dump_plan

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """A record is a dict: one lookup, rather than marshmallow's general accessor (dotted paths, objects,
        then attributes) for each of a schema's forty fields. Anything else goes the general way."""
        if type(obj) is dict and "." not in attr:
            return obj.get(attr, default)
        return get_value(obj, attr, default)

    @post_dump
    def _omit_absent(self, data: dict, **kwargs: Any) -> dict:
        # Xero omits absent fields; it never sends "Field": null.
        return {key: value for key, value in data.items() if value is not None}

    setattr(_omit_absent, plans.DROPS_NULLS, True)  # a dump plan does this itself, key by key


def load_elements(
    schema: Schema, elements: Iterable[Any], collection: str, *, reject_unknown: bool = False
) -> list[dict]:
    """Load every element or fail the whole request, as Xero does when a body cannot be deserialised.

    Errors name the element and field: ``Contacts[1].Phones[0].PhoneType``.
    """
    loaded: list[dict] = []
    problems: list[str] = []
    for index, element in enumerate(elements):
        where = f"{collection}[{index}]"
        if not isinstance(element, dict):
            problems.append(f"{where}: expected an object")
            continue
        if reject_unknown:
            problems.extend(f"{path}: unknown field" for path in unknown_paths(schema, element, where))
        try:
            loaded.append(schema.load(element))
        except ValidationError as exc:
            problems.extend(f"{path}: {message}" for path, message in flatten_errors(exc.messages, where))
    if problems:
        raise PostDataInvalidException("JSON for post data was invalid, " + "; ".join(problems))
    return loaded


def flatten_errors(messages: Any, prefix: str) -> list[tuple[str, str]]:
    """Marshmallow's nested error dict as (``Path[0].Field``, message) pairs."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return [(prefix, m) for m in messages]
        pairs: list[tuple[str, str]] = []
        for m in messages:
            pairs.extend(flatten_errors(m, prefix))
        return pairs
    if isinstance(messages, str):
        return [(prefix, messages)]
    out: list[tuple[str, str]] = []
    for key, value in messages.items():
        path = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}"
        out.extend(flatten_errors(value, path))
    return out


def unknown_paths(schema: Schema, data: dict, prefix: str) -> list[str]:
    """Keys the schema does not declare, at any depth (the ``unknown_fields = "reject"`` mode)."""
    paths: list[str] = []
    declared = schema.fields
    for key, value in data.items():
        field = declared.get(key)
        if field is None:
            paths.append(f"{prefix}.{key}")
            continue
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            nested = inner.schema
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    here = f"{prefix}.{key}[{index}]" if isinstance(value, list) else f"{prefix}.{key}"
                    paths.extend(unknown_paths(nested, item, here))
    return paths
