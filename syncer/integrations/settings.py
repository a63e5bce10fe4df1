"""An integration's settings as the engine consults them: which accounts, bills and lines it sends, and how
the lines are shaped.

``IntegrationSettings`` implements the engine's ``SyncSettings``, so the mapping rules ask it the same
questions they ask the defaults; every answer that leaves something out is a sentence naming the setting
and the integration ("line item type USAGE_CREDIT is excluded by integration 'UK bills'"), which the plan
shows as the reason.

Line shaping (``split_usage_line_items``): ``none`` sends the lines as billing hands them over; ``band``
sends one line per usage pricing band with the band named in its description; ``product`` sums the bands of
one product into a single line (quantities and amounts added; the unit price is amount ÷ quantity when that
is exact at the 2 decimal places the engine sends UnitAmount with, otherwise quantity 1 at the amount, so
Xero's total is always the bill's; Xero keeps 4 places only for requests that ask ``unitdp=4``, which the
engine's do not). Sorting (``sort_line_items_by``) runs after shaping and is stable: equal keys keep billing's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from syncer.integrations.config import IntegrationConfig, LineSort, SplitUsage
from syncer.integrations.filter import AccountFilter, parse_filter
from syncer.mapping.arithmetic import round_money
from syncer.mapping.config import ExternalContact, MappingConfig, SyncSettings
from syncer.source.model import Customer, Invoice, InvoiceLine, LineItemType

# the line item types that carry usage priced in bands
USAGE_TYPES = frozenset({LineItemType.USAGE, LineItemType.OVERAGE_USAGE})


@dataclass(frozen=True)
class IntegrationSettings(SyncSettings):
    """``external_codes``: billing account id → the external mapping code this integration uses (already
    narrowed to its linked mappings when ``enforce_external_mappings`` is on)."""

    config: IntegrationConfig
    external_codes: Mapping[str, str] = field(default_factory=dict)
    account_filter: AccountFilter | None = None

    @classmethod
    def of(cls, config: IntegrationConfig, external_codes: Mapping[str, str] | None = None) -> IntegrationSettings:
        parsed = parse_filter(config.account_filter) if config.account_filter else None
        return cls(config, dict(external_codes or {}), parsed)

    @property
    def _by(self) -> str:
        return f"integration {self.config.name!r}"

    # -- accounts --

    def customer_excluded(self, customer: Customer) -> str | None:
        config = self.config
        if customer.id in config.restricted_account_ids:
            return f"account {customer.id} is on the restricted account ids of {self._by}"
        if config.account_ids and customer.id not in config.account_ids:
            return f"account {customer.id} is not on the account ids of {self._by}"
        if self.account_filter is not None and not self.account_filter.matches(customer):
            return f"account {customer.id} does not match the account filter of {self._by}: {self.account_filter.text}"
        return None

    def customer_problem(self, customer: Customer) -> str | None:
        if self.config.use_external_mapping_account_code and customer.id not in self.external_codes:
            linked = " linked to this integration" if self.config.enforce_external_mappings else ""
            return (
                f"{self._by} uses external mapping account codes, and account {customer.id} has no external "
                f"mapping{linked}; add one with `xero-sync mappings add`"
            )
        return None

    def mapping_for(self, mapping: MappingConfig) -> MappingConfig:
        """The mapping with this integration's external codes as the contacts' numbers, when it uses them."""
        if not self.config.use_external_mapping_account_code:
            return mapping
        contacts = dict(mapping.external_contacts)
        for account, code in self.external_codes.items():
            contacts[account] = ExternalContact(contact_number=code)
        return replace(mapping, external_contacts=contacts)

    # -- bills --

    def invoice_excluded(self, invoice: Invoice) -> str | None:
        if self.config.only_send_on_approval and not invoice.approved:
            what = f"bill {invoice.id} version {invoice.version}"
            return f"{what} is not approved, and {self._by} sends bills on approval only"
        return None

    # -- lines --

    def line_excluded(self, line: InvoiceLine) -> str | None:
        config = self.config
        if line.type in config.excluded_line_item_types:
            return f"line item type {line.type} is excluded by {self._by}"
        # an accounting product mapped on the line is what filtering uses, as the billing platform documents
        product = line.accounting_product_id or line.product_id
        if product is not None and product in config.excluded_products:
            which = "accounting product" if line.accounting_product_id else "product"
            return f"{which} {product} is excluded by {self._by}"
        if line.aggregation_id is not None and line.aggregation_id in config.excluded_aggregations:
            return f"aggregation {line.aggregation_id} is excluded by {self._by}"
        return None

    def ordered_lines(self, lines: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
        shaped = shape_usage(tuple(lines), self.config.split_usage_line_items)
        return sort_lines(shaped, self.config.sort_line_items_by)


def shape_usage(lines: tuple[InvoiceLine, ...], split: SplitUsage) -> tuple[InvoiceLine, ...]:
    if split is SplitUsage.NONE:
        return lines
    if split is SplitUsage.BAND:
        return tuple(_band_named(line) if _banded(line) else line for line in lines)
    groups: dict[tuple[object, ...], list[InvoiceLine]] = {}
    order: list[tuple[object, ...] | InvoiceLine] = []
    for line in lines:
        if not _banded(line):
            order.append(line)
            continue
        key = (line.type, line.accounting_product_id or line.product_id, line.tax_code, line.service_period)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(line)
    return tuple(entry if isinstance(entry, InvoiceLine) else _merged(groups[entry]) for entry in order)


def _banded(line: InvoiceLine) -> bool:
    return line.type in USAGE_TYPES and line.pricing_band is not None


def _band_named(line: InvoiceLine) -> InvoiceLine:
    return replace(line, description=f"{line.description} (usage band {line.pricing_band})")


def _merged(bands: list[InvoiceLine]) -> InvoiceLine:
    """The bands of one product as one line, with the same amounts in total."""
    first = bands[0]
    if len(bands) == 1:
        return replace(first, pricing_band=None)
    quantity = sum((line.quantity for line in bands), Decimal(0))
    subtotal = sum((line.subtotal for line in bands), Decimal(0))
    unit_price = _unit_price(subtotal, quantity)
    if unit_price is None:
        quantity, unit_price = Decimal(1), subtotal
    return replace(
        first,
        id="+".join(line.id for line in bands),
        quantity=quantity,
        unit_price=unit_price,
        subtotal=subtotal,
        discount=sum((line.discount for line in bands), Decimal(0)),
        tax_amount=sum((line.tax_amount for line in bands), Decimal(0)),
        pricing_band=None,
        aggregation_id=first.aggregation_id if all(b.aggregation_id == first.aggregation_id for b in bands) else None,
    )


def _unit_price(amount: Decimal, quantity: Decimal) -> Decimal | None:
    """amount ÷ quantity when quantity × that price gives back the amount exactly at the cent the engine sends
    UnitAmount with; None otherwise (then the line is quantity 1 at the amount)."""
    if not quantity:
        return None
    price = round_money(amount / quantity)  # as the engine will send it
    return price if price * quantity == amount else None


def sort_lines(lines: tuple[InvoiceLine, ...], by: LineSort) -> tuple[InvoiceLine, ...]:
    if by is LineSort.SUBTOTAL:
        return tuple(sorted(lines, key=lambda line: line.subtotal))
    if by is LineSort.AGGREGATION_ID:
        # lines without an aggregation go after those with one, in billing's order
        return tuple(sorted(lines, key=lambda line: (line.aggregation_id is None, line.aggregation_id or "")))
    return lines
