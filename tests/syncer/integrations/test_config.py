import json
from pathlib import Path

import jsonschema
import pytest

from syncer.integrations.config import (
    IntegrationConfigError,
    LineSort,
    SplitUsage,
    integration_from_data,
    load_integrations,
)
from syncer.source.model import LineItemType

MAPPING = """\
default_revenue_account: "200"
currencies:
  GBP: {deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "405"}
"""


def write(tmp_path, text):
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    path = tmp_path / "integrations.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_field_loads(tmp_path):
    path = write(
        tmp_path,
        """\
version: 1
integrations:
  - name: UK bills
    mapping: mapping.yaml
    account_ids: [cus_1]
    restricted_account_ids: [cus_2]
    account_filter: "customFields.country == UK"
    only_send_on_approval: true
    excluded_line_item_types: [USAGE_CREDIT]
    excluded_products: [prod_x]
    excluded_aggregations: [agg_1]
    split_usage_line_items: band
    sort_line_items_by: subtotal
    disabled_notification_users: [finance@example.com]
    disable_after_fatal_runs: 2
""",
    )
    (config,) = load_integrations(path)
    assert config.name == "UK bills"
    assert config.mapping.default_revenue_account == "200"
    assert (config.account_ids, config.restricted_account_ids) == (("cus_1",), ("cus_2",))
    assert config.account_filter == "customFields.country == UK"
    assert config.only_send_on_approval is True and config.allow_overlap is False
    assert config.excluded_line_item_types == (LineItemType.USAGE_CREDIT,)
    assert (config.split_usage_line_items, config.sort_line_items_by) == (SplitUsage.BAND, LineSort.SUBTOTAL)
    assert config.disable_after_fatal_runs == 2


def test_every_problem_is_located_at_once(tmp_path):
    path = write(
        tmp_path,
        """\
version: 1
integrations:
  - name: UK bills
    mapping: mapping.yaml
    excluded_line_item_types: [USAGE_CREDITS]
    split_usage_line_items: bands
  - name: uk BILLS
    mapping: missing.yaml
""",
    )
    with pytest.raises(IntegrationConfigError) as caught:
        load_integrations(path)
    messages = [str(problem) for problem in caught.value.problems]
    assert (
        messages[0] == f"{path}:5 (integrations.0.excluded_line_item_types.0): 'USAGE_CREDITS' is not a line item type"
    )
    assert messages[1] == (
        f"{path}:6 (integrations.0.split_usage_line_items): must be one of none, band, product, got 'bands'"
    )
    assert messages[2].startswith(f"{path}:8 (integrations.1.mapping): 'missing.yaml': ")
    assert len(messages) == 3


def test_a_name_written_twice_in_another_case_is_refused(tmp_path):
    path = write(
        tmp_path,
        "version: 1\nintegrations:\n"
        "  - {name: UK bills, mapping: mapping.yaml}\n"
        "  - {name: uk BILLS, mapping: mapping.yaml}\n",
    )
    with pytest.raises(IntegrationConfigError) as caught:
        load_integrations(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:4 (integrations.1.name): 'uk BILLS' is already the name of integration 0"
    ]


def test_json_gives_the_same_configuration_as_yaml(tmp_path):
    yaml_path = write(
        tmp_path, "version: 1\nintegrations:\n  - {name: Rest, mapping: mapping.yaml, allow_overlap: true}\n"
    )
    json_path = tmp_path / "integrations.json"
    json_path.write_text(
        '{"version": 1, "integrations": [{"name": "Rest", "mapping": "mapping.yaml", "allow_overlap": true}]}'
    )
    assert load_integrations(json_path) == load_integrations(yaml_path)


def test_a_bad_account_filter_stops_the_load_at_its_line_with_the_column(tmp_path):
    path = write(
        tmp_path,
        "version: 1\nintegrations:\n"
        "  - name: UK bills\n"
        "    mapping: mapping.yaml\n"
        '    account_filter: "customFields != null AND customFields.country = = UK"\n',
    )
    with pytest.raises(IntegrationConfigError) as caught:
        load_integrations(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5 (integrations.0.account_filter): column 49: expected a value after '=', found '='; write == or = "
        "(one operator) of 'customFields != null AND customFields.country = = UK'"
    ]


def test_a_stored_integration_reads_back_as_the_same_configuration(tmp_path):
    path = write(
        tmp_path,
        "version: 1\nintegrations:\n"
        "  - {name: UK bills, mapping: mapping.yaml, excluded_line_item_types: [USAGE], split_usage_line_items: band,"
        " account_filter: 'currency == GBP', disabled_notification_users: [a@b.test]}\n",
    )
    (config,) = load_integrations(path)
    stored = config.as_data()
    assert stored["mapping"] == str((tmp_path / "mapping.yaml").resolve())
    assert integration_from_data(stored, "the registry") == config


SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "contracts" / "integration-config.schema.json").read_text(encoding="utf-8")
)
GOOD = {
    "version": 1,
    "integrations": [
        {
            "name": "UK bills",
            "mapping": "mapping.yaml",
            "account_filter": "customFields.country == UK",
            "excluded_line_item_types": ["USAGE_CREDIT"],
            "split_usage_line_items": "band",
            "sort_line_items_by": "aggregation_id",
            "disabled_notification_users": ["finance@example.com"],
            "disable_after_fatal_runs": 2,
        }
    ],
}


def test_the_json_schema_accepts_what_the_loader_accepts(tmp_path):
    jsonschema.validate(GOOD, SCHEMA)
    path = write(tmp_path, json.dumps(GOOD))
    path.rename(path.with_suffix(".json"))
    assert load_integrations(path.with_suffix(".json"))[0].name == "UK bills"


@pytest.mark.parametrize(
    "change",
    [
        {"split_usage_line_items": "bands"},
        {"excluded_line_item_types": ["USAGE_CREDITS"]},
        {"disable_after_fatal_runs": 0},
        {"disabled_notification_users": ["finance"]},
        {"only_send_on_approval": "yes"},
        {"colour": "blue"},
        {"name": ""},
    ],
)
def test_the_json_schema_and_the_loader_refuse_the_same_files(tmp_path, change):
    data = {"version": 1, "integrations": [{**GOOD["integrations"][0], **change}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    path = tmp_path / "integrations.json"
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    path.write_text(json.dumps(data))
    with pytest.raises(IntegrationConfigError):
        load_integrations(path)
