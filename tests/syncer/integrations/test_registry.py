"""The integration registry in the state file: unique names, ids that never change, enable/disable with the
reason, the automatic disable after consecutive fatal runs, deletion refused while objects are mapped, and
external mappings global or linked."""

from __future__ import annotations

import pytest

from syncer.integrations.config import IntegrationConfig
from syncer.integrations.registry import ExternalMapping, Registry, RegistryError
from syncer.mapping.config import load_mapping_config
from syncer.refs import Kind, Ref
from syncer.state.store import Mapped, StateStore

MAPPING = """\
default_revenue_account: "200"
currencies:
  GBP: {deposit_bank: "090", clearing: "091", fee_account: "404", dispute_account: "405"}
"""


@pytest.fixture
def registry(tmp_path):
    with StateStore.open(tmp_path / "state.db") as state:
        yield Registry(state)


@pytest.fixture
def config(tmp_path):
    """Configurations as a file loads them: a stored one is read back from its mapping file."""
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING)

    def make(name: str = "UK bills", **fields) -> IntegrationConfig:
        return IntegrationConfig(name=name, mapping=load_mapping_config(path), mapping_path=path, **fields)

    return make


def test_an_integration_is_found_by_id_or_by_name_in_any_case(registry, config):
    created = registry.create(config())
    assert len(created.integration_id) == 36 and created.enabled and not created.connected
    assert registry.find("uk BILLS") == created == registry.find(created.integration_id)
    with pytest.raises(RegistryError) as refused:
        registry.find("Rest")
    assert str(refused.value) == "no integration named or with id 'Rest'; known: 'UK bills'"


def test_a_second_integration_of_the_same_name_is_refused(registry, config):
    registry.create(config())
    with pytest.raises(RegistryError, match="an integration named 'uk bills' already exists; choose another name"):
        registry.create(config("uk bills"))


def test_consecutive_fatal_runs_disable_at_the_configured_count_and_a_good_run_resets_it(registry, config):
    record = registry.create(config(disable_after_fatal_runs=2))
    assert registry.run_finished(record, fatal="Xero unreachable").enabled
    assert registry.run_finished(record, fatal=None).fatal_runs == 0  # the count is of runs in a row
    assert registry.run_finished(record, fatal="Xero unreachable").enabled
    disabled = registry.run_finished(record, fatal="Xero unreachable again")
    assert not disabled.enabled
    assert disabled.disabled_reason == "disabled after 2 consecutive fatal run(s); the last: Xero unreachable again"
    enabled = registry.enable(record.integration_id)
    assert enabled.enabled and enabled.fatal_runs == 0 and enabled.disabled_reason == ""


def test_connect_and_disconnect_record_the_credential_and_tenant(registry, config):
    record = registry.create(config())
    connected = registry.connect(record.name, "cred-1", "tenant-1", "Demo Company (NZ)")
    assert connected.connected and registry.using_credential("cred-1") == [connected]
    assert not registry.disconnect(record.name).connected


def test_delete_is_refused_while_objects_are_mapped_unless_forced(registry, config):
    record = registry.create(config())
    registry.add_mapping("cus_1", "ACME", record.name)
    registry.state.scoped(record.integration_id).complete_write(
        "t", Ref(Kind.CONTACT, "cus_1"), Mapped("id", "ACTIVE", "f")
    )
    with pytest.raises(RegistryError) as refused:
        registry.delete(record.name)
    assert str(refused.value).startswith("integration 'UK bills' has 1 Xero objects mapped; deleting it loses")
    assert registry.delete(record.name, force=True) == record
    assert registry.all() == [] and registry.mappings() == []


def test_external_codes_take_linked_mappings_over_global_ones_and_enforce_uses_linked_only(registry, config):
    uk = registry.create(config())
    rest = registry.create(config("Rest"))
    registry.add_mapping("cus_1", "GLOBAL-1")
    registry.add_mapping("cus_2", "GLOBAL-2")
    registry.add_mapping("cus_1", "UK-1", uk.name)
    assert registry.external_codes(uk.integration_id, enforce_linked=False) == {"cus_1": "UK-1", "cus_2": "GLOBAL-2"}
    assert registry.external_codes(uk.integration_id, enforce_linked=True) == {"cus_1": "UK-1"}
    assert registry.external_codes(rest.integration_id, enforce_linked=False) == {
        "cus_1": "GLOBAL-1",
        "cus_2": "GLOBAL-2",
    }
    assert registry.external_codes(rest.integration_id, enforce_linked=True) == {}
    assert registry.mappings(uk.name) == [ExternalMapping("cus_1", "UK-1", uk.integration_id)]


def test_deleting_a_mapping_that_is_not_there_says_which_one(registry, config):
    registry.create(config())
    registry.add_mapping("cus_1", "GLOBAL-1")
    assert registry.delete_mapping("cus_1") == ExternalMapping("cus_1", "GLOBAL-1")
    with pytest.raises(
        RegistryError, match="there is no linked to integration 'UK bills' external mapping for account 'cus_1'"
    ):
        registry.delete_mapping("cus_1", "UK bills")
    with pytest.raises(RegistryError, match="needs a billing account id and a code, both non-empty"):
        registry.add_mapping("cus_1", " ")
