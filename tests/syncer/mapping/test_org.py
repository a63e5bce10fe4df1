from decimal import Decimal

from syncer.mapping.org import OrgFacts

D = Decimal


def test_a_tax_rate_is_its_effective_rate_else_the_sum_of_its_components():
    facts = OrgFacts.from_org(
        {
            "Organisation": {"BaseCurrency": "CAD"},
            "TaxRates": [
                {"TaxType": "A", "EffectiveRate": D("12.5")},
                {"TaxType": "B", "TaxComponents": [{"Rate": D("5")}, {"Rate": D("9.975")}]},
            ],
        }
    )
    assert (facts.tax_rate("A"), facts.tax_rate("B"), facts.tax_rate("C")) == (D("12.5"), D("14.975"), None)
    assert facts.currencies == frozenset({"CAD"})


def test_items_and_accounts_are_indexed_by_code():
    facts = OrgFacts.from_org(
        {
            "Organisations": [{"BaseCurrency": "NZD"}],
            "Currencies": [{"Code": "AUD"}],
            "Accounts": [{"Code": "200", "TaxType": "OUTPUT2"}, {"Code": "201"}],
            "Items": [{"Code": "PRO", "SalesDetails": {"AccountCode": "200"}}, {"Code": "BARE", "SalesDetails": {}}],
        }
    )
    assert (facts.base_currency, facts.currencies) == ("NZD", frozenset({"NZD", "AUD"}))
    assert (facts.item_sales_account("PRO"), facts.item_sales_account("BARE"), facts.item_sales_account("X")) == (
        "200",
        None,
        None,
    )
    assert (facts.account_tax_type("200"), facts.account_tax_type("201")) == ("OUTPUT2", None)
