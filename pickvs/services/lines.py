"""Current lines: the rows of each game's latest fetch, the reference book's line and the best price.

A market may come and go between fetches, so only the newest fetch of a game counts: a book
that dropped a market no longer offers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, and_, bindparam, func, select
from sqlmodel import Session

from pickvs.domain.markets import H2H, HOME, MARKET_LABELS, OVER, TOTALS, outcome_side
from pickvs.domain.odds import format_point, format_price
from pickvs.models import Game, OddsLine

# What a quote is read from, selected after a query's keys (game id, fetch time) and unpacked
# in this order: market, bookmaker, outcome, price, point.
QUOTE_COLUMNS = (
    OddsLine.market,
    OddsLine.bookmaker,
    OddsLine.outcome,
    OddsLine.price,
    OddsLine.point,
)


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
        book = self.reference_book(priority)
        return None if book is None else self.by_book[book]

    def reference_book(self, priority: Sequence[str]) -> str | None:
        ranked = [b for b in priority if b in self.by_book] + sorted(
            b for b in self.by_book if b not in priority
        )
        return next((book for book in ranked if len(self.by_book[book]) == 2), None)

    def best(self, side: str) -> Quote | None:
        """Highest American price for a side across books (at any point)."""
        quotes = [sides[side] for sides in self.by_book.values() if side in sides]
        return max(quotes, key=lambda q: (q.price, q.point or 0.0, q.bookmaker), default=None)


@cache
def _boards_query(
    by_market: bool, first: bool = False
) -> Select[tuple[str, str, str, str, int, float | None]]:
    """The rows of each game's latest fetch (its first, with `first`; of some markets only,
    with `by_market`), for the expanding parameters `ids` (and `markets`)."""
    ids = bindparam("ids", expanding=True)
    pick_fetch = func.min if first else func.max
    latest = (
        select(OddsLine.game_id, pick_fetch(OddsLine.fetched_at).label("fetched_at"))
        .where(OddsLine.game_id.in_(ids))
        .group_by(OddsLine.game_id)
        .subquery()
    )
    query = (
        select(OddsLine.game_id, *QUOTE_COLUMNS)
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
    # `.all()`: one fetch of every row, not a driver call per row as iterating a result does.
    rows = session.connection().execute(_boards_query(markets is not None), params).all()
    return boards_from_rows(games, rows)


def first_boards(session: Session, games: Sequence[Game]) -> dict[str, dict[str, MarketBoard]]:
    """game id -> market -> board, from each game's first fetch: where its lines opened, so a
    card can say how far they moved since."""
    if not games:
        return {}
    rows = (
        session.connection()
        .execute(_boards_query(False, first=True), {"ids": [g.id for g in games]})
        .all()
    )
    return boards_from_rows(games, rows)


@cache
def _opening_query() -> Select[tuple[str, str, str, str, int, float | None]]:
    """`_boards_query(first=True)` narrowed to the books of the expanding `books`."""
    return _boards_query(False, first=True).where(
        OddsLine.bookmaker.in_(bindparam("books", expanding=True))
    )


def opening_boards(
    session: Session,
    games: Sequence[Game],
    latest: dict[str, dict[str, MarketBoard]],
    bookmakers: Sequence[str],
) -> dict[str, dict[str, MarketBoard]]:
    """`first_boards` holding what `reference_move` reads from them: the first fetch's quotes
    of the books that are a current reference book (one or two books, where the whole board
    has a dozen), and the whole first board of a game whose current reference book did not
    quote both sides of a market then, since its move falls back to that board's own
    reference book."""
    wanted = [
        (game.id, market, book)
        for game in games
        for market, board in latest.get(game.id, {}).items()
        if (book := board.reference_book(bookmakers)) is not None
    ]
    if not wanted:
        return {}
    params = {
        "ids": sorted({game_id for game_id, _, _ in wanted}),
        "books": sorted({book for _, _, book in wanted}),
    }
    rows = session.connection().execute(_opening_query(), params).all()
    opened = boards_from_rows(games, rows)
    short = {
        game_id
        for game_id, market, book in wanted
        if not _quoted_both_sides(opened.get(game_id, {}).get(market), book)
    }
    if short:
        opened.update(first_boards(session, [game for game in games if game.id in short]))
    return opened


def _quoted_both_sides(board: MarketBoard | None, book: str) -> bool:
    return board is not None and len(board.by_book.get(book, {})) == 2


class Matchup(Protocol):
    """What reading a game's quotes needs of it: which team is home (a `Game`, or a lighter
    row)."""

    @property
    def id(self) -> str: ...
    @property
    def home_team(self) -> str: ...
    @property
    def away_team(self) -> str: ...


def boards_from_rows(
    games: Iterable[Matchup], rows: Iterable[Any]
) -> dict[str, dict[str, MarketBoard]]:
    """game id -> market -> board, from rows of (game id, *QUOTE_COLUMNS); an outcome naming
    neither team nor Over/Under is left out."""
    teams = {g.id: (g.home_team, g.away_team) for g in games}
    # A fetch repeats each outcome name once per book: map each name to its side once.
    sides: dict[tuple[str, str, str], str | None] = {}
    boards: dict[str, dict[str, MarketBoard]] = defaultdict(dict)
    for game_id, market, bookmaker, outcome, price, point in rows:
        named = (game_id, market, outcome)
        if named not in sides:
            sides[named] = outcome_side(market, outcome, *teams[game_id])
        side = sides[named]
        if side is None:
            continue
        board = boards[game_id].setdefault(market, MarketBoard(market))
        board.by_book.setdefault(bookmaker, {})[side] = Quote(
            bookmaker, side, outcome, price, point
        )
    return dict(boards)


@dataclass(frozen=True)
class FetchTimes:
    """When a game's lines were first and last fetched."""

    first: datetime
    latest: datetime


@cache
def _fetch_times_query() -> Select[tuple[str, datetime, datetime]]:
    return (
        select(OddsLine.game_id, func.min(OddsLine.fetched_at), func.max(OddsLine.fetched_at))
        .where(OddsLine.game_id.in_(bindparam("ids", expanding=True)))
        .group_by(OddsLine.game_id)
    )


def fetch_times(session: Session, games: Sequence[Game]) -> dict[str, FetchTimes]:
    """game id -> first and latest fetch, in one indexed query (games never fetched: absent)."""
    if not games:
        return {}
    rows = session.connection().execute(_fetch_times_query(), {"ids": [g.id for g in games]})
    return {game_id: FetchTimes(first, latest) for game_id, first, latest in rows}


@dataclass(frozen=True)
class FetchedQuote:
    """One row of a game's line history: a quote and the fetch it came in."""

    fetched_at: datetime
    market: str
    quote: Quote


def line_history(session: Session, game: Game) -> list[FetchedQuote]:
    """Every quote ever fetched for one game, oldest fetch first (a game gets a few dozen
    fetches at most, each a few hundred rows: the game page reads them all, once)."""
    stmt = (
        select(OddsLine.fetched_at, *QUOTE_COLUMNS)
        .where(OddsLine.game_id == game.id)
        .order_by(OddsLine.fetched_at, OddsLine.id)
    )
    history: list[FetchedQuote] = []
    for fetched_at, market, bookmaker, outcome, price, point in session.execute(stmt).all():
        side = outcome_side(market, outcome, game.home_team, game.away_team)
        if side is not None:
            history.append(
                FetchedQuote(fetched_at, market, Quote(bookmaker, side, outcome, price, point))
            )
    return history


MINUS = "\N{MINUS SIGN}"
ARROW = "\N{RIGHTWARDS ARROW}"


# --- how a line moved ------------------------------------------------------------------------


def charted_side(market: str) -> str:
    """The side a market's move is told by: the home team's line, or the total's Over."""
    return OVER if market == TOTALS else HOME


def figure(market: str, quote: Quote) -> str:
    """The number that moves: the price of a moneyline, else the point (signed for a spread),
    with a true minus sign: `-180`, `-4.5`, `+2`, `227.5`."""
    text = (
        format_price(quote.price) if market == H2H else format_point(quote.point, market != TOTALS)
    )
    return text.replace("-", MINUS)


@dataclass(frozen=True)
class LineMove:
    """The reference line of one market at the first fetch (`before`) and now (`after`)."""

    market: str
    before: Quote
    after: Quote

    def text(self, home_team: str) -> str:
        """`Spread Celtics -3.5 → -5`, `Moneyline Celtics -180 → -200`, `Total 227.5 → 230`."""
        label = MARKET_LABELS.get(self.market, self.market)
        team = "" if self.market == TOTALS else f" {nickname(home_team)}"
        moved = f"{figure(self.market, self.before)} {ARROW} {figure(self.market, self.after)}"
        return f"{label}{team} {moved}"


def nickname(team: str) -> str:
    """`Boston Celtics` -> `Celtics`; `Portland Trail Blazers` -> `Trail Blazers`."""
    words = team.split()
    if len(words) >= 3 and words[-2] in ("Trail",):
        return " ".join(words[-2:])
    return words[-1] if words else team


def reference_move(
    market: str,
    first: MarketBoard | None,
    latest: MarketBoard | None,
    bookmakers: Sequence[str],
) -> LineMove | None:
    """How the reference line moved from the first fetch to the latest, or None if it did not.

    The book is the current reference book, read at the first fetch too (else the first
    fetch's own reference book); a moneyline moves by its price, a spread or total by its point
    (a price change at the same point is not a move).
    """
    current = latest.reference(bookmakers) if latest else None
    if current is None or first is None:
        return None
    book = next(iter(current.values())).bookmaker
    opened = first.by_book.get(book)
    if opened is None or len(opened) != 2:
        opened = first.reference(bookmakers)
    if opened is None:
        return None
    side = charted_side(market)
    before, after = opened[side], current[side]
    if figure(market, before) == figure(market, after):
        return None
    return LineMove(market, before, after)


def moves_text(moves: Sequence[LineMove], home_team: str) -> str:
    """Every market's move on one line, in market order; "" when nothing moved."""
    return " · ".join(move.text(home_team) for move in moves)
