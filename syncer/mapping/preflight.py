"""Preflight: check a mapping configuration against the live organisation before anything is written.

Every problem is reported together, each naming the configuration field (``Problem.field``) and the code
at fault, so a user fixes their configuration (or their chart of accounts) once rather than one failed run
at a time. The problems name no billing record, so a plan holding any of them is blocked.
"""

from __future__ import annotations

from syncer.mapping.config import MappingConfig
from syncer.mapping.org import OrgData, OrgFacts
from syncer.plan import Problem

ACTIVE = "ACTIVE"
BANK = "BANK"


def preflight(config: MappingConfig, org: OrgData | OrgFacts) -> list[Problem]:
    """Every reason the configuration cannot be used with this organisation; empty when it can."""
    facts = org if isinstance(org, OrgFacts) else OrgFacts.from_org(org)
    problems: list[Problem] = []

    def report(where: str, message: str) -> None:
        problems.append(Problem(message, field=where))

    def account(where: str, code: str, *, bank: bool = False) -> None:
        found = facts.accounts.get(code)
        if found is None:
            report(where, f"account code {code!r} does not exist in the organisation")
            return
        status = found.get("Status", ACTIVE)
        if status != ACTIVE:
            report(where, f"account {code!r} is {status}; it must be ACTIVE")
        if bank and found.get("Type") != BANK:
            report(where, f"account {code!r} is of Type {found.get('Type')}; it must be a BANK account")

    account("default_revenue_account", config.default_revenue_account)
    if config.discount_account is not None:
        account("discount_account", config.discount_account)

    for currency, accounts in sorted(config.currencies.items()):
        here = f"currencies.{currency}"
        if currency not in facts.currencies:
            enabled = ", ".join(sorted(facts.currencies)) or "none"
            report(here, f"currency {currency} is not enabled in the organisation (enabled: {enabled})")
        for name, code in accounts.codes().items():
            # Payments, transfers and refunds move money in and out of these, so Xero wants bank accounts.
            is_bank = name in ("deposit_bank", "clearing", "refund_account")
            account(f"{here}.{name}", code, bank=is_bank)
            bank_currency = (facts.accounts.get(code) or {}).get("CurrencyCode")
            if is_bank and bank_currency and bank_currency != currency:
                report(f"{here}.{name}", f"bank account {code!r} holds {bank_currency}, not {currency}")

    for tax_code, tax_type in sorted(config.tax.items()):
        rate = facts.tax_rates.get(tax_type)
        if rate is None:
            report(f"tax.{tax_code}", f"TaxType {tax_type!r} does not exist in the organisation")
        elif rate.get("Status", ACTIVE) != ACTIVE:
            report(f"tax.{tax_code}", f"TaxType {tax_type!r} is {rate.get('Status')}; it must be ACTIVE")

    for product, item_code in sorted(config.items.items()):
        if item_code not in facts.items:
            report(f"items.{product}", f"item code {item_code!r} does not exist in the organisation")
            continue
        sales_account = facts.item_sales_account(item_code)
        if sales_account is not None and sales_account not in facts.accounts:
            report(f"items.{product}", f"item {item_code!r} sells to account {sales_account!r}, which does not exist")
    return problems
