"""The known sport keys: the ones odds-api.md lists, and nothing else."""

from __future__ import annotations

from pickvs.domain.sports import SPORTS, unknown_sports


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
