"""One player's whole journey across the pages, in a real browser on the production build:
sign up, pick three games across the markets, find them on My picks; an admin settles the games
through the admin page; the leaderboard and the profile show the units worked out by hand.

  Game A  moneyline: home -180, the home side wins 110-100   -> win  +100/180 = +0.5556
  Game B  spread:    away +4.5 (-110), away loses 102-105    -> 106.5 > 105, win +100/110 = +0.9091
  Game C  total:     Over 227.5 (-108), 100 + 110 = 210       -> loss -1
  Total +0.4646 units on 3 wagered: "+0.46u", ROI +15.5%, record 2-1-0.

The demo league's own games share the slate and the admin lists, so the three matchups are
chosen among pairings the database does not hold yet (the admin finds games by matchup).
"""

from __future__ import annotations

import itertools
import math
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain.display import matchup as game_name
from pickvs.models import Game
from pickvs.odds.demo import NBA_TEAMS
from pickvs.services import admin, auth, leaderboard
from tests.browser.conftest import MIN_RANKED_PICKS, RunningApp
from tests.services.builders import PASSWORD, Book, make_game

pytestmark = pytest.mark.browser

TIP_AFTER = timedelta(seconds=45)  # long enough to sign up and pick, short enough to wait out
PAGE_SIZE = 25


def _seed(pickvs_app: RunningApp, tag: str, boss: str) -> dict[str, tuple[str, str, str]]:
    """Three games tipping shortly, and an admin; returns game id -> (home, away, matchup)."""
    tip = datetime.now(UTC) + TIP_AFTER
    games = {}
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            pairs = _fresh_matchups(session, 3)
            for (key, book), (home, away) in zip(
                (
                    ("a", Book(h2h=(-180, 150), spreads=None, totals=None)),
                    ("b", Book(h2h=None, spreads=(-4.5, -110, -110), totals=None)),
                    ("c", Book(h2h=None, spreads=None, totals=(227.5, -108, -112))),
                ),
                pairs,
                strict=True,
            ):
                game_id = f"jr-{tag}-{key}"
                make_game(
                    session,
                    game_id,
                    tip,
                    book,
                    home=home,
                    away=away,
                    fetched_at=datetime.now(UTC) - timedelta(minutes=1),
                )
                games[game_id] = (home, away, game_name(away=away, home=home))
            auth.register(session, f"{boss}@example.com", boss, PASSWORD, datetime.now(UTC))
            session.flush()
            admin.make_admin(session, boss)
            session.commit()
    finally:
        engine.dispose()
    return games


def _fresh_matchups(session: Session, count: int) -> list[tuple[str, str]]:
    """Pairs of real team names that no game in the database uses, each team used once."""
    taken = {frozenset(pair) for pair in session.execute(select(Game.home_team, Game.away_team))}
    free, used = [], set()
    for home, away in itertools.combinations(NBA_TEAMS, 2):
        if frozenset((home, away)) in taken or {home, away} & used:
            continue
        free.append((home, away))
        used |= {home, away}
        if len(free) == count:
            return free
    raise AssertionError("no unused matchups left in the test database")


def _board_page(pickvs_app: RunningApp, username: str) -> int:
    """Which leaderboard page holds the player: other browser tests share this database."""
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine) as session:
            rows = leaderboard.leaderboard(
                session,
                "all",
                datetime.now(UTC),
                settings.tz,
                limit=200,
                min_ranked=MIN_RANKED_PICKS,
            )
    finally:
        engine.dispose()
    position = next(i for i, row in enumerate(rows) if row.username == username)
    return math.floor(position / PAGE_SIZE) + 1


def test_sign_up_pick_settle_and_see_the_units(
    new_page: Callable[..., Page], pickvs_app: RunningApp, screenshot: Callable[[Page, str], Path]
) -> None:
    tag = uuid.uuid4().hex[:5]
    player, boss = f"p{tag}", f"boss{tag}"
    games = _seed(pickvs_app, tag, boss)
    (a, (a_home, _, _)), (b, (_, b_away, _)), (c, _) = games.items()
    started = time.monotonic()

    page = new_page()
    page.goto("/signup")
    page.get_by_label("Email").fill(f"{player}@example.com")
    page.get_by_label("Username").fill(player)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Today's slate", level=1)).to_be_visible()

    for game_id, name in (
        (a, f"Pick {a_home} moneyline -180"),
        (b, f"Pick {b_away} spread +4.5 -110"),
        (c, "Pick Over total 227.5 -108"),
    ):
        button = page.locator(f"#game-{game_id}").get_by_role("button", name=name, exact=True)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My picks").click()
    table = page.locator("#my-picks-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(page.locator("#picks-count")).to_have_text("3 picks · 3 pending")

    # Tip-off passes; the admin settles the three games on the admin page.
    time.sleep(max(0.0, TIP_AFTER.total_seconds() + 2 - (time.monotonic() - started)))
    desk = new_page()
    desk.goto("/login?next=/admin")
    desk.get_by_label("Username or email").fill(boss)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Log in", exact=True).click()
    expect(desk.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    desk.get_by_role("button", name="Grade now").click()  # refreshes the lists as well
    expect(desk.get_by_role("button", name="Fetch odds now")).to_be_enabled()
    for game_id, (home_score, away_score) in ((a, (110, 100)), (b, (105, 102)), (c, (100, 110))):
        matchup = games[game_id][2]
        desk.locator("#settle-table").get_by_role("button", name=f"Settle {matchup}").click()
        dialog = desk.get_by_role("dialog", name=f"Settle {matchup}")
        dialog.get_by_label("Home score").fill(str(home_score))
        dialog.get_by_label("Away score").fill(str(away_score))
        dialog.get_by_role("button", name="Settle game").click()
        expect(desk.locator("#settle-notice")).to_contain_text(
            re.compile(rf"Settled {re.escape(matchup)} {away_score}-{home_score}: 1 pick graded")
        )

    # The player's profile and the leaderboard show the hand-worked figures.
    page.goto(f"/u/{player}")
    expect(page.locator("#stat-record")).to_contain_text("2-1-0")
    expect(page.locator("#stat-units")).to_contain_text("+0.46u")
    expect(page.locator("#stat-roi")).to_contain_text("+15.5%")
    screenshot(page, "journey-profile-desktop")

    page.goto(f"/leaderboard?page={_board_page(pickvs_app, player)}")
    row = page.locator(f'#leaderboard tr[data-username="{player}"]')
    expect(row.locator(".units")).to_have_text("+0.46u")
    expect(row.locator(".roi")).to_have_text("+15.5%")
    expect(row.locator(".record")).to_have_text("2-1-0")
    screenshot(page, "journey-leaderboard-desktop")
