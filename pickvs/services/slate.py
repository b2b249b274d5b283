"""The slate: games of the coming slate days with their current lines and the player's picks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlmodel import Session

from pickvs.domain import live, locks, slate
from pickvs.domain.markets import MARKETS
from pickvs.domain.text import storable
from pickvs.models import Game, OddsLine, Pick, User
from pickvs.services.lines import (
    FetchTimes,
    LineMove,
    MarketBoard,
    Quote,
    current_boards,
    fetch_times,
    opening_boards,
    reference_move,
)
from pickvs.services.picks import PublicPick


@dataclass(frozen=True)
class MarketLine:
    market: str
    reference: dict[str, Quote]  # side -> the reference book's quote: what a pick is taken at
    best: dict[str, Quote]  # side -> best price among the books


@dataclass
class GameCard:
    game: Game
    slate_day: date
    lock_at: datetime
    is_open: bool
    lines: dict[str, MarketLine] = field(default_factory=dict)
    my_picks: dict[str, Pick] = field(default_factory=dict)  # market -> pick
    in_play: bool = False  # tipped off and not settled: its live score may still change
    fetched: FetchTimes | None = None  # the game's first and latest fetch of lines
    moves: list[LineMove] = field(default_factory=list)  # reference lines moved since the first


def slate_cards(
    session: Session,
    user: User | None,
    now: datetime,
    tz: ZoneInfo,
    *,
    lock_minutes: int,
    bookmakers: Sequence[str],
    days: int = 3,
    include_locked: bool = False,
    history: bool = False,
) -> list[GameCard]:
    """Games of today's slate and the `days - 1` after it, soonest first. With `history`,
    each card also gets its fetch times and its reference lines' moves (two more queries:
    the page shows them, the JSON API does not)."""
    start, end = slate.slate_range(now, tz, days)
    stmt = select(Game).where(Game.commence_time >= start, Game.commence_time < end)
    if not include_locked:
        stmt = stmt.where(locks.open_clause(Game.status, Game.commence_time, now, lock_minutes))
    games = list(session.execute(stmt.order_by(Game.commence_time, Game.id)).scalars())
    boards = current_boards(session, games)
    picks = _picks_of(session, user, games)
    cards = [
        _card(game, boards.get(game.id, {}), picks, now, tz, lock_minutes, bookmakers)
        for game in games
    ]
    if history:
        _add_history(session, cards, boards, bookmakers)
    return cards


def _add_history(
    session: Session,
    cards: list[GameCard],
    boards: dict[str, dict[str, MarketBoard]],
    bookmakers: Sequence[str],
) -> None:
    """Each card's fetch times and its reference lines' moves since the first fetch (two more
    indexed queries for the whole slate, the second reading only the reference books' opening
    quotes)."""
    games = [card.game for card in cards]
    times = fetch_times(session, games)
    moved = [card.game for card in cards if (t := times.get(card.game.id)) and t.first != t.latest]
    opened = opening_boards(session, moved, boards, bookmakers)
    for card in cards:
        card.fetched = times.get(card.game.id)
        first = opened.get(card.game.id)
        if first is None:
            continue
        latest = boards.get(card.game.id, {})
        for market in MARKETS:
            move = reference_move(market, first.get(market), latest.get(market), bookmakers)
            if move is not None:
                card.moves.append(move)


def unpicked_today(
    session: Session, user: User, now: datetime, tz: ZoneInfo, *, lock_minutes: int
) -> int:
    """How many of today's games (the slate day in the league's time zone) the player could
    still pick and has not picked at all: open, with lines, and no pick of theirs in any
    market."""
    return len(unpicked_today_ids(session, user, now, tz, lock_minutes=lock_minutes))


def unpicked_today_ids(
    session: Session, user: User, now: datetime, tz: ZoneInfo, *, lock_minutes: int
) -> set[str]:
    """The ids of those games (`unpicked_today`), in one query: a page holding them can follow
    its own picks (a game leaves the set with its first pick) without counting again."""
    start, end = slate.slate_bounds(slate.slate_day(now, tz), tz)
    has_lines = exists().where(OddsLine.game_id == Game.id)
    picked = exists().where(Pick.game_id == Game.id, Pick.user_id == user.id)
    stmt = select(Game.id).where(
        Game.commence_time >= start,
        Game.commence_time < end,
        locks.open_clause(Game.status, Game.commence_time, now, lock_minutes),
        has_lines,
        ~picked,
    )
    return set(session.execute(stmt).scalars())


@dataclass(frozen=True)
class SlateDay:
    day: date
    cards: list[GameCard]


@dataclass(frozen=True)
class SlatePage:
    """What the slate page shows: the cards, everyone's picks on the locked games among them
    (game id -> picks; open games never appear), and the next lock for the countdown."""

    cards: list[GameCard]
    locked_picks: dict[str, list[PublicPick]]
    next_lock: datetime | None

    @property
    def days(self) -> list[SlateDay]:
        return group_by_day(self.cards)


def slate_page(
    session: Session,
    user: User | None,
    now: datetime,
    tz: ZoneInfo,
    *,
    lock_minutes: int,
    bookmakers: Sequence[str],
    days: int = 3,
) -> SlatePage:
    """The slate with locked games kept, in a fixed handful of queries whatever its size."""
    cards = slate_cards(
        session,
        user,
        now,
        tz,
        lock_minutes=lock_minutes,
        bookmakers=bookmakers,
        days=days,
        include_locked=True,
        history=True,
    )
    locked = [card.game.id for card in cards if not card.is_open]
    return SlatePage(
        cards=cards,
        locked_picks=locked_picks(session, locked, now, lock_minutes),
        next_lock=next_lock(session, now, lock_minutes),
    )


def locked_picks(
    session: Session, game_ids: Sequence[str], now: datetime, lock_minutes: int
) -> dict[str, list[PublicPick]]:
    """Everyone's picks on those of `game_ids` that have locked, in one query.

    The lock rule is applied in the query itself, not taken from the caller: an open game's
    picks cannot leak through a caller that passes the wrong ids.
    """
    wanted = [game_id for game_id in game_ids if storable(game_id)]
    if not wanted:
        return {}
    stmt = (
        select(Pick.game_id, User.username, Pick)
        .join(User, User.id == Pick.user_id)
        .join(Game, Game.id == Pick.game_id)
        .where(
            Pick.game_id.in_(wanted),
            locks.locked_clause(Game.status, Game.commence_time, now, lock_minutes),
        )
        .order_by(Pick.game_id, Pick.market, User.username_key)
    )
    shown: dict[str, list[PublicPick]] = {}
    for game_id, username, pick in session.execute(stmt).all():
        shown.setdefault(game_id, []).append(PublicPick(username, pick))
    return shown


def next_lock(session: Session, now: datetime, lock_minutes: int) -> datetime | None:
    """When the soonest open game stops taking picks (the page's countdown), or None."""
    stmt = (
        select(Game.commence_time)
        .where(locks.open_clause(Game.status, Game.commence_time, now, lock_minutes))
        .order_by(Game.commence_time)
        .limit(1)
    )
    commence = session.execute(stmt).scalar_one_or_none()
    return None if commence is None else locks.lock_time(commence, lock_minutes)


def group_by_day(cards: Sequence[GameCard]) -> list[SlateDay]:
    """Consecutive cards of one slate day together (cards come soonest first)."""
    grouped: list[SlateDay] = []
    for card in cards:
        if not grouped or grouped[-1].day != card.slate_day:
            grouped.append(SlateDay(card.slate_day, []))
        grouped[-1].cards.append(card)
    return grouped


def _picks_of(session: Session, user: User | None, games: list[Game]) -> dict[str, dict[str, Pick]]:
    if user is None or not games:
        return {}
    stmt = select(Pick).where(Pick.user_id == user.id, Pick.game_id.in_([g.id for g in games]))
    mine: dict[str, dict[str, Pick]] = {}
    for pick in session.execute(stmt).scalars():
        mine.setdefault(pick.game_id, {})[pick.market] = pick
    return mine


def _card(
    game, boards: dict[str, MarketBoard], picks, now, tz, lock_minutes, bookmakers
) -> GameCard:  # type: ignore[no-untyped-def]
    card = GameCard(
        game=game,
        slate_day=slate.slate_day(game.commence_time, tz),
        lock_at=locks.lock_time(game.commence_time, lock_minutes),
        is_open=locks.is_open(game.status, game.commence_time, now, lock_minutes),
        my_picks=picks.get(game.id, {}),
        in_play=live.in_play(game.status, game.commence_time, now),
    )
    for market in MARKETS:
        board = boards.get(market)
        reference = board.reference(bookmakers) if board else None
        if board is None or reference is None:
            continue
        best = {side: q for side in reference if (q := board.best(side)) is not None}
        card.lines[market] = MarketLine(market, reference, best)
    return card


def fingerprint(session: Session, game_ids: Sequence[str], now: datetime, lock_minutes: int) -> str:
    """A short text that changes whenever anything a page shows about these games may have:
    a score (live or final), a settlement, a newer fetch of lines, a game locking, a pick's
    closing-line value stored (by the job that runs after the lock, often after the page saw
    the lock). One query; an open page compares it before re-reading everything."""
    wanted = [game_id for game_id in game_ids if storable(game_id)]
    if not wanted:
        return ""
    locked = locks.locked_clause(Game.status, Game.commence_time, now, lock_minutes)
    latest_fetch = (
        select(func.max(OddsLine.fetched_at)).where(OddsLine.game_id.in_(wanted)).scalar_subquery()
    )
    latest_clv = (
        select(func.max(Pick.clv_at)).where(Pick.game_id.in_(wanted)).scalar_subquery()
    )  # ix_pick_game
    stmt = select(
        func.max(Game.updated_at),
        func.max(Game.live_at),
        func.sum(func.coalesce(Game.live_home_score, 0) + func.coalesce(Game.live_away_score, 0)),
        func.sum(func.coalesce(Game.home_score, 0) + func.coalesce(Game.away_score, 0)),
        func.count(Game.id).filter(locked),
        latest_fetch,
        latest_clv,
    ).where(Game.id.in_(wanted))
    return repr(tuple(session.execute(stmt).one()))
