"""The grading rules are SQL expressions: evaluate them over literals on SQLite and PostgreSQL.

The game in every case is Boston Celtics (home) v Milwaukee Bucks (away). Each row is worked by
hand in its comment: margin = picked side's score + point - opponent's score (spreads), 0 as the
point for a moneyline, home + away - point for Over and point - home - away for Under.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Float, Integer, String, literal, select
from sqlalchemy.engine import Engine

from pickvs.domain import grading as rules

FINAL, POSTPONED, CANCELLED = "final", "postponed", "cancelled"


def evaluate(engine: Engine, expr: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(expr)).scalar_one()


def s(value: str | None) -> Any:
    return literal(value, String())


def f(value: float | None) -> Any:
    return literal(value, Float())


def i(value: int | None) -> Any:
    return literal(value, Integer())


# status, market, side, point, home score, away score -> margin, outcome
CASES = [
    # Moneyline: Celtics -180 favourite, Bucks +150 underdog.
    ("ml favourite wins", FINAL, "h2h", "home", None, 110, 100, 10.0, "win"),
    ("ml favourite loses", FINAL, "h2h", "home", None, 100, 110, -10.0, "loss"),
    ("ml underdog wins", FINAL, "h2h", "away", None, 100, 110, 10.0, "win"),
    ("ml underdog loses", FINAL, "h2h", "away", None, 110, 100, -10.0, "loss"),
    ("ml tie home -> push", FINAL, "h2h", "home", None, 100, 100, 0.0, "push"),
    ("ml tie away -> push", FINAL, "h2h", "away", None, 100, 100, 0.0, "push"),
    # A moneyline ignores any point it might carry.
    ("ml ignores a point", FINAL, "h2h", "home", -4.5, 101, 100, 1.0, "win"),
    # Spreads: Celtics -4.5 / Bucks +4.5.
    ("-4.5 wins by 5", FINAL, "spreads", "home", -4.5, 105, 100, 0.5, "win"),  # 105-4.5-100
    ("-4.5 wins by 4", FINAL, "spreads", "home", -4.5, 104, 100, -0.5, "loss"),  # 104-4.5-100
    ("-4.5 loses outright", FINAL, "spreads", "home", -4.5, 99, 100, -5.5, "loss"),
    ("+4.5 dog loses by 4", FINAL, "spreads", "away", 4.5, 104, 100, 0.5, "win"),  # 100+4.5-104
    ("+4.5 dog loses by 5", FINAL, "spreads", "away", 4.5, 105, 100, -0.5, "loss"),
    ("+4.5 dog wins", FINAL, "spreads", "away", 4.5, 100, 101, 5.5, "win"),
    ("-3 wins by 3 -> push", FINAL, "spreads", "home", -3.0, 103, 100, 0.0, "push"),
    ("+3 loses by 3 -> push", FINAL, "spreads", "away", 3.0, 103, 100, 0.0, "push"),
    ("-3 wins by 4", FINAL, "spreads", "home", -3.0, 104, 100, 1.0, "win"),
    ("away favourite -2.5 wins by 3", FINAL, "spreads", "away", -2.5, 100, 103, 0.5, "win"),
    ("home dog +2.5 loses by 3", FINAL, "spreads", "home", 2.5, 100, 103, -0.5, "loss"),
    ("pick'em spread 0, home wins", FINAL, "spreads", "home", 0.0, 101, 100, 1.0, "win"),
    # Totals 227.5: 113 + 115 = 228.
    ("over 227.5 with 228", FINAL, "totals", "over", 227.5, 113, 115, 0.5, "win"),
    ("under 227.5 with 228", FINAL, "totals", "under", 227.5, 113, 115, -0.5, "loss"),
    ("over 227.5 with 227", FINAL, "totals", "over", 227.5, 113, 114, -0.5, "loss"),
    ("under 227.5 with 227", FINAL, "totals", "under", 227.5, 113, 114, 0.5, "win"),
    ("over 228 with 228 -> push", FINAL, "totals", "over", 228.0, 113, 115, 0.0, "push"),
    ("under 228 with 228 -> push", FINAL, "totals", "under", 228.0, 113, 115, 0.0, "push"),
    # Postponed or cancelled: void whatever the market, scores or no scores.
    ("postponed ml", POSTPONED, "h2h", "home", None, None, None, None, "void"),
    ("postponed spread", POSTPONED, "spreads", "away", 4.5, None, None, None, "void"),
    ("cancelled total", CANCELLED, "totals", "over", 227.5, None, None, None, "void"),
    # A cancelled game keeps no result even if scores were stored before the void.
    ("cancelled with scores", CANCELLED, "h2h", "home", None, 120, 90, 30.0, "void"),
]


@pytest.mark.parametrize(
    ("status", "market", "side", "point", "home", "away", "margin", "outcome"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_margin_and_outcome(
    engine: Engine,
    status: str,
    market: str,
    side: str,
    point: float | None,
    home: int | None,
    away: int | None,
    margin: float | None,
    outcome: str,
) -> None:
    got_margin = evaluate(engine, rules.margin(s(market), s(side), f(point), i(home), i(away)))
    got_outcome = evaluate(
        engine, rules.outcome(s(status), s(market), s(side), f(point), i(home), i(away))
    )
    assert got_margin == (None if margin is None else pytest.approx(margin))
    assert got_outcome == outcome
    # The same definitions over plain values (`lang=PY`): what a per-pick loop uses.
    py_margin = rules.margin(market, side, point, home, away, lang=rules.PY)
    assert py_margin is rules.NULL if margin is None else py_margin == pytest.approx(margin)
    assert rules.outcome(status, market, side, point, home, away, lang=rules.PY) == outcome


@pytest.mark.parametrize(
    ("status", "to_win", "units", "wagered"),
    [
        ("win", 1.5, 1.5, 1.0),  # +150 pays 1.5
        ("win", 100 / 110, 0.9091, 1.0),  # -110 pays 0.9091
        ("loss", 1.5, -1.0, 1.0),  # a loss costs the stake whatever the price
        ("loss", 100 / 180, -1.0, 1.0),
        ("push", 1.5, 0.0, 1.0),  # stake returned, but it was wagered
        ("void", 1.5, 0.0, 0.0),  # refunded and counts nowhere
        ("pending", 1.5, 0.0, 0.0),
    ],
)
def test_result_and_wagered_units_per_status(
    engine: Engine, status: str, to_win: float, units: float, wagered: float
) -> None:
    assert evaluate(engine, rules.result_units(s(status), f(to_win))) == pytest.approx(
        units, abs=5e-5
    )
    assert evaluate(engine, rules.wagered_units(s(status))) == wagered
    assert rules.result_units(status, to_win, lang=rules.PY) == pytest.approx(units, abs=5e-5)
    assert rules.wagered_units(status, lang=rules.PY) == wagered


@pytest.mark.parametrize(
    ("total_units", "total_wagered", "expected"),
    [
        (1.5, 3.0, 0.5),
        (-2.0, 2.0, -1.0),
        (0.0, 4.0, 0.0),  # broke even: a real 0% ROI
        (0.0, 0.0, None),  # nothing wagered: no ROI, not 0 and no division error
        (1.5, 0.0, None),
    ],
)
def test_roi(engine: Engine, total_units: float, total_wagered: float, expected: Any) -> None:
    got = evaluate(engine, rules.roi(f(total_units), f(total_wagered)))
    assert got == (None if expected is None else pytest.approx(expected))


def test_count_if_counts_matching_rows_and_zero_when_none(engine: Engine) -> None:
    rows = (
        select(s("win").label("status"))
        .union_all(select(s("loss")), select(s("win")), select(s("void")))
        .subquery()
    )
    with engine.connect() as conn:
        wins, pushes = conn.execute(
            select(rules.count_if(rows.c.status, "win"), rules.count_if(rows.c.status, "push"))
        ).one()
    assert (wins, pushes) == (2, 0)


def test_constants_agree_with_the_rules() -> None:
    assert set(rules.WAGERED) == {"win", "loss", "push"}
    assert set(rules.SETTLED_GAME_STATUSES) == {"final", "postponed", "cancelled"}


@pytest.mark.parametrize(
    ("market", "side", "point", "home", "away", "expected"),
    [
        # Home -3.5 leading 50-45: 5 + (-3.5) = 1.5 ahead of the line.
        ("spreads", "home", -3.5, 50, 45, "winning"),
        # Home -5 leading by exactly 5: level against the line.
        ("spreads", "home", -5.0, 50, 45, "pushing"),
        # Away +4.5 trailing 50-45: -5 + 4.5 = -0.5.
        ("spreads", "away", 4.5, 50, 45, "losing"),
        # 100 + 121 = 221 > 220.5: the Over is ahead, the Under behind.
        ("totals", "over", 220.5, 100, 121, "winning"),
        ("totals", "under", 220.5, 100, 121, "losing"),
        ("h2h", "away", None, 10, 10, "pushing"),
        ("h2h", "home", None, 0, 2, "losing"),
        ("h2h", "home", None, None, 2, None),
    ],
)
def test_live_standing_uses_the_grading_margin(
    market: str, side: str, point: float | None, home: int | None, away: int | None, expected
) -> None:  # type: ignore[no-untyped-def]
    assert rules.live_standing(market, side, point, home, away) == expected
