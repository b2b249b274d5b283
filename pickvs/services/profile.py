"""Player statistics for the pages: a record, a profile, units over time, the split by market,
the picks a viewer may see, and the player's own picks page.

Every figure is summed from graded picks with the grading expressions of `domain.grading`, the
same ones grading and the period leaderboards use, so the pages and the board cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import locks, slate
from pickvs.domain.markets import MARKET_LABELS, MARKETS
from pickvs.domain.text import storable
from pickvs.models import Game, Pick, User
from pickvs.services import leaderboard, picks
from pickvs.services.errors import NotFound
from pickvs.services.picks import MyPickRow, PickView
from pickvs.services.users import get_by_username

MAX_PAGE = picks.MAX_PAGE
CHART_POINTS = 120
MAX_CHART_POINTS = 1000


@dataclass(frozen=True)
class Record:
    """Graded wagers only (win, loss, push); ROI is None when nothing was wagered."""

    wins: int
    losses: int
    pushes: int
    units: float
    wagered: float
    roi: float | None

    @property
    def wlp(self) -> str:
        return f"{self.wins}-{self.losses}-{self.pushes}"


NO_RECORD = Record(0, 0, 0, 0.0, 0.0, None)


@dataclass(frozen=True)
class MarketRecord:
    market: str  # h2h / spreads / totals
    label: str  # Moneyline / Spread / Total
    record: Record


@dataclass(frozen=True)
class ClvSummary:
    """Closing-line value over the player's picks that have one (`services.clv`): how many,
    their average (pp) and how many beat the close (CLV above zero)."""

    picks: int
    average: float | None  # None with no pick priced yet
    beat: int

    @property
    def beat_share(self) -> float | None:
        """Share of the priced picks that beat the close (0.6 = 60 %); None with none."""
        return self.beat / self.picks if self.picks else None


NO_CLV = ClvSummary(0, None, 0)


@dataclass(frozen=True)
class Profile:
    user_id: int
    username: str
    joined: datetime
    record: Record
    rank: int | None  # all time, exactly as the leaderboard shows it (ties shared)
    players: int  # rows on the all-time board, for "3rd of 12"
    clv: ClvSummary = NO_CLV


class UnitsPoint(TypedDict):
    """One point of the units chart, shaped for recharts."""

    day: str  # the slate day, YYYY-MM-DD in the league's time zone
    units: float  # cumulative units at the end of that day


@dataclass(frozen=True)
class MyPicksPage:
    rows: list[MyPickRow]
    total: int  # rows with the same filter, for paging
    pending: int  # picks not graded yet
    record: Record


def profile(session: Session, username: str, now: datetime, tz: ZoneInfo) -> Profile:
    """The public face of `/u/<username>` (any case); NotFound for nobody by that name."""
    user = get_by_username(session, username) if storable(username) else None
    if user is None or user.id is None:
        raise NotFound(f"No player named {username!r}.")
    return Profile(
        user_id=user.id,
        username=user.username,
        joined=user.created_at,
        record=record(session, user.id),
        rank=leaderboard.rank_of(session, user.username, "all", now, tz),
        players=leaderboard.count_leaderboard(session, "all", now, tz),
        clv=clv_summary(session, user.id),
    )


def clv_summary(session: Session, user_id: int) -> ClvSummary:
    """The player's CLV figures, in one query. CLV exists only once a game has locked, when
    the pick is public anyway; void picks have none."""
    beat = func.coalesce(func.sum(case((Pick.clv > 0, 1), else_=0)), 0)
    row = session.execute(
        select(func.count(Pick.clv), func.avg(Pick.clv), beat).where(
            Pick.user_id == user_id, Pick.clv.is_not(None), Pick.status != rules.VOID
        )
    ).one()
    count, average, beaten = row
    return ClvSummary(int(count), None if average is None else float(average), int(beaten))


def record(session: Session, user_id: int) -> Record:
    """W-L-P, units, wagered and ROI over the player's graded wagers, in one query."""
    row = session.execute(_record_select().where(Pick.user_id == user_id)).one()
    return _record(row)


def split_by_market(session: Session, user_id: int) -> list[MarketRecord]:
    """One record per market, always all three in the order Moneyline, Spread, Total."""
    stmt = _record_select(Pick.market).where(Pick.user_id == user_id).group_by(Pick.market)
    found = {row.market: _record(row) for row in session.execute(stmt)}
    return [MarketRecord(m, MARKET_LABELS[m], found.get(m, NO_RECORD)) for m in MARKETS]


def units_over_time(
    session: Session, user_id: int, tz: ZoneInfo, limit: int = CHART_POINTS
) -> list[UnitsPoint]:
    """Cumulative units at the end of each slate day with graded wagers, the last `limit` days.

    SQL sums per tip-off time and keeps the running total (a window over the whole history);
    days are then formed with `domain.slate.slate_day` in one pass, because SQLite cannot
    convert to the league's time zone. Rows are read newest first and reading stops once
    `limit` days are complete, so a long history is never loaded whole.
    """
    per_tip = (
        select(
            Game.commence_time.label("tip"),
            func.sum(rules.result_units(Pick.status, Pick.to_win)).label("units"),
        )
        .join(Game, Game.id == Pick.game_id)
        .where(Pick.user_id == user_id, Pick.status.in_(rules.WAGERED))
        .group_by(Game.commence_time)
        .subquery()
    )
    stmt = (
        select(per_tip.c.tip, func.sum(per_tip.c.units).over(order_by=per_tip.c.tip))
        .order_by(per_tip.c.tip.desc())
        .execution_options(yield_per=256)
    )
    limit = min(max(limit, 1), MAX_CHART_POINTS)
    newest_first: list[UnitsPoint] = []
    result = session.execute(stmt)
    try:
        for tip, cumulative in result:
            day = slate.slate_day(tip, tz).isoformat()
            if newest_first and newest_first[-1]["day"] == day:
                continue  # a later tip of the same day already holds the day's close
            if len(newest_first) == limit:
                break
            newest_first.append(UnitsPoint(day=day, units=float(cumulative)))
    finally:
        result.close()
    return newest_first[::-1]


def recent_picks(
    session: Session,
    user_id: int,
    viewer_id: int | None,
    now: datetime,
    lock_minutes: int,
    limit: int = 20,
    offset: int = 0,
) -> list[PickView]:
    """A player's picks, newest game first, as `viewer_id` may see them: the owner sees all,
    anyone else (or nobody logged in) only picks on games that have locked."""
    stmt = (
        _visible(select(Pick, Game), user_id, viewer_id, now, lock_minutes)
        .order_by(Game.commence_time.desc(), Pick.id.desc())
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )
    return [PickView(pick, game) for pick, game in session.execute(stmt).all()]


def count_recent_picks(
    session: Session, user_id: int, viewer_id: int | None, now: datetime, lock_minutes: int
) -> int:
    stmt = _visible(select(func.count(Pick.id)), user_id, viewer_id, now, lock_minutes)
    return int(session.execute(stmt).scalar_one())


def my_picks_page(
    session: Session, user: User, limit: int = 50, offset: int = 0, pending: bool | None = None
) -> MyPicksPage:
    """The player's own picks page: a page of rows with running totals, and the summary."""
    assert user.id is not None
    return MyPicksPage(
        rows=picks.my_pick_rows(session, user, limit, offset, pending),
        total=picks.count_my_picks(session, user, pending),
        pending=picks.count_my_picks(session, user, pending=True),
        record=record(session, user.id),
    )


def _visible(stmt, user_id: int, viewer_id: int | None, now: datetime, lock_minutes: int):  # type: ignore[no-untyped-def]
    stmt = stmt.select_from(Pick).join(Game, Game.id == Pick.game_id)
    stmt = stmt.where(Pick.user_id == user_id)
    if viewer_id != user_id:
        stmt = stmt.where(locks.locked_clause(Game.status, Game.commence_time, now, lock_minutes))
    return stmt


def _record_select(*group: Any):  # type: ignore[no-untyped-def]
    units = func.coalesce(func.sum(rules.result_units(Pick.status, Pick.to_win)), 0.0)
    wagered = func.coalesce(func.sum(rules.wagered_units(Pick.status)), 0.0)
    return select(
        *group,
        rules.count_if(Pick.status, rules.WIN).label("wins"),
        rules.count_if(Pick.status, rules.LOSS).label("losses"),
        rules.count_if(Pick.status, rules.PUSH).label("pushes"),
        units.label("units"),
        wagered.label("wagered"),
        rules.roi(units, wagered).label("roi"),
    ).where(Pick.status.in_(rules.WAGERED))


def _record(row: Any) -> Record:
    return Record(
        wins=int(row.wins),
        losses=int(row.losses),
        pushes=int(row.pushes),
        units=float(row.units),
        wagered=float(row.wagered),
        roi=None if row.roi is None else float(row.roi),
    )
