"""The game page and the live slate in a real browser (production build, Debian Chromium).

A game that tipped ten minutes ago has two fetches of lines written through
`services.ingest.apply_odds`, an hour apart, the spread moving from -3.5 to -5; the player
picked it before tip-off, another player too. The slate card says how old its lines are, how
the spread moved, and links to the game page, which shows every book's lines, the chart of the
move and everyone's picks. Live scores written to Game.live_* then appear on the open slate and
on the open game page without a reload, with the player's pick winning, then losing. Throughout,
the socket frames the player's browser receives never carry a third player's pick on a game
that is still open.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from pickvs import db
from pickvs.models import Game, User
from pickvs.services.game_page import lines_from_text
from tests.browser.conftest import RunningApp, register
from tests.services.builders import Book, add_lines, make_game, make_picks
from tests.slate_day import wait_for_one_slate_day

pytestmark = pytest.mark.browser

HOME, AWAY = "Boston Celtics", "Milwaukee Bucks"
TZ = ZoneInfo("America/New_York")  # the server's league time (the default)
IN_PLAY_FOR = timedelta(minutes=10)
LIVE_WAIT_MS = 45_000  # the page re-reads every 20 s while a game is in play
M, A = "\N{MINUS SIGN}", "\N{RIGHTWARDS ARROW}"


def write(pickvs_app: RunningApp, work: Callable[[Session], None]) -> None:
    """Write into the running server's database, as the jobs would (then commit)."""
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            work(session)
            session.commit()
    finally:
        engine.dispose()


def player(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def live_score(pickvs_app: RunningApp, game_id: str, home: int, away: int) -> None:
    def work(session: Session) -> None:
        game = session.get(Game, game_id)
        assert game is not None
        game.live_home_score, game.live_away_score = home, away
        game.live_at = datetime.now(UTC)

    write(pickvs_app, work)


def test_line_move_game_page_chart_and_live_scores_without_reload(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    screenshot: Callable[[Page, str], Path],
) -> None:
    tag = uuid.uuid4().hex[:6]
    live_id, open_id = f"gp-{tag}-live", f"gp-{tag}-open"
    ann, bob, cy = f"a{tag}", f"b{tag}", f"c{tag}"
    page = new_page()
    tokens = {name: register(page, name) for name in (ann, bob, cy)}
    # The game in play tipped ten minutes ago and is followed for a few: one slate day.
    wait_for_one_slate_day(TZ, back=IN_PLAY_FOR, ahead=timedelta(minutes=10))
    now = datetime.now(UTC)
    opened, moved = now - timedelta(hours=2), now - timedelta(hours=1)

    def seed(session: Session) -> None:
        game = make_game(
            session, live_id, now - IN_PLAY_FOR, Book(spreads=(-3.5, -110, -110)),
            fetched_at=opened,
        )  # fmt: skip
        add_lines(  # through services.ingest.apply_odds, as the odds job writes
            session,
            game,
            moved,
            Book(spreads=(-5.0, -110, -110)),
            Book("fanduel", h2h=(-200, 170), spreads=(-5.5, -105, -115), totals=None),
        )
        make_game(
            session, open_id, now + timedelta(hours=3), Book(), home="Denver Nuggets",
            away="Phoenix Suns", fetched_at=moved,
        )  # fmt: skip
        before_tip = now - timedelta(minutes=30)
        make_picks(session, player(session, ann), before_tip, (live_id, "spreads", HOME))
        make_picks(session, player(session, bob), before_tip, (live_id, "h2h", AWAY))
        make_picks(session, player(session, cy), before_tip, (open_id, "h2h", "Phoenix Suns"))

    write(pickvs_app, seed)

    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_init_script(f"localStorage.setItem('pickvs_token', {tokens[ann]!r});")

    # The slate: line age, the move, in play with no score yet, ann's pick without a standing.
    page.goto("/")
    card = page.locator(f"#game-{live_id}")
    expect(card).to_contain_text("Locked")
    # "lines from 5:42 pm": the second fetch in league time (its wording is unit-tested)
    lines_from = lines_from_text(moved, datetime.now(UTC), TZ)
    expect(page.locator(f"#lines-from-{live_id}")).to_contain_text(lines_from)
    expect(page.locator(f"#moves-{live_id}")).to_have_text(f"Spread Celtics {M}3.5 {A} {M}5")
    expect(card).to_contain_text("In play · no score yet")
    expect(card).to_contain_text(f"Spread: {HOME} -5 -110")
    expect(card).to_contain_text(f"{bob} · Moneyline: {AWAY} +150")
    expect(page.locator(f"#game-{open_id}")).not_to_contain_text(cy)

    # A live score arrives (a live scores call writes Game.live_*): the open slate shows it.
    live_score(pickvs_app, live_id, home=60, away=54)  # Celtics -5: 55 > 54, winning
    expect(card).to_contain_text("Live · Bucks 54, Celtics 60", timeout=LIVE_WAIT_MS)
    expect(card.locator(".standing")).to_have_text("Winning")
    screenshot(page, "slate-live-card")

    # The game page, by the card's link: every book, the best price, the chart, everyone's picks.
    card.get_by_role("link", name=f"{AWAY} @ {HOME}").click()
    expect(page).to_have_url(f"{pickvs_app.url}/game/{live_id}")
    expect(page.locator("#game-score")).to_have_text("Live · Bucks 54, Celtics 60")
    spreads = page.locator("#market-spreads")
    expect(spreads.get_by_role("row")).to_have_count(3)  # header, DraftKings, FanDuel
    expect(spreads.get_by_role("row", name="DraftKings (picks)")).to_contain_text("-5 -110")
    expect(spreads.get_by_role("row", name="FanDuel")).to_contain_text("-5.5 -105")
    expect(page.locator("#market-h2h")).to_contain_text(f"Best: {AWAY} +170 FanDuel")
    chart = page.locator("#chart-spreads")
    expect(chart).to_be_visible()
    caption = re.compile(rf"^DraftKings, {HOME}: {M}3\.5 at .+, {M}5 now \(2 fetches\)$")
    expect(chart).to_have_attribute("aria-label", caption)
    points = chart.locator("polyline").get_attribute("points") or ""
    assert len(points.split()) == 4, points  # level, the step at the second fetch, level to now
    expect(page.locator("#game-everyone")).to_contain_text(f"{bob} · Moneyline: {AWAY} +150")
    expect(page.locator("#game-mine")).to_contain_text("Winning")
    screenshot(page, "game-page-live")

    # Another basket, on the open game page, without a reload: ann's pick is losing now.
    live_score(pickvs_app, live_id, home=60, away=56)  # 55 < 56
    expect(page.locator("#game-score")).to_have_text(
        "Live · Bucks 56, Celtics 60", timeout=LIVE_WAIT_MS
    )
    expect(page.locator("#game-mine")).to_contain_text("Losing")

    # Nothing ann's browser received names cy, whose only pick is on a game still open.
    assert frames, "no socket frames were captured"
    assert not [frame for frame in frames if cy in frame]
    assert errors == []

    # On a phone the page fits the width: the tables and the chart stack, nothing scrolls sideways.
    phone = new_page("phone")
    phone.context.add_init_script(f"localStorage.setItem('pickvs_token', {tokens[ann]!r});")
    phone.goto(f"/game/{live_id}")
    expect(phone.locator("#chart-spreads")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "game-page-phone")
