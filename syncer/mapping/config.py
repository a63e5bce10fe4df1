"""The mapping configuration: which Xero item, tax type and accounts each billing thing maps to.

A configuration is a YAML or JSON file (``contracts/mapping-config.schema.json`` is its JSON Schema;
docs/syncer/mapping.md describes every field). ``load_mapping_config`` reads one and returns a frozen
``MappingConfig``, or raises ``MappingConfigError`` carrying every problem at once, each naming the file,
the line where the parser can tell it, and the field.

Account, item and tax codes must be strings: an unquoted ``090`` in YAML is a number, and ``090`` and ``90``
are different Xero account codes, so guessing would book money to the wrong account.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from syncer.source.locations import NodePath, locate
from syncer.source.model import Customer, Invoice, InvoiceLine

CONFIG_VERSION = 1
ACCOUNT_CODE_MAX = 10  # Xero: Account.Code ≤ 10
ITEM_CODE_MAX = 30  # Xero: Item.Code ≤ 30
CONTACT_NUMBER_MAX = 50  # Xero: Contact.ContactNumber ≤ 50
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class FeeFlow(StrEnum):
    """Which bank account the gateway fee SPEND is drawn from.

    ``clearing`` (default) balances: clearing receives the gross and pays out the fee and the net payout,
    so it nets to zero. ``deposit`` is the literal reading of the billing platform's document (the fee is
    "deducted from your Deposit Bank Account"); it leaves the fee sitting in clearing and the deposit short
    of the bank statement by the same amount. It is kept so the settlement check can be shown catching it.
    """

    CLEARING = "clearing"
    DEPOSIT = "deposit"


class DisputeHandling(StrEnum):
    """``spend``: withdrawn funds and the dispute fee leave clearing as a SPEND, a won dispute comes back as a
    RECEIVE. ``manual``: disputes are not pushed (each is skipped with its amounts), for teams that book
    chargebacks by hand; the settlement check then shows them as clearing residue until they do."""

    SPEND = "spend"
    MANUAL = "manual"


@dataclass(frozen=True)
class CurrencyAccounts:
    """Xero account codes for one currency. ``refund_account`` pays refunds that are not netted in a payout
    (default: the deposit bank)."""

    deposit_bank: str
    clearing: str
    fee_account: str
    dispute_account: str
    refund_account: str | None = None

    def codes(self) -> dict[str, str]:
        """Field name → code, for every account this currency names."""
        named = {
            "deposit_bank": self.deposit_bank,
            "clearing": self.clearing,
            "fee_account": self.fee_account,
            "dispute_account": self.dispute_account,
        }
        if self.refund_account is not None:
            named["refund_account"] = self.refund_account
        return named


@dataclass(frozen=True)
class ExternalContact:
    """A billing customer already known to Xero: by the ContactNumber to use, or by its ContactID."""

    contact_number: str | None = None
    contact_id: str | None = None


def _frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class MappingConfig:
    """How billing records become Xero objects for one organisation."""

    default_revenue_account: str
    currencies: Mapping[str, CurrencyAccounts]
    items: Mapping[str, str] = field(default_factory=_frozen)  # billing product id → Xero ItemCode
    tax: Mapping[str, str] = field(default_factory=_frozen)  # billing tax code → Xero TaxType
    discount_account: str | None = None
    external_contacts: Mapping[str, ExternalContact] = field(default_factory=_frozen)
    sync_addresses: bool = False
    append_billing_period: bool = False
    fee_flow: FeeFlow = FeeFlow.CLEARING
    dispute_handling: DisputeHandling = DisputeHandling.SPEND
    version: int = CONFIG_VERSION


class SyncSettings:
    """What the engine asks before mapping a record; these defaults include everything, in source order.

    The integration settings (excluded line item types, products and aggregations, the account filter,
    only-approved bills, line sorting) implement these methods; the mapping rules already consult them, so
    they slot in without changing a rule. Each ``*_excluded`` method returns the reason a record is left
    out, or None to include it.
    """

    def customer_excluded(self, customer: Customer) -> str | None:
        return None

    def customer_problem(self, customer: Customer) -> str | None:
        """What stops a sent customer's contact from being written (e.g. a required external code is missing)."""
        return None

    def mapping_for(self, mapping: MappingConfig) -> MappingConfig:
        """The mapping the rules use: the settings may add to it (an integration's external mapping codes)."""
        return mapping

    def invoice_excluded(self, invoice: Invoice) -> str | None:
        return None

    def line_excluded(self, line: InvoiceLine) -> str | None:
        return None

    def ordered_lines(self, lines: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
        return tuple(lines)


DEFAULT_SETTINGS = SyncSettings()


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in a configuration file: the file, the line when the parser can tell, the field."""

    source: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        place = f"{self.source}:{self.line}" if self.line is not None else self.source
        if self.field:
            place += f" ({self.field})"
        return f"{place}: {self.message}"


class MappingConfigError(ValueError):
    """A configuration that cannot be used; ``problems`` lists every one found, in file order."""

    def __init__(self, problems: Iterable[ConfigProblem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# ---------------------------------------------------------------------------------------------------------
# Loading


def load_mapping_config(path: str | Path) -> MappingConfig:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) configuration file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingConfigError([ConfigProblem(str(path), f"cannot be read: {exc.strerror or exc}")]) from exc
    return parse_mapping_config(text, source=str(path), as_json=path.suffix.lower() == ".json")


def parse_mapping_config(text: str, *, source: str = "<config>", as_json: bool = False) -> MappingConfig:
    """Parse configuration text; ``source`` names it in every problem."""
    try:
        data = json.loads(text, parse_float=Decimal) if as_json else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise MappingConfigError([ConfigProblem(source, f"is not valid JSON: {exc.msg}", exc.lineno)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = ConfigProblem(source, f"is not valid YAML: {getattr(exc, 'problem', exc)}", line)
        raise MappingConfigError([problem]) from exc
    located = locate(text)
    checker = _Checker(source, located.lines)
    for path, line in located.duplicates:
        checker.problems.append(ConfigProblem(source, "appears twice; keep one", line, ".".join(map(str, path))))
    config = checker.config(data)
    if checker.problems or config is None:
        raise MappingConfigError(sorted(checker.problems, key=_file_order))
    return config


def _file_order(problem: ConfigProblem) -> tuple[int, str]:
    return (problem.line or 0, problem.field or "")


_TOP_LEVEL = (
    "version",
    "default_revenue_account",
    "discount_account",
    "currencies",
    "items",
    "tax",
    "external_mappings",
    "sync_addresses",
    "append_billing_period",
    "fee_flow",
    "dispute_handling",
)
_Choice = TypeVar("_Choice", bound=StrEnum)
_CURRENCY_FIELDS = ("deposit_bank", "clearing", "fee_account", "dispute_account", "refund_account")
_REQUIRED_CURRENCY_FIELDS = ("deposit_bank", "clearing", "fee_account", "dispute_account")


class _Checker:
    """Builds a MappingConfig from parsed data, collecting every problem instead of stopping at the first."""

    def __init__(self, source: str, lines: Mapping[NodePath, int]):
        self.source = source
        self.lines = lines
        self.problems: list[ConfigProblem] = []

    def fail(self, path: tuple[str, ...], message: str) -> None:
        line = None
        for depth in range(len(path), 0, -1):  # a missing field is reported at its parent's line
            line = self.lines.get(path[:depth])
            if line is not None:
                break
        self.problems.append(ConfigProblem(self.source, message, line, ".".join(path) or None))

    def mapping(self, value: object, path: tuple[str, ...], allowed: Iterable[str] | None = None) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, f"must be a mapping, got {_kind(value)}")
            return None
        for key in value:
            if not isinstance(key, str):
                self.fail((*path, str(key)), f"key {key!r} must be a string (quote it)")
        if allowed is not None:
            allowed = tuple(allowed)
            for key in value:
                if isinstance(key, str) and key not in allowed:
                    self.fail((*path, key), f"is not a known field; expected one of {', '.join(allowed)}")
        return value

    def code(self, value: object, path: tuple[str, ...], longest: int, what: str) -> str | None:
        if not isinstance(value, str):
            hint = " (quote it: an unquoted code such as 090 is read as a number)" if _is_number(value) else ""
            self.fail(path, f"must be {_a(what)} string, got {_kind(value)}{hint}")
            return None
        if not value.strip():
            self.fail(path, f"must be a non-empty {what}")
            return None
        if len(value) > longest:
            self.fail(path, f"{value!r} is longer than Xero's {longest} characters for {_a(what)}")
            return None
        return value

    def flag(self, value: object, path: tuple[str, ...]) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false, got {_kind(value)}")
            return False
        return value

    def choice(self, value: object, path: tuple[str, ...], enum: type[_Choice], default: _Choice) -> _Choice:
        for member in enum:
            if value == member.value:
                return member
        self.fail(path, f"must be one of {', '.join(member.value for member in enum)}, got {value!r}")
        return default

    def config(self, data: object) -> MappingConfig | None:
        top = self.mapping(data, (), _TOP_LEVEL)
        if top is None:
            return None
        version = top.get("version", CONFIG_VERSION)
        if version != CONFIG_VERSION or isinstance(version, bool):
            self.fail(("version",), f"must be {CONFIG_VERSION}, got {version!r}")
        if "default_revenue_account" not in top:
            self.fail(("default_revenue_account",), "is required")
            revenue = None
        else:
            revenue = self.code(
                top["default_revenue_account"], ("default_revenue_account",), ACCOUNT_CODE_MAX, "account code"
            )
        discount = None
        if top.get("discount_account") is not None:
            discount = self.code(top["discount_account"], ("discount_account",), ACCOUNT_CODE_MAX, "account code")
        currencies = self.currencies(top.get("currencies"))
        items = self.code_table(top.get("items", {}), ("items",), ITEM_CODE_MAX, "Xero ItemCode")
        tax = self.code_table(top.get("tax", {}), ("tax",), 50, "Xero TaxType")
        contacts = self.external(top.get("external_mappings", {}))
        sync_addresses = self.flag(top.get("sync_addresses", False), ("sync_addresses",))
        append_period = self.flag(top.get("append_billing_period", False), ("append_billing_period",))
        fee_flow = self.choice(top.get("fee_flow", "clearing"), ("fee_flow",), FeeFlow, FeeFlow.CLEARING)
        disputes = self.choice(
            top.get("dispute_handling", "spend"), ("dispute_handling",), DisputeHandling, DisputeHandling.SPEND
        )
        if self.problems or revenue is None:
            return None
        return MappingConfig(
            default_revenue_account=revenue,
            currencies=_frozen(currencies),
            items=_frozen(items),
            tax=_frozen(tax),
            discount_account=discount,
            external_contacts=_frozen(contacts),
            sync_addresses=sync_addresses,
            append_billing_period=append_period,
            fee_flow=fee_flow,
            dispute_handling=disputes,
        )

    def currencies(self, value: object) -> dict[str, CurrencyAccounts]:
        path = ("currencies",)
        if value is None:
            self.fail(path, "is required: the deposit, clearing, fee and dispute accounts of each currency")
            return {}
        table = self.mapping(value, path)
        if table is None:
            return {}
        if not table:
            self.fail(path, "must name at least one currency")
        found: dict[str, CurrencyAccounts] = {}
        for currency, accounts in table.items():
            if not isinstance(currency, str):
                continue
            here = (*path, currency)
            if not CURRENCY_CODE.match(currency):
                self.fail(here, f"{currency!r} is not an ISO 4217 currency code (three capital letters)")
            fields = self.mapping(accounts, here, _CURRENCY_FIELDS)
            if fields is None:
                continue
            codes: dict[str, str | None] = {}
            for name in _CURRENCY_FIELDS:
                if fields.get(name) is None:
                    if name in _REQUIRED_CURRENCY_FIELDS:
                        self.fail((*here, name), "is required")
                    continue
                codes[name] = self.code(fields[name], (*here, name), ACCOUNT_CODE_MAX, "account code")
            if codes.get("clearing") and codes.get("clearing") == codes.get("deposit_bank"):
                self.fail(
                    (*here, "clearing"),
                    f"is the deposit bank account too ({codes['clearing']!r}): the payout transfer needs two "
                    "different bank accounts",
                )
            if all(codes.get(name) for name in _REQUIRED_CURRENCY_FIELDS):
                found[currency] = CurrencyAccounts(
                    deposit_bank=str(codes["deposit_bank"]),
                    clearing=str(codes["clearing"]),
                    fee_account=str(codes["fee_account"]),
                    dispute_account=str(codes["dispute_account"]),
                    refund_account=codes.get("refund_account"),
                )
        return found

    def code_table(self, value: object, path: tuple[str, ...], longest: int, what: str) -> dict[str, str]:
        table = self.mapping(value, path)
        if table is None:
            return {}
        found = {}
        for key, code in table.items():
            if isinstance(key, str) and (checked := self.code(code, (*path, key), longest, what)) is not None:
                found[key] = checked
        return found

    def external(self, value: object) -> dict[str, ExternalContact]:
        path = ("external_mappings",)
        table = self.mapping(value, path, ("customers",))
        if table is None:
            return {}
        customers = self.mapping(table.get("customers", {}), (*path, "customers"))
        if customers is None:
            return {}
        found = {}
        for customer_id, target in customers.items():
            if not isinstance(customer_id, str):
                continue
            here = (*path, "customers", customer_id)
            fields = self.mapping(target, here, ("contact_number", "contact_id"))
            if fields is None:
                continue
            number, contact_id = fields.get("contact_number"), fields.get("contact_id")
            if (number is None) == (contact_id is None):
                self.fail(here, "must give exactly one of contact_number and contact_id")
                continue
            if number is not None:
                if (
                    checked := self.code(number, (*here, "contact_number"), CONTACT_NUMBER_MAX, "ContactNumber")
                ) is not None:
                    found[customer_id] = ExternalContact(contact_number=checked)
            elif not isinstance(contact_id, str) or not GUID.match(contact_id):
                self.fail((*here, "contact_id"), f"must be a Xero ContactID (a GUID), got {contact_id!r}")
            else:
                found[customer_id] = ExternalContact(contact_id=contact_id)
        return found


def _a(noun: str) -> str:
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if _is_number(value):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
