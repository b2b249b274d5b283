"""Browser tests: the production build served by `reflex run --env prod`, driven by Playwright in
Debian's headless Chromium (Playwright cannot download its own browsers here).

`pickvs_app` builds and starts the real app once per session, on a free port, against a scratch
SQLite database in demo mode; `new_page` opens pages in fresh browser contexts. Run with
`python -m pytest -m browser tests/browser` (scripts/test.sh does), after `scripts/setup.sh --test`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from pickvs import db, migrations

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BUN_BIN = ROOT / ".tools" / "bun" / "node_modules" / ".bin"
# Overridable so two suites (e.g. two engineers) can build side by side without clobbering.
E2E_WEB_DIR = Path(os.environ.get("PICKVS_E2E_WEB_DIR", str(ROOT / ".tools" / "e2e-web")))

# The first start compiles the pages, installs the frontend packages and runs the Vite build.
START_TIMEOUT = float(os.environ.get("PICKVS_E2E_START_TIMEOUT", "900"))
CHROMIUM = os.environ.get("PICKVS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Let the suite-wide per-test timeout cover test bodies only, not the production build.

    The build happens in the session fixture's setup, billed to whichever browser test runs
    first; `pickvs_app` bounds it with its own START_TIMEOUT and reports the server log.
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
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(port: int, data_dir: Path, database_url: str, states_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PICKVS_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            # Empty (not unset) so an operator's .env cannot switch the tests to a live key.
            "ODDS_API_KEY": "",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            # Baked into the build as the backend's address. In prod the backend serves the
            # frontend on the same port; the browser swaps `localhost` for the page's own host.
            "REFLEX_API_URL": f"http://localhost:{port}",
            "REFLEX_DEPLOY_URL": f"http://localhost:{port}",
            # Build in a web dir of its own (kept between runs for its node_modules), and keep
            # session state apart, so a dev server running from this checkout is left alone.
            "REFLEX_WEB_WORKDIR": str(E2E_WEB_DIR),
            "REFLEX_STATES_WORKDIR": str(states_dir),
            "REFLEX_DIR": env.get("REFLEX_DIR", str(ROOT / ".tools" / "reflex")),
            "NPM_CONFIG_REGISTRY": env.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    for name in ("REFLEX_FRONTEND_PORT", "REFLEX_BACKEND_PORT", "REFLEX_ENV_MODE"):
        env.pop(name, None)
    if (BUN_BIN / "bun").exists():
        # bun from npm, installed by scripts/setup.sh; Reflex's own bun download fails offline.
        env["PATH"] = f"{BUN_BIN}{os.pathsep}{env.get('PATH', '')}"
        env["REFLEX_USE_SYSTEM_BUN"] = "1"
    return env


def _answers(url: str, expect: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200 and expect in response.read().decode(errors="replace")
    except (OSError, urllib.error.URLError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Reflex and everything it spawned (server workers, bun): the whole process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # group already gone
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):  # then SIGKILL below
            process.wait(timeout=20)
    # Workers may outlive the parent by a moment; SIGKILL whatever is left of the group.
    with contextlib.suppress(ProcessLookupError):  # group already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _report(config: pytest.Config, line: str) -> None:
    """Print past output capture: the build time is what the CI budget watches."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or reporter is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


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

    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    app = RunningApp(
        url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        data_dir=data_dir,
        log_path=ARTIFACTS / "browser-server.log",
    )
    # Prod serves frontend and backend on one port, and Reflex requires the two to be equal.
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "info",
               "--frontend-port", str(port), "--backend-port", str(port),
               "--backend-host", "127.0.0.1"]  # fmt: skip
    with app.log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_server_env(port, data_dir, database_url, work / "states"),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown reaches every child
        )
    try:
        started = time.monotonic()
        while not (_answers(f"{app.url}/ping", "pong") and _answers(f"{app.url}/", "PickVs")):
            if process.poll() is not None:
                pytest.fail(
                    f"reflex exited with {process.returncode} before serving:\n{app.log_tail()}",
                    pytrace=False,
                )
            if time.monotonic() - started > START_TIMEOUT:
                pytest.fail(
                    f"PickVs did not answer on {app.url} within {START_TIMEOUT:.0f}s "
                    f"(PICKVS_E2E_START_TIMEOUT):\n{app.log_tail()}",
                    pytrace=False,
                )
            time.sleep(1)
        _report(
            pytestconfig,
            f"PickVs built and ready on {app.url} in {time.monotonic() - started:.0f}s",
        )
        yield app
    finally:
        _stop(process)


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
