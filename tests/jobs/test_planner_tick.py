"""The planner's tick against the fake Odds API over real HTTP, on both databases.

Two games tip at 7:40 pm EST on Sunday Nov 22 2026 (00:40 UTC on the 23rd); the morning fetch
stores them. Today's plan, hand-worked: 9 slate days are left in November (the budget's UTC
month ends at 7 pm EST on the 30th); the seed's jobs may still spend 9 x (3 + 2) = 45, so
500 - 45 - 20 = 435 are spare, 48 today. The whole plan at 1 h spacing fits: the closing
refresh at 19:37 and tiles every hour back to 05:37 (15 odds calls, 45 credits); the 3 credits
left buy live scores every hour over the 3 h after tip-off: 20:40, 21:40, 22:40.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.jobs import daily, planner, reminders, scheduler
from pickvs.jobs.runner import run_job
from pickvs.models import ApiCall, Game, GameStatus, JobRun, Pick
from pickvs.services import admin, planning
from pickvs.services.picks import PickPolicy
from tests.fake_provider import FakeOddsApi
from tests.jobs import payloads
from tests.services.builders import bare_game, commit_picks

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # 07:00 EST
TIP = datetime(2026, 11, 23, 0, 40, tzinfo=UTC)  # 19:40 EST
CLOSING = TIP - timedelta(minutes=3)
FIRST_LIVE = TIP + timedelta(hours=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def stored(engine: Engine, fake_api: FakeOddsApi, clock: FixedClock) -> FakeOddsApi:
    """The morning's fetch has stored the two games (one odds call, 3 credits)."""
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    run = run_job(daily.FETCH_ODDS, daily.fetch_odds, clock=clock, source="live", trigger="cli")
    assert run is not None and run.outcome == "ok", run and run.error
    return fake_api


def ledger_rows(engine: Engine) -> list[ApiCall]:
    with Session(engine) as session:
        return list(session.execute(select(ApiCall).order_by(ApiCall.id)).scalars())


def planned_runs(engine: Engine) -> list[JobRun]:
    with Session(engine) as session:
        stmt = select(JobRun).where(JobRun.job.in_((planning.PLANNED_ODDS, planning.LIVE_SCORES)))
        return list(session.execute(stmt.order_by(JobRun.id)).scalars())


def test_todays_plan_is_the_hand_worked_one(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    with Session(engine) as session:
        plan = planning.day_plan(session, clock.now(), planning.current_settings())
    assert (plan.spare, plan.allowance, plan.fallback) == (435, 48, False)
    odds = [c.at for c in plan.calls if c.kind == "odds"]
    live = [c.at for c in plan.calls if c.kind == "live-scores"]
    assert odds == [CLOSING - timedelta(hours=n) for n in range(14, -1, -1)]
    assert live == [TIP + timedelta(hours=n) for n in (1, 2, 3)]
    assert plan.cost == 48


def test_a_due_refresh_runs_once_for_the_games_not_locked(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    clock.set(CLOSING)
    runs = planner.planner_tick(clock)
    assert [(r.job, r.outcome, r.slot and r.slot.astimezone(UTC)) for r in runs] == [
        (planning.PLANNED_ODDS, "ok", CLOSING)
    ]
    assert (runs[0].detail or "").startswith("closing lines for 2 games: basketball_nba: ")
    _path, query = stored.calls("odds")[-1]
    assert query["commenceTimeFrom"] == "2026-11-23T00:37:00Z"
    # The same minute again, and the next: the slot is taken, nothing is called.
    assert planner.planner_tick(clock) == []
    clock.advance(minutes=1)
    assert planner.planner_tick(clock) == []
    assert len(stored.calls("odds")) == 2  # the morning's and the planned one
    assert [row.credits_last for row in ledger_rows(engine) if row.endpoint.endswith("/odds")] == [
        3,
        3,
    ]
    # A call missed by more than its grace (10 min) is not made late.
    clock.set(CLOSING - timedelta(hours=1) + timedelta(minutes=11))
    assert planner.planner_tick(clock) == []


def test_two_concurrent_ticks_run_a_slot_once(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    clock.set(CLOSING)
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def tick() -> None:
        barrier.wait()
        results.append(planner.planner_tick(clock))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(len(runs) for runs in results) == [0, 1]
    assert [(r.job, r.outcome) for r in planned_runs(engine)] == [(planning.PLANNED_ODDS, "ok")]
    assert len(stored.calls("odds")) == 2


def _picks(engine: Engine, clock: FixedClock) -> None:
    commit_picks(
        engine,
        clock.now(),
        (payloads.BOS_MIL, "h2h", "Boston Celtics"),
        (payloads.LAL_DEN, "spreads", "Los Angeles Lakers"),
        policy=PickPolicy(0, ["draftkings"]),
    )


def _stale_game(engine: Engine) -> None:
    """A game that tipped at 10 pm yesterday and is still open: a results call covering it and
    not listing it would postpone it; a live call must not."""
    with Session(engine) as session:
        bare_game(session, "old0", NOW - timedelta(hours=9), home="Utah Jazz", away="Phoenix Suns")
        session.commit()


def test_live_scores_show_in_play_scores_and_grade_finals_at_once(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    _picks(engine, clock)
    _stale_game(engine)
    in_play = payloads.scores_payload(TIP, bos=50, mil=48, lal=0, den=0, completed=False)[:1]
    final = payloads.scores_payload(TIP, bos=0, mil=0, lal=100, den=103)[1:]
    stored.set_scores(in_play + final)
    clock.set(FIRST_LIVE)
    runs = planner.planner_tick(clock)
    assert [(r.job, r.outcome) for r in runs] == [(planning.LIVE_SCORES, "ok")], runs
    _path, query = stored.calls("scores")[-1]
    assert "daysFrom" not in query
    assert ledger_rows(engine)[-1].credits_last == 1
    with Session(engine) as session:
        games = {g.id: g for g in session.execute(select(Game)).scalars()}
        picks = {
            p.game_id: (p.status, p.result_units) for p in session.execute(select(Pick)).scalars()
        }
    bos, lal = games[payloads.BOS_MIL], games[payloads.LAL_DEN]
    assert (bos.status, bos.live_home_score, bos.live_away_score, bos.home_score) == (
        "in_progress",
        50,
        48,
        None,
    )
    assert bos.live_at is not None and bos.live_at.replace(tzinfo=UTC) == FIRST_LIVE
    # LAL 100-103 DEN, Lakers +3: 103 v 103, a push, graded in the same run.
    assert (lal.status, lal.home_score, lal.away_score, lal.settled_by) == (
        "final",
        100,
        103,
        "feed",
    )
    assert picks == {payloads.BOS_MIL: ("pending", None), payloads.LAL_DEN: ("push", 0.0)}
    # Missing from the live call, nearly a day after its tip-off: not postponed.
    assert games["old0"].status == GameStatus.SCHEDULED
    # The run ended with services.clv.update_clv: both picks, now locked, have their CLV
    # against the morning's line (the last before the lock).
    with Session(engine) as session:
        clv = {
            p.game_id: (p.close_price, p.clv_at) for p in session.execute(select(Pick)).scalars()
        }
    assert {gid: price for gid, (price, _at) in clv.items()} == {
        payloads.BOS_MIL: -180,
        payloads.LAL_DEN: -110,
    }
    assert all(at is not None for _price, at in clv.values())


def test_a_final_seen_live_never_overrides_an_admin(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    _picks(engine, clock)
    clock.set(FIRST_LIVE)
    with Session(engine) as session:
        admin.settle(session, payloads.LAL_DEN, 110, 90, "ops", clock.now())
        session.commit()
    final = payloads.scores_payload(TIP, bos=60, mil=50, lal=100, den=103)
    final[0]["completed"] = False
    stored.set_scores(final)
    runs = planner.planner_tick(clock)
    assert [(r.job, r.outcome) for r in runs] == [(planning.LIVE_SCORES, "ok")]
    assert "1 admin settlement(s) kept" in (runs[0].detail or "")
    with Session(engine) as session:
        lal = session.get(Game, payloads.LAL_DEN)
        assert lal is not None
        assert (lal.home_score, lal.away_score, lal.settled_by) == (110, 90, "admin:ops")


def test_no_live_call_when_no_game_is_in_play(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    with Session(engine) as session:
        for game in session.execute(select(Game)).scalars():
            game.commence_time = game.commence_time + timedelta(days=1)  # moved to tomorrow
        session.commit()
    clock.set(FIRST_LIVE)
    planner.planner_tick(clock)
    assert stored.calls("scores") == []


def test_a_planned_call_is_refused_when_it_would_eat_the_seed_jobs_credits(
    engine: Engine, stored: FakeOddsApi, clock: FixedClock
) -> None:
    """Spent today, after the plan was made: 3 + 437 = 440. At 19:37 the seed jobs may still
    spend 8 x 5 = 40 (Nov 23-30) and 20 are reserved: 440 + 3 > 500 - 60."""
    with Session(engine) as session:
        session.add(
            ApiCall(
                at=NOW + timedelta(hours=1),
                source="live",
                endpoint="/v4/sports/basketball_nba/odds",
                outcome="ok",
                estimated_cost=437,
                credits_last=437,
            )
        )
        session.commit()
    clock.set(CLOSING)
    runs = planner.planner_tick(clock)
    assert [(r.job, r.outcome) for r in runs] == [(planning.PLANNED_ODDS, "refused")]
    assert "60 held for the daily jobs and results" in (runs[0].error or "")
    refused = ledger_rows(engine)[-1]
    assert (refused.outcome, refused.estimated_cost) == ("refused", 3)
    assert len(stored.calls("odds")) == 1  # the morning's only


def test_a_failing_reminder_is_logged_and_the_tick_goes_on(
    engine: Engine,
    stored: FakeOddsApi,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_clock: object) -> str:
        raise RuntimeError("webhook down")

    monkeypatch.setattr(planner.reminders, "run_due_reminders", broken)
    clock.set(CLOSING)
    with caplog.at_level(logging.ERROR, logger="pickvs.planner"):
        runs = planner.planner_tick(clock)
    assert [r.outcome for r in runs] == ["ok"]
    assert "reminders failed" in caplog.text


@pytest.mark.parametrize("enabled", [True, False])
def test_the_scheduler_ticks_every_minute_only_with_the_planner(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    monkeypatch.setattr(settings, "planner", enabled)
    jobs = {job.id: job for job in scheduler.build_scheduler(FixedClock()).get_jobs()}
    assert (scheduler.PLANNER_JOB in jobs) is enabled
    # Without the planner the minute tick still posts the reminders, and calls nothing paid.
    assert (scheduler.REMINDERS_JOB in jobs) is not enabled
    tick = jobs[scheduler.PLANNER_JOB if enabled else scheduler.REMINDERS_JOB]
    assert tick.trigger.interval == timedelta(minutes=1)
    assert tick.max_instances == 1 and tick.coalesce is True
    assert tick.func is (planner.planner_tick if enabled else reminders.run_due_reminders)


def test_a_late_games_live_scores_run_past_midnight(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    """Two games at 11:30 pm. 48 credits: the 2 h plan (23:27 and tiles back to 05:27, 10
    calls, 30 credits) fits, the 1 h one (19 calls) does not; 18 credits buy live scores every
    10 min over 23:30-02:30, so most fall on the next slate day: today's plan after midnight
    has none of them, yesterday's does."""
    late = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)  # 23:30 EST on the 22nd
    fake_api.set_odds(payloads.odds_payload(late, NOW))
    run_job(daily.FETCH_ODDS, daily.fetch_odds, clock=clock, source="live", trigger="cli")
    fake_api.set_scores(
        payloads.scores_payload(late, bos=10, mil=12, lal=8, den=9, completed=False)
    )
    clock.set(late + timedelta(minutes=40))  # 00:10 EST on the 23rd
    runs = planner.planner_tick(clock)
    assert [(r.job, r.outcome, r.slot and r.slot.astimezone(UTC)) for r in runs] == [
        (planning.LIVE_SCORES, "ok", late + timedelta(minutes=40))
    ]
    assert (runs[0].detail or "").startswith("live scores every 10 min during games: ")
