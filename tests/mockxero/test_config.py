"""Configuration by argument, by MOCKXERO_* variables and files, and every refusal naming its setting."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pytest

from mockxero import create_app
from mockxero.config import (
    ALL_SCOPES,
    DEFAULT_CLIENT_ID,
    DEFAULT_TENANT_ID,
    SETTINGS,
    ClientConfig,
    ConfigError,
    MockConfig,
    TenantConfig,
)

T1 = "11111111-1111-4111-8111-111111111111"
T2 = "22222222-2222-4222-8222-222222222222"


# --- by argument ---------------------------------------------------------------------------------------


def test_defaults_give_one_tenant_and_one_client_connected_to_it():
    config = MockConfig()
    assert [t.tenant_id for t in config.tenants] == [DEFAULT_TENANT_ID]
    assert config.default_client.client_id == DEFAULT_CLIENT_ID
    assert config.default_client.tenant_ids == (DEFAULT_TENANT_ID,)
    assert (config.token_ttl, config.refresh_token_ttl, config.refresh_grace) == (1800, 60 * 86_400, 1800)


def test_create_app_takes_a_mapping():
    app = create_app({"TESTING": True, "token_ttl": 60, "tenants": [{"tenant_id": T1, "name": "One"}]})
    config = app.extensions["mockxero"].config
    assert config.testing and config.token_ttl == 60
    assert config.default_tenant.name == "One"


def test_create_app_takes_a_config_object(clock):
    config = MockConfig(clock=clock, token_ttl=90)
    assert create_app(config).extensions["mockxero"].config is config


def test_create_app_without_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("MOCKXERO_TOKEN_TTL", "77")
    monkeypatch.setenv("MOCKXERO_TENANT_NAME", "From Env Ltd")
    config = create_app().extensions["mockxero"].config
    assert config.token_ttl == 77 and config.default_tenant.name == "From Env Ltd"


def test_tenants_without_clients_get_a_default_client_for_all_of_them():
    config = MockConfig.from_mapping({"tenants": [{"tenant_id": T1, "name": "One"}, {"tenant_id": T2, "name": "Two"}]})
    assert config.default_client.tenant_ids == (T1, T2)


def test_a_client_without_tenant_ids_reaches_every_tenant():
    config = MockConfig.from_mapping(
        {
            "tenants": [{"tenant_id": T1, "name": "One"}, {"tenant_id": T2, "name": "Two"}],
            "clients": [
                {"client_id": "A", "client_secret": "a"},
                {"client_id": "B", "client_secret": "b", "tenant_ids": [T2]},
            ],
        }
    )
    assert [c.tenant_ids for c in config.clients] == [(T1, T2), (T2,)]


def test_guids_and_countries_are_normalised():
    tenant = TenantConfig(tenant_id=T1.upper(), name="One", country_code="gb")
    assert (tenant.tenant_id, tenant.country_code) == (T1, "GB")
    assert ClientConfig(tenant_ids=[T1.upper()]).tenant_ids == (T1,)


# --- by environment and file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable, value, setting, expected",
    [
        ("MOCKXERO_DATA_FILE", "/tmp/book.json", "data_file", "/tmp/book.json"),
        ("MOCKXERO_TOKEN_TTL", "60", "token_ttl", 60),
        ("MOCKXERO_REFRESH_TOKEN_TTL", "3600", "refresh_token_ttl", 3600),
        ("MOCKXERO_REFRESH_GRACE", "0", "refresh_grace", 0),
        ("MOCKXERO_MAX_BODY_BYTES", "1024", "max_body_bytes", 1024),
        ("MOCKXERO_UNKNOWN_FIELDS", "reject", "unknown_fields", "reject"),
        ("MOCKXERO_CLOCK_SCALE", "2.5", "clock_scale", 2.5),
        ("MOCKXERO_SEED", "7", "seed", 7),
    ],
)
def test_each_environment_variable_sets_its_setting(variable, value, setting, expected):
    assert getattr(MockConfig.from_env({variable: value}), setting) == expected


def test_empty_environment_variables_are_ignored():
    assert MockConfig.from_env({"MOCKXERO_TOKEN_TTL": ""}).token_ttl == 1800


def test_identity_variables_override_the_first_tenant_and_client():
    config = MockConfig.from_env(
        {
            "MOCKXERO_TENANT_ID": T1,
            "MOCKXERO_TENANT_NAME": "Env Ltd",
            "MOCKXERO_COUNTRY": "AU",
            "MOCKXERO_CLIENT_ID": "ENVCLIENT",
            "MOCKXERO_CLIENT_SECRET": "env-secret",
        }
    )
    assert (config.default_tenant.tenant_id, config.default_tenant.name, config.default_tenant.country_code) == (
        T1,
        "Env Ltd",
        "AU",
    )
    client = config.default_client
    assert (client.client_id, client.client_secret, client.tenant_ids) == ("ENVCLIENT", "env-secret", (T1,))


def write_config(tmp_path: Path, name: str, text: str) -> Path:
    file = tmp_path / name
    file.write_text(text)
    return file


def test_yaml_file_with_two_tenants_and_two_clients(tmp_path):
    file = write_config(
        tmp_path,
        "mock.yaml",
        f"""
token_ttl: 600
tenants:
  - {{tenant_id: {T1}, name: One Ltd, country_code: NZ}}
  - {{tenant_id: {T2}, name: Two Ltd, country_code: US}}
clients:
  - {{client_id: ONE, client_secret: s1, tenant_ids: [{T1}]}}
  - {{client_id: TWO, client_secret: s2, tenant_ids: [{T2}], scopes: [accounting.contacts.read]}}
""",
    )
    config = MockConfig.from_env({}, config_file=file)
    assert config.token_ttl == 600
    assert [(t.name, t.country_code) for t in config.tenants] == [("One Ltd", "NZ"), ("Two Ltd", "US")]
    assert [(c.client_id, c.tenant_ids) for c in config.clients] == [("ONE", (T1,)), ("TWO", (T2,))]
    assert config.clients[1].scopes == ("accounting.contacts.read",)


def test_json_file_named_by_the_environment(tmp_path):
    file = write_config(tmp_path, "mock.json", json.dumps({"token_ttl": 300}))
    assert MockConfig.from_env({"MOCKXERO_CONFIG_FILE": str(file)}).token_ttl == 300


def test_layers_file_then_environment_then_explicit_overrides(tmp_path):
    file = write_config(tmp_path, "mock.yaml", "token_ttl: 100\nseed: 1\nclock_scale: 3\n")
    config = MockConfig.from_env({"MOCKXERO_TOKEN_TTL": "200", "MOCKXERO_SEED": "2"}, config_file=file, seed=3)
    assert (config.clock_scale, config.token_ttl, config.seed) == (3, 200, 3)


def test_explicit_identity_overrides_beat_the_environment():
    config = MockConfig.from_env({"MOCKXERO_TENANT_NAME": "Env Ltd"}, tenant={"name": "Flag Ltd", "tenant_id": None})
    assert config.default_tenant.name == "Flag Ltd"
    assert config.default_tenant.tenant_id == DEFAULT_TENANT_ID


# --- refusals, each naming its setting -----------------------------------------------------------------

TENANT = {"tenant_id": T1, "name": "One"}
REFUSED_MAPPINGS = [
    ({"token_tll": 5}, "unknown configuration key 'token_tll'"),
    ({"token_ttl": 0}, "token_ttl must be at least 1, got 0"),
    ({"token_ttl": "soon"}, "token_ttl must be a whole number, got 'soon'"),
    ({"token_ttl": True}, "token_ttl must be a whole number, got True"),
    ({"refresh_token_ttl": 1.5}, "refresh_token_ttl must be a whole number, got 1.5"),
    ({"refresh_grace": -1}, "refresh_grace must be at least 0, got -1"),
    ({"max_body_bytes": 0}, "max_body_bytes must be at least 1, got 0"),
    ({"data_file": ""}, "data_file must be a file path, got ''"),
    ({"data_file": 5}, "data_file must be a file path, got 5"),
    ({"unknown_fields": "warn"}, "unknown_fields must be 'ignore' or 'reject', got 'warn'"),
    ({"default_format": "csv"}, "default_format must be 'xml' or 'json', got 'csv'"),
    ({"clock_scale": 0}, "clock_scale must be a positive number, got 0"),
    ({"clock_scale": "fast"}, "clock_scale must be a positive number, got 'fast'"),
    ({"clock_scale": math.inf}, "clock_scale must be a positive number, got inf"),
    ({"seed": "abc"}, "seed must be a whole number, got 'abc'"),
    ({"tenants": []}, "tenants: at least one tenant must be configured"),
    ({"tenants": "one"}, "tenants must be a list, got 'one'"),
    ({"tenants": ["one"]}, "tenants: each tenant must be a mapping, got 'one'"),
    ({"tenants": [{"tenant_id": "one"}]}, "tenant_id must be a GUID"),
    ({"tenants": [{**TENANT, "name": ""}]}, f"tenant '{T1}': name must be a non-empty string"),
    ({"tenants": [{**TENANT, "country_code": "FR"}]}, f"tenant '{T1}': country_code must be one of NZ, AU, GB, US"),
    ({"tenants": [{**TENANT, "tenant_type": "PERSON"}]}, "tenant_type must be one of ORGANISATION, PRACTICE"),
    ({"tenants": [{**TENANT, "currency": "NZD"}]}, "unknown key(s) currency"),
    ({"tenants": [TENANT, TENANT]}, f"tenants: tenant_id must be unique, repeated: {T1}"),
    ({"clients": []}, "clients: at least one app client must be configured"),
    ({"clients": {"client_id": "A"}}, "clients must be a list"),
    ({"clients": ["A"]}, "clients: each client must be a mapping, got 'A'"),
    ({"clients": [{"client_id": ""}]}, "client_id must be a non-empty string, got ''"),
    ({"clients": [{"client_id": "A", "client_secret": " "}]}, "client 'A': client_secret must be a non-empty string"),
    ({"clients": [{"client_id": "A", "tenant_ids": DEFAULT_TENANT_ID}]}, "client 'A': tenant_ids must be a list"),
    ({"clients": [{"client_id": "A", "tenant_ids": ["x"]}]}, "client 'A': tenant_ids must be GUIDs, got 'x'"),
    ({"clients": [{"client_id": "A", "tenant_ids": [T2]}]}, f"client 'A': tenant_ids names unknown tenants: {T2}"),
    (
        {"clients": [{"client_id": "A", "scopes": ["accounting.everything"]}]},
        "client 'A': scopes names unknown scopes accounting.everything",
    ),
    ({"clients": [{"client_id": "A", "redirect_uris": [5]}]}, "client 'A': each of redirect_uris must be a non-empty"),
    ({"clients": [{"client_id": "A", "secret": "x"}]}, "unknown key(s) secret"),
    ({"clients": [{"client_id": "A"}, {"client_id": "A"}]}, "clients: client_id must be unique, repeated: A"),
]


@pytest.mark.parametrize("mapping, message", REFUSED_MAPPINGS)
def test_bad_settings_are_refused_with_a_message_naming_them(mapping, message):
    with pytest.raises(ConfigError) as caught:
        MockConfig.from_mapping(mapping)
    assert message in str(caught.value)


def test_a_configuration_that_is_not_a_mapping_is_refused():
    with pytest.raises(ConfigError, match="the configuration must be a mapping of settings, got list"):
        MockConfig.from_mapping([])


@pytest.mark.parametrize(
    "variable, message",
    [
        ("MOCKXERO_TOKEN_TTL", "MOCKXERO_TOKEN_TTL must be a whole number, got 'x'"),
        ("MOCKXERO_SEED", "MOCKXERO_SEED must be a whole number, got 'x'"),
        ("MOCKXERO_CLOCK_SCALE", "MOCKXERO_CLOCK_SCALE must be a number, got 'x'"),
    ],
)
def test_unreadable_environment_values_name_the_variable(variable, message):
    with pytest.raises(ConfigError) as caught:
        MockConfig.from_env({variable: "x"})
    assert str(caught.value) == message


def test_a_bad_identity_variable_is_refused():
    with pytest.raises(ConfigError, match="tenant_id must be a GUID"):
        MockConfig.from_env({"MOCKXERO_TENANT_ID": "demo"})


def test_all_scopes_list_is_what_clients_get_by_default():
    assert ClientConfig().scopes == ALL_SCOPES


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.yaml", "tenants: [unclosed", "is not valid yaml"),
        ("bad.json", "{not json", "is not valid json"),
        ("list.yaml", "- token_ttl: 5\n", "must hold a mapping of settings"),
        ("binary.yaml", None, "is not utf-8 text"),
    ],
)
def test_unusable_config_files_are_refused_naming_the_file(tmp_path, name, content, message):
    file = tmp_path / name
    if content is None:
        file.write_bytes(b"\xff\xfe\x00\x01")
    else:
        file.write_text(content)
    with pytest.raises(ConfigError) as caught:
        MockConfig.from_env({}, config_file=file)
    assert str(file) in str(caught.value) and message in str(caught.value).lower()


def test_a_missing_config_file_is_refused_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="cannot read configuration file .*missing.yaml"):
        MockConfig.from_env({}, config_file=tmp_path / "missing.yaml")


# --- the settings table --------------------------------------------------------------------------------

_WRONG_TYPE = {"whole": "soon", "number": "fast", "choice": "neither", "switch": "yes", "path": ""}


@pytest.mark.parametrize("spec", SETTINGS, ids=lambda spec: spec.name)
def test_each_setting_defaults_to_its_table_row_and_refuses_a_wrong_value_naming_itself(spec):
    assert getattr(MockConfig(), spec.name) == spec.default
    with pytest.raises(ConfigError) as caught:
        MockConfig.from_mapping({spec.name: _WRONG_TYPE[spec.kind.name]})
    assert str(caught.value).startswith(f"{spec.name} must be ")
    if spec.minimum is not None:
        with pytest.raises(ConfigError, match=f"{spec.name} must be at least {spec.minimum}"):
            MockConfig.from_mapping({spec.name: spec.minimum - 1})
        assert getattr(MockConfig.from_mapping({spec.name: spec.minimum}), spec.name) == spec.minimum


@pytest.mark.parametrize("spec", SETTINGS, ids=lambda spec: spec.name)
def test_each_setting_is_read_from_its_environment_variable(spec, tmp_path):
    text = {"whole": "7", "number": "2.5", "switch": "off", "path": str(tmp_path / "f.yaml")}.get(spec.kind.name)
    if spec.kind.name == "choice":
        text = spec.choices[-1]
    if spec.name == "faults_file":
        (tmp_path / "f.yaml").write_text("[]\n")
    expected = spec.kind.parse(spec, text)
    assert getattr(MockConfig.from_env({spec.env: text}), spec.name) == expected != spec.default


# --- lock dates -------------------------------------------------------------------------------------------


def test_lock_dates_are_read_from_a_yaml_file_and_the_environment(tmp_path):
    file = write_config(
        tmp_path,
        "mock.yaml",
        f"tenants:\n- tenant_id: {T1}\n  period_lock_date: 2026-03-31\n  end_of_year_lock_date: '2025-12-31'\n",
    )
    tenant = MockConfig.from_env({}, config_file=file).default_tenant
    assert (tenant.period_lock_date, tenant.end_of_year_lock_date) == (date(2026, 3, 31), date(2025, 12, 31))
    overridden = MockConfig.from_env({"MOCKXERO_PERIOD_LOCK_DATE": "2026-04-30"}, config_file=file).default_tenant
    assert overridden.period_lock_date == date(2026, 4, 30)


def test_a_tenant_has_no_lock_dates_by_default():
    tenant = MockConfig().default_tenant
    assert (tenant.period_lock_date, tenant.end_of_year_lock_date) == (None, None)


@pytest.mark.parametrize("value", ["31/03/2026", "2026-02-30", 20260331, datetime(2026, 3, 31, 12, 0)])
def test_a_lock_date_that_is_not_a_date_is_refused_naming_the_tenant_and_key(value):
    with pytest.raises(ConfigError) as refusal:
        MockConfig.from_mapping({"tenants": [{"tenant_id": T1, "period_lock_date": value}]})
    assert str(refusal.value) == (
        f"tenant {T1!r}: period_lock_date must be a date written YYYY-MM-DD, such as 2026-03-31, got {value!r}"
    )
