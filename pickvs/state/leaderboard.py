"""The leaderboard page's state: one page of one period's board, read from the address.

`/leaderboard?period=month&page=2` is the whole state of the page, so a board is linkable and
survives a reload: the controls only navigate (`set_period`, `next_page`, `prev_page`) and
`load` (the page's on_load, run again on every change of address) reads the query back.
Only the 25 rows shown are sent to the browser; the service pages through the rest in SQL.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from pickvs import db
from pickvs.config import settings
from pickvs.domain.clv import clv_tone, format_clv
from pickvs.domain.display import format_record, format_roi, format_units
from pickvs.services import leaderboard as board
from pickvs.state import clock, routes
from pickvs.state.auth import AuthState
from pickvs.state.paging import PagedState, Paging

PAGE_SIZE = 25
DEFAULT_PERIOD = "all"
PERIOD_LABELS = {
    "all": "All time",
    "season": "Season",  # this season, month and week: short enough for four tabs on a phone
    "month": "Month",
    "week": "Week",
}
EMPTY_TEXT = {
    "all": "No players yet. Sign up and make the first picks.",
    "season": "No graded picks this season yet.",
    "month": "No graded picks this month yet.",
    "week": "No graded picks this week yet.",
}


@dataclasses.dataclass(frozen=True)
class BoardLine:
    """One row as the page shows it: figures already formatted by `domain.display`."""

    rank: str  # "3"; "" for a player not yet ranked
    username: str
    href: str
    units: str
    wagered: str
    roi: str
    record: str
    tone: str  # "up", "down" or "level": the colour of the units figure
    adjusted_roi: str = "—"
    streak: str = "—"  # "W3", "L2"; "—" before any win or loss
    last10: str = "0-0-0"
    ranked: bool = True
    is_me: bool = False
    clv: str = "—"  # average closing-line value in the period: "+1.2 pp"
    clv_tone: str = "level"


def tone(units: float) -> str:
    value = round(units, 2)
    return "up" if value > 0 else "down" if value < 0 else "level"


def format_wagered(units: float) -> str:
    """Units staked: "12u" (1-unit stakes make it a whole number), "1,204u"."""
    return f"{units:,.0f}u" if float(units).is_integer() else f"{units:,.2f}u"


def board_line(row: board.BoardRow) -> BoardLine:
    return BoardLine(
        rank="" if row.rank is None or not row.ranked else str(row.rank),
        username=row.username,
        href=routes.profile(row.username),
        units=format_units(row.total_units),
        wagered=format_wagered(row.total_wagered),
        roi=format_roi(row.roi),
        record=format_record(row.wins, row.losses, row.pushes),
        tone=tone(row.total_units),
        adjusted_roi=format_roi(row.adjusted_roi),
        streak=row.streak or "—",
        last10=row.last10 or "0-0-0",
        ranked=row.ranked,
        clv=format_clv(row.clv),
        clv_tone=clv_tone(row.clv),
    )


def board_href(period: str, page: int) -> str:
    """The address of one page of one board; the defaults stay out of the query."""
    query = {
        **({"period": period} if period != DEFAULT_PERIOD else {}),
        **({"page": str(page)} if page > 1 else {}),
    }
    return f"{routes.LEADERBOARD}?{urlencode(query)}" if query else routes.LEADERBOARD


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


class LeaderboardState(PagedState, AuthState):
    _private: ClassVar[bool] = (
        False  # a public board: the viewer's own row is flagged from `username` live
    )

    period: str = DEFAULT_PERIOD
    total: int = 0
    loaded: bool = False
    off: bool = False  # PICKVS_PUBLIC_BOARD=false: the page says so and reads nothing
    min_ranked: int = 0
    _lines: list[BoardLine] = []

    def _flagged(self, ranked: bool) -> list[BoardLine]:
        me = self.username.casefold()
        return [
            dataclasses.replace(line, is_me=bool(me) and line.username.casefold() == me)
            for line in self._lines
            if line.ranked == ranked
        ]

    @rx.var
    def rows(self) -> list[BoardLine]:
        """The page's ranked rows, the logged-in player's own flagged (re-derived on
        log-in/out)."""
        return self._flagged(ranked=True)

    @rx.var
    def unranked_rows(self) -> list[BoardLine]:
        """The page's rows of players short of `PICKVS_MIN_RANKED_PICKS` graded picks (the
        service lists them after every ranked one)."""
        return self._flagged(ranked=False)

    @rx.var
    def unranked_text(self) -> str:
        """What the "Not yet ranked" section holds, in words."""
        if self.min_ranked <= 1:
            return "Players with no graded pick in this period yet."
        return (
            f"Players with fewer than {self.min_ranked} graded picks in this period, with their "
            "record so far."
        )

    @rx.var
    def empty_text(self) -> str:
        return EMPTY_TEXT.get(self.period, EMPTY_TEXT[DEFAULT_PERIOD])

    @rx.event
    def load(self) -> None:
        """on_load: the board and page the address names (an unknown period is all time; a
        page past the end shows the last one)."""
        if not settings.public_board:
            self.reset()
            self.off, self.loaded = True, True
            return
        query = self.router.url.query_parameters
        period = query.get("period", DEFAULT_PERIOD)
        period = period if period in board.PERIODS else DEFAULT_PERIOD
        wanted = _page_number(query.get("page"))
        now, tz = clock.now(), settings.tz
        with db.session_scope() as session:
            total = board.count_leaderboard(session, period, now, tz)
            paging = Paging.of(total, PAGE_SIZE, wanted)
            rows = board.leaderboard(
                session, period, now, tz, limit=PAGE_SIZE, offset=paging.offset
            )
        self.period, self.total = period, total
        self.min_ranked = settings.min_ranked_picks
        self._show_page(paging)
        self._lines = [board_line(row) for row in rows]
        self.loaded = True

    @rx.event
    def set_period(self, period: str | list[str]) -> rx.event.EventSpec | None:
        """The segmented control's choice: go to page 1 of that period's board."""
        if not isinstance(period, str) or period not in board.PERIODS or period == self.period:
            return None
        return rx.redirect(board_href(period, 1))

    @rx.event
    def next_page(self) -> rx.event.EventSpec | None:
        return rx.redirect(board_href(self.period, self.page + 1)) if self.has_next else None

    @rx.event
    def prev_page(self) -> rx.event.EventSpec | None:
        return rx.redirect(board_href(self.period, self.page - 1)) if self.has_prev else None
