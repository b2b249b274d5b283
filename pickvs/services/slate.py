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
from pickvs.models import Game, Pick, User
from pickvs.services.lines import MarketBoard, Quote, current_boards


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
