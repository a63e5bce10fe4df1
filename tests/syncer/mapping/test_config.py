import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from syncer.mapping.config import (
    DEFAULT_SETTINGS,
    CurrencyAccounts,
    DisputeHandling,
    ExternalContact,
    FeeFlow,
    MappingConfigError,
    load_mapping_config,
    parse_mapping_config,
)
from syncer.mapping.outcomes import Problem
from tests.syncer.mapping.helpers import customer, invoice, line

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "syncer" / "mapping-config.example.yaml"
SCHEMA = json.loads((ROOT / "contracts" / "mapping-config.schema.json").read_text(encoding="utf-8"))

MINIMAL = """\
default_revenue_account: "200"
currencies:
  GBP: {deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "405"}
"""


def problems_of(text: str, **options) -> list[Problem]:
    with pytest.raises(MappingConfigError) as caught:
        parse_mapping_config(text, source="mapping.yaml", **options)
    return list(caught.value.problems)


def test_the_documented_example_loads_with_every_field():
    config = load_mapping_config(EXAMPLE)
    assert config.default_revenue_account == "200"
    assert config.discount_account == "270"
    assert config.currencies["USD"] == CurrencyAccounts("092", "093", "404", "405", refund_account="092")
    assert dict(config.items) == {"prod_pro": "PRO", "prod_seat": "SEAT"}
    assert dict(config.tax) == {"vat": "OUTPUT2", "zero": "ZERORATEDOUTPUT"}
    assert dict(config.external_contacts) == {
        "cus_legacy": ExternalContact(contact_number="ACME-01"),
        "cus_imported": ExternalContact(contact_id="5b96e86b-418e-48e8-8949-308c14aec278"),
    }
    assert (config.sync_addresses, config.append_billing_period) == (True, True)
    assert (config.fee_flow, config.dispute_handling) == (FeeFlow.CLEARING, DisputeHandling.SPEND)


def test_json_and_yaml_give_the_same_configuration(tmp_path):
    as_json = tmp_path / "mapping.json"
    as_json.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))), encoding="utf-8")
    assert load_mapping_config(as_json) == load_mapping_config(EXAMPLE)


def test_defaults_are_the_balanced_flow_and_nothing_optional():
    config = parse_mapping_config(MINIMAL)
    assert config.fee_flow is FeeFlow.CLEARING
    assert config.dispute_handling is DisputeHandling.SPEND
    assert (config.sync_addresses, config.append_billing_period, config.discount_account) == (False, False, None)
    assert (dict(config.items), dict(config.tax), dict(config.external_contacts)) == ({}, {}, {})
    assert config.currencies["GBP"].refund_account is None


def test_the_configuration_is_immutable():
    config = parse_mapping_config(MINIMAL)
    with pytest.raises(TypeError):
        config.items["prod"] = "X"  # type: ignore[index]
    with pytest.raises(AttributeError):
        config.fee_flow = FeeFlow.DEPOSIT  # type: ignore[misc]


def test_every_problem_is_reported_at_once_with_file_line_and_field():
    text = """\
version: 2
discount_account: 270
currencies:
  GBP:
    deposit_bank: "090"
    clearing: "090"
    fee_account: ""
  usd: {deposit_bank: "1", clearing: "2", fee_account: "3", dispute_account: "4", bank: "5"}
items:
  prod_pro: PRO-PLAN-WITH-A-VERY-LONG-ITEM-CODE
tax: {vat: [OUTPUT2]}
external_mappings:
  customers:
    cus_1: {contact_number: A, contact_id: 5b96e86b-418e-48e8-8949-308c14aec278}
    cus_2: {contact_id: not-a-guid}
sync_addresses: "yes"
fee_flow: bank
dispute_handling: ignore
colour: blue
"""
    assert [str(problem) for problem in problems_of(text)] == [
        "mapping.yaml (default_revenue_account): is required",
        "mapping.yaml:1 (version): must be 1, got 2",
        "mapping.yaml:2 (discount_account): must be an account code string, got a number (270) "
        "(quote it: an unquoted code such as 090 is read as a number)",
        "mapping.yaml:4 (currencies.GBP.dispute_account): is required",
        "mapping.yaml:6 (currencies.GBP.clearing): is the deposit bank account too ('090'): the payout transfer "
        "needs two different bank accounts",
        "mapping.yaml:7 (currencies.GBP.fee_account): must be a non-empty account code",
        "mapping.yaml:8 (currencies.usd): 'usd' is not an ISO 4217 currency code (three capital letters)",
        "mapping.yaml:8 (currencies.usd.bank): is not a known field; expected one of deposit_bank, clearing, "
        "fee_account, dispute_account, refund_account",
        "mapping.yaml:10 (items.prod_pro): 'PRO-PLAN-WITH-A-VERY-LONG-ITEM-CODE' is longer than Xero's 30 "
        "characters for a Xero ItemCode",
        "mapping.yaml:11 (tax.vat): must be a Xero TaxType string, got a list",
        "mapping.yaml:14 (external_mappings.customers.cus_1): must give exactly one of contact_number and contact_id",
        "mapping.yaml:15 (external_mappings.customers.cus_2.contact_id): must be a Xero ContactID (a GUID), got "
        "'not-a-guid'",
        "mapping.yaml:16 (sync_addresses): must be true or false, got a string ('yes')",
        "mapping.yaml:17 (fee_flow): must be one of clearing, deposit, got 'bank'",
        "mapping.yaml:18 (dispute_handling): must be one of spend, manual, got 'ignore'",
        "mapping.yaml:19 (colour): is not a known field; expected one of version, default_revenue_account, "
        "discount_account, currencies, items, tax, external_mappings, sync_addresses, append_billing_period, "
        "fee_flow, dispute_handling",
    ]


def test_a_missing_currencies_table_is_named():
    assert [str(problem) for problem in problems_of('default_revenue_account: "200"\n')] == [
        "mapping.yaml (currencies): is required: the deposit, clearing, fee and dispute accounts of each currency"
    ]


def test_an_empty_currencies_table_is_refused():
    text = 'default_revenue_account: "200"\ncurrencies: {}\n'
    assert [str(problem) for problem in problems_of(text)] == [
        "mapping.yaml:2 (currencies): must name at least one currency"
    ]


def test_a_key_given_twice_is_refused_with_the_line_of_the_second():
    text = MINIMAL + 'default_revenue_account: "201"\n'
    assert [str(problem) for problem in problems_of(text)] == [
        "mapping.yaml:4 (default_revenue_account): appears twice; keep one"
    ]


def test_a_number_as_a_mapping_key_is_refused():
    text = MINIMAL + "items: {123: PRO}\n"
    assert [str(problem) for problem in problems_of(text)] == [
        "mapping.yaml:4 (items.123): key 123 must be a string (quote it)"
    ]


def test_a_file_that_is_not_a_mapping_is_refused():
    assert [str(problem) for problem in problems_of("- a\n- b\n")] == ["mapping.yaml: must be a mapping, got a list"]


def test_broken_yaml_names_its_line():
    assert [str(problem) for problem in problems_of(MINIMAL + "items: {prod: [\n")] == [
        "mapping.yaml:5: is not valid YAML: expected the node content, but found '<stream end>'"
    ]


def test_broken_json_names_its_line():
    assert [str(problem) for problem in problems_of('{\n  "currencies": \n}', as_json=True)] == [
        "mapping.yaml:3: is not valid JSON: Expecting value"
    ]


def test_json_problems_carry_lines_too():
    text = '{\n  "default_revenue_account": "200",\n  "currencies": {"GBP": {"deposit_bank": 90}}\n}'
    assert [str(problem) for problem in problems_of(text, as_json=True)] == [
        "mapping.yaml:3 (currencies.GBP.clearing): is required",
        "mapping.yaml:3 (currencies.GBP.deposit_bank): must be an account code string, got a number (90) "
        "(quote it: an unquoted code such as 090 is read as a number)",
        "mapping.yaml:3 (currencies.GBP.dispute_account): is required",
        "mapping.yaml:3 (currencies.GBP.fee_account): is required",
    ]


def test_an_unreadable_file_is_named(tmp_path):
    missing = tmp_path / "absent.yaml"
    with pytest.raises(MappingConfigError) as caught:
        load_mapping_config(missing)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{missing}: cannot be read: No such file or directory"
    ]


def test_the_error_message_lists_every_problem():
    with pytest.raises(MappingConfigError, match=r"(?s)version.*fee_flow"):
        parse_mapping_config(MINIMAL + "version: 3\nfee_flow: x\n", source="m.yaml")


def test_the_json_schema_accepts_the_documented_example():
    jsonschema.validate(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        {"fee_flow": "bank"},
        {"default_revenue_account": 200},
        {"currencies": {"usd": {"deposit_bank": "1", "clearing": "2", "fee_account": "3", "dispute_account": "4"}}},
        {"external_mappings": {"customers": {"c": {"contact_number": "A", "contact_id": "x"}}}},
        {"colour": "blue"},
    ],
)
def test_the_json_schema_and_the_loader_refuse_the_same_files(change):
    data = {**yaml.safe_load(MINIMAL), **change}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(MappingConfigError):
        parse_mapping_config(json.dumps(data), as_json=True)


def test_the_default_sync_settings_include_everything_in_source_order():
    lines = (line("b"), line("a"))
    assert DEFAULT_SETTINGS.customer_excluded(customer()) is None
    assert DEFAULT_SETTINGS.invoice_excluded(invoice()) is None
    assert DEFAULT_SETTINGS.line_excluded(lines[0]) is None
    assert DEFAULT_SETTINGS.ordered_lines(lines) == lines
