"""The leaderboard, on hand-worked figures: units, ROI, W-L-P, ties, paging and periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pickvs.domain.clock import FixedClock
from tests.api.helpers import (
    BOS,
    GSW,
    NYK,
    assert_error,
    celtics_game,
    lakers_game,
    login,
    pick,
    register,
    settle,
)


@pytest.fixture(autouse=True)
def ranked_from_the_first_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    """These boards rank a player from their first graded pick (PICKVS_MIN_RANKED_PICKS=1);
    tests/api/test_leaderboard_ranking.py covers the threshold."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "min_ranked_picks", 1)


def _board(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/leaderboard{query}")
    assert response.status_code == 200, response.text
    return response.json()


def _summary(rows: list[dict]) -> list[tuple]:
    return [
        (
            r["rank"],
            r["username"],
            round(r["total_units"], 4),
            r["total_wagered"],
            None if r["roi"] is None else round(r["roi"], 4),
            (r["wins"], r["losses"], r["pushes"]),
        )
        for r in rows
    ]


@pytest.fixture
def graded_night(client, clock: FixedClock) -> None:
    """Six players, two games, every outcome:

    - Knicks at Celtics ends 110-100: Celtics -180 win pays 100/180 = 0.5556 (Bea and Fay
      both, a tie); Celtics -10 spread lands exactly (110 - 10 = 100): push, 0; Knicks
      moneyline loses 1.
    - Warriors (+150) win at the Lakers 105-100: 150/100 = 1.5.
    - Dee signs up and picks nothing: 0 units, nothing wagered, no ROI.
    """
    bos = celtics_game(clock, hours=2)
    lakers_game(clock, hours=3)
    tokens = {name: register(client, name) for name in ("ann", "bea", "cal", "dee", "eli", "fay")}
    assert pick(client, tokens["ann"], ("g-lal", "h2h", GSW)).status_code == 201
    assert pick(client, tokens["bea"], ("g-bos", "h2h", BOS)).status_code == 201
    assert pick(client, tokens["cal"], ("g-bos", "spreads", BOS)).status_code == 201
    assert pick(client, tokens["eli"], ("g-bos", "h2h", NYK)).status_code == 201
    assert pick(client, tokens["fay"], ("g-bos", "h2h", "home")).status_code == 201
    clock.set(bos + timedelta(hours=4))
    settle("g-bos", 110, 100, clock.now())
    settle("g-lal", 100, 105, clock.now())


@pytest.mark.usefixtures("graded_night")
def test_hand_worked_units_roi_and_record(client) -> None:
    assert _summary(_board(client)) == [
        (1, "ann", 1.5, 1.0, 1.5, (1, 0, 0)),
        # Level on units: the same rank, then by name.
        (2, "bea", 0.5556, 1.0, 0.5556, (1, 0, 0)),
        (2, "fay", 0.5556, 1.0, 0.5556, (1, 0, 0)),
        (4, "cal", 0.0, 1.0, 0.0, (0, 0, 1)),
        (5, "eli", -1.0, 1.0, -1.0, (0, 1, 0)),
        # Nothing wagered: no ROI (null, not 0), not ranked, listed after the ranked players.
        (None, "dee", 0.0, 0.0, None, (0, 0, 0)),
    ]
    assert _board(client)[1]["total_units"] == pytest.approx(100 / 180)
    assert set(_board(client)[0]) == {
        "rank",
        "ranked",
        "username",
        "total_units",
        "total_wagered",
        "roi",
        "wins",
        "losses",
        "pushes",
        "adjusted_roi",
        "streak",
        "last10",
        "clv",
    }


@pytest.mark.usefixtures("graded_night")
def test_paging_keeps_the_ranks(client) -> None:
    assert [(r["rank"], r["username"]) for r in _board(client, "?limit=2")] == [
        (1, "ann"),
        (2, "bea"),
    ]
    assert [(r["rank"], r["username"]) for r in _board(client, "?limit=2&offset=2")] == [
        (2, "fay"),
        (4, "cal"),
    ]
    assert [(r["rank"], r["username"]) for r in _board(client, "?limit=2&offset=4")] == [
        (5, "eli"),
        (None, "dee"),
    ]
    assert _board(client, "?offset=6") == []
    assert len(_board(client, "?limit=200")) == 6


@pytest.mark.parametrize(
    "query",
    ["?period=year", "?period=", "?limit=0", "?limit=201", "?offset=-1", "?limit=x", "?limit=1e3"],
)
def test_bad_leaderboard_parameters_are_422(client, query) -> None:
    body = assert_error(client.get(f"/api/leaderboard{query}"), 422)
    assert body["field"] in {"period", "limit", "offset"}


def test_periods_count_games_that_tipped_in_them(client, clock: FixedClock) -> None:
    """A pick on last month's game counts all time only; last week's counts for the month."""
    clock.set(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    token = register(client, "ann")
    register(client, "bob")
    stages = [
        # (when the game is on the board, game id, tip-off 8 h later in UTC)
        (datetime(2026, 10, 24, 16, 0, tzinfo=UTC), "oct"),  # Sat 24 Oct, New York evening
        (datetime(2026, 11, 9, 16, 0, tzinfo=UTC), "nov-9"),  # Mon 9 Nov: this month, last week
        (datetime(2026, 11, 21, 16, 0, tzinfo=UTC), "nov-21"),  # Sat 21 Nov: this week
    ]
    for on_board, game_id in stages:
        clock.set(on_board)
        token = login(client, "ann")
        tip = celtics_game(clock, game_id=game_id, hours=8)
        assert pick(client, token, (game_id, "h2h", NYK)).status_code == 201
        clock.set(tip + timedelta(hours=3))
        settle(game_id, 99, 101, clock.now())  # Knicks +150 win each time

    clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))  # Sunday 07:00 in New York
    everything = _summary(_board(client, "?period=all"))
    assert everything == [
        (1, "ann", 4.5, 3.0, 1.5, (3, 0, 0)),
        (None, "bob", 0.0, 0.0, None, (0, 0, 0)),
    ]
    assert _summary(_board(client, "?period=month")) == [(1, "ann", 3.0, 2.0, 1.5, (2, 0, 0))]
    assert _summary(_board(client, "?period=week")) == [(1, "ann", 1.5, 1.0, 1.5, (1, 0, 0))]
    assert _board(client) == _board(client, "?period=all")


def test_empty_leaderboard_is_an_empty_list(client) -> None:
    assert _board(client) == []
    assert _board(client, "?period=week") == []
