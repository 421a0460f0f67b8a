"""Browser tests: Playwright driving the system Chromium against a live server, with axe-core.

Chromium is the Debian package (/usr/bin/chromium), never a Playwright download. Without it the
tests skip with the reason, unless CI is set, where they fail instead. axe-core comes from
node_modules (package.json at the repository root; `make test` and .ci/run install it).

Every page a test visits must pass the accessibility check (no serious or critical axe violations)
and must not break the Content-Security-Policy; the `page` fixture enforces both at teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from kaitiaki.db import make_engine, migrate, session_scope
from kaitiaki.demo import load_demo
from tests.fixtures.servers import needed, serving

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
BROWSER_SECRET_KEY = "browser-test-secret-key-0123456789-abcdefgh"



@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Kaitiaki on a free loopback port, on its own SQLite database holding the demo data."""
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{folder / 'browser.db'}",
        var_dir=folder,
        secret_key=BROWSER_SECRET_KEY,
    )
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            load_demo(session)
    finally:
        engine.dispose()
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        needed(f"axe-core is not installed at {AXE_SCRIPT}: run `npm ci` (make test does)",
               "the browser tests")
    return AXE_SCRIPT.read_text(encoding="utf-8")


# Package scope: Playwright's synchronous API keeps an event loop running in this thread while it
# is open, so it must be closed before tests outside tests/browser (which run event loops of their
# own, e.g. with asyncio.run) are run by the same worker.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        needed(f"No Chromium at {CHROMIUM}: install the Debian package with `apt-get install chromium`",
               "the browser tests")
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        yield browser
        browser.close()


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


@dataclass
class PageWatch:
    """What a test's page did: pages it reached, pages it checked, policy violations it logged."""

    axe_source: str
    navigated: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    csp_violations: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def check(self, page: Page, *, exempt_rules: dict[str, str] | None = None) -> None:
        """Run axe-core on the page as it is now; fail on serious or critical violations.

        `exempt_rules` maps an axe rule id to the reason it cannot be met on this page (only for
        third-party markup we do not control); every other rule still applies.
        """
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not govern.
            page.evaluate(self.axe_source)
        disabled = {rule: {"enabled": False} for rule in exempt_rules or {}}
        results = page.evaluate(
            "async ([tags, rules]) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, rules: rules, resultTypes: ['violations']})",
            [AXE_TAGS, disabled],
        )
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} – "
            + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            for violation in results["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"Accessibility violations on {page.url}:\n" + "\n".join(blocking)
        self.checked.add(_without_fragment(page.url))


@pytest.fixture
def watch(axe_source: str) -> PageWatch:
    return PageWatch(axe_source=axe_source)


@pytest.fixture
def page(browser: Browser, live_server: str, watch: PageWatch) -> Iterator[Page]:
    with watched_page(browser, live_server, watch) as page:
        yield page


@contextmanager
def watched_page(browser: Browser, base_url: str, watch: PageWatch) -> Iterator[Page]:
    """A page in a fresh browser context; at the end, every page it reached must have had its
    accessibility check and no Content-Security-Policy violation may have been logged."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("framenavigated", lambda frame: frame == page.main_frame and watch.navigated.append(frame.url))
    yield page
    context.close()
    unchecked = [
        url for url in watch.navigated
        if _without_fragment(url) not in watch.checked and url != "about:blank"
    ]
    assert not unchecked, f"Pages visited without an accessibility check: {unchecked}"
    assert not watch.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(watch.csp_violations)
