"""The organisation a tenant is, and the set-up of a new tenant's books."""

from __future__ import annotations

import hashlib

from .. import refdata
from .base import BackendBase

ORG_KEY = "organisation"

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
            },
        )
        for code in dict.fromkeys((spec["currency"], *refdata.EXTRA_CURRENCIES)):
            self._save("Currencies", code, {"Code": code, "Description": refdata.CURRENCY_NAMES[code]})
        for rate in refdata.tax_rates(country):
            self._save("TaxRates", rate["TaxType"], {**rate, "UpdatedDateUTC": now})
        for account in refdata.chart_of_accounts(country):
            self._insert_account(account)

    def organisation(self) -> dict:
        return self._require("Organisation", ORG_KEY)

    def organisation_actions(self) -> list[dict]:
        return [{"Name": name, "Status": "ALLOWED"} for name in ORGANISATION_ACTIONS]

    @property
    def base_currency(self) -> str:
        return self.organisation()["BaseCurrency"]
