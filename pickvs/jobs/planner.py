"""The planner's tick: run every planned call whose time has come, once across all workers.

The scheduler calls `planner_tick` every minute when PICKVS_PLANNER is true. Each tick reads
today's plan (`services.planning.day_plan`, stable through the day; in the small hours also
yesterday's calls after midnight, the late games' live scores), picks the latest call of
each kind that is due (at or before now, no older than its grace period) and whose slot no run
has claimed, and runs it as a job: `job_run` (job, slot) is unique, so of several workers
ticking at once exactly one makes the call. A call missed by more than its grace (the app was
down) is not made late: the next one in the plan follows soon enough, and a stale closing
refresh would be a wasted call.

Right before paying, a planned call checks the budget twice: the month's budget as every job
does, and the planner's own headroom (`domain.planner.may_spend`), which keeps back what the
seed crons will still spend and the results reserve, so a plan can never eat them.

Each tick also posts due reminders (`jobs.reminders.run_due_reminders`); a failure there is
logged and never stops the tick.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import budget
from pickvs.domain import planner as rules
from pickvs.domain.clock import Clock
from pickvs.domain.planner import PlannedCall
from pickvs.jobs import calls, reminders
from pickvs.jobs.runner import JobBody, JobContext, run_job
from pickvs.jobs.source import source_label
from pickvs.models import Game, GameStatus, JobRun
from pickvs.services import clv, grading, ledger, live, planning

log = logging.getLogger("pickvs.planner")

PLANNER = "planner"
GRACE = {rules.ODDS: timedelta(minutes=10), rules.LIVE: timedelta(minutes=2)}
IN_PLAY_FOR = timedelta(hours=6)  # a started, unsettled game older than this is not "live"


def planner_tick(clock: Clock) -> list[JobRun]:
    """Run the planned calls that are due now and not yet claimed; then due reminders."""
    now = clock.now()
    with session_scope() as session:
        calls = planning.calls_around(session, now, planning.current_settings())
        taken = planning.claimed(session, calls)
    runs: list[JobRun] = []
    for call in due_calls(calls, now):
        if (planning.job_for(call), call.at) in taken:
            continue
        run = run_job(
            planning.job_for(call),
            _body(call),
            clock=clock,
            source=source_label(),
            trigger=PLANNER,
            slot=call.at,
        )
        if run is not None:
            runs.append(run)
    _reminders(clock)
    return runs


def due_calls(calls: tuple[PlannedCall, ...], now: datetime) -> list[PlannedCall]:
    """Per kind, the latest call at or before `now` that is still within its grace period."""
    latest: dict[str, PlannedCall] = {}
    for call in calls:
        if call.at <= now < call.at + GRACE[call.kind]:
            latest[call.kind] = call
    return sorted(latest.values(), key=lambda call: call.at)


def _reminders(clock: Clock) -> None:
    try:
        reminders.run_due_reminders(clock)
    except Exception:
        log.exception("reminders failed; the planner tick goes on")


def _body(call: PlannedCall) -> JobBody:
    run = _refresh_odds if call.kind == rules.ODDS else _live_scores

    def body(ctx: JobContext) -> str:
        notes, refusals = calls.each_sport(ctx, lambda ctx, sport: run(ctx, sport, call))
        return calls.outcome(notes, refusals, prefix=f"{call.reason}: ")

    return body


def _check_headroom(ctx: JobContext, endpoint: str, cost: int) -> None:
    """The month's budget, then the planner's headroom above the seed jobs and the reserve."""
    ctx.check_budget(endpoint, cost, settings.monthly_credits)
    if ctx.source != ledger.LIVE:
        return
    now = ctx.now()
    config = planning.current_settings()
    with session_scope() as session:
        used = ledger.credits_used(session, now)
    committed = planning.seed_committed(config, now, budget.next_month_start(now))
    last_day = planning.days_left(now, settings.tz) <= 1
    if not rules.may_spend(
        cost=cost,
        used_now=used,
        budget=settings.monthly_credits,
        seed_committed=committed,
        last_day=last_day,
    ):
        held = committed + (0 if last_day else rules.RESERVE)
        ctx.refuse(
            endpoint,
            cost,
            f"planned call would cost {cost} credit(s) with {used} of "
            f"{settings.monthly_credits} used and {held} held for the daily jobs and results",
        )


def _refresh_odds(ctx: JobContext, sport: str, call: PlannedCall) -> str:
    """Odds for the games not yet locked, from now to the end of the odds window."""
    now = ctx.now()
    window = budget.odds_window(now, settings.tz)
    start = now + timedelta(minutes=settings.lock_minutes)
    with session_scope() as session:
        open_games = _count(session, sport, start, window.end)
    if not open_games:
        return f"{sport}: no open game in the odds window, no call made"
    report, changed = calls.odds_call(ctx, sport, start, window.end, check=_check_headroom)
    return f"{sport}: {report.describe()}, {changed} pick(s) with a new closing line"


def _live_scores(ctx: JobContext, sport: str, call: PlannedCall) -> str:
    """Scores without daysFrom (1 credit) when a game is in play; finals graded at once."""
    now = ctx.now()
    with session_scope() as session:
        playing = _count(session, sport, now - IN_PLAY_FOR, now, started=True)
    if not playing:
        return f"{sport}: no game in play, no call made"
    report = calls.scores_call(ctx, sport, None, live.apply_live, check=_check_headroom)
    with session_scope() as session:
        graded = grading.grade(session, ctx.now())
        changed = clv.update_clv(session, ctx.now(), settings.lock_minutes)
    return f"{sport}: {report.describe()}; {graded.describe()}; {changed} CLV update(s)"


def _count(
    session: Session, sport: str, start: datetime, end: datetime, started: bool = False
) -> int:
    """Games of `sport` tipping in [start, end): open ones, or started and unsettled ones."""
    statuses = (
        (GameStatus.SCHEDULED, GameStatus.IN_PROGRESS) if started else (GameStatus.SCHEDULED,)
    )
    stmt = select(Game.id).where(
        Game.sport == sport,
        Game.commence_time >= start,
        Game.commence_time < end,
        Game.status.in_(statuses),
    )
    return len(list(session.execute(stmt.limit(1)).scalars()))
