"""One game as its page shows it, and how a line's movement reads on the slate and the game page.

The game page reads the game's whole line history once: every book's quotes from the latest
fetch (a book that dropped a market in the latest fetch no longer offers it), the best price per
side, and the reference book's line at each fetch since the first, which the page draws as a
small SVG from points computed here (no chart library). Everyone's picks come through
`services.slate.locked_picks`, which applies the lock rule in its own query: before the lock the
page gets none but the player's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain import live, locks
from pickvs.domain.markets import H2H, MARKETS
from pickvs.domain.odds import win_units
from pickvs.domain.slate import slate_day
from pickvs.models import Game, Pick, User
from pickvs.services import lines, slate
from pickvs.services.games import get_game
from pickvs.services.lines import (
    FetchedQuote,
    FetchTimes,
    LineMove,
    MarketBoard,
    Quote,
    charted_side,
    figure,
    reference_move,
)
from pickvs.services.picks import PublicPick

__all__ = ["GamePage", "LineMove", "chart", "game_page", "lines_from_text"]


# --- how old the lines are --------------------------------------------------------------


def lines_from_text(fetched_at: datetime | None, now: datetime, tz: ZoneInfo) -> str:
    """`lines from 6:42 pm` in league time; a fetch of another slate day names its day
    (`lines from Sat 6:42 pm`). "" before any fetch."""
    if fetched_at is None:
        return ""
    local = fetched_at.astimezone(tz)
    clock = f"{local.hour % 12 or 12}:{local:%M} {'am' if local.hour < 12 else 'pm'}"
    day = "" if slate_day(fetched_at, tz) == slate_day(now, tz) else f"{local:%a} "
    return f"lines from {day}{clock}"


# --- the chart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    fetched_at: datetime
    quote: Quote


@dataclass(frozen=True)
class MarketHistory:
    """The reference book's line for one market (its charted side) at each fetch quoting it."""

    market: str
    bookmaker: str
    side: str
    points: list[HistoryPoint]


def chart_value(market: str, quote: Quote) -> float:
    """What the chart's height shows: the point of a spread or total, and for a moneyline the
    price's implied probability (prices jump from -100 to +100; probabilities do not)."""
    if market == H2H:
        return 1.0 / (1.0 + win_units(quote.price))
    return float(quote.point or 0.0)


@dataclass(frozen=True)
class Chart:
    """A step line in a `width` x `height` box: `points` for an SVG polyline, the first and
    last points' coordinates for their dots, and the labels of the top and bottom (no bottom
    label for a line that never moved)."""

    width: int
    height: int
    points: str
    first: tuple[float, float]
    last: tuple[float, float]
    top: str
    bottom: str


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 240, 60, 6


def chart(
    history: MarketHistory,
    end: datetime,
    width: int = CHART_WIDTH,
    height: int = CHART_HEIGHT,
    pad: int = CHART_PAD,
) -> Chart | None:
    """The line's steps from its first fetch to `end` (now): flat until the next fetch, where it
    jumps. None without a point. A line that never moved is drawn level in the middle."""
    points = history.points
    if not points:
        return None
    start = points[0].fetched_at
    span = max((end - start).total_seconds(), 1.0)
    values = [chart_value(history.market, p.quote) for p in points]
    low, high = min(values), max(values)

    def x(moment: datetime) -> float:
        return round(pad + (width - 2 * pad) * (moment - start).total_seconds() / span, 1)

    def y(value: float) -> float:
        if high == low:
            return height / 2
        return round(pad + (height - 2 * pad) * (high - value) / (high - low), 1)

    coords: list[tuple[float, float]] = []
    for point, value in zip(points, values, strict=True):
        if coords:
            coords.append((x(point.fetched_at), coords[-1][1]))  # level until this fetch
        coords.append((x(point.fetched_at), y(value)))
    coords.append((x(max(end, points[-1].fetched_at)), coords[-1][1]))
    by_value = sorted(zip(values, points, strict=True), key=lambda pair: pair[0])
    top, bottom = by_value[-1][1].quote, by_value[0][1].quote
    return Chart(
        width=width,
        height=height,
        points=" ".join(f"{cx:g},{cy:g}" for cx, cy in coords),
        first=coords[0],
        last=coords[-1],
        top=figure(history.market, top),
        bottom="" if high == low else figure(history.market, bottom),
    )


# --- the page ----------------------------------------------------------------------------------


@dataclass
class GamePage:
    """What `/game/<id>` shows. `picks` (everyone's) is empty while the game is open."""

    game: Game
    is_open: bool
    in_play: bool
    lock_at: datetime
    fetched: FetchTimes | None
    boards: dict[str, MarketBoard] = field(default_factory=dict)  # market -> latest fetch
    references: dict[str, str] = field(default_factory=dict)  # market -> reference book
    histories: dict[str, MarketHistory] = field(default_factory=dict)
    moves: list[LineMove] = field(default_factory=list)
    picks: list[PublicPick] = field(default_factory=list)
    my_picks: list[Pick] = field(default_factory=list)


def game_page(
    session: Session,
    user: User | None,
    game_id: str,
    now: datetime,
    *,
    lock_minutes: int,
    bookmakers: Sequence[str],
) -> GamePage:
    """The game, its lines and their history, the player's picks and, once it has locked,
    everyone's. Raises NotFound for an unknown game."""
    game = get_game(session, game_id)
    history = lines.line_history(session, game)
    page = GamePage(
        game=game,
        is_open=locks.is_open(game.status, game.commence_time, now, lock_minutes),
        in_play=live.in_play(game.status, game.commence_time, now),
        lock_at=locks.lock_time(game.commence_time, lock_minutes),
        fetched=(FetchTimes(history[0].fetched_at, history[-1].fetched_at) if history else None),
    )
    page.boards = _boards_at(history, page.fetched.latest) if page.fetched else {}
    first = _boards_at(history, page.fetched.first) if page.fetched else {}
    for market in MARKETS:
        board = page.boards.get(market)
        reference = board.reference(bookmakers) if board else None
        if reference is None:
            continue
        book = next(iter(reference.values())).bookmaker
        page.references[market] = book
        page.histories[market] = _history(history, market, book)
        move = reference_move(market, first.get(market), board, bookmakers)
        if move is not None:
            page.moves.append(move)
    page.picks = slate.locked_picks(session, [game.id], now, lock_minutes).get(game.id, [])
    if user is not None:
        stmt = select(Pick).where(Pick.user_id == user.id, Pick.game_id == game.id)
        mine = {p.market: p for p in session.execute(stmt).scalars()}
        page.my_picks = [mine[m] for m in MARKETS if m in mine]
    return page


def _boards_at(history: Sequence[FetchedQuote], fetched_at: datetime) -> dict[str, MarketBoard]:
    boards: dict[str, MarketBoard] = {}
    for row in history:
        if row.fetched_at == fetched_at:
            board = boards.setdefault(row.market, MarketBoard(row.market))
            board.by_book.setdefault(row.quote.bookmaker, {})[row.quote.side] = row.quote
    return boards


def _history(history: Sequence[FetchedQuote], market: str, book: str) -> MarketHistory:
    side = charted_side(market)
    points = [
        HistoryPoint(row.fetched_at, row.quote)
        for row in history
        if row.market == market and row.quote.bookmaker == book and row.quote.side == side
    ]
    return MarketHistory(market, book, side, points)
