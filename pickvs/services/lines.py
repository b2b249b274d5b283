"""Current lines: the rows of each game's latest fetch, the reference book's line and the best price.

A market may come and go between fetches, so only the newest fetch of a game counts: a book
that dropped a market no longer offers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, select
from sqlmodel import Session

from pickvs.domain.markets import outcome_side
from pickvs.models import Game, OddsLine


@dataclass(frozen=True)
class Quote:
    bookmaker: str
    side: str
    name: str
    price: int
    point: float | None


@dataclass
class MarketBoard:
    """Every book's quotes for one market of one game, from the latest fetch."""

    market: str
    by_book: dict[str, dict[str, Quote]] = field(default_factory=dict)

    def reference(self, priority: Sequence[str]) -> dict[str, Quote] | None:
        """The first book in `priority` quoting both sides, else the first other book by name."""
        ranked = [b for b in priority if b in self.by_book] + sorted(
            b for b in self.by_book if b not in priority
        )
        for book in ranked:
            if len(self.by_book[book]) == 2:
                return self.by_book[book]
        return None

    def best(self, side: str) -> Quote | None:
        """Highest American price for a side across books (at any point)."""
        quotes = [sides[side] for sides in self.by_book.values() if side in sides]
        return max(quotes, key=lambda q: (q.price, q.point or 0.0, q.bookmaker), default=None)


@cache
def _boards_query(by_market: bool) -> Select[tuple[str, str, str, str, int, float | None]]:
    """The rows of each game's latest fetch (of some markets only, with `by_market`), for the
    expanding parameters `ids` (and `markets`)."""
    ids = bindparam("ids", expanding=True)
    latest = (
        select(OddsLine.game_id, func.max(OddsLine.fetched_at).label("fetched_at"))
        .where(OddsLine.game_id.in_(ids))
        .group_by(OddsLine.game_id)
        .subquery()
    )
    query = (
        select(
            OddsLine.game_id,
            OddsLine.market,
            OddsLine.bookmaker,
            OddsLine.outcome,
            OddsLine.price,
            OddsLine.point,
        )
        .join(
            latest,
            and_(OddsLine.game_id == latest.c.game_id, OddsLine.fetched_at == latest.c.fetched_at),
        )
        # Said again outside the subquery, so the planner reads only these games' rows
        # through the index instead of joining the whole odds history.
        .where(OddsLine.game_id.in_(ids))
    )
    if by_market:
        query = query.where(OddsLine.market.in_(bindparam("markets", expanding=True)))
    return query


def current_boards(
    session: Session, games: Sequence[Game], markets: Collection[str] | None = None
) -> dict[str, dict[str, MarketBoard]]:
    """game id -> market -> board, in one indexed query whatever the number of games.

    Plain rows, not ORM objects: a slate reads hundreds of quotes and builds none of them
    into an entity, which would cost more than the query itself. `markets` narrows the rows
    read to those markets (pricing one pick needs one market's quotes, not the game's whole
    board); the latest fetch is still the game's, so a market its newest fetch dropped stays
    absent.
    """
    if not games:
        return {}
    params: dict[str, list[str]] = {"ids": [g.id for g in games]}
    if markets is not None:
        params["markets"] = list(markets)
    # Core on the session's connection, with a statement built once: the pick path runs this
    # on every tap, and building the expression and the ORM's execution layer cost more than
    # SQLite's work on one game's rows.
    rows = session.connection().execute(_boards_query(markets is not None), params)
    teams = {g.id: (g.home_team, g.away_team) for g in games}
    boards: dict[str, dict[str, MarketBoard]] = defaultdict(dict)
    for game_id, market, bookmaker, outcome, price, point in rows:
        side = outcome_side(market, outcome, *teams[game_id])
        if side is None:
            continue
        board = boards[game_id].setdefault(market, MarketBoard(market))
        board.by_book.setdefault(bookmaker, {})[side] = Quote(
            bookmaker, side, outcome, price, point
        )
    return dict(boards)
