from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticUndefined

from kaitiaki.config import Settings, SettingsError, get_settings, mask_url

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def _settings(**values) -> Settings:
    return Settings(**values)


def test_defaults(monkeypatch):
    for name in list(os.environ):
        if name.startswith("KAITIAKI_"):
            monkeypatch.delenv(name)
    settings = get_settings()
    assert settings.env == "development"
    assert settings.database_url == "sqlite:///./var/kaitiaki.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.policy_pack == "dpmc"
    assert settings.timezone == "Pacific/Auckland"
    assert settings.smtp_host is None
    assert settings.password_min_length == 12
    assert (settings.password_hash_time_cost, settings.password_hash_memory_kib,
            settings.password_hash_parallelism) == (3, 65536, 4)
    assert settings.resolved_cache_dir == Path("var") / "cache"


def test_settings_come_from_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("KAITIAKI_PORT", "9123")
    monkeypatch.setenv("KAITIAKI_SMTP_STARTTLS", "true")
    monkeypatch.setenv("KAITIAKI_DATABASE_URL", "postgresql+psycopg://k:pw@db:5432/k")
    monkeypatch.setenv("PORT", "1")
    settings = get_settings()
    assert settings.port == 9123
    assert settings.smtp_starttls is True
    assert settings.database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"port": 70000}, "port"),
        ({"env": "staging"}, "env"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"database_url": "not a url"}, "database_url"),
        ({"password_min_length": 4}, "password_min_length"),
    ],
)
def test_bad_values_are_refused(values, field):
    with pytest.raises(ValidationError) as caught:
        _settings(**values)
    assert caught.value.errors()[0]["loc"] == (field,)


def test_every_setting_has_a_default_and_help_text():
    for name, field in Settings.model_fields.items():
        assert field.default is not PydanticUndefined, name
        assert field.description and len(field.description) > 10, name


def test_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in text, f"docs/configuration.md does not list {name}"
        variable = f"KAITIAKI_{name.upper()}"
        assert f"`{variable}`" in text, f"docs/configuration.md does not list {variable}"


def test_development_secret_key_is_generated_once_and_private(tmp_path):
    settings = _settings(env="development", var_dir=tmp_path / "var")
    key = settings.resolved_secret_key()
    path = tmp_path / "var" / "secret_key"
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _settings(env="development", var_dir=tmp_path / "var").resolved_secret_key() == key


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(SettingsError, match="KAITIAKI_SECRET_KEY is required"):
        _settings(env="production", var_dir=tmp_path).resolved_secret_key()
    assert not (tmp_path / "secret_key").exists()
    key = "k" * 40
    assert _settings(env="production", secret_key=key).resolved_secret_key() == key


def test_short_secret_key_is_refused():
    with pytest.raises(SettingsError, match="at least 32"):
        _settings(secret_key="too-short").resolved_secret_key()


def test_secrets_do_not_appear_in_repr():
    settings = _settings(secret_key="s" * 40, smtp_password="smtp-secret")
    assert "s" * 40 not in repr(settings)
    assert "smtp-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://kaitiaki:p%40ss@db.example:5432/k",
         "postgresql+psycopg://kaitiaki:***@db.example:5432/k"),
        ("postgresql+psycopg://kaitiaki@db/k", "postgresql+psycopg://kaitiaki@db/k"),
        ("sqlite:///./var/kaitiaki.db", "sqlite:///./var/kaitiaki.db"),
        ("nonsense://user:secret@host", "nonsense://user:***@host"),
    ],
)
def test_database_url_password_is_masked(url, masked):
    assert mask_url(url) == masked
    if url.startswith("postgresql"):
        assert _settings(database_url=url).masked_database_url() == masked


def test_zone():
    assert str(_settings().zone) == "Pacific/Auckland"
