"""Wire field types: money, Xero dates, GUIDs and enums with Xero's error wording."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields

from .. import wire
from ..ids import is_guid, normalise_guid


class Money(fields.Field):
    """An exact ``Decimal``: JSON numbers (already ``Decimal`` via ``parse_float``) or numeric strings."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> Decimal:
        try:
            return wire.parse_decimal(value)
        except wire.WireFormatError as exc:
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.Decimal'") from exc

    def _serialize(self, value: Any, attr, obj, **kwargs) -> Decimal | None:
        return value


class XeroDate(fields.Field):
    """A date-only field: read ``YYYY-MM-DD``, ISO date-times or ``/Date(ms)/``; write ``/Date(ms+0000)/``."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> date:
        try:
            return wire.parse_date(value)
        except wire.WireFormatError as exc:
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.DateTime'") from exc

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return wire.ms_datetime(value)
        return wire.ms_date(value)


class XeroDateTime(fields.Field):
    """A timestamp (``UpdatedDateUTC``): same input forms, written with millisecond precision."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> datetime:
        try:
            return wire.parse_datetime(value)
        except wire.WireFormatError as exc:
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.DateTime'") from exc

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        return None if value is None else wire.ms_datetime(value)


class IsoDateString(fields.Field):
    """The companion ``DateString`` fields: ``2019-03-11T00:00:00``; output only."""

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return value.strftime("%Y-%m-%dT00:00:00")

    def _deserialize(self, value: Any, attr, data, **kwargs) -> Any:
        return None  # read-only: whatever a client sends is ignored


class Guid(fields.Field):
    """A GUID, normalised to Xero's lower-case hyphenated form. An empty string means absent."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str | None:
        if value is None or value == "":
            return None
        if not is_guid(value):
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.Guid'")
        return normalise_guid(value)

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        return value


class Text(fields.String):
    """A string; ``null`` is accepted and means absent."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return str(value)  # Xero's reader turns numbers into strings for string fields
        if not isinstance(value, str):
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.String'")
        return value


class Flag(fields.Boolean):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr, data, **kwargs) -> bool:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.Boolean'") from None


class Choice(fields.String):
    """A Xero enum: unknown values are a post-data error, like .NET's enum converter reports them."""

    def __init__(self, choices: Iterable[str], type_name: str, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)
        self.choices = tuple(choices)
        self.type_name = type_name

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise ValidationError(f"Error converting value {_show(value)} to type '{self.type_name}'")
        return value


class WholeNumber(fields.Integer):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault("strict", False)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr, data, **kwargs) -> int:
        if isinstance(value, bool):
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.Int32'")
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(f"Error converting value {_show(value)} to type 'System.Int32'") from None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "{null}"
    if isinstance(value, (dict, list)):
        return "{" + type(value).__name__ + "}"
    return str(value)
