import copy

from syncer.mapping.config import CurrencyAccounts
from syncer.mapping.org import OrgFacts
from syncer.mapping.preflight import preflight
from tests.syncer.mapping.helpers import CONFIG, ORG, config


def test_a_configuration_that_fits_the_organisation_passes():
    assert preflight(CONFIG, ORG) == []
    assert preflight(config(discount_account="270"), OrgFacts.from_org(ORG)) == []


def test_every_problem_is_reported_together_with_what_and_where():
    org = copy.deepcopy(ORG)
    org["Currencies"] = [{"Code": "GBP"}]  # USD not enabled
    org["Organisations"] = [{"BaseCurrency": "GBP"}]
    broken = config(
        default_revenue_account="999",
        discount_account="299",
        currencies={
            "GBP": CurrencyAccounts(deposit_bank="090", clearing="200", fee_account="404", dispute_account="406"),
            "USD": CurrencyAccounts(
                deposit_bank="092", clearing="091", fee_account="404", dispute_account="405", refund_account="404"
            ),
        },
        items={"prod_pro": "PRO", "prod_gone": "GONE"},
        tax={"vat": "OUTPUT2", "old": "OLDVAT", "typo": "OUTPUT3"},
    )
    assert [str(problem) for problem in preflight(broken, org)] == [
        "default_revenue_account: account code '999' does not exist in the organisation",
        "discount_account: account '299' is ARCHIVED; it must be ACTIVE",
        "currencies.GBP.clearing: account '200' is of Type REVENUE; it must be a BANK account",
        "currencies.GBP.dispute_account: account code '406' does not exist in the organisation",
        "currencies.USD: currency USD is not enabled in the organisation (enabled: GBP)",
        "currencies.USD.clearing: bank account '091' holds GBP, not USD",
        "currencies.USD.refund_account: account '404' is of Type EXPENSE; it must be a BANK account",
        "tax.old: TaxType 'OLDVAT' is DELETED; it must be ACTIVE",
        "tax.typo: TaxType 'OUTPUT3' does not exist in the organisation",
        "items.prod_gone: item code 'GONE' does not exist in the organisation",
    ]


def test_an_item_selling_to_a_missing_account_is_reported():
    org = copy.deepcopy(ORG)
    org["Items"][0]["SalesDetails"]["AccountCode"] = "777"
    assert [str(problem) for problem in preflight(CONFIG, org)] == [
        "items.prod_pro: item 'PRO' sells to account '777', which does not exist"
    ]


def test_the_base_currency_counts_as_enabled_even_when_currencies_omit_it():
    org = {**ORG, "Currencies": [{"Code": "USD"}], "Organisation": {"BaseCurrency": "GBP"}}
    assert preflight(CONFIG, org) == []
