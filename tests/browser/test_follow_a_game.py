"""Following one game from open to final in a real browser (production build, Debian Chromium).

Everything the server shows comes through the real job paths, run from this process against
the running server's database and the fake Odds API over loopback HTTP (live mode):

1. open: the morning's `fetch-odds` run (an hour ago, by its injected clock) stores Bucks @
   Celtics, tipping two minutes from now, Celtics -3.5 -110/-110 at DraftKings. Ann picks the
   Celtics -3.5 on the slate, Bob the Bucks +3.5; Ann keeps the slate, the game page and My
   picks open from here to the end, and never reloads them.
2. a line move: a second `fetch-odds` run brings -5. The open slate card and game page say
   "Spread Celtics -3.5 → -5" (with typographic minus signs) and the newer line age; Ann's
   pick keeps its -3.5.
3. lock: tip-off passes on the server's real clock; the `grade` job runs `services.clv.update_clv`
   as every job does. Bob's pick appears on Ann's game page only now, and both picks' CLV shows.
4. live score: a planned live-scores run (the planner's job body, `services.live.apply_live`)
   brings 50-44 in play: Ann's open pages show it and that her pick is winning.
5. final: the same live path brings a completed 108-101: graded at once, Win +0.91u on My
   picks, CLV still shown.

The CLV, by hand (`pickvs.domain.clv`, NBA margin SD 12): the close is -5 -110/-110, so each
side's no-vig chance at the closing point is 0.5 (Phi^-1(0.5) = 0).
- Ann, Celtics -3.5 at -110: 1.5 points better than the close, Phi(0 + 1.5/12) = Phi(0.125)
  = 0.54974; the price implies 110/210 = 0.52381; CLV = +2.593 pp, shown "+2.6 pp".
- Bob, Bucks +3.5 at -110: 1.5 points worse than +5, Phi(-0.125) = 0.45026; 0.45026 - 0.52381
  = -7.355 pp, shown "-7.4 pp".
Final 108-101: Celtics -3.5 -> 104.5 > 101, Ann wins 100/110 = 0.909 -> "+0.91u"; Bob loses 1u.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from pickvs import db
from pickvs.config import settings
from pickvs.domain import planner as plan_rules
from pickvs.domain.clock import Clock, FixedClock, SystemClock
from pickvs.domain.planner import PlannedCall
from pickvs.jobs import daily, planner
from pickvs.jobs.runner import run_job
from pickvs.models import OddsLine, Pick
from pickvs.services import planning
from pickvs.services.game_page import lines_from_text
from tests.browser.conftest import RunningApp, register
from tests.fake_provider import FakeOddsApi
from tests.jobs.payloads import book, iso
from tests.slate_day import wait_for_one_slate_day

pytestmark = pytest.mark.browser

HOME, AWAY = "Boston Celtics", "Milwaukee Bucks"
TZ = ZoneInfo("America/New_York")
TO_TIP = timedelta(minutes=2)  # the steps before the lock take well under a minute
FOLLOWED = timedelta(minutes=10)  # from open to final, with margin
LIVE_WAIT_MS = 45_000  # open pages re-read every 20 s while a game is in play or locks soon
M, A = "\N{MINUS SIGN}", "\N{RIGHTWARDS ARROW}"


@pytest.fixture
def provider(pickvs_app: RunningApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOddsApi]:
    """The fake Odds API over HTTP, and this process's jobs pointed at it (live mode, a key)
    and at the running server's database."""
    with FakeOddsApi() as fake:
        monkeypatch.setattr(settings, "odds_api_key", "test-key-123")
        monkeypatch.setattr(settings, "odds_api_base_url", fake.base_url)
        monkeypatch.setattr(settings, "monthly_credits", 500)
        monkeypatch.setattr(settings, "lock_minutes", 0)
        monkeypatch.setattr(db, "_engine", None)  # restored (and this one disposed) after
        engine = db.configure(pickvs_app.database_url)
        try:
            yield fake
        finally:
            engine.dispose()


def odds(game_id: str, tip: datetime, fetched: datetime, spread: float) -> list[dict[str, Any]]:
    """The provider's odds body: one game, DraftKings quoting all three markets."""
    stamp = iso(fetched)
    return [
        {
            "id": game_id,
            "sport_key": "basketball_nba",
            "sport_title": "NBA",
            "commence_time": iso(tip),
            "home_team": HOME,
            "away_team": AWAY,
            "bookmakers": [
                book(
                    "draftkings",
                    HOME,
                    AWAY,
                    h2h=(-160, 135),
                    spread=(spread, -110, -110),
                    total=(224.5, -110, -110),
                    stamp=stamp,
                )
            ],
        }
    ]


def scores(game_id: str, tip: datetime, home: int, away: int, completed: bool) -> list[dict]:
    """The provider's scores body (a live call: no daysFrom), away team listed first."""
    return [
        {
            "id": game_id,
            "sport_key": "basketball_nba",
            "sport_title": "NBA",
            "commence_time": iso(tip),
            "completed": completed,
            "home_team": HOME,
            "away_team": AWAY,
            "scores": [{"name": AWAY, "score": str(away)}, {"name": HOME, "score": str(home)}],
            "last_update": iso(datetime.now(UTC)),
        }
    ]


def fetch_odds(clock: Clock) -> None:
    """The `fetch-odds` job as the scheduler runs it (free events look-up, then odds)."""
    run = run_job(daily.FETCH_ODDS, daily.fetch_odds, clock=clock, source="live", trigger="cli")
    assert run is not None and run.outcome == "ok", run and (run.error, run.detail)


def grade() -> None:
    """The `grade` job: grading, then `services.clv.update_clv`."""
    run = run_job(daily.GRADE, daily.grade, clock=SystemClock(), source="live", trigger="cli")
    assert run is not None and run.outcome == "ok", run and run.error


def live_scores() -> str:
    """One planned live-scores call, run by the planner's own job body: scores without
    daysFrom, `services.live.apply_live`, then grading and CLV. Its slot carries seconds, so
    it never meets a whole-minute slot of the server's own planner; a run that finds the
    server's live job holding the lease tries again."""
    for _attempt in range(10):
        now = datetime.now(UTC)
        call = PlannedCall(now, plan_rules.LIVE, 1, "live scores (browser test)")
        run = run_job(
            planning.LIVE_SCORES,
            planner._body(call),
            clock=SystemClock(),
            source="live",
            trigger=planner.PLANNER,
            slot=now,
        )
        if run is not None and run.outcome == "ok":
            return run.detail or ""
        assert run is None or run.outcome == "skipped", (run.outcome, run.error)
        time.sleep(1)
    raise AssertionError("the live-scores run never got its lease")


def latest_fetch(game_id: str) -> datetime:
    with db.session_scope() as session:
        fetched = session.execute(
            select(func.max(OddsLine.fetched_at)).where(OddsLine.game_id == game_id)
        ).scalar_one()
    assert fetched is not None
    return fetched.replace(tzinfo=UTC) if fetched.tzinfo is None else fetched


def pick_id(game_id: str, selection: str) -> int:
    """The id of the pick on `game_id` naming `selection` (one per player here)."""
    with db.session_scope() as session:
        picks = session.execute(select(Pick).where(Pick.game_id == game_id)).scalars().all()
        return next(p.id for p in picks if p.selection == selection and p.id)


def signed_in(page: Page, token: str) -> Page:
    page.context.add_init_script(f"localStorage.setItem('pickvs_token', {token!r});")
    return page


@pytest.mark.timeout(480, func_only=True)  # two minutes to tip-off, then up to 20 s a step
def test_a_game_from_open_through_a_line_move_lock_live_score_and_final_with_clv(
    new_page: Callable[..., Page],
    pickvs_app: RunningApp,
    provider: FakeOddsApi,
    screenshot: Callable[[Page, str], Path],
) -> None:
    tag = uuid.uuid4().hex[:8]
    game_id, ann, bob = f"follow{tag}", f"ann{tag[:6]}", f"bob{tag[:6]}"
    # From the morning's fetch to the final, the game is followed on one slate day.
    wait_for_one_slate_day(TZ, back=timedelta(0), ahead=FOLLOWED)
    started = datetime.now(UTC)
    tip = (started + TO_TIP).replace(microsecond=0)

    # 1. Open. The morning's fetch (its clock an hour back) stores the game at -3.5.
    opened = FixedClock(started - timedelta(hours=1))
    provider.set_odds(odds(game_id, tip, opened.now(), -3.5))
    fetch_odds(opened)
    first_fetch = latest_fetch(game_id)

    slate = new_page()
    tokens = {name: register(slate, name) for name in (ann, bob)}
    signed_in(slate, tokens[ann])
    errors: list[str] = []
    frames: list[str] = []
    slate.on("pageerror", lambda error: errors.append(str(error)))
    slate.goto("/")
    card = slate.locator(f"#game-{game_id}")
    expect(card).to_contain_text(f"{AWAY} @ {HOME}")
    lines_from = slate.locator(f"#lines-from-{game_id}")
    expect(lines_from).to_contain_text(lines_from_text(first_fetch, datetime.now(UTC), TZ))
    ann_spread = card.get_by_role("button", name=f"Pick {HOME} spread -3.5 -110")
    ann_spread.click()
    expect(ann_spread).to_have_attribute("aria-pressed", "true")
    expect(slate.locator(f"#notice-{game_id}")).to_have_text(
        f"Picked {HOME} spread -3.5 -110 (DraftKings)."
    )

    bobs = signed_in(new_page(), tokens[bob])
    bobs.goto("/")
    bob_spread = bobs.locator(f"#game-{game_id}").get_by_role(
        "button", name=f"Pick {AWAY} spread +3.5 -110"
    )
    bob_spread.click()
    expect(bob_spread).to_have_attribute("aria-pressed", "true")

    # Ann's game page and My picks, in tabs of her browser, open from before the lock.
    game = slate.context.new_page()
    game.on("pageerror", lambda error: errors.append(str(error)))
    game.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(str(p))))
    game.goto(f"/game/{game_id}")
    expect(game.locator("#game-status")).to_contain_text("Open · picks close")
    mine = game.locator("#game-mine")
    expect(mine).to_have_text(f"Spread: {HOME} -3.5 -110")
    everyone = game.locator("#game-everyone")
    expect(everyone).to_contain_text("Picks stay hidden until the game locks.")
    my_picks = slate.context.new_page()
    my_picks.on("pageerror", lambda error: errors.append(str(error)))
    my_picks.goto("/picks")
    ann_pick = pick_id(game_id, HOME)
    row = my_picks.locator(f"#pick-{ann_pick}")
    expect(row.locator(".pick-line").first).to_have_text("-3.5 -110")
    expect(row.locator(".pick-result")).to_have_text("Pending")

    # 2. A line move: the next fetch brings -5. The open pages follow without a reload.
    provider.set_odds(odds(game_id, tip, datetime.now(UTC), -5.0))
    fetch_odds(SystemClock())
    moved_at = latest_fetch(game_id)
    assert moved_at < tip, "the steps before the lock took too long for this test's tip-off"
    move = f"Spread Celtics {M}3.5 {A} {M}5"
    expect(slate.locator(f"#moves-{game_id}")).to_have_text(move, timeout=LIVE_WAIT_MS)
    expect(lines_from).to_contain_text(lines_from_text(moved_at, datetime.now(UTC), TZ))
    expect(card.get_by_role("button", name=f"Pick {HOME} spread -5 -110")).to_have_attribute(
        "aria-pressed", "true"
    )  # still her side; the line she got is the one she took
    expect(game.locator("#game-moves")).to_contain_text(move, timeout=LIVE_WAIT_MS)
    expect(game.locator("#game-lines-from")).to_have_text(
        lines_from_text(moved_at, datetime.now(UTC), TZ)
    )
    expect(mine).to_have_text(f"Spread: {HOME} -3.5 -110")
    expect(row.locator(".pick-line").first).to_have_text("-3.5 -110")
    expect(everyone).not_to_contain_text(bob)
    before_lock = list(frames)
    screenshot(slate, "follow-line-move")

    # 3. Lock: tip-off passes on the server's clock; the next job stores the closing line.
    time.sleep(max(0.0, (tip - datetime.now(UTC)).total_seconds()) + 1)
    grade()
    expect(game.locator("#game-status")).to_have_text("In play", timeout=LIVE_WAIT_MS)
    expect(everyone).to_contain_text(
        f"{bob} · Spread: {AWAY} +3.5 -110 · CLV -7.4 pp", timeout=LIVE_WAIT_MS
    )
    expect(mine).to_contain_text("CLV +2.6 pp", timeout=LIVE_WAIT_MS)
    expect(mine).to_contain_text(f"Spread: {HOME} -3.5 -110")
    expect(row.locator(".pick-clv")).to_have_text("CLV +2.6 pp", timeout=LIVE_WAIT_MS)
    expect(row.locator(".pick-live")).to_have_text("In play")
    expect(card).to_contain_text("Locked", timeout=LIVE_WAIT_MS)
    expect(card).to_contain_text(f"{bob} · Spread: {AWAY} +3.5 -110 · CLV -7.4 pp")
    assert before_lock, "no socket frames reached the game page before the lock"
    assert not [frame for frame in before_lock if bob in frame]

    # 4. A live score through the live-scores job: Celtics -3.5 at 50-44 is 46.5 > 44, winning.
    provider.set_scores(scores(game_id, tip, home=50, away=44, completed=False))
    assert "1 game(s) in play" in live_scores()
    score = "Live · Bucks 44, Celtics 50"
    expect(game.locator("#game-score")).to_have_text(score, timeout=LIVE_WAIT_MS)
    expect(mine.locator(".pick-standing")).to_have_text("Winning")
    expect(row.locator(".pick-live")).to_contain_text(score, timeout=LIVE_WAIT_MS)
    expect(row.locator(".pick-live .standing")).to_have_text("Winning")
    expect(card).to_contain_text(score, timeout=LIVE_WAIT_MS)
    expect(card.locator(".standing")).to_have_text("Winning")
    screenshot(game, "follow-live")

    # 5. Final, seen by the same live path: recorded and graded at once, CLV kept.
    provider.set_scores(scores(game_id, tip, home=108, away=101, completed=True))
    assert "1 final(s)" in live_scores()
    expect(row.locator(".pick-result")).to_have_text("Win", timeout=LIVE_WAIT_MS)
    expect(row.locator(".pick-units").first).to_have_text("+0.91u")
    expect(row.locator(".pick-clv")).to_have_text("CLV +2.6 pp")
    expect(my_picks.locator("#stat-record")).to_have_text("1-0-0")
    expect(game.locator("#game-score")).to_have_text(
        "Final · Bucks 101, Celtics 108", timeout=LIVE_WAIT_MS
    )
    expect(mine.locator(".pick-standing")).to_have_text("Win")
    expect(mine).to_contain_text("CLV +2.6 pp")
    screenshot(my_picks, "follow-final-my-picks")

    bobs.goto("/picks")
    bob_row = bobs.locator(f"#pick-{pick_id(game_id, AWAY)}")
    expect(bob_row.locator(".pick-result")).to_have_text("Loss")
    expect(bob_row.locator(".pick-units").first).to_have_text("-1.00u")
    expect(bob_row.locator(".pick-clv")).to_have_text("CLV -7.4 pp")
    assert errors == []
