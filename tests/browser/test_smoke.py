"""Smoke: the production build serves the home page, reaches its backend, and mounts the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_home_page_shows_app_and_demo_banner(
    new_page: Callable[..., Page],
    screenshot: Callable[[Page, str], Path],
    viewport: str,
) -> None:
    page = new_page(viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    def console_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    page.on("console", console_error)

    # The page hydrates over Reflex's event socket: a frame coming back proves the browser
    # found the backend at the URL baked into the build.
    with page.expect_websocket() as socket_info:
        page.goto("/")
    socket_info.value.wait_for_event("framereceived")

    expect(page).to_have_title("PickVs")
    expect(page.get_by_role("heading", name="PickVs", level=1)).to_be_visible()
    expect(page.locator("#demo-banner")).to_contain_text("Demo league")
    assert errors == []

    screenshot(page, f"home-{viewport}")


def test_json_api_is_served_beside_the_pages(new_page: Callable[..., Page]) -> None:
    response = new_page().request.get("/health")

    assert response.status == 200
    assert "database" in response.json()
