"""Browser tests: the production build served by `reflex run --env prod`, driven by Playwright in
Debian's headless Chromium (Playwright cannot download its own browsers here). Starting and
stopping the server, and Chromium's flags, are shared with the benchmarks (bench/app.py).

`pickvs_app` builds and starts the real app once per session, on a free port, against a scratch
SQLite database in demo mode; `new_page` opens pages in fresh browser contexts. Run with
`python -m pytest -m browser tests/browser` (scripts/test.sh does), after `scripts/setup.sh --test`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from bench import app as served
from bench.app import BUN_BIN, CHROMIUM, CHROMIUM_ARGS, ROOT
from pickvs import db, migrations
from tests.reporting import report_line

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# Overridable so two suites (e.g. two engineers) can build side by side without clobbering.
E2E_WEB_DIR = Path(os.environ.get("PICKVS_E2E_WEB_DIR", str(ROOT / ".tools" / "e2e-web")))

# The suite's boards are hand-worked from a few picks a player: ranked from the first graded
# pick (the default, 10, is covered by the state and service tests). Tests that ask the services
# for a rank pass the same minimum.
MIN_RANKED_PICKS = 1

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Let the suite-wide per-test timeout cover test bodies only, not the production build.

    The build happens in the session fixture's setup, billed to whichever browser test runs
    first; `pickvs_app` bounds it with bench.app's START_TIMEOUT and reports the server log.
    """
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(func_only=True))


@dataclass(frozen=True)
class RunningApp:
    url: str
    database_url: str
    data_dir: Path
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        return served.log_tail(self.log_path, lines)


@pytest.fixture(scope="session")
def pickvs_app(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[RunningApp]:
    """The production build, served by `reflex run --env prod` on a free port."""
    if not (BUN_BIN / "bun").exists() and shutil.which("bun") is None:
        pytest.fail("bun is missing: run scripts/setup.sh --test first", pytrace=False)

    work = tmp_path_factory.mktemp("pickvs-app")
    data_dir = work / "data"
    data_dir.mkdir()
    database_url = f"sqlite:///{data_dir / 'pickvs.db'}"
    engine = db.make_engine(database_url)
    migrations.upgrade(engine)
    engine.dispose()

    port = served.free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    app = RunningApp(
        url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        data_dir=data_dir,
        log_path=ARTIFACTS / "browser-server.log",
    )
    env = served.server_env(
        port, E2E_WEB_DIR, work / "states", data_dir=data_dir, database_url=database_url
    )
    env["PICKVS_MIN_RANKED_PICKS"] = str(MIN_RANKED_PICKS)
    try:
        server = served.start(ROOT, port, env, app.log_path, expect="PickVs")
    except served.StartFailed as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        report_line(
            pytestconfig, f"PickVs built and ready on {app.url} in {server.ready_after:.0f}s"
        )
        yield app
    finally:
        served.stop(server.process)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser, pickvs_app: RunningApp) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (own cookies and storage) with the app as base URL."""
    contexts = []

    def open_page(viewport: str = "desktop") -> Page:
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=pickvs_app.url)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under test-artifacts/screenshots/ (kept by CI)."""

    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # A full-page capture draws the sticky navbar where the window is scrolled to, so start
        # from the top (clicks scroll their target into view) and let the page settle.
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(150)
        page.screenshot(path=path, full_page=True)
        return path

    return take


PASSWORD = "correct horse battery"


def register(page: Page, username: str, password: str = PASSWORD) -> str:
    """A player made through the JSON API (quicker than the form, and not under test where it
    is used); returns the token."""
    response = page.request.post(
        "/auth/register",
        data={"email": f"{username}@example.com", "username": username, "password": password},
    )
    assert response.status == 201, response.text()
    return str(response.json()["token"])
