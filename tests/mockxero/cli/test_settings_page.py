"""docs/configuration-settings.md is what the settings tables generate, and every setting is on it once."""

from mockxero.cli import settings_page
from mockxero.cli.serve import serve
from mockxero.config import IDENTITY_SETTINGS, SETTINGS


def test_the_committed_page_is_the_generated_one():
    assert settings_page.PAGE.read_text(encoding="utf-8") == settings_page.render(), (
        "docs/configuration-settings.md is stale: run python3 -m mockxero.cli.settings_page"
    )


def test_check_mode_accepts_the_committed_page_and_refuses_a_stale_one(tmp_path, monkeypatch):
    assert settings_page.main(["--check"]) == 0
    stale = tmp_path / "configuration-settings.md"
    stale.write_text(settings_page.render().replace("`1800`", "`900`"), encoding="utf-8")
    monkeypatch.setattr(settings_page, "PAGE", stale)
    assert settings_page.main(["--check"]) == 1


def test_every_setting_and_every_serve_flag_has_exactly_one_row():
    page = settings_page.render()
    rows = [line for line in page.splitlines() if line.startswith("| `") or line.startswith("| —")]
    for spec in SETTINGS:
        assert sum(f"| `{spec.name}` |" in row for row in rows) == 1, spec.name
    for identity in IDENTITY_SETTINGS:
        assert sum(f"`{identity.env}`" in row for row in rows) == 1, identity.env
    flags = [opt for param in serve.params for opt in param.opts if opt not in ("--help", "-h")]
    for flag in flags:
        assert sum(f"`{flag}" in row for row in rows) == 1, flag
    assert len(rows) == len(SETTINGS) + len(IDENTITY_SETTINGS) + 4  # host, port, config, load
