"""The leaderboard: all time from the users' derived columns, periods from the `user_tip` roll-up.

Both are kept current by grading from the same picks and rules, so a period that covers the
whole history gives the all-time figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Numeric, cast, func, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import slate
from pickvs.domain.accounts import username_key
from pickvs.models import User, UserTipTotals
from pickvs.services.errors import InvalidInput

PERIODS = ("all", "month", "week")
MAX_LIMIT = 200
RANK_PLACES = 6


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
    totals = _totals(period, now, tz)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_LIMIT)
    prefix = select(totals).order_by(*_board_order(totals)).limit(offset + limit).subquery()
    stmt = (
        select(prefix, _rank(prefix).label("rank"))
        .order_by(*_board_order(prefix))
        .offset(offset)
    )
    return [
        BoardRow(
            rank=int(row.rank),
            username=row.username,
            total_units=float(row.units),
            total_wagered=float(row.wagered),
            roi=None if row.roi is None else float(row.roi),
            wins=int(row.wins),
            losses=int(row.losses),
            pushes=int(row.pushes),
        )
        for row in session.execute(stmt)
    ]


def _board_order(totals):  # type: ignore[no-untyped-def]
    """Units, then ROI, then name; players with nothing wagered (and so no ROI) after all."""
    units, roi = _rounded(totals.c.units), _rounded(totals.c.roi)
    return (
        totals.c.wagered <= 0,
        units.desc(),
        totals.c.roi.is_(None),
        roi.desc(),
        totals.c.username_key,
    )


def count_leaderboard(session: Session, period: str, now: datetime, tz: ZoneInfo) -> int:
    """How many rows `leaderboard` pages through: every player all time, else the players
    with graded wagers on games of the period."""
    totals = _totals(period, now, tz)
    return int(session.execute(select(func.count()).select_from(totals)).scalar_one())


def rank_of(
    session: Session, username: str, period: str, now: datetime, tz: ZoneInfo
) -> int | None:
    """The rank `leaderboard` gives this player (ties shared), or None when not on the board."""
    totals = _totals(period, now, tz)
    ranked = select(totals.c.username_key, _rank(totals).label("rank")).subquery()
    stmt = select(ranked.c.rank).where(ranked.c.username_key == username_key(username))
    rank = session.execute(stmt).scalar_one_or_none()
    return None if rank is None else int(rank)


def _totals(period: str, now: datetime, tz: ZoneInfo):  # type: ignore[no-untyped-def]
    """One row per player on the board of `period`: the row set both listing and counting use."""
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}", field="period")
    start = period_start(period, now, tz)
    return _all_time() if start is None else _since(start)


def _rank(totals):  # type: ignore[no-untyped-def]
    """Units, highest first, level units sharing a rank; players with nothing wagered after."""
    return func.rank().over(order_by=(totals.c.wagered <= 0, _rounded(totals.c.units).desc()))


def _rounded(value):  # type: ignore[no-untyped-def]
    """Compared to 6 places: float sums taken in another order differ in the last bit, and
    that must not split a tie (PostgreSQL rounds only NUMERIC to a number of places)."""
    return func.round(cast(value, Numeric), RANK_PLACES)


def _all_time():  # type: ignore[no-untyped-def]
    return select(
        User.username,
        User.username_key,
        User.total_units.label("units"),
        User.total_wagered.label("wagered"),
        User.roi.label("roi"),
        User.wins,
        User.losses,
        User.pushes,
    ).subquery()


def _since(start: datetime):  # type: ignore[no-untyped-def]
    """Players with graded wagers on games that tipped in the period, summed from the roll-up
    by player id first (a narrow integer group), then joined to the players' names."""
    period = (
        select(
            UserTipTotals.user_id,
            func.sum(UserTipTotals.units).label("units"),
            func.sum(UserTipTotals.wagered).label("wagered"),
            func.sum(UserTipTotals.wins).label("wins"),
            func.sum(UserTipTotals.losses).label("losses"),
            func.sum(UserTipTotals.pushes).label("pushes"),
        )
        .where(UserTipTotals.tip >= start)
        .group_by(UserTipTotals.user_id)
        .subquery("period")
    )
    return (
        select(
            User.username,
            User.username_key,
            period.c.units,
            period.c.wagered,
            rules.roi(period.c.units, period.c.wagered).label("roi"),
            period.c.wins,
            period.c.losses,
            period.c.pushes,
        )
        .join(period, period.c.user_id == User.id)
        .subquery()
    )
