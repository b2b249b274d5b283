"""My picks: the player's own picks with the line taken, results, running units and a summary.

One page of rows at a time (`PAGE_SIZE`); the rest stays in the database. The filter and the
page live in the state, and every change reloads from `services.profile.my_picks_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from pickvs import db
from pickvs.config import settings
from pickvs.domain import live as live_rules
from pickvs.domain import locks
from pickvs.domain.display import book_name, format_record, format_roi, format_units, matchup
from pickvs.domain.markets import MARKET_LABELS
from pickvs.models import GameStatus, PickStatus
from pickvs.services import profile, slate
from pickvs.services.picks import MyPickRow
from pickvs.state import clock, live, routes
from pickvs.state.auth import AuthState
from pickvs.state.paging import PagedState, Paging
from pickvs.state.slate import WATCH_BEFORE_LOCK
from pickvs.state.slate_views import (
    STANDING_LABELS,
    format_clv,
    line_text,
    score_text,
    standing,
    tip_time,
)

PAGE_SIZE = 25
FILTERS = {"all": None, "pending": True, "graded": False}
STATUS_LABELS = {
    PickStatus.PENDING: "Pending",
    PickStatus.WIN: "Win",
    PickStatus.LOSS: "Loss",
    PickStatus.PUSH: "Push",
    PickStatus.VOID: "Void",
}


@dataclass(frozen=True)
class PickRowView:
    id: int
    matchup: str
    when: str  # "Sun, Nov 22 · 7:30 PM EST"
    market: str
    selection: str
    line: str  # "-4.5 -110"
    book: str
    status: str  # pending / win / loss / push / void: picks the badge colour
    result: str  # Pending / Win / Loss / Push / Void
    units: str  # "+0.91u"; for a pending pick what it would win
    running: str  # units total just after this pick, "—" while pending or void
    href: str = ""  # the game's page
    live: str = ""  # a pending pick's game in play: "Live · Bucks 54, Celtics 60"
    standing: str = ""  # winning / losing / pushing on that score, else ""
    standing_label: str = ""  # Winning / Losing / Pushing
    clv: str = ""  # "+2.3 pp" once the pick's closing-line value is stored
    in_play: bool = False


def _row(row: MyPickRow, now: datetime) -> PickRowView:
    pick, game = row.pick, row.game
    in_play = pick.status == PickStatus.PENDING and live_rules.in_play(
        game.status, game.commence_time, now
    )
    label, score = score_text(game) if in_play else ("", "")
    now_standing = standing(pick, game) if in_play else ""
    local = game.commence_time.astimezone(settings.tz)
    if pick.status == PickStatus.PENDING:
        units = f"to win {format_units(pick.to_win)}"
    elif pick.status == PickStatus.VOID:
        units = "—"
    else:
        units = format_units(pick.result_units)
    return PickRowView(
        id=pick.id or 0,
        matchup=matchup(away=game.away_team, home=game.home_team),
        when=f"{local:%a, %b} {local.day} · {tip_time(game.commence_time)}",
        market=MARKET_LABELS.get(pick.market, pick.market),
        selection=pick.selection,
        line=line_text(pick.market, pick.point, pick.price),
        book=book_name(pick.bookmaker),
        status=pick.status,
        result=STATUS_LABELS.get(pick.status, pick.status.title()),
        units=units,
        running=format_units(row.running_units),
        href=routes.game(game.id),
        live=f"{label} · {score}" if score else ("In play" if in_play else ""),
        standing=now_standing,
        standing_label=STANDING_LABELS.get(now_standing, ""),
        clv=format_clv(pick.clv),
        in_play=in_play,
    )


def _locks_soon(row: MyPickRow, now: datetime) -> bool:
    """A pending pick's game locking within the slate's watch window: the page watches it too,
    so a page left open at tip-off goes live (score, standing, CLV) without a reload."""
    if row.pick.status != PickStatus.PENDING or row.game.status != GameStatus.SCHEDULED:
        return False
    lock = locks.lock_time(row.game.commence_time, settings.lock_minutes)
    return now < lock <= now + WATCH_BEFORE_LOCK


class MyPicksState(PagedState, AuthState):
    rows: list[PickRowView] = []
    loaded: bool = False
    show: str = "all"  # all / pending / graded
    total: int = 0
    pending: int = 0
    record: str = "0-0-0"
    units: str = "0.00u"
    wagered: str = "0.00u"
    roi: str = "—"
    # Re-reading while a pending pick's game is in play (pickvs/state/live.py).
    _watch: int = 0
    _ids: list[str] = []
    _seen: str = ""

    @rx.var
    def count_text(self) -> str:
        picks = f"{self.total} pick{'' if self.total == 1 else 's'}"
        return f"{picks} · {self.pending} pending" if self.show == "all" else picks

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        if not self.token:
            return None  # the page's require_login guard is already sending the visitor away
        relogin = self._reload()
        if relogin is not None:
            return relogin
        return MyPicksState.watch if self._ids else None

    @rx.event(background=True)
    async def watch(self) -> None:
        """While a pending pick shown is on a game in play, re-read the page (see live.py)."""
        await live.watch(self)

    def _tick(self) -> bool:
        with db.session_scope() as session:
            if self._player(session) is None or not self._ids:
                return False
            seen = slate.fingerprint(session, self._ids, clock.now(), settings.lock_minutes)
        if seen != self._seen:
            self._reload()
        return bool(self._ids)

    @rx.event
    def set_show(self, value: str | list[str]) -> rx.event.EventSpec | None:
        self.show = value if isinstance(value, str) and value in FILTERS else "all"
        self.page = 1
        return self._reload()

    @rx.event
    def next_page(self) -> rx.event.EventSpec | None:
        self.page += 1
        return self._reload()

    @rx.event
    def prev_page(self) -> rx.event.EventSpec | None:
        self.page -= 1
        return self._reload()

    def _reload(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            pending = FILTERS.get(self.show)
            offset = (max(self.page, 1) - 1) * PAGE_SIZE
            found = profile.my_picks_page(session, player, PAGE_SIZE, offset, pending)
            paging = Paging.at_offset(found.total, PAGE_SIZE, offset)
            if paging.offset != offset and found.total:  # fewer picks than before: the last page
                found = profile.my_picks_page(session, player, PAGE_SIZE, paging.offset, pending)
            now = clock.now()
            rows = [_row(row, now) for row in found.rows]
            shown = zip(found.rows, rows, strict=True)
            ids = sorted({r.game.id for r, v in shown if v.in_play or _locks_soon(r, now)})
            self._seen = slate.fingerprint(session, ids, now, settings.lock_minutes)
        self._ids = ids
        self._show_page(paging)
        if rows != self.rows:
            self.rows = rows
        self.total, self.pending = found.total, found.pending
        record = found.record
        self.record = format_record(record.wins, record.losses, record.pushes)
        self.units, self.wagered = format_units(record.units), f"{record.wagered:.2f}u"
        self.roi = format_roi(record.roi)
        self.loaded = True
        return None
