"""Exchange rates: Xero's CurrencyRate convention, the emulator's default rate table, and conversion to base.

Xero writes a rate as **units of the foreign currency per one unit of the base currency** (an NZD
organisation's USD invoice at ``0.600000`` means 1 NZD = 0.60 USD, so 100.00 USD is 166.67 NZD). A document,
payment, bank transaction or transfer in a foreign currency carries the rate its client sent or, when it sent
none, the day's rate. Real Xero takes the day's rate from XE.com; the emulator has no feed, so it owns a rate
table instead:

* a rate set for a currency and a date (through ``PUT /mock-api/tenants/{id}/exchange-rates`` or the tenant's
  ``exchange_rates`` in the configuration file) holds from that date until the next one set for the currency;
  a rate set without a date holds from the beginning of time;
* on a day no set rate covers, the **default** rate applies: a fixed rate per currency pair, the same on every
  date, derived from ``UNITS_PER_USD`` below (``default_rate``), so a test can always state what it expects.

Every conversion goes through ``to_base``: the foreign amount divided by the rate, rounded half-up to cents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from .money import round_money

# Xero keeps a CurrencyRate to six decimal places (the spec's "max length = [18].[6]").
RATE_PLACES = 6
MIN_RATE = Decimal("0.000001")
MAX_RATE = Decimal(10) ** 12
BASE_RATE = Decimal("1.000000")

# How many units of each currency one US dollar buys in the default table: round, plausible figures chosen
# once and never moved, so that default rates are stable across releases. A currency missing here trades at
# one US dollar.
UNITS_PER_USD: Mapping[str, Decimal] = {
    code: Decimal(value)
    for code, value in {
        "USD": "1",
        "AUD": "1.5",
        "BRL": "5",
        "CAD": "1.35",
        "CHF": "0.9",
        "CNY": "7.2",
        "DKK": "6.9",
        "EUR": "0.92",
        "FJD": "2.25",
        "GBP": "0.8",
        "HKD": "7.8",
        "INR": "83",
        "JPY": "150",
        "MXN": "17",
        "NOK": "10.5",
        "NZD": "1.6",
        "PLN": "4",
        "SEK": "10.5",
        "SGD": "1.35",
        "ZAR": "18.5",
    }.items()
}


def default_rate(base: str, foreign: str) -> Decimal:
    """The default table's rate: units of ``foreign`` per one unit of ``base`` (NZD→USD is 0.625000)."""
    one = Decimal(1)
    return round_money(UNITS_PER_USD.get(foreign, one) / UNITS_PER_USD.get(base, one), RATE_PLACES)


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    """A foreign amount in base currency at ``rate`` (foreign per base), rounded half-up to cents."""
    return round_money(amount / rate)


def rate_problem(rate: Any, what: str = "The currency rate") -> str | None:
    """Why ``rate`` cannot be a CurrencyRate (positive, at most six places, within range), or None."""
    if isinstance(rate, bool) or not isinstance(rate, (Decimal, int)):
        return f"{what} must be a number, got {rate!r}"
    rate = Decimal(rate)
    if not rate.is_finite() or rate <= 0:
        return f"{what} must be greater than zero."
    if rate < MIN_RATE or rate >= MAX_RATE:
        return f"{what} '{rate}' is out of range: it must be between {MIN_RATE} and {MAX_RATE:,}."
    if rate != round_money(rate, RATE_PLACES):
        return f"{what} '{rate}' has more than {RATE_PLACES} decimal places."
    return None


class SetRate(NamedTuple):
    """One entry of a tenant's rate table: ``rate`` holds for ``currency`` from ``since`` (None: always)."""

    currency: str
    since: date | None
    rate: Decimal

    @property
    def key(self) -> str:
        return f"{self.currency}:{self.since.isoformat() if self.since else '*'}"


def day_rate(entries: Iterable[SetRate], base: str, currency: str, day: date) -> Decimal:
    """The rate on ``day``: the latest set rate of ``currency`` on or before it, else the default."""
    if currency == base:
        return BASE_RATE
    best: SetRate | None = None
    for entry in entries:
        if entry.currency != currency or (entry.since is not None and entry.since > day):
            continue
        if best is None or (best.since or date.min) <= (entry.since or date.min):
            best = entry
    return best.rate if best is not None else default_rate(base, currency)


def _rate_value(value: Any) -> Any:
    """A configured rate as a Decimal: YAML and JSON without parse_float hand floats, read back from their
    shortest text (0.61 stays 0.61), never from their binary value."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return value
    return value


def _since(value: Any) -> date | None | str:
    """A date as written (a date, ``YYYY-MM-DD`` text, or null for "always"), or the problem with it."""
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    return f"must be a date written YYYY-MM-DD, such as 2026-03-31, or null, got {value!r}"


def parse_rates(
    where: str, value: Any, *, allow_removal: bool = False
) -> tuple[list[tuple[str, date | None, Decimal | None]], list[str]]:
    """Rate-table entries as written, checked: every problem at once, each naming its entry and field.

    ``value`` is a list of ``{"currency", "date", "rate"}`` (the control API's form) or a mapping of
    currency → rate (for every date) or → ``{date: rate}`` (the configuration file's shorter form). With
    ``allow_removal`` a ``rate`` of null removes the entry. Returns ``(currency, since, rate)`` triples.
    """
    items: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        for currency, rates in value.items():
            if isinstance(rates, Mapping):
                items.extend(
                    (f"{where}.{currency}.{since}", {"currency": currency, "date": since, "rate": rate})
                    for since, rate in rates.items()
                )
            else:
                items.append((f"{where}.{currency}", {"currency": currency, "date": None, "rate": rates}))
    elif isinstance(value, (list, tuple)):
        items.extend((f"{where}[{index}]", entry) for index, entry in enumerate(value))
    else:
        return [], [
            f"{where} must be a list of {{currency, date, rate}} or a mapping of currency to rate, got {value!r}"
        ]
    entries: list[tuple[str, date | None, Decimal | None]] = []
    problems: list[str] = []
    for label, entry in items:
        if not isinstance(entry, Mapping):
            problems.append(f"{label} must be a mapping with currency, date and rate, got {entry!r}")
            continue
        unknown = [str(key) for key in entry if key not in ("currency", "date", "rate")]
        if unknown:
            problems.append(f"{label}: unknown field(s) {', '.join(unknown)} (known: currency, date, rate)")
        currency = entry.get("currency")
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha() or not currency.isupper():
            problems.append(f"{label}.currency must be a three-letter currency code such as USD, got {currency!r}")
        since = _since(entry.get("date"))
        if isinstance(since, str):
            problems.append(f"{label}.date {since}")
        if "rate" not in entry:
            problems.append(f"{label}.rate is required (units of the currency per one unit of base currency)")
            continue
        rate = _rate_value(entry["rate"])
        if rate is None and allow_removal:
            pass
        else:
            problem = rate_problem(rate, f"{label}.rate")
            if problem:
                problems.append(problem)
        if not problems:
            entries.append((currency, since, None if rate is None else Decimal(rate)))  # type: ignore[arg-type]
    return entries, problems
