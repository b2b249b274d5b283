"""Accounts in a real browser: sign up, stay logged in across reloads and tabs, log out, the
guard's round trip through /login, form errors beside their field, and the navbar's layout.

Log-in throttling counts failures per client address too, and every test here comes from
127.0.0.1: the whole browser session must stay under 5 wrong passwords in 15 minutes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from pickvs import db
from pickvs.services import admin
from tests.browser.conftest import PASSWORD, SCREENSHOTS, RunningApp, register

pytestmark = pytest.mark.browser


def new_name() -> str:
    return f"p{uuid.uuid4().hex[:10]}"


def expect_logged_in(page: Page, username: str) -> None:
    expect(page.locator("#nav-username")).to_have_text(username)
    # Named by the player's name: no other control's label leaks onto the link.
    profile = page.locator("#navbar").get_by_role("link", name=username, exact=True)
    expect(profile).to_have_attribute("id", "nav-username")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def expect_logged_out(page: Page) -> None:
    expect(page.locator("#navbar").get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.locator("#nav-username")).to_have_count(0)


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username or email").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_sign_up_then_reload_second_tab_and_log_out(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page()
    username = new_name()
    page.goto("/signup")

    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect_logged_in(page, username)
    expect(page.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()
    expect(page.locator("#nav-username")).to_have_attribute("href", f"/u/{username}")
    expect(page.get_by_role("link", name="Slate")).to_have_attribute("aria-current", "page")
    screenshot(page, "slate-desktop")

    page.reload()  # the token lives in localStorage
    expect_logged_in(page, username)

    other_tab = page.context.new_page()
    other_tab.goto("/")
    expect_logged_in(other_tab, username)
    expect(other_tab.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect_logged_out(page)
    expect_logged_out(other_tab)  # the log-out reaches the other tab through localStorage


def test_the_guard_sends_visitors_to_log_in_and_back(new_page: Callable[..., Page]) -> None:
    page = new_page()
    username = new_name()
    register(page, username)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page.get_by_role("link", name="Create an account")).to_have_attribute(
        "href", "/signup?next=/"
    )

    log_in(page, username.upper())  # usernames match in any case
    expect(page).to_have_url(re.compile(r"/$"))
    expect_logged_in(page, username)


def test_a_wrong_password_is_shown_beside_the_password_field(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page()
    username = new_name()
    register(page, username)
    page.goto("/login")

    log_in(page, username, "not the password")

    error = page.locator("#password-error")
    expect(error).to_have_text("Wrong username/email or password.")
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", "password-error")
    expect(password).to_have_accessible_description("Wrong username/email or password.")
    expect(password).to_be_focused()
    expect(password).to_have_value("")
    expect(page.locator("#login-error")).to_have_text("")
    expect(page).to_have_url(re.compile(r"/login/?$"))  # a direct load gains a slash
    screenshot(page, "login-wrong-password-desktop")

    # The right password, typed and submitted from the keyboard alone.
    password.type(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect_logged_in(page, username)


def test_a_taken_username_is_shown_beside_the_username_field(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page("phone")
    username = new_name()
    register(page, username)
    page.goto("/signup")

    page.get_by_label("Email").fill(f"other-{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()

    expect(page.locator("#username-error")).to_have_text("That username is taken.")
    field = page.get_by_label("Username")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect_logged_out(page)
    screenshot(page, "signup-taken-username-phone")


def test_admin_pages_are_not_found_for_players(
    new_page: Callable[..., Page], pickvs_app: RunningApp, screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page()
    username = new_name()
    register(page, username)

    page.goto("/admin")
    expect(page).to_have_url(re.compile(r"/login\?next=/admin/?$"))
    log_in(page, username)
    expect(page).to_have_url(re.compile(r"/404$"))
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    screenshot(page, "not-found-desktop")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin")
    ).to_have_count(0)

    engine = db.make_engine(pickvs_app.database_url)  # what `pickvs make-admin` does
    try:
        with Session(engine) as session:
            admin.make_admin(session, username)
            session.commit()
    finally:
        engine.dispose()

    page.goto("/admin")  # the guard re-verifies: no need to log in again
    expect(page.locator("#admin-jobs")).to_be_visible()
    admin_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin")
    expect(admin_link).to_have_attribute("aria-current", "page")


def test_keyboard_reaches_skip_link_first_and_toggles_dark_mode(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page()
    page.goto("/login")
    expect(page.get_by_label("Username or email")).to_be_visible()

    page.keyboard.press("Tab")
    expect(page.locator("#skip-link")).to_be_focused()

    toggle = page.get_by_role("button", name="Switch between light and dark mode")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    screenshot(page, "login-desktop-dark")
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bdark\b"))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_screenshots_and_the_narrow_layout(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path], viewport: str
) -> None:
    page = new_page(viewport)
    width = page.viewport_size["width"] if page.viewport_size else 0
    for path, name in (("/login", "login"), ("/signup", "signup")):
        page.goto(path)
        expect_logged_out(page)  # hydrated: the account controls show once the backend answered
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"{name}-{viewport}")

    username = "n" + uuid.uuid4().hex[:19]  # the longest username the rules allow
    register(page, username)
    page.goto("/login")
    log_in(page, username)
    expect_logged_in(page, username)

    # Everything in the navbar is on screen and nothing scrolls sideways, even at 375 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    nav = page.locator("#navbar")
    for control in (
        nav.get_by_role("link", name="PickVs"),
        nav.get_by_role("link", name="Slate"),
        nav.get_by_role("link", name="My picks"),
        nav.get_by_role("link", name="Leagues"),
        nav.get_by_role("link", name="Leaderboard"),
        nav.locator("#nav-username"),
        nav.get_by_role("button", name="Log out"),
        nav.get_by_role("button", name="Switch between light and dark mode"),
    ):
        expect(control).to_be_in_viewport()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    nav.screenshot(path=SCREENSHOTS / f"navbar-{viewport}.png")
    screenshot(page, f"slate-logged-in-{viewport}")
