"""`/game/<id>`: one game's lines at every book, the best prices, the reference line's history
(an SVG drawn from points computed in `services.game_page.chart`), the score, the player's own
picks with how they stand, and everyone's picks once the game has locked.

Private like every page state holding a player's data: reset when the player changes. What it
holds is what `services.game_page.game_page` gives the verified player: everyone's picks come
only from `services.slate.locked_picks`, which applies the lock rule in its query, so before
the lock this state never holds another player's pick.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar
from urllib.parse import unquote

import reflex as rx

from pickvs import db
from pickvs.config import settings
from pickvs.domain.display import book_name, matchup
from pickvs.domain.markets import AWAY, HOME, MARKET_LABELS, MARKETS, OVER, TOTALS, UNDER
from pickvs.domain.text import storable
from pickvs.models import GameStatus
from pickvs.services import game_page, slate
from pickvs.services.errors import NotFound
from pickvs.services.game_page import GamePage, MarketHistory
from pickvs.services.lines import MarketBoard, Quote, figure
from pickvs.state import clock, live
from pickvs.state.auth import AuthState
from pickvs.state.slate import WATCH_BEFORE_LOCK
from pickvs.state.slate_views import (
    PublicPickView,
    StandingView,
    format_clv,
    line_text,
    public_pick_view,
    score_text,
    standing_view,
    tip_time,
)


def game_id_from_path(path: str) -> str:
    """`/game/abc123/` -> "abc123"; "" for any other address."""
    head, _, rest = path.strip("/").partition("/")
    game_id = unquote(rest) if head == "game" and "/" not in rest else ""
    return game_id if storable(game_id) else ""


@dataclass(frozen=True)
class BookRow:
    """One book's quotes for a market: the away (or Over) and home (or Under) sides."""

    book: str
    first: str  # "+4.5 -110", "—" when the book does not quote that side
    second: str
    first_best: bool  # this book pays the best price on the side
    second_best: bool
    is_reference: bool  # the book a pick is taken at


@dataclass(frozen=True)
class MarketTable:
    market: str
    label: str
    first_side: str  # column heading: the away team, or Over
    second_side: str
    rows: list[BookRow]
    best: str  # "Best: Bucks +165 FanDuel · Celtics -180 DraftKings"
    has_chart: bool
    chart_points: str  # SVG polyline points, "" without a chart
    chart_box: str  # the SVG viewBox
    chart_first: list[float] = field(default_factory=list)  # [x, y] of the first fetch's dot
    chart_last: list[float] = field(default_factory=list)  # [x, y] now
    chart_top: str = ""  # the highest figure charted
    chart_bottom: str = ""
    chart_caption: str = ""  # "DraftKings, Celtics: -3.5 at 5:00 AM EST -> -5 now"


@dataclass(frozen=True)
class MinePick:
    standing: StandingView
    clv: str  # "+2.3 pp", "" until set


def _quote_text(market: str, quote: Quote | None) -> str:
    return "—" if quote is None else line_text(market, quote.point, quote.price)


def _best_text(market: str, board: MarketBoard, names: dict[str, str]) -> str:
    parts = []
    for side in (OVER, UNDER) if market == TOTALS else (AWAY, HOME):
        quote = board.best(side)
        if quote is not None:
            line = _quote_text(market, quote)
            parts.append(f"{names[side]} {line} {book_name(quote.bookmaker)}")
    return "Best: " + " · ".join(parts) if parts else ""


def _table(market: str, page: GamePage, now: datetime) -> MarketTable:
    game, board = page.game, page.boards[market]
    names = {AWAY: game.away_team, HOME: game.home_team, OVER: "Over", UNDER: "Under"}
    order = (OVER, UNDER) if market == TOTALS else (AWAY, HOME)
    best = {side: board.best(side) for side in order}
    reference = page.references.get(market, "")
    rows = []
    for book in sorted(board.by_book, key=lambda b: (b != reference, book_name(b))):
        quotes = board.by_book[book]
        first, second = quotes.get(order[0]), quotes.get(order[1])
        rows.append(
            BookRow(
                book=book_name(book),
                first=_quote_text(market, first),
                second=_quote_text(market, second),
                first_best=first is not None and first == best[order[0]],
                second_best=second is not None and second == best[order[1]],
                is_reference=book == reference,
            )
        )
    table = MarketTable(
        market=market,
        label=MARKET_LABELS[market],
        first_side=names[order[0]],
        second_side=names[order[1]],
        rows=rows,
        best=_best_text(market, board, names),
        has_chart=False,
        chart_points="",
        chart_box="",
    )
    history = page.histories.get(market)
    drawn = game_page.chart(history, now) if history else None
    if history is None or drawn is None:
        return table
    return dataclasses.replace(
        table,
        has_chart=True,
        chart_points=drawn.points,
        chart_box=f"0 0 {drawn.width} {drawn.height}",
        chart_first=list(drawn.first),
        chart_last=list(drawn.last),
        chart_top=drawn.top,
        chart_bottom=drawn.bottom,
        chart_caption=_caption(history, names),
    )


def _caption(history: MarketHistory, names: dict[str, str]) -> str:
    """`DraftKings, Boston Celtics: -3.5 at 5:00 AM EST, -5 now (4 fetches)`."""
    first, last = history.points[0], history.points[-1]
    fetches = len(history.points)
    return (
        f"{book_name(history.bookmaker)}, {names[history.side]}: "
        f"{figure(history.market, first.quote)} at {tip_time(first.fetched_at)}, "
        f"{figure(history.market, last.quote)} now "
        f"({fetches} fetch{'' if fetches == 1 else 'es'})"
    )


def _status(page: GamePage) -> str:
    game = page.game
    if game.status in (GameStatus.POSTPONED, GameStatus.CANCELLED):
        return game.status.title()
    if game.status == GameStatus.FINAL:
        return "Final"
    if page.in_play:
        return "In play"
    if page.is_open:
        return f"Open · picks close {tip_time(page.lock_at)}"
    return "Locked"


class GameState(AuthState):
    _private: ClassVar[bool] = True

    loaded: bool = False
    found: bool = False
    error: str = ""
    game_id: str = ""
    matchup: str = ""
    tip: str = ""  # "Sun Nov 22 · 7:30 PM EST"
    status: str = ""  # Open · picks close 7:30 PM EST / Locked / In play / Final
    is_open: bool = True
    in_play: bool = False
    score_label: str = ""
    score: str = ""
    lines_from: str = ""
    moves: str = ""
    markets: list[MarketTable] = []
    picks: list[PublicPickView] = []  # everyone's: only once the game has locked
    mine: list[MinePick] = []
    _watch: int = 0
    _seen: str = ""
    _lock_at: str = ""  # ISO 8601 (UTC): an open game's page watches from shortly before it

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """on_load: the game the address names."""
        return await asyncio.to_thread(self._load)

    @rx.event(background=True)
    async def watch(self) -> None:
        """While the game is in play, re-read it every few seconds (see live.py)."""
        await live.watch(self)

    def _load(self) -> rx.event.EventSpec | None:
        game_id = game_id_from_path(self.router.url.path)
        with db.session_scope() as session:
            player = self._player(session)  # first: a change of player resets this state
            if player is None:
                return self._relogin()
            if game_id != self.game_id:
                self.reset()  # nothing of another game stays on the page
            self._read(session, player, game_id)
        return GameState.watch if self._worth_watching() else None

    def _worth_watching(self) -> bool:
        """In play, or open and locking soon: a page left open at tip-off then goes live
        (locked, everyone's picks, the score) without a reload, as the slate does."""
        if self.in_play:
            return True
        if not self.is_open or not self._lock_at:
            return False
        return datetime.fromisoformat(self._lock_at) - clock.now() <= WATCH_BEFORE_LOCK

    def _tick(self) -> bool:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None or not self.game_id:
                return False
            now = clock.now()
            seen = slate.fingerprint(session, [self.game_id], now, settings.lock_minutes)
            if seen != self._seen:
                self._read(session, player, self.game_id)
        return self._worth_watching()

    def _read(self, session, player, game_id: str) -> None:  # type: ignore[no-untyped-def]
        now = clock.now()
        try:
            if not game_id:
                raise NotFound("There is no game at this address.")
            page = game_page.game_page(
                session,
                player,
                game_id,
                now,
                lock_minutes=settings.lock_minutes,
                bookmakers=tuple(settings.bookmakers),
            )
        except NotFound:
            self.loaded, self.found, self.error = True, False, "There is no game at this address."
            return
        self._seen = slate.fingerprint(session, [game_id], now, settings.lock_minutes)
        self._show(page, now)

    def _show(self, page: GamePage, now: datetime) -> None:
        game = page.game
        label, score = score_text(game) if not page.is_open else ("", "")
        values = {
            "loaded": True,
            "found": True,
            "error": "",
            "game_id": game.id,
            "matchup": matchup(away=game.away_team, home=game.home_team),
            "tip": f"{game.commence_time.astimezone(settings.tz):%a %b} "
            f"{game.commence_time.astimezone(settings.tz).day} · {tip_time(game.commence_time)}",
            "status": _status(page),
            "is_open": page.is_open,
            "_lock_at": page.lock_at.isoformat(),
            "in_play": page.in_play,
            "score_label": label,
            "score": score,
            "lines_from": game_page.lines_from_text(
                page.fetched.latest if page.fetched else None, now, settings.tz
            ),
            "moves": " · ".join(move.text(game.home_team) for move in page.moves),
            "markets": [_table(m, page, now) for m in MARKETS if m in page.boards],
            "picks": [public_pick_view(p) for p in page.picks],
            "mine": [
                MinePick(
                    _open_view(p) if page.is_open else standing_view(p, game), format_clv(p.clv)
                )
                for p in page.my_picks
            ],
        }
        for name, value in values.items():
            if getattr(self, name) != value:  # unchanged vars send nothing
                setattr(self, name, value)


def _open_view(pick) -> StandingView:  # type: ignore[no-untyped-def]
    """The player's pick on a game that has not locked: the line taken, no standing."""
    market = MARKET_LABELS.get(pick.market, pick.market)
    return StandingView(
        f"{market}: {pick.selection} {line_text(pick.market, pick.point, pick.price)}", "", ""
    )
