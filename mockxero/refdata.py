"""Reference data: what a new tenant starts with (organisation details, chart of accounts, tax rates and
currencies) and Xero's list of currency codes. A leaf any layer may import.

Codes follow Xero's demo companies (090 bank, 200 sales, 610 receivables, 800 payables, 820 tax, 860
rounding), so examples from Xero's docs work against a fresh mock tenant unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from .statuses import TaxRateStatus


class CountryDefaults(TypedDict):
    """What a new organisation of one country starts with."""

    version: str  # Organisation.Version
    currency: str  # the base currency
    timezone: str
    tax_name: str  # the name of the tax on a rate's single component
    year_end_month: int
    sales_tax: str  # the TaxType revenue accounts default to
    purchase_tax: str  # the TaxType expense accounts default to
    no_tax: str  # the TaxType every other account defaults to
    # (Name, TaxType, rate in percent, ReportTaxType, which account classes it applies to)
    tax_rates: list[tuple[str, str, str, str | None, str]]


# Xero's account Class follows from its Type.
ACCOUNT_CLASS = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "FIXED": "ASSET",
    "INVENTORY": "ASSET",
    "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
    "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "OTHERINCOME": "REVENUE",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
}

# Reporting codes Xero assigns by class when none is given.
REPORTING_CODE = {"ASSET": "ASS", "LIABILITY": "LIA", "EQUITY": "EQU", "EXPENSE": "EXP", "REVENUE": "REV"}


COUNTRIES: dict[str, CountryDefaults] = {
    "NZ": {
        "version": "NZ",
        "currency": "NZD",
        "timezone": "NEWZEALANDSTANDARDTIME",
        "tax_name": "GST",
        "year_end_month": 3,
        "sales_tax": "OUTPUT2",
        "purchase_tax": "INPUT2",
        "no_tax": "NONE",
        "tax_rates": [
            ("15% GST on Income", "OUTPUT2", "15.0000", "OUTPUT", "revenue"),
            ("15% GST on Expenses", "INPUT2", "15.0000", "INPUT", "expense"),
            ("No GST", "NONE", "0.0000", "NONE", "all"),
            ("Zero Rated", "ZERORATED", "0.0000", "OUTPUT", "revenue"),
        ],
    },
    "AU": {
        "version": "AU",
        "currency": "AUD",
        "timezone": "AUSEASTERNSTANDARDTIME",
        "tax_name": "GST",
        "year_end_month": 6,
        "sales_tax": "OUTPUT",
        "purchase_tax": "INPUT",
        "no_tax": "BASEXCLUDED",
        "tax_rates": [
            ("GST on Income", "OUTPUT", "10.0000", "OUTPUT", "revenue"),
            ("GST on Expenses", "INPUT", "10.0000", "INPUT", "expense"),
            ("GST Free Income", "EXEMPTOUTPUT", "0.0000", "EXEMPTOUTPUT", "revenue"),
            ("GST Free Expenses", "EXEMPTEXPENSES", "0.0000", "EXEMPTEXPENSES", "expense"),
            ("BAS Excluded", "BASEXCLUDED", "0.0000", "BASEXCLUDED", "all"),
        ],
    },
    "GB": {
        "version": "UK",
        "currency": "GBP",
        "timezone": "GMTSTANDARDTIME",
        "tax_name": "VAT",
        "year_end_month": 12,
        "sales_tax": "OUTPUT2",
        "purchase_tax": "INPUT2",
        "no_tax": "NONE",
        "tax_rates": [
            ("20% (VAT on Income)", "OUTPUT2", "20.0000", "OUTPUT", "revenue"),
            ("20% (VAT on Expenses)", "INPUT2", "20.0000", "INPUT", "expense"),
            ("5% (VAT on Income)", "RROUTPUT", "5.0000", "OUTPUT", "revenue"),
            ("Zero Rated Income", "ZERORATEDOUTPUT", "0.0000", "OUTPUT", "revenue"),
            ("Zero Rated Expenses", "ZERORATEDINPUT", "0.0000", "INPUT", "expense"),
            ("Exempt Income", "EXEMPTOUTPUT", "0.0000", "EXEMPTOUTPUT", "revenue"),
            ("Exempt Expenses", "EXEMPTINPUT", "0.0000", "EXEMPTINPUT", "expense"),
            ("No VAT", "NONE", "0.0000", "NONE", "all"),
        ],
    },
    "US": {
        "version": "US",
        "currency": "USD",
        "timezone": "EASTERNSTANDARDTIME",
        "tax_name": "Sales Tax",
        "year_end_month": 12,
        "sales_tax": "TAX001",
        "purchase_tax": "NONE",
        "no_tax": "NONE",
        "tax_rates": [
            # US organisations have no ReportTaxType (Xero's tax-rates docs).
            ("Sales Tax", "TAX001", "7.2500", None, "revenue"),
            ("Tax Exempt", "NONE", "0.0000", None, "all"),
        ],
    },
}

# Currencies a new tenant has enabled besides its base currency (JPY and others are left off, so the
# "currency must be enabled" rule has something to refuse).
EXTRA_CURRENCIES = ("AUD", "EUR", "GBP", "NZD", "USD")

CURRENCY_NAMES = {
    "AUD": "Australian Dollar",
    "EUR": "Euro",
    "GBP": "British Pound",
    "NZD": "New Zealand Dollar",
    "USD": "United States Dollar",
    "CAD": "Canadian Dollar",
    "JPY": "Japanese Yen",
    "CHF": "Swiss Franc",
    "SGD": "Singapore Dollar",
    "ZAR": "South African Rand",
    "HKD": "Hong Kong Dollar",
    "SEK": "Swedish Krona",
    "DKK": "Danish Krone",
    "NOK": "Norwegian Krone",
    "INR": "Indian Rupee",
    "CNY": "Chinese Yuan",
    "FJD": "Fiji Dollar",
    "MXN": "Mexican Peso",
    "BRL": "Brazilian Real",
    "PLN": "Polish Zloty",
}


def chart_of_accounts(country: str) -> list[dict]:
    """The default chart: bank accounts, sales, the control accounts, tax, rounding, fees, equity."""
    spec = COUNTRIES[country]
    sales, purchases, none = spec["sales_tax"], spec["purchase_tax"], spec["no_tax"]
    currency = spec["currency"]
    return [
        {
            "Code": "090",
            "Name": "Business Bank Account",
            "Type": "BANK",
            "TaxType": none,
            "BankAccountNumber": "0001-0000001",
            "BankAccountType": "BANK",
            "CurrencyCode": currency,
        },
        {
            "Code": "091",
            "Name": "Business Savings Account",
            "Type": "BANK",
            "TaxType": none,
            "BankAccountNumber": "0001-0000002",
            "BankAccountType": "BANK",
            "CurrencyCode": currency,
        },
        {
            "Code": "200",
            "Name": "Sales",
            "Type": "REVENUE",
            "TaxType": sales,
            "Description": "Income from any normal business activity",
        },
        {
            "Code": "260",
            "Name": "Other Revenue",
            "Type": "REVENUE",
            "TaxType": sales,
            "Description": "Any other income that does not relate to normal business activities",
        },
        {"Code": "310", "Name": "Cost of Goods Sold", "Type": "DIRECTCOSTS", "TaxType": purchases},
        {
            "Code": "404",
            "Name": "Bank Fees",
            "Type": "EXPENSE",
            "TaxType": none,
            "Description": "Fees charged by your bank and payment gateways for transactions",
        },
        {"Code": "429", "Name": "General Expenses", "Type": "EXPENSE", "TaxType": purchases},
        {
            # Xero adds this system account (with Bank Revaluations and Unrealised Currency Gains) when an
            # organisation enables multi-currency; the mock's organisations all have it. Code as in Xero's
            # demo companies.
            "Code": "499",
            "Name": "Realised Currency Gains",
            "Type": "EXPENSE",
            "TaxType": none,
            "SystemAccount": "REALISEDCURRENCYGAIN",
            "Description": "Gains and losses on foreign-currency payments settled at a rate other than the document's",
        },
        {
            "Code": "610",
            "Name": "Accounts Receivable",
            "Type": "CURRENT",
            "TaxType": none,
            "SystemAccount": "DEBTORS",
            "Description": "Outstanding invoices the company has issued",
        },
        {
            "Code": "630",
            "Name": "Inventory",
            "Type": "INVENTORY",
            "TaxType": none,
            "Description": "Value of tracked items for resale",
        },
        {
            "Code": "800",
            "Name": "Accounts Payable",
            "Type": "CURRLIAB",
            "TaxType": none,
            "SystemAccount": "CREDITORS",
            "Description": "Outstanding invoices the company has received",
        },
        {
            "Code": "820",
            "Name": spec["tax_name"],
            "Type": "CURRLIAB",
            "TaxType": none,
            "SystemAccount": "GST",
            "Description": f"The balance of {spec['tax_name']} collected and paid",
        },
        {
            "Code": "860",
            "Name": "Rounding",
            "Type": "CURRLIAB",
            "TaxType": none,
            "SystemAccount": "ROUNDING",
            "Description": "An account for small rounding differences",
        },
        {
            "Code": "960",
            "Name": "Retained Earnings",
            "Type": "EQUITY",
            "TaxType": none,
            "SystemAccount": "RETAINEDEARNINGS",
        },
        {"Code": "970", "Name": "Owner A Funds Introduced", "Type": "EQUITY", "TaxType": none},
    ]


def tax_rates(country: str) -> list[dict]:
    rates = []
    for name, tax_type, percent, report_type, applies in COUNTRIES[country]["tax_rates"]:
        value = Decimal(percent)
        # As in the spec's NZ example: an income rate fits every class but expenses, an expense rate every
        # class but revenue.
        rate: dict[str, Any] = {
            "Name": name,
            "TaxType": tax_type,
            "ReportTaxType": report_type,
            "Status": TaxRateStatus.ACTIVE,
            "TaxComponents": [
                {"Name": COUNTRIES[country]["tax_name"], "Rate": value, "IsCompound": False, "IsNonRecoverable": False}
            ],
            "CanApplyToAssets": True,
            "CanApplyToEquity": True,
            "CanApplyToExpenses": applies in ("expense", "all"),
            "CanApplyToLiabilities": True,
            "CanApplyToRevenue": applies in ("revenue", "all"),
            "DisplayTaxRate": value,
            "EffectiveRate": value,
        }
        rates.append({k: v for k, v in rate.items() if v is not None})
    return rates


# components.schemas.CurrencyCode of Xero's OpenAPI spec (168 ISO 4217 codes, old ones included).
CURRENCY_CODES = (
    "AED",
    "AFN",
    "ALL",
    "AMD",
    "ANG",
    "AOA",
    "ARS",
    "AUD",
    "AWG",
    "AZN",
    "BAM",
    "BBD",
    "BDT",
    "BGN",
    "BHD",
    "BIF",
    "BMD",
    "BND",
    "BOB",
    "BRL",
    "BSD",
    "BTN",
    "BWP",
    "BYN",
    "BYR",
    "BZD",
    "CAD",
    "CDF",
    "CHF",
    "CLF",
    "CLP",
    "CNY",
    "COP",
    "CRC",
    "CUC",
    "CUP",
    "CVE",
    "CZK",
    "DJF",
    "DKK",
    "DOP",
    "DZD",
    "EEK",
    "EGP",
    "ERN",
    "ETB",
    "EUR",
    "FJD",
    "FKP",
    "GBP",
    "GEL",
    "GHS",
    "GIP",
    "GMD",
    "GNF",
    "GTQ",
    "GYD",
    "HKD",
    "HNL",
    "HRK",
    "HTG",
    "HUF",
    "IDR",
    "ILS",
    "INR",
    "IQD",
    "IRR",
    "ISK",
    "JMD",
    "JOD",
    "JPY",
    "KES",
    "KGS",
    "KHR",
    "KMF",
    "KPW",
    "KRW",
    "KWD",
    "KYD",
    "KZT",
    "LAK",
    "LBP",
    "LKR",
    "LRD",
    "LSL",
    "LTL",
    "LVL",
    "LYD",
    "MAD",
    "MDL",
    "MGA",
    "MKD",
    "MMK",
    "MNT",
    "MOP",
    "MRO",
    "MRU",
    "MUR",
    "MVR",
    "MWK",
    "MXN",
    "MXV",
    "MYR",
    "MZN",
    "NAD",
    "NGN",
    "NIO",
    "NOK",
    "NPR",
    "NZD",
    "OMR",
    "PAB",
    "PEN",
    "PGK",
    "PHP",
    "PKR",
    "PLN",
    "PYG",
    "QAR",
    "RON",
    "RSD",
    "RUB",
    "RWF",
    "SAR",
    "SBD",
    "SCR",
    "SDG",
    "SEK",
    "SGD",
    "SHP",
    "SKK",
    "SLE",
    "SLL",
    "SOS",
    "SRD",
    "STD",
    "STN",
    "SVC",
    "SYP",
    "SZL",
    "THB",
    "TJS",
    "TMT",
    "TND",
    "TOP",
    "TRY",
    "TTD",
    "TWD",
    "TZS",
    "UAH",
    "UGX",
    "USD",
    "UYU",
    "UZS",
    "VEF",
    "VES",
    "VND",
    "VUV",
    "WST",
    "XAF",
    "XCD",
    "XOF",
    "XPF",
    "YER",
    "ZAR",
    "ZMW",
    "ZMK",
    "ZWD",
)
