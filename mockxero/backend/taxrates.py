"""Tax rates, keyed by their TaxType code.

Rules (Xero's docs, the spec's TaxRate/TaxComponent schemas and examples; docs/fidelity/taxrates.md):

* ``PUT /TaxRates`` creates rates from a Name and TaxComponents; Xero gives each new rate the next free
  ``TAX001``, ``TAX002``, … code of the tenant (a US tenant's default sales tax already holds TAX001).
* ``DisplayTaxRate`` is the sum of the component rates; ``EffectiveRate`` applies compound components on top
  of the others (5 % + 7 % compound → 12.35 %). Both are kept to 4 decimals.
* Component rates lie between 0 and 100 with at most 4 decimals. Names are required and unique among rates
  that are not deleted.
* ``ReportTaxType`` is required for AU, NZ and UK organisations and not supported for US ones (Xero's docs as
  quoted by CData/Gravity); it decides which account classes a custom rate may apply to.
* ``POST /TaxRates`` updates a rate named by TaxType or, failing that, by Name (or creates one): components,
  Name, ReportTaxType and Status (ACTIVE, ARCHIVED, DELETED). DELETED is final.
* The organisation's own default rates are system rates: they cannot be changed, archived or deleted.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..money import round_money
from ..refdata import COUNTRIES
from ..statuses import TaxRateStatus
from .base import BackendBase, fail

HUNDRED = Decimal(100)
RATE_PLACES = 4
CUSTOM_TAX_TYPE = "TAX{:03d}"
SETTABLE_STATUSES = (TaxRateStatus.ACTIVE, TaxRateStatus.ARCHIVED, TaxRateStatus.DELETED)
CLIENT_FIELDS = ("Name", "TaxComponents", "ReportTaxType", "Status")
COUNTRIES_WITH_REPORT_TAX_TYPE = ("AU", "NZ", "GB")
# Report tax types that mark a rate as sales-side or purchase-side; anything else applies everywhere.
_SALES_SIDE = re.compile(r"OUTPUT|SALES|EXPORT")
_PURCHASE_SIDE = re.compile(r"INPUT|EXPENSES|PURCHASES|ACQUISITIONS|IMPORTS|CAPEX")

MSG_NAME_REQUIRED = "Please enter a Name."
MSG_NAME_NOT_UNIQUE = "Please enter a unique Name."
MSG_COMPONENTS_REQUIRED = "A tax rate must have at least one tax component."
MSG_COMPONENT_NAME_REQUIRED = "Each tax component must have a Name."
MSG_COMPONENT_RATE_REQUIRED = "Each tax component must have a Rate."
MSG_RATE_RANGE = "Tax component rates must be between 0 and 100."
MSG_RATE_PLACES = "Tax component rates can have at most 4 decimal places."
MSG_REPORT_TAX_TYPE_REQUIRED = "A ReportTaxType is required for tax rates in AU, NZ and UK organisations."
MSG_STATUS_NOT_SETTABLE = "A tax rate's Status can only be set to ACTIVE, ARCHIVED or DELETED."
MSG_DELETED = "This tax rate has been deleted and cannot be changed."
MSG_SYSTEM_RATE = "System tax rates cannot be changed, archived or deleted."


def unknown_tax_type_message(tax_type: str) -> str:
    return f"No tax rate with TaxType '{tax_type}' exists."


def _live_name_key(record: dict):
    name = record.get("Name")
    if record.get("Status") == TaxRateStatus.DELETED or not name or not name.strip():
        return None
    return name.strip().casefold()


def display_rate(components: list[dict]) -> Decimal:
    """What Xero shows as the rate: the plain sum of the components."""
    return round_money(sum((c["Rate"] for c in components), Decimal(0)), RATE_PLACES)


def effective_rate(components: list[dict]) -> Decimal:
    """The rate actually charged: compound components are charged on the price plus the other taxes."""
    simple = sum((c["Rate"] for c in components if not c.get("IsCompound")), Decimal(0))
    compound = sum((c["Rate"] for c in components if c.get("IsCompound")), Decimal(0))
    return round_money(simple + compound * (HUNDRED + simple) / HUNDRED, RATE_PLACES)


def applies_to(report_tax_type: str | None) -> dict[str, bool]:
    """The CanApplyTo* flags a custom rate gets from its ReportTaxType (as in the spec's examples:
    INPUT-like rates everywhere but revenue, OUTPUT-like rates everywhere but expenses)."""
    sales = bool(report_tax_type and _SALES_SIDE.search(report_tax_type))
    purchases = bool(report_tax_type and _PURCHASE_SIDE.search(report_tax_type)) and not sales
    return {
        "CanApplyToAssets": True,
        "CanApplyToEquity": True,
        "CanApplyToExpenses": not sales,
        "CanApplyToLiabilities": True,
        "CanApplyToRevenue": not purchases,
    }


class TaxRatesBackend(BackendBase):
    INDEXES = [("TaxRates", "live_name", _live_name_key)]

    # -- lookups --

    def tax_rate(self, tax_type: str | None) -> dict | None:
        """The rate with this TaxType code, whatever its Status (callers check Status where it matters)."""
        if not tax_type:
            return None
        return self._get("TaxRates", tax_type)

    def active_tax_rate(self, tax_type: str | None) -> dict | None:
        """The rate with this TaxType code if it can be used on new documents (Status ACTIVE)."""
        rate = self.tax_rate(tax_type)
        return rate if rate is not None and rate.get("Status") == TaxRateStatus.ACTIVE else None

    def tax_rate_by_type(self, tax_type: str) -> dict:
        """``GET /TaxRates/{TaxType}``; 404 when unknown."""
        return self._require("TaxRates", tax_type)

    def effective_rate(self, tax_rate: dict) -> Decimal:
        """The percentage applied to a line (e.g. ``15.0000``)."""
        return tax_rate["EffectiveRate"]

    def list_tax_rates(self) -> list[dict]:
        return list(self.store.scan(self.table("TaxRates")))

    def is_system_tax_rate(self, tax_type: str) -> bool:
        """The rates a new organisation comes with (its country's defaults) are Xero's system rates."""
        return any(row[1] == tax_type for row in COUNTRIES[self.tenant.country_code]["tax_rates"])

    # -- writes --

    def create_tax_rate(self, values: dict) -> dict:
        """``PUT /TaxRates``: a new ACTIVE rate with the next TAXnnn code (a TaxType in the body is ignored)."""
        record = {"Name": values.get("Name"), "Status": TaxRateStatus.ACTIVE}
        self._apply_tax_rate_values(record, values, tax_type=None, creating=True)
        record["TaxType"] = self._next_custom_tax_type()
        return self._store_rate(record)

    def save_tax_rate(self, values: dict) -> dict:
        """``POST /TaxRates``: update the rate named by TaxType (else by Name), or create a new one."""
        tax_type = values.get("TaxType")
        if tax_type:
            existing = self.tax_rate(tax_type)
            if existing is None:
                raise fail(unknown_tax_type_message(tax_type))
        else:
            key = _live_name_key({"Name": values.get("Name")})
            found = self.store.first(self.table("TaxRates"), "live_name", key) if key else None
            if found is None:
                return self.create_tax_rate(values)
            existing = found
        return self.update_tax_rate(existing["TaxType"], values)

    def update_tax_rate(self, tax_type: str, values: dict) -> dict:
        record = self.tax_rate_by_type(tax_type)
        if record["Status"] == TaxRateStatus.DELETED:
            raise fail(MSG_DELETED)
        before = dict(record)
        self._apply_tax_rate_values(record, values, tax_type=tax_type, creating=False)
        if all(record.get(k) == before.get(k) for k in CLIENT_FIELDS):
            return before  # an echo of the rate as it is changes nothing, not even UpdatedDateUTC
        if self.is_system_tax_rate(tax_type):
            raise fail(MSG_SYSTEM_RATE)
        return self._store_rate(record)

    # -- rules --

    def _apply_tax_rate_values(self, record: dict, values: dict, *, tax_type: str | None, creating: bool) -> None:
        errors: list[str] = []
        if "Name" in values or creating:
            name = (values.get("Name") or "").strip()
            if not name:
                errors.append(MSG_NAME_REQUIRED)
            else:
                clash = self.store.keys(self.table("TaxRates"), "live_name", name.casefold())
                if any(key != tax_type for key in clash):
                    errors.append(MSG_NAME_NOT_UNIQUE)
                record["Name"] = name

        components = values.get("TaxComponents")
        if components is not None or creating:
            component_errors = _component_errors(components or [])
            errors += component_errors
            if not component_errors:
                record["TaxComponents"] = [
                    {
                        "Name": c["Name"].strip(),
                        "Rate": round_money(c["Rate"], RATE_PLACES),
                        "IsCompound": bool(c.get("IsCompound")),
                        "IsNonRecoverable": bool(c.get("IsNonRecoverable")),
                    }
                    for c in components or []
                ]

        uses_report_type = self.tenant.country_code in COUNTRIES_WITH_REPORT_TAX_TYPE
        report_type = values.get("ReportTaxType")
        if uses_report_type and report_type is not None:
            record["ReportTaxType"] = report_type
        elif uses_report_type and creating:
            errors.append(MSG_REPORT_TAX_TYPE_REQUIRED)

        status = values.get("Status")
        if status is not None and not creating:
            if status not in SETTABLE_STATUSES:
                errors.append(MSG_STATUS_NOT_SETTABLE)
            else:
                record["Status"] = status

        if errors:
            raise fail(*dict.fromkeys(errors))
        record["DisplayTaxRate"] = display_rate(record["TaxComponents"])
        record["EffectiveRate"] = effective_rate(record["TaxComponents"])
        if creating or "ReportTaxType" in values:
            record.update(applies_to(record.get("ReportTaxType")))

    def _store_rate(self, record: dict) -> dict:
        record["UpdatedDateUTC"] = self.now()
        return self._save("TaxRates", record["TaxType"], record)

    def _next_custom_tax_type(self) -> str:
        """TAX001, TAX002, … per tenant, skipping codes already taken (and never reusing a deleted one)."""
        counter = self._get("Counters", "taxtype") or {"Next": 1}
        number = counter["Next"]
        while self.store.exists(self.table("TaxRates"), CUSTOM_TAX_TYPE.format(number)):
            number += 1
        self._save("Counters", "taxtype", {"Next": number + 1})
        return CUSTOM_TAX_TYPE.format(number)


def _component_errors(components: list[dict]) -> list[str]:
    if not components:
        return [MSG_COMPONENTS_REQUIRED]
    errors = []
    for component in components:
        if not (component.get("Name") or "").strip():
            errors.append(MSG_COMPONENT_NAME_REQUIRED)
        rate = component.get("Rate")
        if rate is None:
            errors.append(MSG_COMPONENT_RATE_REQUIRED)
        elif not Decimal(0) <= rate <= HUNDRED:
            errors.append(MSG_RATE_RANGE)
        elif rate != round_money(rate, RATE_PLACES):
            errors.append(MSG_RATE_PLACES)
    return errors
