"""The organisation a tenant is, and the set-up of a new tenant's books."""

from __future__ import annotations

import hashlib
from datetime import date

from .. import refdata
from ..exceptions import NotFound
from .base import BackendBase

ORG_KEY = "organisation"

# Xero's answers to a write dated in a locked period (docs/lock-dates.md). The API acts as a user who is not
# an adviser, so both lock dates bind it; a date locked by both gets both messages, as Xero gives them.
LOCK_MESSAGES = (
    ("PeriodLockDate", "The document date cannot be before the period lock date, currently set at {}"),
    ("EndOfYearLockDate", "The document date cannot be before the end of year lock date, currently set at {}"),
)
# Xero writes the date in the message as 30-Nov-2018; spelt out so the process locale cannot change it.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# GET /Organisation/Actions: the key actions of the spec's example; the mock's organisation may do them all.
ORGANISATION_ACTIONS = (
    "CreateApprovedInvoice",
    "CreateDraftPurchaseOrder",
    "CreateApprovedBill",
    "AttachFilesIntoInvoice",
    "UseMulticurrency",
    "CreateDraftInvoice",
    "CreateRepeatingInvoice",
    "CreateRepeatingBill",
    "CreateSentQuote",
    "CreateInvoicePayment",
    "CreateApprovedPurchaseOrder",
    "CreateDraftQuote",
    "CreateDraftBill",
)


class OrganisationBackend(BackendBase):
    def is_bootstrapped(self) -> bool:
        return self.store.exists(self.table("Organisation"), ORG_KEY)

    def bootstrap(self) -> None:
        """Give a new tenant its organisation, currencies, default chart and tax rates (idempotent)."""
        if self.is_bootstrapped():
            return
        country = self.tenant.country_code
        spec = refdata.COUNTRIES[country]
        now = self.now()
        short = hashlib.sha1(self.tenant_id.encode()).hexdigest()
        self._save(
            "Organisation",
            ORG_KEY,
            {
                "OrganisationID": self.tenant_id,
                "APIKey": short[:30].upper(),
                "Name": self.tenant.name,
                "LegalName": self.tenant.name,
                "PaysTax": True,
                "Version": spec["version"],
                "OrganisationType": "COMPANY",
                "BaseCurrency": spec["currency"],
                "CountryCode": country,
                "IsDemoCompany": False,
                "OrganisationStatus": "ACTIVE",
                "FinancialYearEndDay": 31 if spec["year_end_month"] in (3, 12) else 30,
                "FinancialYearEndMonth": spec["year_end_month"],
                "SalesTaxBasis": "ACCRUALS" if country != "US" else "ACCRUAL",
                "SalesTaxPeriod": "TWOMONTHS" if country == "NZ" else "QUARTERLY",
                "DefaultSalesTax": "Tax Exclusive",
                "DefaultPurchasesTax": "Tax Exclusive",
                "CreatedDateUTC": now,
                "Timezone": spec["timezone"],
                "OrganisationEntityType": "COMPANY",
                "ShortCode": "!" + short[:5],
                "Edition": "BUSINESS",
                "Class": "DEMO",
                "LineOfBusiness": "Software testing",
                "Addresses": [],
                "Phones": [],
                "ExternalLinks": [],
                "PaymentTerms": {},
                "PeriodLockDate": self.tenant.period_lock_date,
                "EndOfYearLockDate": self.tenant.end_of_year_lock_date,
            },
        )
        for code in dict.fromkeys((spec["currency"], *refdata.EXTRA_CURRENCIES)):
            self._save("Currencies", code, {"Code": code, "Description": refdata.CURRENCY_NAMES[code]})
        for rate in refdata.tax_rates(country):
            self._save("TaxRates", rate["TaxType"], {**rate, "UpdatedDateUTC": now})
        for account in refdata.chart_of_accounts(country):
            self._insert_account(account)
        self.set_exchange_rates((entry.currency, entry.since, entry.rate) for entry in self.tenant.exchange_rates)

    def organisation(self) -> dict:
        return self._require("Organisation", ORG_KEY)

    def organisation_actions(self) -> list[dict]:
        return [{"Name": name, "Status": "ALLOWED"} for name in ORGANISATION_ACTIONS]

    def _organisation_view(self) -> dict:
        """The stored organisation, uncopied, for the reads every posting makes (its currency, its lock
        dates); ``organisation()`` is the copy a caller may change."""
        found = self._peek("Organisation", ORG_KEY)
        if found is None:
            raise NotFound()
        return found

    @property
    def base_currency(self) -> str:
        return str(self._organisation_view()["BaseCurrency"])

    # -- lock dates --

    def lock_dates(self) -> tuple[date | None, date | None]:
        """(PeriodLockDate, EndOfYearLockDate); None where the organisation has no such lock."""
        organisation = self._organisation_view()
        return organisation.get("PeriodLockDate"), organisation.get("EndOfYearLockDate")

    def set_lock_dates(self, changes: dict[str, date | None]) -> dict:
        """Set (a date) or clear (None) the lock dates named in ``changes``: ``PeriodLockDate``,
        ``EndOfYearLockDate``."""
        organisation = self.organisation()
        for name, value in changes.items():
            if name not in ("PeriodLockDate", "EndOfYearLockDate"):
                raise ValueError(f"unknown lock date {name}")
            organisation[name] = value
        return self._save("Organisation", ORG_KEY, organisation)

    def lock_date_errors(self, *days: date | None) -> list[str]:
        """Xero's messages for a write that posts on (or reverses something posted on) any of ``days`` when
        one is on or before a lock date; empty when none is locked."""
        organisation = self._organisation_view()
        errors = []
        for name, template in LOCK_MESSAGES:
            lock = organisation.get(name)
            if lock is not None and any(day is not None and day <= lock for day in days):
                errors.append(template.format(f"{lock.day:02d}-{MONTHS[lock.month - 1]}-{lock.year}"))
        return errors
