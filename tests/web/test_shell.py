"""Health check, API documentation from vendored assets, static files, the serve command."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kaitiaki.cli import app as cli_app
from kaitiaki.db import make_engine
from kaitiaki.web.templating import HTMX_PATH

UNREACHABLE_DATABASE = "postgresql+psycopg://kaitiaki:hunter2@127.0.0.1:1/kaitiaki"


def test_healthz_reports_a_working_database(client: TestClient):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(app: FastAPI, client: TestClient):
    working = app.state.engine
    app.state.engine = make_engine(UNREACHABLE_DATABASE)
    try:
        response = client.get("/healthz")
    finally:
        app.state.engine.dispose()
        app.state.engine = working
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "hunter2" not in response.text and "127.0.0.1" not in response.text


def test_api_docs_load_only_local_assets(client: TestClient):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in assets
    assert not [asset for asset in assets if "//" in asset], assets  # nothing from another host
    assert "<script>" not in page.text
    for asset in assets:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Kaitiaki"


def test_htmx_is_vendored_with_its_version(client: TestClient):
    assert re.search(r"htmx-\d+\.\d+\.\d+\.min\.js$", HTMX_PATH)
    response = client.get(HTMX_PATH)
    assert response.status_code == 200
    assert "htmx" in response.text[:200]
    assert 'src="%s"' % HTMX_PATH in client.get("/login").text


def test_serve_refuses_an_unreachable_database_in_one_line(monkeypatch):
    monkeypatch.setenv("KAITIAKI_DATABASE_URL", UNREACHABLE_DATABASE)
    result = CliRunner().invoke(cli_app, ["serve", "--port", "8765"])
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert "127.0.0.1:1" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_refuses_an_unmigrated_database(monkeypatch, tmp_path):
    monkeypatch.setenv("KAITIAKI_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("KAITIAKI_VAR_DIR", str(tmp_path))
    result = CliRunner().invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert "kaitiaki db upgrade" in result.output
