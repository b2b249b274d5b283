"""The known sport keys: the ones odds-api.md lists, and nothing else."""

from __future__ import annotations

import pytest

from pickvs.domain.sports import SPORTS, can_end_tied, sport_title, unknown_sports


def test_the_documented_keys() -> None:
    assert SPORTS == (
        "basketball_nba",
        "basketball_ncaab",
        "basketball_wnba",
        "americanfootball_nfl",
        "americanfootball_ncaaf",
        "baseball_mlb",
        "icehockey_nhl",
    )


def test_unknown_sports_keeps_order_and_spelling() -> None:
    assert unknown_sports(["basketball_nba", "NBA", "soccer_epl", "icehockey_nhl"]) == [
        "NBA",
        "soccer_epl",
    ]
    assert unknown_sports([]) == []


@pytest.mark.parametrize(
    ("key", "can_tie"),
    [
        ("basketball_nba", False),
        ("basketball_ncaab", False),
        ("basketball_wnba", False),
        ("americanfootball_nfl", True),  # a regular-season game can end tied after overtime
        ("soccer_epl", True),
    ],
)
def test_which_sports_can_end_tied(key: str, can_tie: bool) -> None:
    assert can_end_tied(key) is can_tie


def test_sport_title() -> None:
    assert (sport_title("basketball_nba"), sport_title("soccer_epl")) == ("NBA", "soccer_epl")
