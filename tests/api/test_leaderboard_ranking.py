"""The public board's issue-11 fields through the API, on hand-worked figures: the ranked and
not-yet-ranked split, adjusted ROI, streak and last ten, the season period, and the 404 when the
instance turns the board off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from tests.api.helpers import (
    BOS,
    GSW,
    NYK,
    assert_error,
    celtics_game,
    lakers_game,
    pick,
    register,
    settle,
)


@pytest.fixture
def two_games(client, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """PICKVS_MIN_RANKED_PICKS=2. Knicks at Celtics (tips in 2 h) ends 110-100: Celtics -180
    wins 100/180 = 0.5556, Celtics -10 pushes, Knicks lose 1. Warriors (+150) win at the Lakers
    (tips in 3 h) 105-100: 1.5.

    ann: Celtics ML, Warriors ML: 2.0556 over 2, 2-0-0, form W2, 2-0-0; ranked 1st.
    cal: Celtics -10 (push), Warriors ML: 1.5 over 2, 1-0-1, W1 (a push breaks nothing),
         1-0-1; ranked 2nd.
    bea: Knicks ML: -1 over 1, L1, 0-1-0: one graded pick, not yet ranked.
    dee: nothing: not ranked, no ROI, no adjusted ROI, no streak.
    adjusted ROI = (units - 1.35) / (n + 30): ann 0.7056 / 32 = 0.022049, cal 0.15 / 32 =
    0.004688, bea -2.35 / 31 = -0.075806.
    """
    monkeypatch.setattr(settings, "min_ranked_picks", 2)
    bos = celtics_game(clock, hours=2)
    lakers_game(clock, hours=3)
    tokens = {name: register(client, name) for name in ("ann", "bea", "cal", "dee")}
    assert (
        pick(client, tokens["ann"], ("g-bos", "h2h", BOS), ("g-lal", "h2h", GSW)).status_code == 201
    )
    assert (
        pick(client, tokens["cal"], ("g-bos", "spreads", BOS), ("g-lal", "h2h", GSW)).status_code
        == 201
    )
    assert pick(client, tokens["bea"], ("g-bos", "h2h", NYK)).status_code == 201
    clock.set(bos + timedelta(hours=4))
    settle("g-bos", 110, 100, clock.now())
    settle("g-lal", 100, 105, clock.now())


def _rows(client, query: str = "") -> list[tuple]:  # type: ignore[type-arg]
    response = client.get(f"/api/leaderboard{query}")
    assert response.status_code == 200, response.text
    return [
        (
            r["rank"],
            r["ranked"],
            r["username"],
            round(r["total_units"], 4),
            None if r["adjusted_roi"] is None else round(r["adjusted_roi"], 6),
            r["streak"],
            r["last10"],
        )
        for r in response.json()
    ]


ANN = ("ann", 2.0556, 0.022049, "W2", "2-0-0")
CAL = ("cal", 1.5, 0.004688, "W1", "1-0-1")
BEA = ("bea", -1.0, -0.075806, "L1", "0-1-0")
DEE = ("dee", 0.0, None, "", "0-0-0")


@pytest.mark.usefixtures("two_games")
def test_ranked_first_then_not_yet_ranked_with_form_and_adjusted_roi(client) -> None:
    assert _rows(client) == [
        (1, True, *ANN),
        (2, True, *CAL),
        (None, False, *BEA),
        (None, False, *DEE),  # nothing wagered: listed, not ranked below bea's -1
    ]
    for period in ("season", "month", "week"):  # dee has nothing in any period
        assert _rows(client, f"?period={period}") == [
            (1, True, *ANN),
            (2, True, *CAL),
            (None, False, *BEA),
        ], period
    assert _rows(client, "?period=season&limit=1&offset=2") == [(None, False, *BEA)]


@pytest.mark.usefixtures("two_games")
def test_a_lower_threshold_ranks_bea(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "min_ranked_picks", 1)
    assert [(r[0], r[2]) for r in _rows(client, "?period=week")] == [
        (1, "ann"),
        (2, "cal"),
        (3, "bea"),
    ]


def test_the_board_turned_off_is_404(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "public_board", False)
    for query in ("", "?period=season", "?period=week&limit=5"):
        body = assert_error(client.get(f"/api/leaderboard{query}"), 404)
        assert body["detail"] == "The public leaderboard is turned off on this instance."
    monkeypatch.setattr(settings, "public_board", True)
    assert client.get("/api/leaderboard").status_code == 200
