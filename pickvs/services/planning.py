"""Today's plan from the database: the inputs `domain.planner.plan_day` needs, read once.

Tip-offs come from the games stored by the odds jobs (the 05:00 fetch stores the day's slate
before any planned call is due); the month's spend from the ledger; what the seed crons will
still spend from their crontab lines. Shared by the planner job, `pickvs plan` and the admin
page, so all three show the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain import budget
from pickvs.domain.planner import DayPlan, PlannedCall, plan_day
from pickvs.domain.slate import slate_bounds, slate_day
from pickvs.models import Game, GameStatus, JobRun
from pickvs.services import ledger

# Job names of the planned calls (`job_run.job`; the slot is the planned time).
PLANNED_ODDS, LIVE_SCORES = "planned-odds", "live-scores"
SKIPPED_STATUSES = (GameStatus.POSTPONED, GameStatus.CANCELLED)
RESULTS_CALL_COST = 2  # scores with daysFrom
CARRY_OVER = timedelta(hours=6)  # how long after midnight yesterday's plan may still have calls


@dataclass(frozen=True)
class PlanSettings:
    """The settings the plan depends on (passed in, so services do not read the environment)."""

    tz: ZoneInfo
    monthly_credits: int
    sports: int
    odds_cost: int
    odds_cron: str
    results_cron: str
    lock_minutes: int = 0


@dataclass(frozen=True)
class PlanRow:
    at: datetime
    kind: str
    cost: int
    reason: str
    status: str  # "planned", or the run's outcome once its slot was claimed


def job_for(call: PlannedCall) -> str:
    return PLANNED_ODDS if call.kind == "odds" else LIVE_SCORES


def day_plan(session: Session, now: datetime, config: PlanSettings) -> DayPlan:
    """Today's plan (slate day of `now` in league time), stable through the day."""
    day_start, day_end = slate_bounds(slate_day(now, config.tz), config.tz)
    month_start = budget.month_start(now)
    counted_from = max(day_start, month_start)
    return plan_day(
        tip_offs=tip_offs(session, day_start, day_end),
        used=ledger.credits_used(session, now, before=counted_from),
        budget=config.monthly_credits,
        seed_committed=seed_committed(config, counted_from, budget.next_month_start(now)),
        days_left=days_left(now, config.tz),
        lock_minutes=config.lock_minutes,
        morning_fetch=_first_fire(config.odds_cron, config.tz, day_start, day_end),
        odds_cost=config.odds_cost,
    )


def calls_around(session: Session, now: datetime, config: PlanSettings) -> tuple[PlannedCall, ...]:
    """Today's planned calls, and yesterday's that fall after midnight: a late game's live
    scores run past the turn of the slate day, and today's plan does not cover them."""
    day_start, _ = slate_bounds(slate_day(now, config.tz), config.tz)
    calls = list(day_plan(session, now, config).calls)
    if now - day_start < CARRY_OVER:
        yesterday = day_plan(session, day_start - timedelta(microseconds=1), config)
        calls += [call for call in yesterday.calls if call.at >= day_start]
    return tuple(sorted(calls, key=lambda call: (call.at, call.kind)))


def tip_offs(session: Session, start: datetime, end: datetime) -> list[datetime]:
    stmt = select(Game.commence_time).where(
        Game.commence_time >= start,
        Game.commence_time < end,
        Game.status.not_in(SKIPPED_STATUSES),
    )
    return [_aware(moment) for moment in session.execute(stmt).scalars()]


def days_left(now: datetime, tz: ZoneInfo) -> int:
    """Slate days from today to the last one that starts inside the budget's (UTC) month."""
    last = slate_day(budget.next_month_start(now) - timedelta(microseconds=1), tz)
    return max(1, (last - slate_day(now, tz)).days + 1)


def seed_committed(config: PlanSettings, start: datetime, end: datetime) -> int:
    """Credits the two daily jobs may still spend in [start, end): every fire at full cost
    (they skip a call when there is nothing to fetch, so this errs on the safe side)."""
    odds = len(_fires(config.odds_cron, config.tz, start, end)) * config.odds_cost
    results = len(_fires(config.results_cron, config.tz, start, end)) * RESULTS_CALL_COST
    return (odds + results) * config.sports


def plan_rows(
    session: Session, now: datetime, config: PlanSettings
) -> tuple[DayPlan, list[PlanRow]]:
    """The plan with each call's state: planned, or the outcome of the run that claimed it."""
    plan = day_plan(session, now, config)
    outcomes = claimed(session, plan.calls)
    rows = [
        PlanRow(
            call.at,
            call.kind,
            call.cost,
            call.reason,
            outcomes.get((job_for(call), call.at), "planned"),
        )
        for call in plan.calls
    ]
    return plan, rows


def claimed(session: Session, calls: tuple[PlannedCall, ...]) -> dict[tuple[str, datetime], str]:
    """(job, slot) -> outcome for the planned calls whose slot a run has claimed."""
    if not calls:
        return {}
    first, last = calls[0].at, calls[-1].at
    stmt = select(JobRun.job, JobRun.slot, JobRun.outcome).where(
        JobRun.job.in_((PLANNED_ODDS, LIVE_SCORES)), JobRun.slot >= first, JobRun.slot <= last
    )
    return {(job, _aware(slot)): outcome for job, slot, outcome in session.execute(stmt)}


@lru_cache(maxsize=256)
def _fires(crontab: str, tz: ZoneInfo, start: datetime, end: datetime) -> tuple[datetime, ...]:
    """Fire times in [start, end), remembered: the planner asks every minute of the day."""
    trigger = CronTrigger.from_crontab(crontab, timezone=tz)
    fires: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start.astimezone(UTC))
    while fire is not None and fire.astimezone(UTC) < end and len(fires) < 10_000:
        fires.append(fire.astimezone(UTC))
        fire = trigger.get_next_fire_time(fire, fire.astimezone(UTC) + timedelta(seconds=1))
    return tuple(fires)


def _first_fire(crontab: str, tz: ZoneInfo, start: datetime, end: datetime) -> datetime | None:
    trigger = CronTrigger.from_crontab(crontab, timezone=tz)
    fire = trigger.get_next_fire_time(None, start.astimezone(UTC))
    return fire.astimezone(UTC) if fire is not None and fire.astimezone(UTC) < end else None


def _aware(value: datetime) -> datetime:
    """SQLite hands some datetimes back naive; they are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def current_settings() -> PlanSettings:
    """The plan's settings from the environment (PICKVS_MONTHLY_CREDITS, crons, markets...)."""
    from pickvs.config import settings

    return PlanSettings(
        tz=settings.tz,
        monthly_credits=settings.monthly_credits,
        sports=len(settings.sports),
        odds_cost=budget.odds_call_cost(len(settings.markets), len(settings.regions)),
        odds_cron=settings.odds_cron,
        results_cron=settings.results_cron,
        lock_minutes=settings.lock_minutes,
    )
