"""Sample-adjusted ROI, current form and in-memory board order, with hand-worked figures."""

from __future__ import annotations

import pytest

from pickvs.domain import standings
from pickvs.domain.odds import win_units

W110 = win_units(-110)  # 100/110 = 0.909090...


def test_adjusted_roi_three_straight_wins_does_not_top_sixty_forty_over_a_hundred() -> None:
    # 3-0 at -110: units 3 x 0.90909 = 2.72727; (2.72727 + 30 x -0.045) / 33 = 0.041736
    hot_start = standings.adjusted_roi(3 * W110, 3)
    # 60-40 at -110: units 54.5454 - 40 = 14.5454; (14.5454 - 1.35) / 130 = 0.101503
    steady = standings.adjusted_roi(60 * W110 - 40, 100)
    assert hot_start == pytest.approx(0.041736, abs=1e-6)
    assert steady == pytest.approx(0.101503, abs=1e-6)
    assert steady > hot_start
    # ...while on plain ROI the 3-0 start is far ahead: 0.909 v 0.145
    assert 3 * W110 / 3 > (60 * W110 - 40) / 100


@pytest.mark.parametrize(
    ("units", "wagered", "expected"),
    [
        (0.0, 0.0, None),  # nothing wagered: no ROI to adjust
        (-1.0, 1.0, (-1.0 - 1.35) / 31),  # one loss: -0.075806
        (10.0, 30.0, (10.0 - 1.35) / 60),  # n = k: halfway between 0.3333 and -0.045
    ],
)
def test_adjusted_roi_formula(units: float, wagered: float, expected: float | None) -> None:
    assert standings.adjusted_roi(units, wagered) == (
        None if expected is None else pytest.approx(expected)
    )


@pytest.mark.parametrize(
    ("results", "streak", "last10"),
    [
        ([], "", "0-0-0"),
        (["push", "void", "pending"], "", "0-0-1"),
        (["loss", "win", "win", "win"], "W3", "3-1-0"),
        (["win", "loss", "loss"], "L2", "1-2-0"),
        # a push neither breaks nor extends the run of wins around it
        (["win", "push", "win"], "W2", "2-0-1"),
        # the last ten only: twelve graded, the first two (both losses) fall off
        (["loss", "loss"] + ["win"] * 7 + ["push", "loss", "win"], "W1", "8-1-1"),
    ],
)
def test_form(results: list[str], streak: str, last10: str) -> None:
    assert standings.form(results) == standings.Form(streak=streak, last10=last10)


def test_board_sort_key_orders_each_ranking() -> None:
    rows = {
        "ann": (5.0, 50.0),  # roi 0.10, adjusted (5 - 1.35) / 80 = 0.045625
        "bob": (2.0, 4.0),  # roi 0.50, adjusted (2 - 1.35) / 34 = 0.019118
        "cat": (6.0, 100.0),  # roi 0.06, adjusted (6 - 1.35) / 130 = 0.035769
        "dan": (0.0, 0.0),  # nothing wagered: last everywhere
    }

    def order(ranking: str) -> list[str]:
        return sorted(rows, key=lambda name: standings.board_sort_key(ranking, *rows[name], name))

    assert order("units") == ["cat", "ann", "bob", "dan"]
    assert order("roi") == ["bob", "ann", "cat", "dan"]
    assert order("adjusted_roi") == ["ann", "cat", "bob", "dan"]


def test_rows_level_to_six_places_share_a_rank_value() -> None:
    assert standings.rank_value("units", 0.1 + 0.2, 3.0) == standings.rank_value("units", 0.3, 5.0)
    assert standings.rank_value("roi", 1.0, 2.0) != standings.rank_value("roi", 1.0, 3.0)
