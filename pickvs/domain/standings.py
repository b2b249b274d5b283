"""How the leaderboard orders players, written once for the board's queries and for the index
that serves the all-time board.

Units first, compared to six places: float sums taken in another order differ in the last bit,
and that must not split a tie (PostgreSQL rounds only NUMERIC to a number of places). Players
with nothing wagered come after everyone else; then ROI, then the name. The constants are SQL
literals rather than bound parameters because an expression index serves an ORDER BY only when
the two expressions are the same, and SQLite never matches a parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Numeric, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

RANK_PLACES = 6

Expr = ColumnElement[Any]


def rounded(value: Any) -> Expr:
    return func.round(cast(value, Numeric), literal_column(str(RANK_PLACES)))


def nothing_wagered(wagered: Any) -> Expr:
    return wagered <= literal_column("0")  # type: ignore[no-any-return]


def rank_order(units: Any, wagered: Any) -> tuple[Expr, ...]:
    """What a rank counts: level units (to six places) share one."""
    return (nothing_wagered(wagered), rounded(units).desc())


def board_order(units: Any, wagered: Any, roi: Any, name_key: Any) -> tuple[Expr, ...]:
    """The rows of one rank: higher ROI first (no ROI last), then by name."""
    return (*rank_order(units, wagered), roi.is_(None), rounded(roi).desc(), name_key)
