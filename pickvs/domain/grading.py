"""Grading rules, written once and evaluable two ways: as SQL expressions, so grading stays
set-based, and over plain Python values (`lang=PY`), for a per-pick check or a comparison run.

A pick's *margin* is how far its side finished ahead of the line: positive wins, zero pushes,
negative loses. Moneyline is a spread of zero; a total compares the combined score to the point.
Evaluate the SQL form through any SQLAlchemy `select` (tests do so with literals); the Python
form follows SQL's NULL rules, so both give the same answer on the same inputs.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Float, String, and_, case, cast, func, literal, or_
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

from pickvs.domain.markets import AWAY, H2H, HOME, OVER, UNDER
from pickvs.domain.odds import STAKE_UNITS

WIN, LOSS, PUSH, VOID, PENDING = "win", "loss", "push", "void", "pending"
WAGERED = (WIN, LOSS, PUSH)  # a void pick is refunded and counts nowhere
VOID_GAME_STATUSES = ("postponed", "cancelled")
SETTLED_GAME_STATUSES = ("final", *VOID_GAME_STATUSES)

Expr = ColumnElement[Any]


class Lang(Protocol):
    """The few operations the rules are written in."""

    def choose(self, *branches: tuple[Any, Any], otherwise: Any) -> Any: ...
    def number(self, value: Any) -> Any: ...
    def among(self, value: Any, options: tuple[str, ...]) -> Any: ...
    def or_zero(self, value: Any) -> Any: ...


class _Sql:
    """Build SQLAlchemy expressions."""

    @staticmethod
    def _value(value: Any) -> Any:
        return value if value is None or isinstance(value, ClauseElement) else literal(value)

    def choose(self, *branches: tuple[Any, Any], otherwise: Any) -> Expr:
        whens = [(condition, self._value(value)) for condition, value in branches]
        return case(*whens, else_=self._value(otherwise))

    def number(self, value: Any) -> Expr:
        return cast(value, Float)

    def among(self, value: Any, options: tuple[str, ...]) -> Expr:
        return value.in_(options)  # type: ignore[no-any-return]

    def or_zero(self, value: Any) -> Expr:
        return func.coalesce(value, 0.0)


class _Unknown:
    """SQL's NULL for the Python form: arithmetic and comparisons with it stay unknown (falsy)."""

    def __bool__(self) -> bool:
        return False

    def _unknown(self, *_: Any) -> _Unknown:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __neg__ = _unknown
    __gt__ = __lt__ = __ge__ = __le__ = __eq__ = __ne__ = _unknown  # type: ignore[assignment]
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "NULL"


NULL = _Unknown()


class _Py:
    """Evaluate over plain values, the first true branch winning, like SQL's CASE."""

    def choose(self, *branches: tuple[Any, Any], otherwise: Any) -> Any:
        for condition, value in branches:
            if condition:
                return value
        return NULL if otherwise is None else otherwise

    def number(self, value: Any) -> Any:
        return NULL if value is None or value is NULL else float(value)

    def among(self, value: Any, options: tuple[str, ...]) -> bool:
        return value in options

    def or_zero(self, value: Any) -> Any:
        return 0.0 if value is None or value is NULL else value


SQL: Lang = _Sql()
PY: Lang = _Py()


def margin(
    market: Any, side: Any, point: Any, home_score: Any, away_score: Any, lang: Lang = SQL
) -> Any:
    """Picked side's result against the line (spread: score + point - opponent's score)."""
    line = lang.choose((market == H2H, 0.0), otherwise=lang.or_zero(lang.number(point)))
    home, away = lang.number(home_score), lang.number(away_score)
    return lang.choose(
        (side == HOME, home - away + line),
        (side == AWAY, away - home + line),
        (side == OVER, home + away - line),
        (side == UNDER, line - home - away),
        otherwise=None,
    )


def outcome(
    game_status: Any,
    market: Any,
    side: Any,
    point: Any,
    home_score: Any,
    away_score: Any,
    lang: Lang = SQL,
) -> Any:
    """Final status of a pick on a settled game; postponed or cancelled games void it."""
    m = margin(market, side, point, home_score, away_score, lang)
    return lang.choose(
        (lang.among(game_status, VOID_GAME_STATUSES), VOID),
        (m > 0, WIN),
        (m == 0, PUSH),
        otherwise=LOSS,
    )


def result_units(status: Any, to_win: Any, lang: Lang = SQL) -> Any:
    """Win pays the price fixed at submission; loss costs the stake; push and void are 0."""
    return lang.choose(
        (status == WIN, lang.number(to_win)), (status == LOSS, -STAKE_UNITS), otherwise=0.0
    )


def wagered_units(status: Any, lang: Lang = SQL) -> Any:
    return lang.choose((lang.among(status, WAGERED), STAKE_UNITS), otherwise=0.0)


def roi(total_units: Any, total_wagered: Any) -> Expr:
    """Units per unit wagered; NULL (shown as —) when nothing was wagered, never 0 or an error."""
    return case(
        (total_wagered > 0, cast(total_units, Float) / cast(total_wagered, Float)), else_=None
    )


def count_if(status: Any, wanted: str) -> Expr:
    return func.coalesce(func.sum(case((status == wanted, 1), else_=0)), 0)


def is_settled(game_status: Any, home_score: Any, away_score: Any) -> Expr:
    """A game whose picks can be graded: void (postponed, cancelled), or final with both scores."""
    return and_(
        game_status.in_(SETTLED_GAME_STATUSES),
        or_(game_status != "final", and_(home_score.is_not(None), away_score.is_not(None))),
    )


def settlement_key(game_status: Any, home_score: Any, away_score: Any) -> Expr:
    """What a game's picks are graded against, as one comparable value ("final:110:104").

    Grading keeps it on the game, so a later run regrades only the games whose settlement has
    changed since (a corrected score, an admin's settlement or void) instead of re-checking
    every pick of a season.
    """
    return (
        game_status
        + ":"
        + func.coalesce(cast(home_score, String), "")
        + ":"
        + func.coalesce(cast(away_score, String), "")
    )


WINNING, LOSING, PUSHING = "winning", "losing", "pushing"


def live_standing(
    market: str, side: str, point: float | None, home_score: int | None, away_score: int | None
) -> str | None:
    """How a pick stands on an in-play score, by the same margin rule that grades it: winning,
    losing or pushing (level against the line), or None with no score yet."""
    if home_score is None or away_score is None:
        return None
    m = margin(market, side, point, home_score, away_score, PY)
    if m is NULL:
        return None
    return WINNING if m > 0 else PUSHING if m == 0 else LOSING
