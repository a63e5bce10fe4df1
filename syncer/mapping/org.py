"""What the mapping needs to know about the Xero organisation, read from its own JSON.

The engine reads ``GET /Accounts``, ``/Currencies``, ``/TaxRates``, ``/Items`` and ``/Organisation`` and
passes the collections as Xero returned them: ``{"Accounts": [...], "Currencies": [...], "TaxRates": [...],
"Items": [...], "Organisations": [{...}]}`` (a bare ``"Organisation": {...}`` is accepted too). ``OrgFacts``
indexes them once for preflight and the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

OrgData = Mapping[str, Any]


@dataclass(frozen=True)
class OrgFacts:
    base_currency: str | None
    accounts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by Code
    currencies: frozenset[str] = frozenset()  # enabled currency codes, the base currency included
    tax_rates: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by TaxType
    items: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by Code

    @classmethod
    def from_org(cls, org: OrgData) -> OrgFacts:
        organisation = org.get("Organisation")
        if organisation is None:
            organisations = org.get("Organisations") or [{}]
            organisation = organisations[0]
        base = organisation.get("BaseCurrency")
        currencies = {entry["Code"] for entry in org.get("Currencies", ()) if entry.get("Code")}
        if base:
            currencies.add(base)
        return cls(
            base_currency=base,
            accounts={account["Code"]: account for account in org.get("Accounts", ()) if account.get("Code")},
            currencies=frozenset(currencies),
            tax_rates={rate["TaxType"]: rate for rate in org.get("TaxRates", ()) if rate.get("TaxType")},
            items={item["Code"]: item for item in org.get("Items", ()) if item.get("Code")},
        )

    def item_sales_account(self, item_code: str) -> str | None:
        """The item's default sales account, when it has one."""
        details = (self.items.get(item_code) or {}).get("SalesDetails") or {}
        return details.get("AccountCode") or None

    def account_tax_type(self, account_code: str) -> str | None:
        return (self.accounts.get(account_code) or {}).get("TaxType") or None

    def tax_rate(self, tax_type: str) -> Decimal | None:
        """A TaxType's rate in percent: EffectiveRate, else the sum of its components; None when unknown."""
        rate = self.tax_rates.get(tax_type)
        if rate is None:
            return None
        if rate.get("EffectiveRate") is not None:
            return Decimal(str(rate["EffectiveRate"]))
        components = rate.get("TaxComponents") or ()
        return sum((Decimal(str(part.get("Rate", 0))) for part in components), Decimal(0))
