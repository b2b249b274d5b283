"""The leaderboard and player profiles in a real browser: ranks and figures, periods in the
address, paging past 25 players, the logged-in player's own row, the profile's chart and market
split, and what a logged-out visitor sees.

The league is written straight into the server's database through the services, as the jobs and
an admin would: 30 players, two games with lines, picks made before tip-off, `admin.settle` to
grade. Other browser files may add players to the same database, so ranks and page counts are
read from the services rather than assumed.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bcrypt
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.services import admin, auth, leaderboard
from tests.browser.conftest import MIN_RANKED_PICKS, RunningApp
from tests.services.builders import PASSWORD, Book, make_game, make_picks

pytestmark = pytest.mark.browser

PAGE_SIZE = 25
BOOK = Book(h2h=(-500, 400))  # away +400 pays 4u; spread -110 pays 0.909091; Over -108, 0.925926


@dataclass(frozen=True)
class League:
    ace: str  # all time: +4.84u, 3-1-0, ROI +120.9%; this week: -1.00u
    comet: str  # all time and this week: +4.00u, 1-0-0, ROI +400.0%
    idle: str  # one of the 28 players who never picked: ROI —


@pytest.fixture(scope="module")
def league(pickvs_app: RunningApp) -> Iterator[League]:
    """An old game (before this month and week) and a recent one (inside both), settled now.

    ace:   old  h2h away @+400 win +4, spread away @-110 win +0.909091, Over @-108 win +0.925926;
           recent h2h home loss -1.   All time 4.835017 -> +4.84u on 4, ROI +120.9%, 3-1-0.
    comet: recent h2h away @+400 win +4: +4.00u on 1, ROI +400.0%, 1-0-0 (all time and week).
    """
    tag = uuid.uuid4().hex[:5]
    now = datetime.now(UTC)
    tz = settings.tz
    starts = [leaderboard.period_start(p, now, tz) for p in ("week", "month")]
    latest, earliest = max(s for s in starts if s), min(s for s in starts if s)
    recent_tip = latest + (now - latest) / 2
    old_tip = earliest - timedelta(days=2)
    games = {"old": (f"lb-{tag}-old", old_tip), "recent": (f"lb-{tag}-new", recent_tip)}
    names = League(ace=f"ace_{tag}", comet=f"comet_{tag}", idle=f"lb{tag}_00")

    real_gensalt = bcrypt.gensalt
    engine = db.make_engine(pickvs_app.database_url)
    with pytest.MonkeyPatch.context() as patch:
        # Cost 4 in this process only: 30 sign-ups in well under a second; checks are the same.
        patch.setattr(bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real_gensalt(4, prefix))
        try:
            with Session(engine, expire_on_commit=False) as session:
                fetched = old_tip - timedelta(days=1)  # one fetch before both tips
                for game_id, tip in games.values():
                    make_game(session, game_id, tip, BOOK, fetched_at=fetched)
                fillers = [f"lb{tag}_{n:02d}" for n in range(28)]
                users = {
                    name: auth.register(session, f"{name}@example.com", name, PASSWORD, now)
                    for name in (names.ace, names.comet, *fillers)
                }
                old, new = games["old"][0], games["recent"][0]
                make_picks(
                    session,
                    users[names.ace],
                    old_tip - timedelta(hours=1),
                    (old, "h2h", "Milwaukee Bucks"),
                    (old, "spreads", "Milwaukee Bucks"),
                    (old, "totals", "Over"),
                )
                picked = recent_tip - timedelta(minutes=1)
                make_picks(session, users[names.ace], picked, (new, "h2h", "Boston Celtics"))
                make_picks(session, users[names.comet], picked, (new, "h2h", "Milwaukee Bucks"))
                # Bucks (away) win both: 130-100 (spread +4.5 covers, 230 > 227.5), 120-90.
                admin.settle(session, old, 100, 130, by="e2e", now=now)
                admin.settle(session, new, 90, 120, by="e2e", now=now)
                session.commit()
        finally:
            engine.dispose()
    yield names


def board_state(pickvs_app: RunningApp, period: str, username: str) -> tuple[int, int]:
    """(the player's rank, the board's page count) as the services see them right now."""
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine) as session:
            now, tz = datetime.now(UTC), settings.tz
            rank = leaderboard.rank_of(
                session, username, period, now, tz, min_ranked=MIN_RANKED_PICKS
            )
            count = leaderboard.count_leaderboard(
                session, period, now, tz, min_ranked=MIN_RANKED_PICKS
            )
    finally:
        engine.dispose()
    assert rank is not None
    return rank, max(1, math.ceil(count / PAGE_SIZE))


def row(page: Page, username: str) -> Locator:
    return page.locator(f'#leaderboard tr[data-username="{username}"]')


def expect_row(page: Page, username: str, rank: int, units: str, roi: str, record: str) -> None:
    line = row(page, username)
    expect(line.locator(".rank")).to_have_text(str(rank))
    expect(line.locator(".units")).to_have_text(units)
    expect(line.locator(".roi")).to_have_text(roi)
    expect(line.locator(".record")).to_have_text(record)


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_visitor_sees_ranks_switches_period_and_pages(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    league: League,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page = new_page()
    page.goto("/leaderboard")

    expect(page.get_by_role("heading", name="Leaderboard", level=1)).to_be_visible()
    expect(page).to_have_title("Leaderboard · PickVs")
    ace_rank, pages = board_state(pickvs_app, "all", league.ace)
    comet_rank, _ = board_state(pickvs_app, "all", league.comet)
    assert ace_rank < comet_rank
    expect_row(page, league.ace, ace_rank, "+4.84u", "+120.9%", "3-1-0")
    expect_row(page, league.comet, comet_rank, "+4.00u", "+400.0%", "1-0-0")
    expect(row(page, league.ace).locator(".wagered")).to_have_text("4u")
    expect(row(page, league.ace).get_by_role("link", name=league.ace)).to_have_attribute(
        "href", f"/u/{league.ace}"
    )
    # Ranked players, then those with no graded pick under "Not yet ranked": 25 rows a page.
    expect(page.locator("#leaderboard tbody tr, #not-ranked tbody tr")).to_have_count(PAGE_SIZE)
    expect(row(page, league.ace).locator(".adjusted-roi")).to_have_text(
        "+10.3%"
    )  # (4.835017 - 1.35) / 34
    expect(row(page, league.ace).locator(".streak")).to_have_text("L1")
    expect(row(page, league.ace).locator(".last10")).to_have_text("3-1-0")
    expect(page.locator("#page-label")).to_have_text(f"Page 1 of {pages}")
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()
    periods = page.get_by_role("radiogroup", name="Period")
    expect(periods.get_by_role("radio", name="All time")).to_be_checked()
    screenshot(page, "leaderboard-desktop")

    # The period goes into the address, and a reload keeps it.
    periods.get_by_role("radio", name="Week").click()
    expect(page).to_have_url(re.compile(r"/leaderboard/?\?period=week$"))
    week_comet, week_pages = board_state(pickvs_app, "week", league.comet)
    week_ace, _ = board_state(pickvs_app, "week", league.ace)
    assert week_comet < week_ace
    expect_row(page, league.comet, week_comet, "+4.00u", "+400.0%", "1-0-0")
    expect_row(page, league.ace, week_ace, "-1.00u", "-100.0%", "0-1-0")
    expect(row(page, league.idle)).to_have_count(0)  # no graded picks this week
    page.reload()
    expect(periods.get_by_role("radio", name="Week")).to_be_checked()
    expect_row(page, league.comet, week_comet, "+4.00u", "+400.0%", "1-0-0")
    expect(page.locator("#page-label")).to_have_text(f"Page 1 of {week_pages}")

    # Paging (all time has 30+ players): next until the last page, where next is disabled.
    periods.get_by_role("radio", name="All time").click()
    expect(page).to_have_url(re.compile(r"/leaderboard/?$"))
    next_button = page.get_by_role("button", name="Next page")
    for number in range(2, pages + 1):
        next_button.click()
        expect(page.locator("#page-label")).to_have_text(f"Page {number} of {pages}")
    expect(page).to_have_url(re.compile(rf"/leaderboard/?\?page={pages}$"))
    expect(next_button).to_be_disabled()
    expect(page.locator("#not-ranked tbody tr").first).to_be_visible()
    expect(page.locator(f"#leaderboard tr[data-username='{league.ace}']")).to_have_count(0)
    idle_roi = page.locator("#not-ranked tbody tr").last.locator(".roi")
    expect(idle_roi).to_have_text("—")  # the last row never wagered
    page.get_by_role("button", name="Previous page").click()
    expect(page.locator("#page-label")).to_have_text(f"Page {pages - 1} of {pages}")


def test_a_player_sees_their_row_then_a_profile_with_chart_and_split(
    new_page: Callable[..., Page], league: League, screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page()
    page.goto("/login?next=/leaderboard")
    page.get_by_label("Username or email").fill(league.ace)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/leaderboard/?$"))

    mine = row(page, league.ace)
    expect(mine).to_have_attribute("aria-current", "true")
    expect(mine.get_by_text("You", exact=True)).to_be_visible()
    expect(row(page, league.comet)).to_have_attribute("aria-current", "false")
    screenshot(page, "leaderboard-own-row-desktop")

    row(page, league.comet).get_by_role("link", name=league.comet).click()
    expect(page).to_have_url(re.compile(rf"/u/{league.comet}$"))
    expect(page.get_by_role("heading", name=league.comet, level=1)).to_be_visible()
    expect(page.locator("#stat-units")).to_contain_text("+4.00u")

    page.goto(f"/u/{league.ace}")
    profile = page.locator("#profile")
    expect(page.get_by_role("heading", name=league.ace, level=1)).to_be_visible()
    expect(page).to_have_title(f"{league.ace} · PickVs")
    expect(page.locator("#stat-record")).to_contain_text("3-1-0")
    expect(page.locator("#stat-units")).to_contain_text("+4.84u")
    expect(page.locator("#stat-roi")).to_contain_text("+120.9%")
    chart = page.get_by_role("img", name=re.compile(r"^Units over 2 days"))
    expect(chart.locator("svg.recharts-surface")).to_be_visible()
    expect(chart.locator(".recharts-line-curve")).to_have_count(1)
    expect(page.locator("#chart-summary")).to_contain_text("+4.84u at the end, high +5.84u")
    split = page.get_by_role("table", name="Record by market")
    for market, figures in (
        ("Moneyline", ["1-1-0", "+3.00u", "+150.0%"]),
        ("Spread", ["1-0-0", "+0.91u", "+90.9%"]),
        ("Total", ["1-0-0", "+0.93u", "+92.6%"]),
    ):
        expect(split.get_by_role("row", name=re.compile(rf"^{market}\b"))).to_contain_text(
            "".join(figures)
        )
    expect(profile.get_by_role("table", name="Recent picks").locator("tbody tr")).to_have_count(4)
    screenshot(page, "profile-desktop")

    page.get_by_role("button", name="Switch between light and dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    screenshot(page, "profile-desktop-dark")


def test_a_visitor_on_a_phone_sees_both_pages(
    new_page: Callable[..., Page], league: League, screenshot: Callable[[Page, str], Path]
) -> None:
    page = new_page("phone")
    page.goto("/leaderboard")
    ace = row(page, league.ace)
    expect(ace.locator(".units")).to_have_text("+4.84u")
    expect(ace.locator(".wagered")).to_be_hidden()  # too wide for a phone
    expect(ace.locator(".record")).to_be_hidden()
    expect(ace.locator(".player")).to_contain_text("3-1-0")  # under the name instead
    expect(ace).to_have_attribute("aria-current", "false")  # nobody is logged in
    no_sideways_scroll(page)
    screenshot(page, "leaderboard-phone")

    page.goto(f"/u/{league.ace.upper()}")  # any case
    expect(page.get_by_role("heading", name=league.ace, level=1)).to_be_visible()
    expect(page.locator("#units-chart svg.recharts-surface")).to_be_visible()
    expect(page.get_by_role("table", name="Record by market")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "profile-phone")

    page.goto("/u/no_such_player")
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
