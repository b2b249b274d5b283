"""The paid calls the jobs make, shared by the daily jobs (`jobs.daily`) and the planner's
ticks (`jobs.planner`), so an odds or scores call is fetched, paid for and written one way,
and a job over several sports reports and refuses one way.

Each call checks its cost before the request (`check`: the month's budget for the daily jobs;
the planner also keeps its headroom above them), records its credits through the run's
recorder, and writes what it fetched in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import budget
from pickvs.jobs.runner import JobContext, JobRefused
from pickvs.jobs.source import make_client
from pickvs.odds.parse import parse_odds, parse_scores
from pickvs.services import clv, ingest
from pickvs.services.ingest import IngestReport

BudgetCheck = Callable[[JobContext, str, int], None]
SportBody = Callable[[JobContext, str], str]
Report = TypeVar("Report")


def month_budget(ctx: JobContext, endpoint: str, cost: int) -> None:
    """The month's budget: the check every paid call makes (refuses the call when spent)."""
    ctx.check_budget(endpoint, cost, settings.monthly_credits)


def odds_call(
    ctx: JobContext,
    sport: str,
    commence_from: datetime,
    commence_to: datetime,
    check: BudgetCheck = month_budget,
) -> tuple[IngestReport, int]:
    """One odds call for the games tipping in [commence_from, commence_to], written with the
    closing lines it moves. Returns the ingest report and how many picks got a new closing
    line."""
    cost = budget.odds_call_cost(len(settings.markets), len(settings.regions))
    check(ctx, f"/v4/sports/{sport}/odds", cost)
    with make_client(ctx.clock, ctx.recorder(cost)) as client:
        payload = client.get_odds(
            sport,
            settings.markets,
            settings.regions,
            commence_from=commence_from,
            commence_to=commence_to,
        )
    fetched_at = ctx.now()
    parsed = parse_odds(payload, fetched_at, settings.markets)
    with session_scope() as session:
        report = ingest.apply_odds(
            session, parsed, fetched_at, ctx.run_id, lock_minutes=settings.lock_minutes
        )
        changed = clv.update_clv(session, fetched_at, settings.lock_minutes)
    return report, changed


def scores_call(
    ctx: JobContext,
    sport: str,
    days_from: int | None,
    write: Callable[..., Report],
    check: BudgetCheck = month_budget,
) -> Report:
    """One scores call (`days_from` None: the games in play and today's finals, 1 credit),
    written by `write` with the feed's unreadable records in one transaction.

    `write(session, parsed, sport, now, lock_minutes=..., job_run_id=...)` is
    `services.results.apply_scores` (with its `days_from`) or `services.live.apply_live`.
    """
    cost = budget.scores_call_cost(days_from)
    check(ctx, f"/v4/sports/{sport}/scores", cost)
    with make_client(ctx.clock, ctx.recorder(cost)) as client:
        payload = client.get_scores(sport, days_from)
    parsed = parse_scores(payload)
    with session_scope() as session:
        report = write(
            session,
            parsed,
            sport,
            ctx.now(),
            lock_minutes=settings.lock_minutes,
            job_run_id=ctx.run_id,
        )
        ingest.record_issues(session, parsed.issues, ctx.now(), ctx.run_id)
    return report


def each_sport(ctx: JobContext, body: SportBody) -> tuple[list[str], list[str]]:
    """Run `body` for every sport; a refusal for one sport does not stop the others."""
    notes: list[str] = []
    refusals: list[str] = []
    for sport in settings.sports:
        try:
            notes.append(body(ctx, sport))
        except JobRefused as refused:
            refusals.append(str(refused))
            notes.append(f"{sport}: call refused")
    return notes, refusals


def outcome(notes: list[str], refusals: list[str], prefix: str = "") -> str:
    """The run's detail (`prefix`, then the sports' notes), or a refusal carrying it when any
    call was refused."""
    detail = prefix + "; ".join(notes)
    if refusals:
        raise JobRefused("; ".join(refusals), detail=detail)
    return detail
