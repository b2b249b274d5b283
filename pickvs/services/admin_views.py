"""Read models for the admin pages: job runs, provider calls, games to settle, data issues,
today's plan of paid calls.

Every list is a page (limit/offset, capped) with a count beside it; the month's credit budget
is `ledger.summary`. Settling and voiding themselves are `services.admin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, null, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import results as results_rules
from pickvs.models import ApiCall, DataIssue, Game, JobRun, Pick
from pickvs.services import jobruns, planning

MAX_PAGE = 200


@dataclass(frozen=True)
class GameRow:
    """A game for the settle/void form, with how many picks a settlement would grade."""

    game: Game
    picks: int
    pending: int


def recent_job_runs(
    session: Session, limit: int = 20, offset: int = 0, job: str | None = None
) -> list[JobRun]:
    """Newest run first, a bounded page of them."""
    limit, offset = min(max(limit, 1), MAX_PAGE), max(offset, 0)
    return jobruns.recent_runs(session, limit=limit, job=job, offset=offset)


def count_job_runs(session: Session, job: str | None = None) -> int:
    return _count(session, _runs(select(func.count(JobRun.id)), job))


def api_calls(session: Session, limit: int = 50, offset: int = 0) -> list[ApiCall]:
    """The credit ledger, newest call first (refusals included: they explain a missed fetch)."""
    stmt = select(ApiCall).order_by(ApiCall.at.desc(), ApiCall.id.desc())
    return list(session.execute(_page(stmt, limit, offset)).scalars())


def count_api_calls(session: Session) -> int:
    return _count(session, select(func.count(ApiCall.id)))


def games_to_settle(
    session: Session, now: datetime, limit: int = 50, offset: int = 0
) -> list[GameRow]:
    """Games that have tipped and have no settlement yet, oldest first: what the results job
    has not closed (a feed gap, or older than its 3-day scores window)."""
    stmt = _with_counts(_unsettled(select(Game), now)).order_by(Game.commence_time, Game.id)
    return _game_rows(session, _page(stmt, limit, offset))


def count_games_to_settle(session: Session, now: datetime) -> int:
    return _count(session, _unsettled(select(func.count(Game.id)), now))


def recent_games(
    session: Session, now: datetime, days: int = 3, limit: int = 100, offset: int = 0
) -> list[GameRow]:
    """Games tipping within `days` days either side of now, whatever their status, in the order
    an admin works through them: those waiting for a result (oldest first), then the other
    games that have started (latest first), then the games to come (soonest first)."""
    stmt = _with_counts(_around(select(Game), now, days)).order_by(*_work_order(now))
    return _game_rows(session, _page(stmt, limit, offset))


def all_games(session: Session, now: datetime, *, waiting: bool = False) -> list[GameRow]:
    """Every game of `recent_games` (or, with `waiting`, of `games_to_settle`), all pages:
    the command line's listing, which has no pager."""
    fetch = games_to_settle if waiting else recent_games
    rows: list[GameRow] = []
    while True:
        page = fetch(session, now, limit=MAX_PAGE, offset=len(rows))
        rows += page
        if len(page) < MAX_PAGE:
            return rows


def count_recent_games(session: Session, now: datetime, days: int = 3) -> int:
    return _count(session, _around(select(func.count(Game.id)), now, days))


def recent_data_issues(session: Session, limit: int = 50, offset: int = 0) -> list[DataIssue]:
    """Feed rows ingestion skipped, newest first, with the reason."""
    stmt = select(DataIssue).order_by(DataIssue.at.desc(), DataIssue.id.desc())
    return list(session.execute(_page(stmt, limit, offset)).scalars())


def count_data_issues(session: Session) -> int:
    return _count(session, select(func.count(DataIssue.id)))


def _runs(stmt, job: str | None):  # type: ignore[no-untyped-def]
    return stmt.where(JobRun.job == job) if job else stmt


def _unsettled(stmt, now: datetime):  # type: ignore[no-untyped-def]
    # `admin.settle` accepts a game once commence_time <= now: the same boundary.
    return stmt.where(results_rules.awaits_result_clause(Game.status, Game.commence_time, now))


def _work_order(now: datetime) -> tuple:  # type: ignore[type-arg]
    """Waiting (0) oldest first, other started games (1) latest first, the rest (2) soonest
    first. Group 1 sorts on NULL in the second key, so only the third orders it."""
    waiting = results_rules.awaits_result_clause(Game.status, Game.commence_time, now)
    group = case((waiting, 0), (Game.commence_time <= now, 1), else_=2)
    ascending = case((group == 1, null()), else_=Game.commence_time)
    return group, ascending, Game.commence_time.desc(), Game.id


def _around(stmt, now: datetime, days: int):  # type: ignore[no-untyped-def]
    span = timedelta(days=max(days, 0))
    return stmt.where(Game.commence_time >= now - span, Game.commence_time <= now + span)


def _with_counts(stmt):  # type: ignore[no-untyped-def]
    """Pick counts as correlated subqueries (index ix_pick_game), one statement."""
    on_game = Pick.game_id == Game.id
    picks = select(func.count(Pick.id)).where(on_game).scalar_subquery()
    pending = select(func.count(Pick.id)).where(on_game, Pick.status == rules.PENDING)
    return stmt.add_columns(picks.label("picks"), pending.scalar_subquery().label("pending"))


def _game_rows(session: Session, stmt) -> list[GameRow]:  # type: ignore[no-untyped-def]
    return [GameRow(game, int(n), int(p)) for game, n, p in session.execute(stmt).all()]


def _page(stmt, limit: int, offset: int):  # type: ignore[no-untyped-def]
    return stmt.limit(min(max(limit, 1), MAX_PAGE)).offset(max(offset, 0))


def _count(session: Session, stmt) -> int:  # type: ignore[no-untyped-def]
    return int(session.execute(stmt).scalar_one())


@dataclass(frozen=True)
class PlanView:
    """Today's plan as the admin page and `pickvs plan` show it."""

    summary: str
    projected: str
    rows: list[planning.PlanRow]


def todays_plan(
    session: Session, now: datetime, config: planning.PlanSettings, enabled: bool
) -> PlanView:
    """The planned calls with their state, what today may spend and the month's projection."""
    plan, rows = planning.plan_rows(session, now, config)
    budget = config.monthly_credits
    projected = f"Projected spend this month: {plan.projected_spend} of {budget} credits."
    if not enabled:
        summary = "PICKVS_PLANNER=false: only the two daily jobs run (this is what it would plan)."
    elif plan.fallback:
        summary = (
            f"Thin budget: today's share of the spare credits is {plan.allowance}, less than "
            "one odds call; only the two daily jobs run."
        )
    elif not plan.calls:
        summary = "No games today: no planned calls."
    else:
        summary = (
            f"{len(plan.calls)} planned call(s) today, {plan.cost} credit(s): today's share of "
            f"the month's {plan.spare} spare credits is {plan.allowance}."
        )
    return PlanView(summary, projected, rows)
