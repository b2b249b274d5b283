"""Picks as CSV: RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote or line
break) and safe to open in a spreadsheet.

A text cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return) would be read as a
formula by Excel, LibreOffice and Google Sheets, so it gets a leading `'`. Only text is guarded
(team names come from the feed, usernames from players); numbers are written as numbers, so a
price of -110 stays a number a spreadsheet can sum.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain.clv import shown_clv
from pickvs.domain.display import matchup
from pickvs.models import Game, Pick, User

_LINE_COLUMNS = (
    "tip_off",
    "game_id",
    "matchup",
    "username",
    "market",
    "selection",
    "bookmaker",
    "price",
    "point",
    "status",
    "result_units",
)
# CLV (percentage points, `domain.clv`) comes last, after the columns a reader may already
# take by position: empty until the game locks, and for void picks.
PICK_COLUMNS = (*_LINE_COLUMNS, "clv")
LEAGUE_PICK_COLUMNS = (*_LINE_COLUMNS, "counted", "not_counted_reason", "clv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNITS_PLACES = 6

Cell = str | int | float | bool | None


def safe_cell(value: Cell) -> str | int | float:
    """What one cell holds: text guarded against formulas, numbers as they are, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return round(value, UNITS_PLACES) + 0.0  # folds -0.0 into 0.0
    if isinstance(value, int):
        return value
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A header row and the rows, RFC 4180 (CRLF line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def tip_off(moment: datetime, tz: ZoneInfo) -> str:
    """A tip-off in the league's time zone, ISO 8601 with its offset."""
    return moment.astimezone(tz).isoformat()


def pick_cells(username: str, pick: Pick, game: Game, tz: ZoneInfo) -> list[Cell]:
    """The PICK_COLUMNS cells of one pick."""
    return [
        tip_off(game.commence_time, tz),
        game.id,
        matchup(away=game.away_team, home=game.home_team),
        username,
        pick.market,
        pick.selection,
        pick.bookmaker,
        pick.price,
        pick.point,
        pick.status,
        pick.result_units,
        shown_clv(pick.status, pick.clv),
    ]


def my_picks_csv(session: Session, user_id: int, tz: ZoneInfo) -> str:
    """All of the player's own picks (pending ones too: they are the player's), oldest game
    first, as CSV."""
    stmt = (
        select(User.username, Pick, Game)
        .join(Game, Game.id == Pick.game_id)
        .join(User, User.id == Pick.user_id)
        .where(Pick.user_id == user_id)
        .order_by(Game.commence_time, Pick.created_at, Pick.id)
    )
    rows = session.execute(stmt).all()
    return to_csv(PICK_COLUMNS, (pick_cells(name, pick, game, tz) for name, pick, game in rows))
