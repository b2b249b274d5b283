"""Grading rules, written once as SQL expressions so grading stays set-based.

A pick's *margin* is how far its side finished ahead of the line: positive wins, zero pushes,
negative loses. Moneyline is a spread of zero; a total compares the combined score to the point.
Evaluate these through any SQLAlchemy `select` (tests do so with literals).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

from pickvs.domain.markets import AWAY, H2H, HOME, OVER, UNDER
from pickvs.domain.odds import STAKE_UNITS

WIN, LOSS, PUSH, VOID, PENDING = "win", "loss", "push", "void", "pending"
WAGERED = (WIN, LOSS, PUSH)  # a void pick is refunded and counts nowhere
VOID_GAME_STATUSES = ("postponed", "cancelled")
SETTLED_GAME_STATUSES = ("final", *VOID_GAME_STATUSES)

Expr = ColumnElement[Any]


def _f(value: Any) -> Expr:
    return cast(value, Float)


def margin(market: Any, side: Any, point: Any, home_score: Any, away_score: Any) -> Expr:
    """Picked side's result against the line (spread: score + point - opponent's score)."""
    line = case((market == H2H, literal(0.0)), else_=func.coalesce(_f(point), 0.0))
    home, away = _f(home_score), _f(away_score)
    return case(
        (side == HOME, home - away + line),
        (side == AWAY, away - home + line),
        (side == OVER, home + away - line),
        (side == UNDER, line - home - away),
    )


def outcome(
    game_status: Any, market: Any, side: Any, point: Any, home_score: Any, away_score: Any
) -> Expr:
    """Final status of a pick on a settled game; postponed or cancelled games void it."""
    m = margin(market, side, point, home_score, away_score)
    return case(
        (game_status.in_(VOID_GAME_STATUSES), literal(VOID)),
        (m > 0, literal(WIN)),
        (m == 0, literal(PUSH)),
        else_=literal(LOSS),
    )


def result_units(status: Any, to_win: Any) -> Expr:
    """Win pays the price fixed at submission; loss costs the stake; push and void are 0."""
    return case(
        (status == WIN, _f(to_win)),
        (status == LOSS, literal(-STAKE_UNITS)),
        else_=literal(0.0),
    )


def wagered_units(status: Any) -> Expr:
    return case((status.in_(WAGERED), literal(STAKE_UNITS)), else_=literal(0.0))


def roi(total_units: Any, total_wagered: Any) -> Expr:
    """Units per unit wagered; NULL (shown as —) when nothing was wagered, never 0 or an error."""
    return case((total_wagered > 0, _f(total_units) / _f(total_wagered)), else_=None)


def count_if(status: Any, wanted: str) -> Expr:
    return func.coalesce(func.sum(case((status == wanted, 1), else_=0)), 0)
