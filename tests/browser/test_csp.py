"""The production build runs under its Content-Security-Policy with no violation.

A listener for `securitypolicyviolation`, registered before any page script runs
(`add_init_script`), reports every violation to the test; Chromium's console lines about the
policy are collected too. The walk covers every page a player and an admin use, with the event
socket doing real work (sign-up, a pick, the admin's job run), and each page's response must
carry the security headers. A first step proves the listener hears a violation, so an empty list
means none happened, not that nobody was listening.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect
from sqlmodel import Session

from pickvs import db
from pickvs.models import utcnow
from pickvs.services import admin
from tests.browser.conftest import VIEWPORTS, RunningApp
from tests.services.builders import make_game

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation({
    page: location.pathname,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
});
"""


class Watcher:
    """Every CSP violation and policy-related console error, from any page of one context."""

    def __init__(self) -> None:
        self.violations: list[dict[str, Any]] = []
        self.console: list[str] = []

    def on_violation(self, violation: dict[str, Any]) -> None:
        self.violations.append(violation)

    def on_console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)


@pytest.fixture
def watched(browser: Browser, pickvs_app: RunningApp) -> Any:
    contexts = []

    def open_page() -> tuple[Page, Watcher]:
        watcher = Watcher()
        context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=pickvs_app.url)
        contexts.append(context)
        context.expose_function("reportViolation", watcher.on_violation)
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.on("console", watcher.on_console)
        return page, watcher

    yield open_page
    for context in contexts:
        context.close()


def assert_security_headers(response: Response | None) -> None:
    assert response is not None
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, policy
    assert "script-src 'self' 'unsafe-eval' 'sha256-" in policy, policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], policy
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin"


def visit(page: Page, path: str, heading: str | re.Pattern[str]) -> None:
    assert_security_headers(page.goto(path))
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def settle(page: Page) -> None:
    """Let late work (fonts, the socket's updates, effects) finish before reading the lists."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def test_the_listener_hears_a_violation(watched: Callable[[], tuple[Page, Watcher]]) -> None:
    page, watcher = watched()
    visit(page, "/login", "Log in")
    # An inline script the policy has no hash for: blocked, and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.injected") is None
    assert [v["directive"] for v in watcher.violations] == ["script-src-elem"]


def test_every_page_runs_under_the_policy_without_a_violation(
    pickvs_app: RunningApp,
    watched: Callable[[], tuple[Page, Watcher]],
    new_page: Callable[..., Page],
) -> None:
    page, watcher = watched()
    name = f"csp{uuid.uuid4().hex[:8]}"

    visit(page, "/login", "Log in")
    settle(page)
    visit(page, "/signup", "Create your account")
    page.get_by_label("Email").fill(f"{name}@example.com")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))  # the event socket answered: signed up
    expect(page.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()

    # A pick: the socket carries an event and the page redraws.
    # The first open game's button: today's games that already tipped (the demo league's, in a
    # run during the evening) stay on the slate as locked cards, their buttons disabled.
    page.get_by_role("button", name=re.compile(r"^Pick "), disabled=False).first.click()
    expect(page.get_by_role("status").filter(has_text="Picked").first).to_be_visible()
    settle(page)

    visit(page, "/", "Today's slate")
    settle(page)
    visit(page, "/picks", "My picks")
    settle(page)
    visit(page, "/leaderboard", "Leaderboard")
    settle(page)
    visit(page, f"/u/{name}", name)
    settle(page)
    # Dark mode: the colour-mode script and the theme's styles run again.
    page.get_by_role("button", name="Switch between light and dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    settle(page)

    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine) as session:
            admin.make_admin(session, name)  # what `pickvs make-admin` does
            # A game that tipped three hours ago and waits for its score: Settle is offered.
            make_game(session, f"csp-{name}", utcnow() - timedelta(hours=3))
            session.commit()
    finally:
        engine.dispose()
    visit(page, "/admin", "Admin")
    page.get_by_role("button", name="Grade now").click()
    expect(page.locator("#job-status")).to_contain_text("grade: ok.")
    # A refused score: the server focuses the field with rx.call_script, which Reflex runs
    # through eval() (hence 'unsafe-eval').
    page.get_by_role("button", name=re.compile(r"^Settle ")).first.click()
    dialog = page.get_by_role("dialog")
    home = dialog.get_by_label(re.compile("^Home score"))
    home.fill("-3")
    dialog.get_by_label(re.compile("^Away score")).fill("100")
    dialog.get_by_role("button", name="Settle game").click()
    expect(dialog.locator("#home_score-error")).not_to_be_empty()
    expect(home).to_be_focused()
    page.keyboard.press("Escape")
    settle(page)
    visit(page, "/no/such/page", "Not found")
    settle(page)

    assert watcher.violations == []
    assert watcher.console == []


def test_json_answers_carry_the_strict_policy(new_page: Callable[..., Page]) -> None:
    response = new_page().request.get("/health")
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers  # plain http here


def test_another_origin_gets_no_cors_on_the_api_or_the_socket(
    pickvs_app: RunningApp, new_page: Callable[..., Page]
) -> None:
    request = new_page().request
    evil = {"Origin": "https://evil.example"}
    board = request.get("/api/leaderboard", headers=evil)
    assert board.status == 200
    assert "access-control-allow-origin" not in board.headers
    # The event socket's handshake: browsers apply no CORS to WebSockets, so the server must
    # refuse another site itself (Socket.IO checks Origin before anything else).
    socket = "/_event/?EIO=4&transport=websocket"
    refused = request.get(socket, headers=evil)
    assert refused.status == 400
    assert "https://evil.example is not an accepted origin" in refused.text()
    own = request.get(socket, headers={"Origin": pickvs_app.url})
    assert "not an accepted origin" not in own.text()
