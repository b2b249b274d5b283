"""A new player's first hour in a real browser: the account forms' messages, the log-in form's
width, and My picks on a 375 px phone.

Log-in throttling counts failures per client address too, and every browser test comes from
127.0.0.1: nothing here submits a wrong password.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from pickvs import db
from pickvs.services import admin
from tests.browser.conftest import PASSWORD, RunningApp, register
from tests.services.builders import Book, make_game

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375
# Every field a pick shows, by the class pickvs/pages/picks.py gives it.
PICK_FIELDS = (
    "matchup",
    "when",
    "selection",
    "market",
    "line",
    "book",
    "result",
    "units",
    "running",
)


def new_name() -> str:
    return f"f{uuid.uuid4().hex[:10]}"


def hydrated_after_reload(page: Page) -> None:
    """Reload and give the socket time to bring the tab's state back (where a stale message
    would come from)."""
    page.reload()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)


# --- the account forms -----------------------------------------------------------------------


def test_a_signup_message_goes_on_reload_and_gives_way_to_the_next_problem(
    new_page: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page("phone")
    taken = new_name()
    register(page, taken)
    page.goto("/signup")
    username_error, email_error = page.locator("#username-error"), page.locator("#email-error")
    password_error = page.locator("#password-error")

    page.get_by_label("Email").fill(f"other-{taken}@example.com")
    page.get_by_label("Username").fill(taken)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(username_error).to_have_text("That username is taken.")

    # A reload starts clean: the tab's state kept the message, the page's on_load drops it.
    hydrated_after_reload(page)
    for error in (email_error, username_error, password_error):
        expect(error).to_have_text("")
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "false")

    # The same problem again, then a different one: the first message goes, the second shows
    # beside its own field only (a blank email is answered the same way, not by a bubble).
    page.get_by_label("Email").fill(f"other-{taken}@example.com")
    page.get_by_label("Username").fill(taken)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(username_error).to_have_text("That username is taken.")

    page.get_by_label("Email").fill("")
    page.get_by_label("Username").fill(new_name())
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(email_error).to_have_text("Enter your email address.")
    expect(page.get_by_label("Email")).to_be_focused()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect(username_error).to_have_text("")
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "false")
    expect(password_error).to_have_text("")
    screenshot(page, "signup-blank-email-phone")


def test_a_log_in_message_goes_on_reload(new_page: Callable[..., Page]) -> None:
    page = new_page()
    page.goto("/login")
    page.get_by_label("Username or email").fill(new_name())
    page.get_by_role("button", name="Log in", exact=True).click()  # no password: not a guess
    expect(page.locator("#password-error")).to_have_text("Enter your password.")

    hydrated_after_reload(page)
    expect(page.locator("#password-error")).to_have_text("")
    expect(page.locator("#login-error")).to_have_text("")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_log_in_fields_are_as_wide_as_the_sign_up_fields(
    new_page: Callable[..., Page], viewport: str, screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page(viewport)

    page.goto("/signup")
    signup = page.locator("#email").bounding_box()
    page.goto("/login")
    expect(page.get_by_label("Username or email")).to_be_visible()
    login = page.locator("#login").bounding_box()
    password = page.locator("#password").bounding_box()
    button = page.get_by_role("button", name="Log in", exact=True).bounding_box()
    screenshot(page, f"login-{viewport}")

    assert signup and login and password and button
    # The inputs fill the card's column exactly as sign-up's do, as wide as the full-width
    # button under them.
    assert abs(login["width"] - signup["width"]) <= 1, (login, signup)
    assert abs(password["width"] - login["width"]) <= 1
    # (The input sits inside Radix's 1 px frame: 2 px narrower than the button.)
    assert abs(login["width"] - button["width"]) <= 4, (login, button)
    assert (login["x"], password["x"]) == (signup["x"], signup["x"])


# --- My picks on a phone ---------------------------------------------------------------------


def seed_game(pickvs_app: RunningApp, game_id: str, tip: datetime, home: str, away: str) -> None:
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            make_game(session, game_id, tip, Book("draftkings"), home=home, away=away)
            session.commit()
    finally:
        engine.dispose()


def settle(pickvs_app: RunningApp, game_id: str, home: int, away: int, after: datetime) -> None:
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            admin.settle(session, game_id, home, away, "test", after)
            session.commit()
    finally:
        engine.dispose()


def visible_field(row: Locator, field: str) -> Locator:
    """The one copy of a pick's field shown at this width (the table keeps one per layout)."""
    shown = row.locator(f".pick-{field}:visible")
    expect(shown).to_have_count(1)
    return shown


def test_my_picks_shows_every_field_of_a_pick_on_a_phone(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    screenshot: Callable[[Page, str], Path],
) -> None:
    tag = uuid.uuid4().hex[:6]
    now = datetime.now(UTC)
    graded, pending = f"fh-{tag}-g", f"fh-{tag}-p"
    seed_game(
        pickvs_app, graded, now + timedelta(hours=1), "Golden State Warriors", "Los Angeles Lakers"
    )
    seed_game(pickvs_app, pending, now + timedelta(hours=2), "Charlotte Hornets", "Detroit Pistons")

    page = new_page("phone")
    username = new_name()
    token = register(page, username)
    response = page.request.post(
        "/api/picks",
        headers={"Authorization": f"Bearer {token}"},
        data=[
            {"game_id": graded, "market": "spreads", "selection": "Los Angeles Lakers"},
            {"game_id": pending, "market": "totals", "selection": "Over"},
        ],
    )
    assert response.status == 201, response.text()
    settle(pickvs_app, graded, 101, 110, now + timedelta(hours=4))  # Lakers +4.5 cover

    page.goto("/login?next=/picks")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="My picks", level=1)).to_be_visible()
    rows = page.locator("#my-picks-table tbody tr")
    expect(rows).to_have_count(2)

    expected = {
        graded: {
            "matchup": re.compile(r"Los Angeles Lakers .* Golden State Warriors"),
            "selection": "Los Angeles Lakers",
            "market": "Spread",
            "line": "+4.5 -110",
            "book": "DraftKings",
            "result": "Win",
            "units": "+0.91u",
            "running": "+0.91u",
        },
        pending: {
            "matchup": re.compile(r"Detroit Pistons .* Charlotte Hornets"),
            "selection": "Over",
            "market": "Total",
            "line": "227.5 -108",
            "book": "DraftKings",
            "result": "Pending",
            "units": re.compile(r"^to win \+?0\.93u$"),
            "running": "—",
        },
    }
    for game_id, fields in expected.items():
        row = rows.filter(has_text=fields["matchup"])
        expect(row).to_have_count(1)
        for field in PICK_FIELDS:
            shown = visible_field(row, field)
            expect(shown).to_be_visible()
            if field in fields:
                expect(shown).to_have_text(fields[field])
            box = shown.bounding_box()
            assert box is not None, (game_id, field)
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, (game_id, field, box)

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, scroll_width
    table = page.locator("#my-picks-table").bounding_box()
    assert table and table["x"] >= 0 and table["x"] + table["width"] <= PHONE_WIDTH, table
    screenshot(page, "my-picks-phone-graded")

    # From tablet width up every field has its column again.
    page.set_viewport_size({"width": 1280, "height": 800})
    header = page.locator("#my-picks-table thead th")
    expect(header).to_have_text(["Game", "Pick", "Line", "Book", "Result", "Units", "Running"])
    row = rows.filter(has_text="Charlotte Hornets")
    expect(row.locator("td")).to_have_count(7)
    for field in PICK_FIELDS:
        visible_field(row, field)
