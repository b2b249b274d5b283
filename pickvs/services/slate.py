"""The slate: games of the coming slate days with their current lines and the player's picks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain import locks, slate
from pickvs.domain.markets import MARKETS
from pickvs.domain.text import storable
from pickvs.models import Game, Pick, User
from pickvs.services.lines import MarketBoard, Quote, current_boards
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
) -> list[GameCard]:
    """Games of today's slate and the `days - 1` after it, soonest first."""
    start, end = slate.slate_range(now, tz, days)
    stmt = select(Game).where(Game.commence_time >= start, Game.commence_time < end)
    if not include_locked:
        stmt = stmt.where(locks.open_clause(Game.status, Game.commence_time, now, lock_minutes))
    games = list(session.execute(stmt.order_by(Game.commence_time, Game.id)).scalars())
    boards = current_boards(session, games)
    picks = _picks_of(session, user, games)
    return [
        _card(game, boards.get(game.id, {}), picks, now, tz, lock_minutes, bookmakers)
        for game in games
    ]


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
    )
    for market in MARKETS:
        board = boards.get(market)
        reference = board.reference(bookmakers) if board else None
        if board is None or reference is None:
            continue
        best = {side: q for side in reference if (q := board.best(side)) is not None}
        card.lines[market] = MarketLine(market, reference, best)
    return card
