"""Game day on several workers: the credit planner's live scores, paid once a slot, reach open
pages held by either worker.

The production app runs with two backend workers on Redis against one PostgreSQL, in live mode
against the fake Odds API on loopback (`ODDS_API_BASE_URL`, a key), with the planner on and
`PICKVS_MONTHLY_CREDITS=20000`: today's plan then has a live-scores call (scores without
daysFrom, 1 credit) every minute from a minute after each tip-off (`domain.planner`), and each
worker's scheduler ticks the planner every minute (`jobs.planner.planner_tick`).

1. Bucks @ Celtics tipped three minutes ago (its lines fetched two minutes before tip-off);
   Ann picked the Celtics moneyline at -150 and Bea the Bucks at +130 a minute before tip-off
   (through the services, as the odds job and the pick form write them).
2. Ann keeps the game page open, Bea the slate, each on a different worker (the socket records
   Reflex keeps in Redis name the worker), and each a My picks tab. Nothing is reloaded from
   here on. The fake's scores answer, in turn: nothing yet, Celtics 50-44 (Ann "Winning", Bea
   "Losing"), Bucks 61-58 (the other way round), then a completed 108-101. Whichever worker's
   planner tick makes the call, both open pages follow: the score and standing, then the final
   graded at once: Ann "Win", +0.67u (-150 pays 100/150), Bea "Loss", -1.00u.
3. The ledger: exactly one `live-scores` run per planned slot that came due (none missing, none
   twice), each paid exactly once (one `api_call` row) while the game was in play and none after
   the final; and the fake's own request log holds exactly that many scores calls without
   daysFrom: every planned call was paid once, by one worker.

Run with `python -m pytest -m scale tests/scale` (scripts/test.sh does). The first run builds
the frontend into .tools/scale-web (PICKVS_SCALE_WEB_DIR), a few minutes; later runs reuse it.
The test itself takes about four minutes: one planned call a minute, three score changes.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain import budget
from pickvs.domain import planner as plan_rules
from pickvs.jobs.daily import FETCH_ODDS, PROCESS_RESULTS
from pickvs.models import ApiCall, JobRun, Pick, User
from pickvs.services import planning
from pickvs.services.picks import PickPolicy, PickRequest, submit_picks
from tests.browser.conftest import register
from tests.browser.test_follow_a_game import AWAY, HOME, scores, signed_in
from tests.browser.test_slate import card, seed
from tests.conftest import PostgresDatabases
from tests.fake_provider import FakeOddsApi
from tests.scale.apps import Server
from tests.scale.test_workers import (
    SETTLE_MARGIN,
    WORKERS,
    Scene,
    as_utc,
    new_player_page,
    reload_apart,
    served_scene,
    socket_record,
    worker_pids,
)
from tests.services.builders import Book
from tests.slate_day import wait_for_one_slate_day

# The build (first run only) is bounded by start_server's own timeout; the rest is ~4 minutes.
pytestmark = [pytest.mark.scale, pytest.mark.timeout(1500)]

CREDITS = 20_000  # a paid key: the planner plans live scores every minute during games
SINCE_TIP = timedelta(minutes=3)
PICKED_BEFORE = timedelta(minutes=1)
FOLLOWED = timedelta(minutes=10)  # from seeding the game to its final, with margin
# The next planned call (at most a minute away), its run, then the page's next re-read
# (pickvs/state/live.py, every 20 s) and a margin for a loaded machine.
LIVE_WAIT_MS = 110_000
START_JOBS_WAIT = 90  # seconds for the start-up catch-up of the two seed jobs to finish


@dataclass(frozen=True)
class GameDay:
    scene: Scene
    provider: FakeOddsApi


def far_cron(minute: int) -> str:
    """A daily crontab line twelve hours from now (league time): the seed jobs' start-up
    catch-up runs once, and no cron fires while the test runs."""
    hour = (datetime.now(settings.tz).hour + 12) % 24
    return f"{minute} {hour} * * *"


ODDS_CRON, RESULTS_CRON = far_cron(0), far_cron(30)


def game_day_env(redis_url: str, *, provider: FakeOddsApi) -> dict[str, str]:
    return {
        "REFLEX_REDIS_URL": redis_url,
        # Live mode against the fake over loopback (the browser suite's follow test points its
        # jobs at it the same way); nothing is ever sent to the real provider.
        "ODDS_API_KEY": "test-key-123",
        "ODDS_API_BASE_URL": provider.base_url,
        "PICKVS_MONTHLY_CREDITS": str(CREDITS),
        "PICKVS_PLANNER": "true",
        "PICKVS_ODDS_CRON": ODDS_CRON,
        "PICKVS_RESULTS_CRON": RESULTS_CRON,
        "PICKVS_LOCK_MINUTES": "0",
    }


@pytest.fixture(scope="module")
def game_day(
    pg_databases: PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GameDay]:
    with FakeOddsApi(monthly_credits=CREDITS) as provider:
        # Until the game is seeded the provider knows of no game at all (the start-up
        # catch-up's odds and results calls find nothing).
        provider.set_odds([])
        provider.set_scores([])
        env = partial(game_day_env, provider=provider)
        with served_scene(pg_databases, tmp_path_factory, "game_day", env) as scene:
            yield GameDay(scene, provider)


# --- the database, from the test ------------------------------------------------------------


@contextmanager
def session_on(scene: Scene) -> Iterator[Session]:
    """A session on the server's database, from the test process."""
    engine = db.make_engine(scene.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def job_runs(scene: Scene, *jobs: str) -> list[JobRun]:
    with session_on(scene) as session:
        stmt = select(JobRun).where(JobRun.job.in_(jobs)).order_by(JobRun.id)
        return list(session.execute(stmt).scalars())


def wait_for_start_up_jobs(scene: Scene) -> None:
    """The seed jobs' start-up catch-up (each worker's scheduler tries; one claims each slot)
    has finished, so nothing of it runs once the game is in the database."""
    deadline = time.monotonic() + START_JOBS_WAIT
    while time.monotonic() < deadline:
        runs = job_runs(scene, FETCH_ODDS, PROCESS_RESULTS)
        done = {run.job for run in runs if run.outcome != "running"}
        if done == {FETCH_ODDS, PROCESS_RESULTS}:
            assert [run.outcome for run in runs] == ["ok", "ok"], [(r.job, r.error) for r in runs]
            return
        time.sleep(0.5)
    raise AssertionError(f"the start-up catch-up did not finish: {job_runs(scene, FETCH_ODDS)}")


def seed_picks(
    scene: Scene, game_id: str, picked_at: datetime, *picks: tuple[str, str]
) -> dict[str, int]:
    """Each (username, team) a moneyline pick made at `picked_at` through the pick service;
    the pick ids by username."""
    policy = PickPolicy(lock_minutes=0, bookmakers=tuple(settings.bookmakers))
    made: dict[str, Pick] = {}
    with session_on(scene) as session:
        for username, team in picks:
            user = session.execute(select(User).where(User.username == username)).scalar_one()
            request = PickRequest(game_id, "h2h", team)
            (made[username],) = submit_picks(session, user, [request], picked_at, policy)
        session.commit()
    return {username: pick.id for username, pick in made.items() if pick.id is not None}


def plan_settings() -> planning.PlanSettings:
    """The server's plan settings (its environment, as `planning.current_settings` reads it)."""
    return planning.PlanSettings(
        tz=settings.tz,
        monthly_credits=CREDITS,
        sports=1,
        odds_cost=budget.odds_call_cost(len(settings.markets), len(settings.regions)),
        odds_cron=ODDS_CRON,
        results_cron=RESULTS_CRON,
        lock_minutes=0,
    )


def planned_live_slots(scene: Scene, now: datetime) -> list[datetime]:
    with session_on(scene) as session:
        calls = planning.calls_around(session, now, plan_settings())
    return [call.at for call in calls if call.kind == plan_rules.LIVE]


def paid_calls(scene: Scene, run_ids: list[int]) -> Counter[int]:
    """Provider calls in the quota ledger per job run (refusals and errors included)."""
    with session_on(scene) as session:
        stmt = select(ApiCall.job_run_id).where(ApiCall.job_run_id.in_(run_ids))
        return Counter(session.execute(stmt).scalars())


# --- the pages ----------------------------------------------------------------------------------


def worker_of(scene: Scene, page: Page) -> str:
    return socket_record(scene, page).instance_id


def expect_standing(game: Page, slate: Page, game_id: str, ann: str, bea: str) -> None:
    """Ann's game page shows her pick standing `ann`, Bea's slate card hers `bea`."""
    expect(game.locator("#game-mine .pick-standing")).to_have_text(ann)
    expect(card(slate, game_id).locator(".standing")).to_have_text(bea)


def expect_score(game: Page, slate: Page, game_id: str, shown: str) -> None:
    expect(game.locator("#game-score")).to_have_text(shown, timeout=LIVE_WAIT_MS)
    expect(card(slate, game_id)).to_contain_text(shown, timeout=LIVE_WAIT_MS)


# --- the test ---------------------------------------------------------------------------------


def test_live_scores_planned_every_minute_reach_both_workers_pages_and_each_slot_is_paid_once(
    game_day: GameDay, browser: Browser
) -> None:
    scene, provider = game_day.scene, game_day.provider
    assert len(worker_pids(scene.first)) == WORKERS
    wait_for_start_up_jobs(scene)

    tag = uuid.uuid4().hex[:8]
    game_id, ann, bea = f"gameday{tag}", f"ann{tag[:6]}", f"bea{tag[:6]}"
    contexts: list[BrowserContext] = []
    try:
        ann_game = new_player_page(browser, scene.first, contexts)
        bea_slate = new_player_page(browser, scene.first, contexts)
        tokens = {ann: register(ann_game, ann), bea: register(bea_slate, bea)}

        # 1. In play for three minutes; both picked a minute before tip-off.
        # The picks, the tip three minutes back and the minutes it is followed: one slate day.
        wait_for_one_slate_day(settings.tz, back=SINCE_TIP + PICKED_BEFORE, ahead=FOLLOWED)
        tip = (datetime.now(UTC) - SINCE_TIP).replace(microsecond=0)
        seed(scene, game_id, tip, HOME, AWAY, Book(h2h=(-150, 130)))  # lines at now - 5 min
        pick_ids = seed_picks(scene, game_id, tip - PICKED_BEFORE, (ann, HOME), (bea, AWAY))
        seeded_at = datetime.now(UTC)
        planned = planned_live_slots(scene, seeded_at)
        first_slot = tip.replace(second=0) + plan_rules.LIVE_MIN_INTERVAL
        assert planned[:5] == [first_slot + timedelta(minutes=n) for n in range(5)]

        # 2. Ann's game page and Bea's slate, on different workers; a My picks tab each.
        signed_in(ann_game, tokens[ann]).goto(f"/game/{game_id}")
        expect(ann_game.locator("#game-status")).to_have_text("In play")
        expect(ann_game.locator("#game-mine")).to_contain_text(f"Moneyline: {HOME} -150")
        signed_in(bea_slate, tokens[bea]).goto("/")
        expect(card(bea_slate, game_id)).to_contain_text(f"{ann} · Moneyline: {HOME} -150")
        bea_worker, ann_worker = reload_apart(scene, bea_slate, ann_game, f"#game-{game_id}")
        assert bea_worker != ann_worker
        my_picks = {}  # each player's My picks row, in a tab of their own browser
        for page, player in ((ann_game, ann), (bea_slate, bea)):
            tab = page.context.new_page()
            tab.goto("/picks")
            my_picks[page] = tab.locator(f"#pick-{pick_ids[player]}")
            expect(my_picks[page].locator(".pick-result")).to_have_text("Pending")
        workers = {
            "ann game": ann_worker,
            "bea slate": bea_worker,
            "ann picks": worker_of(scene, my_picks[ann_game].page),
            "bea picks": worker_of(scene, my_picks[bea_slate].page),
        }
        print(f"\nsockets on workers: {workers}")
        expect(ann_game.locator("#game-score")).to_have_count(0)  # no score yet

        # Live: Celtics 50-44. The next planned call brings it; both pages follow unreloaded.
        provider.set_scores(scores(game_id, tip, home=50, away=44, completed=False))
        expect_score(ann_game, bea_slate, game_id, "Live · Bucks 44, Celtics 50")
        expect_standing(ann_game, bea_slate, game_id, "Winning", "Losing")
        expect(my_picks[ann_game].locator(".pick-live .standing")).to_have_text(
            "Winning", timeout=LIVE_WAIT_MS
        )  # each tab re-reads on its own 20 s tick
        # The score changes hands: Bucks 61-58.
        provider.set_scores(scores(game_id, tip, home=58, away=61, completed=False))
        expect_score(ann_game, bea_slate, game_id, "Live · Bucks 61, Celtics 58")
        expect_standing(ann_game, bea_slate, game_id, "Losing", "Winning")
        expect(my_picks[bea_slate].locator(".pick-live .standing")).to_have_text(
            "Winning", timeout=LIVE_WAIT_MS
        )
        # Final 108-101, seen live: recorded and graded at once, on every open page.
        provider.set_scores(scores(game_id, tip, home=108, away=101, completed=True))
        expect_score(ann_game, bea_slate, game_id, "Final · Bucks 101, Celtics 108")
        expect_standing(ann_game, bea_slate, game_id, "Win", "Loss")
        for page, result, units in ((ann_game, "Win", "+0.67u"), (bea_slate, "Loss", "-1.00u")):
            row = my_picks[page]
            expect(row.locator(".pick-result")).to_have_text(result, timeout=LIVE_WAIT_MS)
            expect(row.locator(".pick-units").first).to_have_text(units)
    finally:
        for context in contexts:
            context.close()

    # 3. The ledger: one live-scores run per planned slot that came due, each paid once.
    runs = job_runs(scene, planning.LIVE_SCORES)
    final_run = next(run for run in runs if "1 final(s)" in (run.detail or ""))
    assert final_run.slot is not None
    until = max(as_utc(final_run.slot), datetime.now(UTC) - SETTLE_MARGIN)
    runs = [run for run in runs if run.slot is not None and as_utc(run.slot) <= until]
    slots = [as_utc(run.slot) for run in runs if run.slot is not None]
    per_slot = Counter(slots)
    assert [slot for slot, count in per_slot.items() if count != 1] == []
    # Every planned slot that came due after the game was stored ran; the one in progress when
    # it was stored may have (a tick later in that minute) or not; no run is off the plan.
    due = [slot for slot in planned if seeded_at < slot <= until]
    assert [slot for slot in due if slot not in per_slot] == []
    assert sorted(set(slots) - set(due)) in ([], [seeded_at.replace(second=0, microsecond=0)])
    assert [(run.outcome, run.trigger) for run in runs] == [("ok", "planner")] * len(runs)
    paid = paid_calls(scene, [run.id for run in runs if run.id is not None])
    final_slot = as_utc(final_run.slot)
    in_play = [run for run in runs if run.slot is not None and as_utc(run.slot) <= final_slot]
    assert len(in_play) >= 3, "three score changes seen need three planned calls at least"
    assert [paid[run.id] for run in in_play if run.id is not None] == [1] * len(in_play)
    after = [run for run in runs if run not in in_play]
    assert [paid[run.id] for run in after if run.id is not None] == [0] * len(after)
    live_calls = [query for _, query in provider.calls("scores") if "daysFrom" not in query]
    assert len(live_calls) == len(in_play)
    print(
        f"live-scores: {len(runs)} run(s), slots {slots[0]:%H:%M}-{slots[-1]:%H:%M} UTC, "
        f"{len(live_calls)} paid scores call(s) while in play, final at {final_slot:%H:%M}"
    )
    assert_server_alive(scene.first)


def assert_server_alive(server: Server) -> None:
    assert server.process.poll() is None, server.log_tail()
