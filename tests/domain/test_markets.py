"""Selections map to sides, so grading never depends on how the feed spells a team."""

from __future__ import annotations

import pytest

from pickvs.domain.markets import (
    SelectionError,
    opposite,
    outcome_side,
    selection_name,
    side_for,
)

HOME, AWAY = "Boston Celtics", "Milwaukee Bucks"


@pytest.mark.parametrize(
    ("market", "selection", "side"),
    [
        ("h2h", "Boston Celtics", "home"),
        ("h2h", "  milwaukee bucks ", "away"),
        ("h2h", "home", "home"),
        ("spreads", "AWAY", "away"),
        ("spreads", "Boston Celtics", "home"),
        ("totals", "Over", "over"),
        ("totals", "under", "under"),
    ],
)
def test_side_for(market: str, selection: str, side: str) -> None:
    assert side_for(market, selection, HOME, AWAY) == side


@pytest.mark.parametrize(
    ("market", "selection"),
    [
        ("totals", "Boston Celtics"),
        ("h2h", "Over"),
        ("spreads", "Lakers"),
        ("player_points", "Over"),
        ("h2h", ""),
    ],
)
def test_side_for_rejects(market: str, selection: str) -> None:
    with pytest.raises(SelectionError):
        side_for(market, selection, HOME, AWAY)
    assert outcome_side(market, selection, HOME, AWAY) is None


def test_names_and_opposites() -> None:
    assert [selection_name(s, HOME, AWAY) for s in ("home", "away", "over", "under")] == [
        HOME,
        AWAY,
        "Over",
        "Under",
    ]
    assert [opposite(s) for s in ("home", "away", "over", "under")] == [
        "away",
        "home",
        "under",
        "over",
    ]
