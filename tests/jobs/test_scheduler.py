"""The scheduler: cron wiring, start-up catch-up, and exactly one run per trigger across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.jobs import scheduler
from pickvs.jobs.daily import FETCH_ODDS, PROCESS_RESULTS
from pickvs.models import JobRun, Pick
from tests.conftest import empty_tables

ROOT = Path(__file__).resolve().parents[2]
ET = "America/New_York"


def test_previous_fire_time_is_the_due_slot_in_league_time() -> None:
    trigger = scheduler.cron_triggers()[FETCH_ODDS]  # 0 5 * * * America/New_York
    # 2026-11-22 12:00 UTC is 07:00 EST: today's 05:00 EST (10:00 UTC) is the due slot.
    slot = scheduler.previous_fire_time(trigger, datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    assert slot == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    # 09:59 UTC is 04:59 EST: yesterday's run is the one due.
    slot = scheduler.previous_fire_time(trigger, datetime(2026, 11, 22, 9, 59, tzinfo=UTC))
    assert slot == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    # Summer: 05:00 EDT is 09:00 UTC.
    slot = scheduler.previous_fire_time(trigger, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert slot == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def test_previous_fire_time_of_an_every_minute_crontab_across_the_end_of_daylight_saving() -> None:
    """2026-11-01: 01:00-02:00 happens twice in New York (EDT, then EST). An every-minute
    crontab's slot is the minute just passed, in and after the repeated hour, found quickly."""
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger.from_crontab("* * * * *", timezone=ET)
    for now, due in (
        (datetime(2026, 11, 1, 5, 30, 20, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (datetime(2026, 11, 1, 6, 30, 20, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),
        (datetime(2026, 12, 2, 0, 45, 59, tzinfo=UTC), datetime(2026, 12, 2, 0, 45, tzinfo=UTC)),
    ):
        started = time.monotonic()
        assert scheduler.previous_fire_time(trigger, now) == due
        assert time.monotonic() - started < 0.5


def test_scheduler_jobs_coalesce_in_league_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "planner", False)  # the seed's two fixed jobs exactly
    sched = scheduler.build_scheduler(FixedClock())
    jobs = {job.id: job for job in sched.get_jobs()}
    # Provider calls: the two cron jobs only; the minute tick posts reminders (no credits).
    assert set(jobs) == {FETCH_ODDS, PROCESS_RESULTS, "catch-up", scheduler.REMINDERS_JOB}
    for name in (FETCH_ODDS, PROCESS_RESULTS):
        assert jobs[name].coalesce is True
        assert jobs[name].max_instances == 1
        assert str(jobs[name].trigger.timezone) == ET
    assert (
        str(jobs[PROCESS_RESULTS].trigger)
        == "cron[month='*', day='*', day_of_week='*', hour='9', minute='0']"
    )


def test_catch_up_runs_missed_jobs_once(engine: Engine, clock: FixedClock) -> None:
    runs = scheduler.catch_up(clock)
    assert [r.job for r in runs if r] == [FETCH_ODDS, PROCESS_RESULTS]
    assert all(r and r.outcome == "ok" and r.trigger == "startup" for r in runs)
    # Started again in the same period: nothing is due.
    assert scheduler.catch_up(clock) == []
    # A day later both slots are due again.
    clock.advance(days=1)
    assert len(scheduler.catch_up(clock)) == 2


def test_same_slot_runs_once_in_one_process(engine: Engine, clock: FixedClock) -> None:
    first = scheduler.run_scheduled(FETCH_ODDS, clock)
    second = scheduler.run_scheduled(FETCH_ODDS, clock)
    assert first is not None and first.outcome == "ok"
    assert second is None


WORKER = """
import sys, time
from datetime import datetime
from pickvs import db
from pickvs.jobs import scheduler
db.configure(sys.argv[1])
catch_up = sys.argv[2] == "catch-up"
fire_at = float(sys.argv[3])
sched = scheduler.start_background(catch_up_on_start=catch_up)
while time.time() < fire_at:
    time.sleep(0.002)
if not catch_up:
    for job in ("fetch-odds", "process-results"):
        sched.modify_job(job, next_run_time=datetime.now(sched.timezone))
time.sleep(4)
scheduler.stop(wait=True)
print("done")
"""


def _run_two_schedulers(url: str, mode: str) -> None:
    fire_at = time.time() + 4.0
    env = {"PATH": "/usr/bin:/bin", "PICKVS_DATA_DIR": str(ROOT / "data" / "test"), "HOME": "/tmp"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, mode, str(fire_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err[-2000:]
        assert "done" in out


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["catch-up", "trigger"])
def test_two_processes_on_one_postgres_run_each_trigger_once(
    database_urls: dict[str, str], mode: str
) -> None:
    url = database_urls["postgresql"]
    engine = db.configure(url)
    empty_tables(engine)
    _run_two_schedulers(url, mode)
    with Session(engine) as session:
        rows = session.execute(
            select(JobRun.job, JobRun.slot, func.count())
            .group_by(JobRun.job, JobRun.slot)
            .order_by(JobRun.job)
        ).all()
        outcomes = set(session.execute(select(JobRun.outcome)).scalars())
    assert [(job, count) for job, _slot, count in rows] == [
        (FETCH_ODDS, 1),
        (PROCESS_RESULTS, 1),
    ]
    assert outcomes == {"ok"}
    assert settings.timezone == ET


def test_a_job_never_overlaps_itself(engine: Engine, clock: FixedClock) -> None:
    """A run that finds the job's lease held by a live run records itself as skipped."""
    from pickvs.jobs.runner import run_job
    from pickvs.services import jobruns

    with Session(engine) as session:
        assert jobruns.acquire_lease(session, FETCH_ODDS, "other-worker", clock.now())
    result = run_job(FETCH_ODDS, lambda ctx: "ran", clock=clock, source="demo", trigger="cli")
    assert result is not None
    assert (result.outcome, result.detail) == ("skipped", "another fetch-odds run is in progress")
    # Once the other run's lease has expired (it crashed), the job runs again.
    clock.advance(hours=1)
    result = run_job(FETCH_ODDS, lambda ctx: "ran", clock=clock, source="demo", trigger="cli")
    assert result is not None and (result.outcome, result.detail) == ("ok", "ran")


def test_catch_up_prices_older_picks_that_never_got_a_clv(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pick on a game locked ten days before start-up (before this version, say): the start's
    catch-up stores its CLV once; the jobs' own recheck covers three days only."""
    from tests.services.builders import HOME_TEAM, POLICY, Book, picked_game

    monkeypatch.setattr(settings, "bookmakers", list(POLICY.bookmakers))
    tip = datetime(2026, 11, 12, 0, 10, tzinfo=UTC)
    with Session(engine) as session:
        # Ann takes the home side at -150; it closes at -200 / +170.
        _, _, (pick,) = picked_game(
            session, tip, Book(h2h=(-150, 130)), ("h2h", HOME_TEAM), closing=Book(h2h=(-200, 170))
        )
        session.commit()
        pick_id = pick.id
    clock = FixedClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))

    scheduler.catch_up(clock)
    assert scheduler.backfill_clv(clock) == 0  # done at the first start
    with Session(engine) as session:
        stored = session.get(Pick, pick_id)
        assert stored is not None
        # No-vig close (200/300) / (200/300 + 100/270) = 0.642857 against -150's 0.6: +4.2857
        assert stored.clv == pytest.approx(4.2857, abs=1e-4)
        assert stored.close_price == -200
