"""Smoke: the production build serves the pages, reaches its backend, and mounts the API."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_visitor_lands_on_log_in_with_the_navbar_and_demo_banner(
    new_page: Callable[..., Page], viewport: str
) -> None:
    page = new_page(viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    def console_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    page.on("console", console_error)

    # The page hydrates over Reflex's event socket: a frame coming back proves the browser
    # found the backend at the URL baked into the build; the slate's guard then redirects.
    with page.expect_websocket() as socket_info:
        page.goto("/")
    socket_info.value.wait_for_event("framereceived")

    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page).to_have_title("Log in · PickVs")
    expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Slate", "My picks", "Leagues", "Leaderboard"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.locator("#demo-banner")).to_contain_text("Demo league")
    assert errors == []


def test_unknown_addresses_show_not_found(new_page: Callable[..., Page]) -> None:
    page = new_page()
    page.goto("/no/such/page")

    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Back to the slate")).to_be_visible()


def test_json_api_is_served_beside_the_pages(new_page: Callable[..., Page]) -> None:
    response = new_page().request.get("/health")

    assert response.status == 200
    assert "database" in response.json()
