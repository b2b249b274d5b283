"""Read models for the admin pages: job runs, provider calls, games to settle, data issues.

Every list is a page (limit/offset, capped) with a count beside it; the month's credit budget
is `ledger.summary`. Settling and voiding themselves are `services.admin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.models import ApiCall, DataIssue, Game, JobRun, Pick
from pickvs.services import jobruns

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
    """Games tipping within `days` days either side of now, latest first: the ones an admin
    settles (started) or voids (called off), whatever their status."""
    stmt = _with_counts(_around(select(Game), now, days)).order_by(
        Game.commence_time.desc(), Game.id.desc()
    )
    return _game_rows(session, _page(stmt, limit, offset))


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
    return stmt.where(Game.commence_time <= now, Game.status.not_in(rules.SETTLED_GAME_STATUSES))


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
