"""A private league in a real browser, on the production build: alice creates it with a price
window, invites bob by the link, both pick on the slate, the game is settled, and the league's
board shows the figures worked out by hand under its rules, with alice's priced-out pick marked
not counted. alice makes a new link; bob's old one, opened by carol, fails with a clear message.

Every frame bob's tab receives is decoded: none carries the new invite code, or alice's pick on
the game that has not locked (nor that game at all).

  Game A (tips ~90 s after the start; Boston -500 / Milwaukee +400, spread Boston -4.5 -110),
  settled Boston 110 - Milwaukee 100:
    alice  Boston moneyline -500   win +0.20, NOT counted: -500 pays 0.2 < what -300 pays (0.333)
    alice  Boston spread -4.5 -110 win +100/110 = +0.909091 (110 - 4.5 > 100)
    bob    Milwaukee moneyline +400 loss -1
  Game B (tomorrow, open): alice Boston moneyline -180.

  League "Office" (prices from -300 to +400, ranked from 1 graded pick, by units):
    1 alice +0.91u, ROI +90.9%, adjusted (0.909091 - 1.35) / 31 = -1.4%, 1-0-0, W1, last 10 1-0-0
    2 bob   -1.00u, ROI -100.0%, adjusted (-1 - 1.35) / 31 = -7.6%, 0-1-0, L1, last 10 0-1-0
"""

from __future__ import annotations

import itertools
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlmodel import Session

from pickvs import db
from pickvs.domain.display import matchup as game_name
from pickvs.models import Game
from pickvs.odds.demo import NBA_TEAMS
from pickvs.services import admin
from pickvs.state.leagues import LeagueState
from tests.browser.conftest import PASSWORD, RunningApp, register
from tests.browser.test_sessions import Frames
from tests.services.builders import Book, make_game

pytestmark = pytest.mark.browser

TIP_AFTER = timedelta(seconds=90)  # time to log in, set the league up, join and pick
LEAGUE_KEY = LeagueState.get_full_name()


def fresh_matchups(session: Session, count: int) -> list[tuple[str, str]]:
    """Pairs of real team names that no game in the database uses, each team used once."""
    taken = {frozenset(pair) for pair in session.execute(select(Game.home_team, Game.away_team))}
    free: list[tuple[str, str]] = []
    used: set[str] = set()
    for home, away in itertools.combinations(NBA_TEAMS, 2):
        if frozenset((home, away)) in taken or {home, away} & used:
            continue
        free.append((home, away))
        used |= {home, away}
        if len(free) == count:
            return free
    raise AssertionError("no unused matchups left in the test database")


def seed_games(pickvs_app: RunningApp, tag: str) -> dict[str, tuple[str, str, str, datetime]]:
    """Game A tipping soon, game B tomorrow: key -> (game id, home, away, tip)."""
    now = datetime.now(UTC)
    engine = db.make_engine(pickvs_app.database_url)
    games = {}
    try:
        with Session(engine, expire_on_commit=False) as session:
            pairs = fresh_matchups(session, 2)
            for (key, tip, book), (home, away) in zip(
                (
                    ("a", now + TIP_AFTER, Book(h2h=(-500, 400), totals=None)),
                    ("b", now + timedelta(days=1), Book(spreads=None, totals=None)),
                ),
                pairs,
                strict=True,
            ):
                game_id = f"lg-{tag}-{key}"
                make_game(
                    session,
                    game_id,
                    tip,
                    book,
                    home=home,
                    away=away,
                    fetched_at=now - timedelta(minutes=1),
                )
                games[key] = (game_id, home, away, tip)
            session.commit()
    finally:
        engine.dispose()
    return games


def log_in(page: Page, username: str, path: str = "/login") -> None:
    page.goto(path)
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#nav-username")).to_have_text(username)


def pick(page: Page, game_id: str, name: str) -> None:
    button = page.locator(f"#game-{game_id}").get_by_role("button", name=name, exact=True)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def league_picks_in(delta: dict[str, Any]) -> list[dict[str, Any]]:
    """The league page's pick rows a delta carries."""
    return list(delta.get(LEAGUE_KEY, {}).get("picks_rx_state_", []) or [])


def board_row(page: Page, username: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#league-board tr[data-username="{username}"]')


def expect_board_row(page: Page, username: str, *cells: str) -> None:
    row = board_row(page, username)
    for name, value in zip(
        ("rank", "units", "roi", "adjusted-roi", "record", "streak", "last10"), cells, strict=True
    ):
        expect(row.locator(f".{name}")).to_have_text(value)


def test_a_league_from_invite_to_the_graded_board(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    screenshot: Callable[[Page, str], Path],
) -> None:
    started = time.monotonic()
    tag = uuid.uuid4().hex[:6]
    alice_name, bob_name, carol_name = f"al{tag}", f"bo{tag}", f"ca{tag}"
    games = seed_games(pickvs_app, tag)
    a_id, a_home, a_away, a_tip = games["a"]
    b_id, b_home, b_away, _ = games["b"]

    alice = new_page()
    for name in (alice_name, bob_name, carol_name):
        register(alice, name)

    # alice picks on the slate: the -500 favourite, its spread, and tomorrow's game.
    log_in(alice, alice_name)
    pick(alice, a_id, f"Pick {a_home} moneyline -500")
    pick(alice, a_id, f"Pick {a_home} spread -4.5 -110")
    pick(alice, b_id, f"Pick {b_home} moneyline -180")

    # She starts a league and sets a price window.
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Leagues").click()
    expect(alice.get_by_role("heading", name="Leagues", level=1)).to_be_visible()
    expect(alice.locator("#no-leagues")).to_be_visible()
    alice.get_by_label("Name").fill("Office")
    alice.get_by_label("Description (optional)").fill("Lunch money, no money.")
    alice.get_by_role("button", name="Create league").click()
    expect(alice).to_have_url(re.compile(r"/leagues/\d+$"))
    league_path = re.sub(r"^https?://[^/]+", "", alice.url)
    expect(alice.get_by_role("heading", name="Office", level=1)).to_be_visible()
    expect(alice).to_have_title("Office · PickVs")
    alice.locator("#edit-settings").click()
    alice.get_by_label("Shortest price").fill("-300")
    alice.get_by_label("Longest price").fill("+400")
    alice.get_by_label("Graded picks to be ranked").fill("1")
    screenshot(alice, "league-settings-desktop")
    alice.get_by_role("button", name="Save settings").click()
    rules = alice.locator("#league-rules")
    expect(rules).to_contain_text("Prices from -300 to +400")
    expect(rules).to_contain_text("Ranked from the first graded pick")
    expect(rules).to_contain_text("Markets: moneyline, spread, total")
    old_link = alice.locator("#invite-link").inner_text().strip()
    old_code = old_link.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Z2-9]{10}", old_code), old_link

    # bob opens the link logged out, logs in from it, comes back and joins.
    bob = new_page()
    frames = Frames()
    frames.listen(bob)
    bob.goto(f"/join/{old_code}")
    expect(bob.locator("#join-league-name")).to_have_text("Office")
    screenshot(bob, "join-logged-out-desktop")
    bob.locator("#join-login").click()
    expect(bob).to_have_url(re.compile(rf"/login\?next=/join/{old_code}$"))
    bob.get_by_label("Username or email").fill(bob_name)
    bob.get_by_label("Password").fill(PASSWORD)
    bob.get_by_role("button", name="Log in", exact=True).click()
    expect(bob).to_have_url(re.compile(rf"/join/{old_code}/?$"))
    bob.get_by_role("button", name="Join league").click()
    expect(bob).to_have_url(re.compile(rf"{league_path}$"))
    expect(bob.locator("#league-members")).to_contain_text(alice_name)
    expect(bob.locator("#invite-link")).to_have_count(0)  # the owner's only
    expect(bob.locator("#league-rules")).to_contain_text("Prices from -300 to +400")

    bob.get_by_role("navigation", name="Main").get_by_role("link", name="Slate").click()
    pick(bob, a_id, f"Pick {a_away} moneyline +400")
    assert time.monotonic() - started < TIP_AFTER.total_seconds(), "too slow to pick in time"

    # Tip-off passes; the game is settled as an admin would.
    time.sleep(max(0.0, (a_tip - datetime.now(UTC)).total_seconds() + 2))
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine) as session:
            admin.settle(session, a_id, 110, 100, by="e2e", now=datetime.now(UTC))
            session.commit()
    finally:
        engine.dispose()

    alice.goto(league_path)
    expect_board_row(alice, alice_name, "1", "+0.91u", "+90.9%", "-1.4%", "1-0-0", "W1", "1-0-0")
    expect_board_row(alice, bob_name, "2", "-1.00u", "-100.0%", "-7.6%", "0-1-0", "L1", "0-1-0")
    priced_out = alice.locator("#league-picks tr", has_text=f"{a_home}").filter(
        has_text="Moneyline · -500"
    )
    expect(priced_out.locator(".not-counted")).to_have_text("not counted — price window")
    expect(alice.locator("#league-picks .not-counted")).to_have_count(1)
    screenshot(alice, "league-desktop")
    with alice.expect_download() as download:
        alice.locator("#download-csv").click()
    assert download.value.suggested_filename.endswith("-picks.csv")
    csv_text = Path(download.value.path()).read_text()
    assert csv_text.startswith("tip_off,game_id,matchup,username,market,selection")
    assert f"{a_id}," in csv_text and ",price," in csv_text.splitlines()[0] + ","

    bob.goto(league_path)
    expect_board_row(bob, alice_name, "1", "+0.91u", "+90.9%", "-1.4%", "1-0-0", "W1", "1-0-0")
    expect(bob.locator("#league-picks")).to_contain_text("not counted — price window")
    expect(bob.locator("#league-picks")).not_to_contain_text(game_name(away=b_away, home=b_home))

    # alice makes a new link; bob's tab, reloaded, never receives it.
    alice.locator("#rotate-code").click()
    expect(alice.locator("#league-notice")).to_contain_text("The old link no longer works")
    new_link = alice.locator("#invite-link").inner_text().strip()
    new_code = new_link.rsplit("/", 1)[1]
    assert new_code != old_code
    bob.reload()
    expect_board_row(bob, bob_name, "2", "-1.00u", "-100.0%", "-7.6%", "0-1-0", "L1", "0-1-0")
    bob.get_by_role("radiogroup", name="Period").get_by_role("radio", name="Week").click()
    expect(bob).to_have_url(re.compile(r"\?period=week$"))

    # carol opens bob's old link: it fails, and says why.
    carol = new_page("phone")
    log_in(carol, carol_name)
    carol.goto(f"/join/{old_code}")
    expect(carol.locator("#join-error")).to_contain_text("This invite link does not work")
    expect(carol.get_by_role("button", name="Join league")).to_have_count(0)
    screenshot(carol, "join-old-link-phone")
    bob.goto("/leagues")
    expect(bob.locator('#my-leagues tr[data-league="Office"] .my-rank')).to_have_text("2nd")
    screenshot(bob, "leagues-desktop")

    # bob's profile: his form, his league with his rank there, and all his picks as CSV.
    bob.goto(f"/u/{bob_name}")
    expect(bob.locator("#stat-streak")).to_contain_text("L1")
    expect(bob.locator("#stat-last10")).to_contain_text("0-1-0")
    expect(bob.locator("#profile-leagues")).to_contain_text("Office")
    expect(bob.locator("#profile-leagues")).to_contain_text("2nd")
    with bob.expect_download() as mine:
        bob.locator("#download-my-picks").click()
    lines = Path(mine.value.path()).read_text().strip().splitlines()
    assert len(lines) == 2 and a_id in lines[1]  # the header and his one pick

    # What bob's tab received, frame by frame: never the new code; the league's picks, never
    # one on game B (open: alice's pick there is hers alone until it locks).
    b_matchup = game_name(away=b_away, home=b_home)
    assert frames.raw, "no frames captured"
    assert not [raw[:200] for raw in frames.raw if new_code in raw]
    rows = [row for delta in frames.deltas for row in league_picks_in(delta)]
    assert rows, "the check never saw the league's picks"
    assert {row["username"] for row in rows} == {alice_name, bob_name}
    assert [row for row in rows if row["matchup"] == b_matchup] == []

    # The league on a phone: no sideways scrolling.
    phone = new_page("phone")
    log_in(phone, alice_name)
    phone.goto(league_path)
    expect(board_row(phone, bob_name)).to_be_visible()
    width = phone.viewport_size["width"] if phone.viewport_size else 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(phone, "league-phone")
    phone.get_by_role("button", name="Switch between light and dark mode").click()
    expect(phone.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    screenshot(phone, "league-phone-dark")
