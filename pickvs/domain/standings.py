"""How the leaderboard orders players, written once for the board's queries and for the index
that serves the all-time board.

Units first, compared to six places: float sums taken in another order differ in the last bit,
and that must not split a tie (PostgreSQL rounds only NUMERIC to a number of places). Players
with nothing wagered come after everyone else; then ROI, then the name. The constants are SQL
literals rather than bound parameters because an expression index serves an ORDER BY only when
the two expressions are the same, and SQLite never matches a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


# --- Boards that tell skill from luck (plain values; the league boards rank in Python) ---------

ADJUSTED_K = 30  # picks of prior weight: a 30-pick record moves the estimate halfway to the ROI
ADJUSTED_PRIOR = -0.045  # the house edge of a -110 line: 100/110 * 0.5 - 0.5 = -4.55 % per unit
RANKINGS = ("units", "roi", "adjusted_roi")


def adjusted_roi(
    units: float, wagered: float, k: float = ADJUSTED_K, prior: float = ADJUSTED_PRIOR
) -> float | None:
    """ROI shrunk toward the house edge by sample size: `n/(n+k)·ROI + k/(n+k)·m`.

    With a 1-unit stake `n` (picks graded win, loss or push) equals the units wagered, and
    `n·ROI` is the units won, so the formula is `(units + k·m) / (n + k)`. None when nothing was
    wagered, as for ROI: a player with no graded pick has no record to adjust.
    """
    if wagered <= 0:
        return None
    return (units + k * prior) / (wagered + k)


def is_ranked(graded: int, minimum: int) -> bool:
    """A player is ranked once they have `minimum` graded picks (and at least one)."""
    return graded >= max(minimum, 1)


@dataclass(frozen=True)
class Form:
    """Current form: the streak ("W3", "L2", "" before any win or loss) and the last-10 record."""

    streak: str
    last10: str  # "W-L-P" over the last ten picks graded win, loss or push


def form(results_oldest_first: Sequence[str]) -> Form:
    """Form from graded results in the order the games tipped ("win", "loss", "push"; anything
    else, such as "void" or "pending", is skipped).

    A push neither extends nor breaks a streak (the stake came back; nothing was won or lost),
    but it is one of the last ten.
    """
    graded = [result for result in results_oldest_first if result in ("win", "loss", "push")]
    last = graded[-10:]
    last10 = f"{last.count('win')}-{last.count('loss')}-{last.count('push')}"
    decided = [result for result in graded if result != "push"]
    if not decided:
        return Form(streak="", last10=last10)
    current = decided[-1]
    length = 0
    for result in reversed(decided):
        if result != current:
            break
        length += 1
    return Form(streak=f"{'W' if current == 'win' else 'L'}{length}", last10=last10)


def ranking_value(ranking: str, units: float, wagered: float) -> float | None:
    """The figure a board ranks by: units, ROI or sample-adjusted ROI (None sorts last)."""
    if ranking == "units":
        return units
    if ranking == "roi":
        return units / wagered if wagered > 0 else None
    if ranking == "adjusted_roi":
        return adjusted_roi(units, wagered)
    raise ValueError(f"ranking must be one of {', '.join(RANKINGS)}")


def board_sort_key(ranking: str, units: float, wagered: float, name_key: str) -> tuple:  # type: ignore[type-arg]
    """Python twin of `board_order` for boards ranked in memory: by the ranking figure (to six
    places, so float noise never splits a tie), nothing-wagered last, then ROI, then name."""
    value = ranking_value(ranking, units, wagered)
    roi = units / wagered if wagered > 0 else None
    return (
        wagered <= 0,
        value is None,
        -round(value, RANK_PLACES) if value is not None else 0.0,
        roi is None,
        -round(roi, RANK_PLACES) if roi is not None else 0.0,
        name_key,
    )


def rank_value(ranking: str, units: float, wagered: float) -> tuple:  # type: ignore[type-arg]
    """What a shared rank compares: rows equal here share a rank (cf. `rank_order`)."""
    return board_sort_key(ranking, units, wagered, "")[:3]
