"""The slate and My picks in a real browser: a new player picks three games across the markets,
changes one, finds them on My picks with the line taken; a game that tips during the test
refuses a late pick in the UI; a second player sees the first one's picks only once it locked.

The games are written straight into the server's database through the services, with tip-offs
relative to the wall clock (the server runs on the real clock). The demo league's own games share
the slate, so every check is scoped to a card of ours (`#game-<id>`).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlmodel import Session

from pickvs import db
from tests.browser.conftest import RunningApp
from tests.services.builders import PASSWORD, Book, make_game

pytestmark = pytest.mark.browser

LOCK_AFTER = timedelta(seconds=25)  # the late game tips this long after it is written


@dataclass(frozen=True)
class Games:
    moneyline: str  # Bucks @ Celtics; FanDuel pays more on the Bucks
    spread: str  # Suns @ Nuggets; no total offered
    total: str  # Knicks @ Heat


def seed(
    pickvs_app: RunningApp, game_id: str, tip: datetime, home: str, away: str, *books: Book
) -> None:
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            fetched = datetime.now(UTC) - timedelta(minutes=5)
            make_game(session, game_id, tip, *books, fetched_at=fetched, home=home, away=away)
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def games(pickvs_app: RunningApp) -> Iterator[Games]:
    tag = uuid.uuid4().hex[:6]
    now = datetime.now(UTC)
    found = Games(f"sl-{tag}-ml", f"sl-{tag}-sp", f"sl-{tag}-tot")
    seed(
        pickvs_app,
        found.moneyline,
        now + timedelta(hours=2),
        "Boston Celtics",
        "Milwaukee Bucks",
        Book("draftkings"),
        Book("fanduel", h2h=(-190, 165)),
    )
    seed(
        pickvs_app,
        found.spread,
        now + timedelta(hours=3),
        "Denver Nuggets",
        "Phoenix Suns",
        Book("draftkings", spreads=(-6.5, -112, -108), totals=None),
    )
    seed(
        pickvs_app,
        found.total,
        now + timedelta(hours=4),
        "Miami Heat",
        "New York Knicks",
        Book("draftkings", totals=(214.5, -105, -115)),
    )
    yield found


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_up(page: Page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()


def card(page: Page, game_id: str) -> Locator:
    return page.locator(f"#game-{game_id}")


def pick_button(page: Page, game_id: str, name: str) -> Locator:
    return card(page, game_id).get_by_role("button", name=name, exact=True)


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_pick_change_see_my_picks_then_a_locked_game_refuses_and_shows_everyone(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    games: Games,
    screenshot: Callable[[Page, str], Path],
) -> None:
    late = f"sl-{uuid.uuid4().hex[:6]}-late"
    tip = datetime.now(UTC) + LOCK_AFTER
    seed(
        pickvs_app, late, tip, "Golden State Warriors", "Los Angeles Lakers", Book(h2h=(-150, 130))
    )
    ann, bea = f"a{uuid.uuid4().hex[:10]}", f"b{uuid.uuid4().hex[:10]}"
    page = new_page()
    errors = watch_errors(page)
    sign_up(page, ann)

    # The late game first, while it is open.
    lakers = pick_button(page, late, "Pick Los Angeles Lakers moneyline +130")
    lakers.click()
    expect(lakers).to_have_attribute("aria-pressed", "true")
    expect(card(page, late).get_by_role("status")).to_have_text(
        "Picked Los Angeles Lakers moneyline +130 (DraftKings)."
    )

    # A second player, in a browser of their own, sees the open game without ann's pick.
    other = new_page()
    sign_up(other, bea)
    expect(card(other, late)).to_be_visible()
    expect(card(other, late).get_by_text("Everyone's picks")).to_have_count(0)
    expect(other.get_by_text(ann)).to_have_count(0)
    expect(pick_button(other, late, "Pick Los Angeles Lakers moneyline +130")).to_have_attribute(
        "aria-pressed", "false"
    )

    # Three games across the markets; the best price elsewhere and a missing line are shown.
    ml = card(page, games.moneyline)
    expect(ml).to_contain_text("Milwaukee Bucks @ Boston Celtics")
    expect(ml).to_contain_text("best +165 FanDuel")
    expect(ml).to_contain_text("Lines: DraftKings")
    expect(card(page, games.spread).get_by_text("No line")).to_have_count(2)
    bucks = pick_button(page, games.moneyline, "Pick Milwaukee Bucks moneyline +150")
    suns = pick_button(page, games.spread, "Pick Phoenix Suns spread +6.5 -108")
    under = pick_button(page, games.total, "Pick Under total 214.5 -115")
    for button in (bucks, suns, under):
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")

    # Change the spread to the other side, from the keyboard.
    nuggets = pick_button(page, games.spread, "Pick Denver Nuggets spread -6.5 -112")
    nuggets.focus()
    page.keyboard.press("Enter")
    expect(nuggets).to_have_attribute("aria-pressed", "true")
    expect(suns).to_have_attribute("aria-pressed", "false")
    expect(card(page, games.spread).get_by_role("status")).to_have_text(
        "Picked Denver Nuggets spread -6.5 -112 (DraftKings)."
    )
    screenshot(page, "slate-games-desktop")

    # My picks: the four picks with the line taken, pending.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My picks").click()
    expect(page.get_by_role("heading", name="My picks", level=1)).to_be_visible()
    table = page.locator("#my-picks-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    for matchup, selection, line in (
        ("Milwaukee Bucks @ Boston Celtics", "Milwaukee Bucks", "+150"),
        ("Phoenix Suns @ Denver Nuggets", "Denver Nuggets", "-6.5 -112"),
        ("New York Knicks @ Miami Heat", "Under", "214.5 -115"),
        ("Los Angeles Lakers @ Golden State Warriors", "Los Angeles Lakers", "+130"),
    ):
        row = table.locator("tbody tr").filter(has_text=matchup)
        expect(row).to_contain_text(selection)
        expect(row).to_contain_text(line)
        expect(row).to_contain_text("DraftKings")
        expect(row).to_contain_text("Pending")
    expect(page.locator("#picks-count")).to_have_text("4 picks · 4 pending")
    expect(page.locator("#stat-record")).to_have_text("0-0-0")
    expect(page.locator("#page-status")).to_have_text("Page 1 of 1")
    filters = page.get_by_role("radiogroup", name="Show picks")
    filters.get_by_role("radio", name="Graded").click()
    expect(page.locator("#picks-empty")).to_be_visible()
    filters.get_by_role("radio", name="All").click()
    expect(table.locator("tbody tr")).to_have_count(4)
    screenshot(page, "my-picks-desktop")

    # Back on the slate once the late game has tipped: a change is refused, in words, on the card.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Slate").click()
    warriors = pick_button(page, late, "Pick Golden State Warriors moneyline -150")
    expect(warriors).to_be_enabled()
    wait = (tip - datetime.now(UTC)).total_seconds() + 1
    assert wait > 0, "the late game locked before the test could try it"
    time.sleep(wait)
    late_card = card(page, late)
    # The open slate re-reads itself around a lock (every 20 s), so the card may turn locked on
    # its own before the tap lands: then the button is disabled and nothing can be sent. A tap
    # that does land is refused by the server, in words.
    try:
        warriors.click(timeout=3_000)
    except PlaywrightTimeoutError:
        expect(warriors).to_be_disabled()
    else:
        expect(late_card.get_by_role("status")).to_have_text(
            "This game is locked: picks closed at tip-off."
        )
    expect(late_card.get_by_text("Locked", exact=True)).to_be_visible()
    expect(warriors).to_be_disabled()
    expect(lakers).to_have_attribute("aria-pressed", "true")  # nothing changed
    expect(late_card).to_contain_text(f"{ann} · Moneyline: Los Angeles Lakers +130")

    # The second player now sees ann's pick on the locked card, and still none on open games.
    other.reload()
    expect(card(other, late)).to_contain_text(f"{ann} · Moneyline: Los Angeles Lakers +130")
    expect(card(other, games.moneyline).get_by_text(ann)).to_have_count(0)
    screenshot(other, "slate-locked-game-desktop")
    assert errors == []


def test_phone_layout_and_dark_mode(
    new_page: Callable[..., Page], games: Games, screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page("phone")
    errors = watch_errors(page)
    sign_up(page, f"c{uuid.uuid4().hex[:10]}")
    expect(page.locator("#next-lock")).to_contain_text("Next lock in")
    pick_button(page, games.moneyline, "Pick Boston Celtics moneyline -180").click()
    expect(card(page, games.moneyline).get_by_role("status")).to_contain_text("Picked Boston")
    celtics = pick_button(page, games.moneyline, "Pick Boston Celtics moneyline -180")
    no_sideways_scroll(page)
    screenshot(page, "slate-games-phone")

    # Withdraw by pressing the pick again.
    celtics.click()
    expect(celtics).to_have_attribute("aria-pressed", "false")
    expect(card(page, games.moneyline).get_by_role("status")).to_have_text(
        "Withdrew your moneyline pick on Boston Celtics."
    )
    pick_button(page, games.total, "Pick Over total 214.5 -105").click()
    pick_button(page, games.spread, "Pick Phoenix Suns spread +6.5 -108").click()
    expect(pick_button(page, games.spread, "Pick Phoenix Suns spread +6.5 -108")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.goto("/picks")
    rows = page.locator("#my-picks-table tbody tr")
    expect(rows).to_have_count(2)
    no_sideways_scroll(page)
    result = rows.first.get_by_text("Pending")  # past the right edge: the table scrolls itself
    result.scroll_into_view_if_needed()
    expect(result).to_be_in_viewport()
    no_sideways_scroll(page)
    screenshot(page, "my-picks-phone")

    page.goto("/")
    page.get_by_role("button", name="Switch between light and dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    expect(card(page, games.spread)).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "slate-games-desktop-dark")
    page.get_by_role("button", name="Switch between light and dark mode").click()
    assert errors == []
