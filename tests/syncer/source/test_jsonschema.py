"""The committed JSON Schema is the loader's own, and it agrees with the loader on good and bad files."""

import json

import jsonschema
import pytest
import yaml

from syncer.source import jsonschema as billing_schema
from syncer.source.files import SourceError, parse_book
from tests.syncer.source.test_files import EXAMPLE


def test_the_committed_schema_is_current():
    assert billing_schema.OUTPUT.read_text(encoding="utf-8") == billing_schema.render(), (
        "contracts/billing-source.schema.json is stale: run python -m syncer.source.jsonschema"
    )


def validator():
    return jsonschema.Draft202012Validator(json.loads(billing_schema.OUTPUT.read_text(encoding="utf-8")))


def as_json_document(text: str):
    """The YAML example as a JSON producer would send it (dates as strings)."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def test_the_bundled_example_is_valid_for_both():
    document = as_json_document(EXAMPLE.read_text(encoding="utf-8"))
    assert list(validator().iter_errors(document)) == []
    parse_book(json.dumps(document), as_json=True)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["invoices"][0].update(colour="red"),
        lambda d: d["invoices"][0].update(status="sent"),
        lambda d: d["payments"][0].update(amount="ten"),
        lambda d: d["customers"][0].pop("name"),
        lambda d: d.update(format_version=2),
        lambda d: d["payouts"][0].update(arrival_date=None),
    ],
)
def test_what_the_schema_refuses_the_loader_refuses(change):
    document = as_json_document(EXAMPLE.read_text(encoding="utf-8"))
    change(document)
    assert list(validator().iter_errors(document)) != []
    with pytest.raises(SourceError):
        parse_book(json.dumps(document), as_json=True)
