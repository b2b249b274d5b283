"""APScheduler inside the app process: the two daily jobs, the planner's minute tick (with
PICKVS_PLANNER), start-up catch-up, clean shutdown.

Several workers or replicas may each run a scheduler: `job_run`'s unique (job, slot) lets
exactly one of them run each trigger, and the job lease stops a job overlapping itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain.clock import Clock, SystemClock
from pickvs.jobs.daily import FETCH_ODDS, JOBS, PROCESS_RESULTS
from pickvs.jobs.planner import planner_tick
from pickvs.jobs.reminders import run_due_reminders
from pickvs.jobs.runner import run_job
from pickvs.jobs.source import source_label
from pickvs.models import JobRun
from pickvs.services import clv, jobruns

log = logging.getLogger("pickvs.scheduler")

LOOKBACK = timedelta(days=35)
PLANNER_JOB = "planner"  # every minute with PICKVS_PLANNER: runs the day's planned calls
# Every minute without the planner: the daily reminder webhooks alone (they spend no credits,
# so PICKVS_PLANNER=false still leaves the provider calls exactly the seed's two jobs).
REMINDERS_JOB = "reminders"
_lock = threading.Lock()
_scheduler: BackgroundScheduler | None = None


def cron_triggers() -> dict[str, CronTrigger]:
    """The scheduled jobs and their crontab lines, in the league's time zone."""
    return {
        FETCH_ODDS: CronTrigger.from_crontab(settings.odds_cron, timezone=settings.tz),
        PROCESS_RESULTS: CronTrigger.from_crontab(settings.results_cron, timezone=settings.tz),
    }


def previous_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest scheduled time at or before `now`: the slot a run at `now` belongs to.

    Walks forward from a little before `now`, widening the window only when it holds no fire
    time, so an every-minute crontab costs a few steps rather than 35 days of minutes. Steps are
    taken in UTC: local-time arithmetic drops `fold`, and in the repeated hour when daylight
    saving ends the trigger would be asked about an hour it already passed, and loop there.
    """
    for lookback in (timedelta(hours=2), timedelta(days=2), LOOKBACK):
        latest = None
        candidate = _next_fire_utc(trigger, now - lookback)
        # Each step must move forward, so no trigger quirk can keep this loop going.
        while candidate is not None and candidate <= now and (latest is None or candidate > latest):
            latest = candidate
            candidate = _next_fire_utc(trigger, candidate + timedelta(seconds=1))
        if latest is not None:
            return latest
    return None


def _next_fire_utc(trigger: CronTrigger, after: datetime) -> datetime | None:
    """In UTC: same-zone datetimes compare by wall clock, and in the repeated hour 01:30 is two
    different times."""
    fire = trigger.get_next_fire_time(None, after.astimezone(UTC))
    return fire.astimezone(UTC) if fire is not None else None


def run_scheduled(name: str, clock: Clock, trigger_kind: str = "schedule") -> JobRun | None:
    """Run a job for the slot that has just come due (or was missed, at start-up)."""
    slot = previous_fire_time(cron_triggers()[name], clock.now())
    return run_job(
        name, JOBS[name], clock=clock, source=source_label(), trigger=trigger_kind, slot=slot
    )


def needs_catch_up(name: str, now: datetime) -> bool:
    """True when the last due slot passed with no successful run after it."""
    slot = previous_fire_time(cron_triggers()[name], now)
    if slot is None:
        return False
    with session_scope() as session:
        last = jobruns.last_success(session, name)
    return last is None or last.started_at < slot


def catch_up(clock: Clock) -> list[JobRun | None]:
    """Run, once, each job whose last due run was missed while the app was down; then price
    the older picks that never got a closing line (`backfill_clv`)."""
    runs = [
        run_scheduled(name, clock, "startup")
        for name in (FETCH_ODDS, PROCESS_RESULTS)
        if needs_catch_up(name, clock.now())
    ]
    backfill_clv(clock)
    return runs


def backfill_clv(clock: Clock) -> int:
    """CLV for picks on games locked before the jobs' recheck window that have none yet (made
    before this version, or while the app was down for days). A failure is logged and leaves
    them for the next start: it must not stop the scheduler."""
    try:
        with session_scope() as session:
            changed = clv.backfill_clv(session, clock.now(), settings.lock_minutes)
    except SQLAlchemyError:
        log.exception("start-up CLV backfill failed; it is tried again at the next start")
        return 0
    if changed:
        log.info("start-up: closing line and CLV stored for %d older pick(s)", changed)
    return changed


def build_scheduler(clock: Clock, catch_up_on_start: bool = True) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=settings.tz)
    for name, trigger in cron_triggers().items():
        _add_recurring(scheduler, name, run_scheduled, trigger, (name, clock), grace_seconds=3600)
    # The planner's tick runs the due reminders itself.
    tick, tick_id = (
        (planner_tick, PLANNER_JOB) if settings.planner else (run_due_reminders, REMINDERS_JOB)
    )
    minutely = IntervalTrigger(minutes=1, timezone=settings.tz)
    _add_recurring(scheduler, tick_id, tick, minutely, (clock,), grace_seconds=60)
    if catch_up_on_start:
        # A date job with no run date fires at once, off the start-up path.
        scheduler.add_job(catch_up, args=(clock,), id="catch-up", name="catch-up")
    return scheduler


def _add_recurring(
    scheduler: BackgroundScheduler,
    job_id: str,
    func: Callable[..., object],
    trigger: CronTrigger | IntervalTrigger,
    args: tuple[Any, ...],
    grace_seconds: int,
) -> None:
    """A recurring job: one run at a time, missed runs folded into one, run late within
    `grace_seconds` (a daily job an hour, the minute tick a minute)."""
    scheduler.add_job(
        func,
        trigger,
        args=args,
        id=job_id,
        name=job_id,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=grace_seconds,
        replace_existing=True,
    )


def start_background(
    clock: Clock | None = None, catch_up_on_start: bool = True
) -> BackgroundScheduler | None:
    """Start once per process (never at import): called from the app's lifespan."""
    global _scheduler
    if not settings.scheduler_enabled:
        log.info("scheduler disabled by PICKVS_SCHEDULER")
        return None
    with _lock:
        if _scheduler is None:
            _scheduler = build_scheduler(clock or SystemClock(), catch_up_on_start)
            _scheduler.start()
            # The next run times go in the app's one "ready" line (pickvs.pickvs.log_ready).
            log.info(
                "scheduler started: %s, in %s time",
                ", ".join(sorted(next_runs())),
                settings.timezone,
            )
        return _scheduler


def league_time(moment: datetime) -> str:
    """`Sat Dec 5 05:00 EST`: a job time as the league reads it, zone named (the log lines'
    own timestamps are in the same zone)."""
    local = moment.astimezone(settings.tz)
    return f"{local:%a %b} {local.day} {local:%H:%M %Z}"


def next_runs() -> dict[str, datetime]:
    """Each daily job's next run, while the scheduler runs (empty when it does not)."""
    scheduler = _scheduler
    if scheduler is None or not scheduler.running:
        return {}
    return {
        job.id: job.next_run_time
        for job in scheduler.get_jobs()
        if job.id in JOBS and job.next_run_time is not None
    }


def describe_next_runs() -> str:
    """`next fetch-odds Sat Dec 5 05:00 EST, next process-results Sat Dec 5 09:00 EST`, or why
    no job will run in this process."""
    if not settings.scheduler_enabled:
        return "no scheduled jobs in this process (PICKVS_SCHEDULER=false)"
    runs = next_runs()
    if not runs:
        return "scheduler not running"
    return ", ".join(f"next {name} {league_time(at)}" for name, at in sorted(runs.items()))


def stop(wait: bool = True) -> None:
    """Stop taking triggers; with `wait`, a running job finishes (or rolls back) first."""
    global _scheduler
    with _lock:
        if _scheduler is not None:
            _scheduler.shutdown(wait=wait)
            _scheduler = None


def status() -> dict[str, Any]:
    scheduler = _scheduler
    if scheduler is None or not scheduler.running:
        return {"running": False, "jobs": []}
    return {
        "running": True,
        "jobs": [
            {"id": job.id, "next_run_time": job.next_run_time and job.next_run_time.isoformat()}
            for job in scheduler.get_jobs()
        ],
    }
