"""Start-up refuses a production set-up that would expose people, and warns about a development
set-up that other machines can reach."""

from __future__ import annotations

import logging

import pytest

from kaitiaki.app import create_app
from kaitiaki.config import Settings, SettingsError
from kaitiaki.web.production import development_warnings, production_refusals

RANDOM_KEY = "Zq3v9Xr2Lk8Pw5Nb7Tc1Hy4Ud6Fg0Sj2Ma9Qe5Vx"


def _production(**overrides) -> Settings:
    values = {"env": "production", "base_url": "https://social.example.govt.nz",
              "secret_key": RANDOM_KEY, "database_url": "sqlite://"}
    return Settings(**{**values, **overrides})


def test_a_sound_production_set_up_starts_with_secure_cookies_and_hsts():
    assert production_refusals(_production()) == []
    app = create_app(_production())
    assert app is not None


def test_production_over_plain_http_is_refused():
    with pytest.raises(SettingsError, match="KAITIAKI_BASE_URL .* must be the public https://"):
        create_app(_production(base_url="http://social.example.govt.nz"))


@pytest.mark.parametrize("key", ["change-me-change-me-change-me-change-me",
                                 "a" * 40, "my-secret-key-for-kaitiaki-production-use"])
def test_production_with_a_placeholder_secret_key_is_refused(key: str):
    with pytest.raises(SettingsError, match="KAITIAKI_SECRET_KEY looks like a placeholder"):
        create_app(_production(secret_key=key))


def test_every_problem_is_named_at_once():
    problems = production_refusals(_production(base_url="http://x.example", secret_key="x" * 40))
    assert len(problems) == 2


def test_development_reachable_from_other_machines_is_warned_about_loudly(caplog, tmp_path):
    exposed = Settings(env="development", host="0.0.0.0", database_url="sqlite://",
                       var_dir=tmp_path)
    assert development_warnings(exposed)
    with caplog.at_level(logging.WARNING, logger="kaitiaki.web.production"):
        create_app(exposed)
    assert "UNSAFE SET-UP" in caplog.text and "0.0.0.0" in caplog.text


def test_development_on_this_machine_is_quiet(tmp_path):
    assert development_warnings(Settings(env="development", host="127.0.0.1", database_url="sqlite://",
                                         var_dir=tmp_path)) == []
