"""The leaderboard: all time from the users' derived columns, periods from the `user_tip` roll-up.

Both are kept current by grading from the same picks and rules, so a period that covers the
whole history gives the all-time figures. Ranking needs only units and wagered units; the
record (won-lost-pushed) is read for the rows of the page alone, since summing three more
columns over a month's roll-up rows for every player would double the period boards' cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import slate, standings
from pickvs.domain.accounts import username_key
from pickvs.models import User, UserTipTotals
from pickvs.services.errors import InvalidInput

PERIODS = ("all", "month", "week")
MAX_LIMIT = 200


@dataclass(frozen=True)
class BoardRow:
    rank: int
    username: str
    total_units: float
    total_wagered: float
    roi: float | None
    wins: int
    losses: int
    pushes: int


def period_start(period: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """Calendar month or ISO week (Monday) in the league's time zone; None for all time."""
    today = slate.slate_day(now, tz)
    if period == "month":
        return slate.slate_bounds(today.replace(day=1), tz)[0]
    if period == "week":
        return slate.slate_bounds(today - timedelta(days=today.weekday()), tz)[0]
    return None


def leaderboard(
    session: Session, period: str, now: datetime, tz: ZoneInfo, limit: int = 50, offset: int = 0
) -> list[BoardRow]:
    """Ranked by units (ties share a rank); players with nothing wagered (no ROI) come last.

    The rank is taken over the rows up to the end of the page only: a row's rank counts the
    rows ranked strictly above it, and all of those come before it, so it is the same number
    the whole board would give, without ranking (or fully sorting) every player for page one.
    """
    start = _start(period, now, tz)
    totals = _totals(start)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_LIMIT)
    prefix = select(totals).order_by(*_board_order(totals)).limit(offset + limit).subquery()
    stmt = (
        select(prefix, _rank(prefix).label("rank")).order_by(*_board_order(prefix)).offset(offset)
    )
    rows = session.execute(stmt).all()
    records = _records(session, start, [row.user_id for row in rows])
    return [
        BoardRow(
            rank=int(row.rank),
            username=row.username,
            total_units=float(row.units),
            total_wagered=float(row.wagered),
            roi=None if row.roi is None else float(row.roi),
            wins=records[row.user_id][0],
            losses=records[row.user_id][1],
            pushes=records[row.user_id][2],
        )
        for row in rows
    ]


def _board_order(totals):  # type: ignore[no-untyped-def]
    return standings.board_order(
        totals.c.units, totals.c.wagered, totals.c.roi, totals.c.username_key
    )


def count_leaderboard(session: Session, period: str, now: datetime, tz: ZoneInfo) -> int:
    """How many rows `leaderboard` pages through: every player all time, else the players
    with graded wagers on games of the period."""
    totals = _totals(_start(period, now, tz))
    return int(session.execute(select(func.count()).select_from(totals)).scalar_one())


def rank_of(
    session: Session, username: str, period: str, now: datetime, tz: ZoneInfo
) -> int | None:
    """The rank `leaderboard` gives this player (ties shared), or None when not on the board."""
    totals = _totals(_start(period, now, tz))
    ranked = select(totals.c.username_key, _rank(totals).label("rank")).subquery()
    stmt = select(ranked.c.rank).where(ranked.c.username_key == username_key(username))
    rank = session.execute(stmt).scalar_one_or_none()
    return None if rank is None else int(rank)


def _start(period: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The first tip-off instant `period` counts; None for all time."""
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}", field="period")
    return period_start(period, now, tz)


def _totals(start: datetime | None):  # type: ignore[no-untyped-def]
    """One row per player on the board from `start`: the row set listing, counting and
    ranking all use."""
    return _all_time() if start is None else _since(start)


def _rank(totals):  # type: ignore[no-untyped-def]
    return func.rank().over(order_by=standings.rank_order(totals.c.units, totals.c.wagered))


def _all_time():  # type: ignore[no-untyped-def]
    return select(
        User.id.label("user_id"),
        User.username,
        User.username_key,
        User.total_units.label("units"),
        User.total_wagered.label("wagered"),
        User.roi.label("roi"),
    ).subquery()


def _since(start: datetime):  # type: ignore[no-untyped-def]
    """Players with graded wagers on games that tipped in the period, summed from the roll-up
    by player id first (a narrow integer group, read from ix_user_tip_board alone), then
    joined to the players' names."""
    # Grouped by `user_id + 0`, not the bare column: SQLite would otherwise walk the primary
    # key (user_id, tip) one player at a time to avoid sorting, twice as slow as summing the
    # period's rows read in tip order from the covering index; PostgreSQL plans both alike.
    player = (UserTipTotals.user_id + 0).label("user_id")
    period = (
        select(
            player,
            func.sum(UserTipTotals.units).label("units"),
            func.sum(UserTipTotals.wagered).label("wagered"),
        )
        .where(UserTipTotals.tip >= start)
        .group_by(player)
        .subquery("period")
    )
    return (
        select(
            User.id.label("user_id"),
            User.username,
            User.username_key,
            period.c.units,
            period.c.wagered,
            rules.roi(period.c.units, period.c.wagered).label("roi"),
        )
        .join(period, period.c.user_id == User.id)
        .subquery()
    )


def _records(
    session: Session, start: datetime | None, user_ids: list[int]
) -> dict[int, tuple[int, int, int]]:
    """Wins, losses and pushes from `start` of these players (the rows of one page)."""
    if not user_ids:
        return {}
    if start is None:
        stmt = select(User.id, User.wins, User.losses, User.pushes).where(User.id.in_(user_ids))
    else:
        stmt = (
            select(
                UserTipTotals.user_id,
                func.sum(UserTipTotals.wins),
                func.sum(UserTipTotals.losses),
                func.sum(UserTipTotals.pushes),
            )
            .where(UserTipTotals.user_id.in_(user_ids), UserTipTotals.tip >= start)
            .group_by(UserTipTotals.user_id)
        )
    return {
        int(user_id): (int(wins), int(losses), int(pushes))
        for user_id, wins, losses, pushes in session.execute(stmt)
    }
