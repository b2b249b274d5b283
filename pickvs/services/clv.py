"""Closing lines and closing-line value per pick (`domain.clv` holds the arithmetic).

The closing line of a game is its last fetch before the lock (commence_time - lock_minutes).
Each pick's closing line is read at its own book when that book quoted both sides of the
pick's market in that fetch, else at the reference book (`MarketBoard.reference`, by
PICKVS_BOOKMAKERS priority, as a pick is priced). A market the closing fetch no longer carries
has no closing line (as on the slate: a dropped market is not offered), and its picks keep a
null CLV with the closing fetch's time recorded, so they are not looked at again.

`update_clv` runs after every job (odds ingest, results, live scores), so it has to be cheap
when there is nothing to do: it looks only at games that locked within `RECHECK` (index on
commence_time), finds each one's closing fetch with one index probe per game, and reads only
the picks whose stored `close_fetched_at` differs from it: none, once every pick is done. A
pick is (re)computed when its game first locks and again if a later closing fetch arrives (a
fetch taken before the lock and committed after it, by a job that was running at the time).

Void picks (their game postponed or cancelled) have no CLV: their closing line and CLV are
cleared, and so recomputed should an admin settle the game after all.

A league board shows its members' average CLV and is cached on its members' picks versions
(`services.leagues._board_key`), so every player whose picks' CLV changed gets a new stamp.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlmodel import Session

from pickvs.domain import clv as rules
from pickvs.domain import locks
from pickvs.models import Game, GameStatus, OddsLine, Pick, PickStatus, User, UTCDateTime
from pickvs.services import versions
from pickvs.services.lines import QUOTE_COLUMNS, MarketBoard, Quote, boards_from_rows

# Games that locked longer ago than this are settled for CLV: a closing fetch can only arrive
# late from a job running across the lock, and a results run reaches 3 days back at most.
RECHECK = timedelta(days=3)
CHUNK = 200  # games per statement (SQLite allows 500 terms in a compound select)
VOIDED = (GameStatus.POSTPONED, GameStatus.CANCELLED)


@dataclass(frozen=True)
class _Due:
    """A pick whose closing line is not the one stored, with what is needed to price it."""

    pick_id: int
    user_id: int
    game_id: str
    market: str
    side: str
    bookmaker: str
    price: int
    point: float | None
    closing: datetime


def update_clv(session: Session, now: datetime, lock_minutes: int = 0) -> int:
    """Store the closing line and CLV of every pick on a locked game whose closing line is new.

    Returns how many picks changed. Safe to call from any job at any time.
    """
    return _update(session, _recent_locked_games(session, now, lock_minutes), now)


def backfill_clv(session: Session, now: datetime, lock_minutes: int = 0) -> int:
    """`update_clv` for the games that locked before its window and still have a pick never
    looked at: picks made before an upgrade brought CLV, or while the app was down for longer
    than RECHECK. Run once at start-up (a scan of the picks, too dear for every job); a game
    with no lines at all is looked at again at the next start, and nothing is written for it.

    Returns how many picks changed.
    """
    return _update(session, _older_unpriced_games(session, now, lock_minutes), now)


def _update(session: Session, games: Sequence[_Game], now: datetime) -> int:
    from pickvs.config import settings  # the instance's book priority, read per call

    changed_users: set[int] = set()
    changed = 0
    live = [g for g in games if g.status not in VOIDED]
    for start in range(0, len(live), CHUNK):
        due = _due_picks(session, live[start : start + CHUNK])
        if due:
            boards = _closing_boards(session, due, {g.id: g for g in live})
            sports = {g.id: g.sport for g in live}
            changed += _store(session, due, boards, sports, settings.bookmakers, now)
            changed_users.update(d.user_id for d in due)
    voided, voided_users = _clear_void(session, [g.id for g in games if g.status in VOIDED], now)
    changed += voided
    changed_users |= voided_users
    _stamp(session, changed_users)
    return changed


@dataclass(frozen=True)
class _Game:
    id: str
    sport: str
    status: str
    home_team: str
    away_team: str
    cutoff: datetime  # its closing fetch is the last one strictly before this


def _recheck_since(now: datetime, lock_minutes: int) -> datetime:
    """The earliest tip-off `update_clv` looks at."""
    return now - RECHECK + timedelta(minutes=lock_minutes)


def _recent_locked_games(session: Session, now: datetime, lock_minutes: int) -> list[_Game]:
    """Games that have locked (`domain.locks`), tipping off since RECHECK before the lock."""
    return _locked_games(
        session, now, lock_minutes, Game.commence_time >= _recheck_since(now, lock_minutes)
    )


def _older_unpriced_games(session: Session, now: datetime, lock_minutes: int) -> list[_Game]:
    """Games tipping off before `update_clv`'s window with a pick that has no closing fetch
    recorded (a void pick excepted, or one already cleared as void)."""
    unpriced = (
        select(Pick.id)
        .where(
            Pick.game_id == Game.id,
            Pick.close_fetched_at.is_(None),
            Pick.clv_at.is_(None),
            Pick.status != PickStatus.VOID,
        )
        .exists()
    )
    return _locked_games(
        session,
        now,
        lock_minutes,
        and_(Game.commence_time < _recheck_since(now, lock_minutes), unpriced),
    )


def _locked_games(
    session: Session, now: datetime, lock_minutes: int, where: ColumnElement[bool]
) -> list[_Game]:
    rows = session.execute(
        select(Game.id, Game.sport, Game.status, Game.home_team, Game.away_team, Game.commence_time)
        .where(where)
        .where(locks.locked_clause(Game.status, Game.commence_time, now, lock_minutes))
    ).all()
    games = []
    for game_id, sport, status, home, away, commence in rows:
        lock_at = locks.lock_time(commence, lock_minutes)
        # A game out of `scheduled` before its lock time (a moved tip-off) locked by now.
        cutoff = lock_at if lock_at <= now else now + timedelta(microseconds=1)
        games.append(_Game(game_id, sport, status, home, away, cutoff))
    return games


def _due_picks(session: Session, games: Sequence[_Game]) -> list[_Due]:
    """The picks on `games` whose stored closing fetch is not the game's closing fetch: one
    statement, the closing fetch of each game being one probe of ix_odds_game_fetched."""
    closing = union_all(
        *(
            select(
                literal(game.id).label("game_id"),
                select(func.max(OddsLine.fetched_at))
                .where(
                    OddsLine.game_id == game.id,
                    OddsLine.fetched_at < literal(game.cutoff, UTCDateTime()),
                )
                .scalar_subquery()
                .label("fetched_at"),
            )
            for game in games
        )
    ).subquery("closing")
    stmt = (
        select(
            Pick.id,
            Pick.user_id,
            Pick.game_id,
            Pick.market,
            Pick.side,
            Pick.bookmaker,
            Pick.price,
            Pick.point,
            closing.c.fetched_at,
        )
        .join(closing, closing.c.game_id == Pick.game_id)
        .where(
            closing.c.fetched_at.is_not(None),
            Pick.status != PickStatus.VOID,
            or_(Pick.close_fetched_at.is_(None), Pick.close_fetched_at != closing.c.fetched_at),
        )
    )
    kind = UTCDateTime()
    return [
        _Due(
            int(pick_id), int(user), game_id, market, side, book, int(price), point,
            _as_utc(kind, fetched, session),
        )
        for pick_id, user, game_id, market, side, book, price, point, fetched in session.execute(
            stmt
        )
    ]  # fmt: skip


def _as_utc(kind: UTCDateTime, value, session: Session) -> datetime:  # type: ignore[no-untyped-def]
    """The closing fetch time from the compound select, which SQLite returns as text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    result = kind.process_result_value(value, session.get_bind().dialect)
    assert result is not None
    return result


def _closing_boards(
    session: Session, due: Sequence[_Due], games: dict[str, _Game]
) -> dict[tuple[str, str], MarketBoard]:
    """(game, market) -> every book's quotes in the game's closing fetch."""
    closing = {d.game_id: d.closing for d in due}
    markets = sorted({d.market for d in due})
    rows = session.execute(
        select(OddsLine.game_id, OddsLine.fetched_at, *QUOTE_COLUMNS).where(
            OddsLine.game_id.in_(sorted(closing)),
            OddsLine.fetched_at.in_(sorted(set(closing.values()))),
            OddsLine.market.in_(markets),
        )
    ).all()
    closed = [
        (game_id, *quote)
        for game_id, fetched_at, *quote in rows
        if fetched_at == closing[game_id]  # not another game's closing time
    ]
    return {
        (game_id, market): board
        for game_id, by_market in boards_from_rows(games.values(), closed).items()
        for market, board in by_market.items()
    }


def closing_quotes(
    board: MarketBoard | None, bookmaker: str, priority: Sequence[str]
) -> dict[str, Quote] | None:
    """Both sides' closing quotes for a pick: at its own book when that book quoted both sides,
    else at the reference book; None when the closing fetch has no such market."""
    if board is None:
        return None
    own = board.by_book.get(bookmaker)
    if own is not None and len(own) == 2:
        return own
    return board.reference(priority)


def _store(
    session: Session,
    due: Sequence[_Due],
    boards: dict[tuple[str, str], MarketBoard],
    sports: dict[str, str],
    priority: Sequence[str],
    now: datetime,
) -> int:
    """Price each due pick against its closing quotes and write them, one executemany, in pick
    id order (two workers pricing the same picks lock their rows in the same order)."""
    values = []
    for item in sorted(due, key=lambda d: d.pick_id):
        quotes = closing_quotes(boards.get((item.game_id, item.market)), item.bookmaker, priority)
        close = _close_of(quotes, item.side)
        value = None
        if close is not None:
            taken = rules.Taken(item.market, item.side, item.price, item.point)
            value = rules.clv(taken, close, rules.point_sd(sports[item.game_id], item.market))
        mine = None if quotes is None else quotes[item.side]
        values.append(
            {
                "b_id": item.pick_id,
                "b_book": None if mine is None else mine.bookmaker,
                "b_price": None if mine is None else mine.price,
                "b_point": None if mine is None or item.market == "h2h" else mine.point,
                "b_fetched": item.closing,
                "b_clv": value,
                "b_at": now,
            }
        )
    table = Pick.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            close_bookmaker=bindparam("b_book"),
            close_price=bindparam("b_price"),
            close_point=bindparam("b_point"),
            close_fetched_at=bindparam("b_fetched"),
            clv=bindparam("b_clv"),
            clv_at=bindparam("b_at"),
        ),
        values,
    )
    return len(values)


def _close_of(quotes: dict[str, Quote] | None, side: str) -> rules.Close | None:
    if quotes is None or len(quotes) != 2:
        return None
    mine = quotes[side]
    other = next(q for s, q in quotes.items() if s != side)
    return rules.Close(price=mine.price, other_price=other.price, point=mine.point)


def _clear_void(session: Session, game_ids: Sequence[str], now: datetime) -> tuple[int, set[int]]:
    """Postponed and cancelled games' picks (void) lose any closing line and CLV."""
    if not game_ids:
        return 0, set()
    held = and_(
        Pick.game_id.in_(game_ids),
        or_(Pick.clv.is_not(None), Pick.close_fetched_at.is_not(None)),
    )
    users = set(session.execute(select(Pick.user_id).where(held).distinct()).scalars())
    if not users:
        return 0, set()
    cleared = session.execute(
        update(Pick)
        .where(held)
        .values(
            close_bookmaker=None,
            close_price=None,
            close_point=None,
            close_fetched_at=None,
            clv=None,
            clv_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(cleared), users


def _stamp(session: Session, user_ids: set[int]) -> None:
    """New picks-version stamps for these players: their cached league boards show CLV."""
    ids = sorted(user_ids)
    for start in range(0, len(ids), 1000):
        session.execute(
            update(User)
            .where(User.id.in_(ids[start : start + 1000]))
            .values(picks_version=versions.new_stamp())
            .execution_options(synchronize_session=False)
        )


def clv_by_user(
    session: Session, user_ids: Sequence[int], since: datetime | None = None
) -> dict[int, float]:
    """Each player's average CLV over their picks with one (void picks have none), on games
    tipped since `since` (all time with None): what a board's CLV column shows."""
    if not user_ids:
        return {}
    stmt = (
        select(Pick.user_id, func.avg(Pick.clv))
        .where(Pick.user_id.in_(sorted(set(user_ids))), Pick.clv.is_not(None))
        .where(Pick.status != PickStatus.VOID)
        .group_by(Pick.user_id)
    )
    if since is not None:
        stmt = stmt.join(Game, Game.id == Pick.game_id).where(Game.commence_time >= since)
    return {int(user): float(avg) for user, avg in session.execute(stmt)}
