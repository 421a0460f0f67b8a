"""A real OpenID Connect provider for the sign-in tests: oidc-provider from npm (package.json at the
repository root), started by tools/oidc-provider/start.mjs on a free loopback port.

The provider reads its users from a JSON file at every sign-in, so a test can disable an account
while it runs. Without node (or `npm ci`) the tests that need it skip, unless CI is set, where
they fail instead.
"""

from __future__ import annotations

import html.parser
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.fixtures.servers import free_port, needed

REPO_ROOT = Path(__file__).resolve().parents[1]
START_SCRIPT = REPO_ROOT / "tools" / "oidc-provider" / "start.mjs"
PROVIDER_PACKAGE = REPO_ROOT / "node_modules" / "oidc-provider" / "package.json"
START_SECONDS = 30
CLIENT_ID = "kaitiaki"
CLIENT_SECRET = "kaitiaki-test-secret"
LOG_VARIABLE = "OIDC_PROVIDER_LOG"  # set it to see the provider's own log (stderr)

ADVISOR = {
    "sub": "u-advisor",
    "username": "advisor",
    "password": "advisor-pass",
    "email": "Advisor@Agency.example.govt.nz",
    "name": "Aroha Advisor",
    "groups": ["kaitiaki-comms"],
}
OUTSIDER = {
    "sub": "u-outsider",
    "username": "outsider",
    "password": "outsider-pass",
    "email": "someone@elsewhere.example.com",
    "name": "Someone Elsewhere",
    "groups": [],
}


@dataclass
class Provider:
    issuer: str
    users_file: Path

    def set_users(self, users: list[dict]) -> None:
        self.users_file.write_text(json.dumps(users), encoding="utf-8")

    def disable(self, username: str) -> None:
        users = json.loads(self.users_file.read_text(encoding="utf-8"))
        for user in users:
            if user["username"] == username:
                user["disabled"] = True
        self.set_users(users)


@contextmanager
def running_provider(folder: Path, redirect_uris: list[str]) -> Iterator[Provider]:
    """The provider, ready (its discovery document answers); stopped afterwards."""
    node = shutil.which("node")
    if node is None:
        needed("node is not installed: the sign-in tests need it (apt-get install nodejs npm)",
               "the sign-in tests against a real provider")
    if not PROVIDER_PACKAGE.exists():
        needed(f"oidc-provider is not installed at {PROVIDER_PACKAGE.parent}: run `npm ci`",
               "the sign-in tests against a real provider")
    port = free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{port}", users_file=folder / "oidc-users.json")
    provider.set_users([ADVISOR, OUTSIDER])
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_USERS_FILE": str(provider.users_file),
    }
    process = subprocess.Popen(
        [node, str(START_SCRIPT)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get(LOG_VARIABLE) else subprocess.DEVNULL,
        text=True,
    )
    try:
        _wait_until_ready(process, provider.issuer)
        yield provider
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen, issuer: str) -> None:
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, name="oidc-provider-stdout", daemon=True).start()
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"the OpenID provider did not start in {START_SECONDS} s") from None
        if line is None:
            raise RuntimeError(
                f"the OpenID provider exited with {process.wait()} before it was ready"
            )
        if line.startswith("OIDC_READY "):
            break
    response = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()


class _Forms(html.parser.HTMLParser):
    """Each <form action> on a page with its <input name=value> pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["fields"][values["name"]] = values.get("value") or ""


class ProviderRefused(Exception):
    """The provider answered the login form with an error page."""


def through_provider(
    browser: httpx.Client, url: str, *, stop_at: str, username: str, password: str
) -> str:
    """Follow the provider's pages as a person would (log in, allow) until the browser is sent to
    `stop_at`; that URL. `browser` keeps the provider's cookies."""
    for _ in range(20):
        if url.startswith(stop_at):
            return url
        response = browser.get(url)
        if response.is_redirect:
            url = urljoin(str(response.url), response.headers["location"])
            continue
        response.raise_for_status()
        parser = _Forms()
        parser.feed(response.text)
        if "password" in parser.forms[0]["fields"]:
            form = parser.forms[0]
            data = {**form["fields"], "username": username, "password": password}
        else:
            form = next(form for form in parser.forms if form["action"].endswith("/confirm"))
            data = form["fields"]
        posted = browser.post(urljoin(str(response.url), form["action"]), data=data)
        if not posted.is_redirect:
            raise ProviderRefused(f"{posted.status_code}: {posted.text}")
        url = urljoin(str(posted.url), posted.headers["location"])
    raise RuntimeError("the provider kept redirecting")


__all__ = [
    "ADVISOR",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "OUTSIDER",
    "Provider",
    "ProviderRefused",
    "running_provider",
    "through_provider",
]
