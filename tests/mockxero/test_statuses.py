"""Status enums: Xero's codes, in the spec's order, and plain strings wherever a record goes."""

from pathlib import Path

import pytest
import yaml

from mockxero import statuses, wire
from mockxero.store import Store

SPEC = Path(__file__).resolve().parents[2] / "contracts" / "xero" / "xero_accounting.yaml"

# Each enum and the (schema, property) of Xero's spec whose enum it mirrors.
MIRRORS = [
    (statuses.DocumentStatus, "Invoice", "Status"),
    (statuses.DocumentStatus, "CreditNote", "Status"),
    (statuses.PaymentStatus, "Payment", "Status"),
    (statuses.BankTransactionStatus, "BankTransaction", "Status"),
    (statuses.BankTransferStatus, "BankTransfer", "Status"),
    (statuses.AccountStatus, "Account", "Status"),
    (statuses.TaxRateStatus, "TaxRate", "Status"),
    (statuses.ContactStatus, "Contact", "ContactStatus"),
]


@pytest.fixture(scope="module")
def spec_schemas() -> dict:
    return yaml.safe_load(SPEC.read_text())["components"]["schemas"]


def _spec_enum(schemas: dict, schema: str, prop: str) -> list[str]:
    found = schemas[schema]["properties"][prop]
    if "$ref" in found:
        found = schemas[found["$ref"].rsplit("/", 1)[-1]]
    return found["enum"]


@pytest.mark.parametrize(("enum", "schema", "prop"), MIRRORS, ids=lambda v: getattr(v, "__name__", v))
def test_each_enum_is_xeros_list_in_xeros_order(spec_schemas, enum, schema, prop):
    assert list(statuses.values(enum)) == _spec_enum(spec_schemas, schema, prop)


def test_values_are_plain_strings_not_members():
    codes = statuses.values(statuses.DocumentStatus)
    assert codes[0] == "DRAFT"
    assert all(type(code) is str for code in codes)
    assert type(statuses.DocumentStatus.PAID) is not str  # the member itself is a subclass


def test_a_member_reaches_the_wire_and_the_data_file_as_its_code(tmp_path):
    record = {"Status": statuses.DocumentStatus.AUTHORISED}
    assert wire.dumps(record) == '{"Status":"AUTHORISED"}'
    path = tmp_path / "books.json"
    with Store(path).transaction() as store:
        store.put("t_Invoices", "a", record)
    reloaded = Store(path).get("t_Invoices", "a")
    assert reloaded == {"Status": "AUTHORISED"}
    assert reloaded["Status"] == statuses.DocumentStatus.AUTHORISED
    assert reloaded["Status"] != statuses.DocumentStatus.PAID
