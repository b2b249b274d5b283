"""The credits bench steps the planner by its plan's own call times: the same calls, the same
picks' line ages and closing lines as ticking every minute, as the scheduler does."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bench import gameday
from tests.fake_provider import NbaMonth, NbaMonthProvider


def test_stepping_by_the_plan_matches_a_tick_every_minute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = gameday.Month.build(1, seed=20261202, players=3)
    stepped = gameday.simulate(month, gameday.PLANNER, "sqlite", tmp_path, 500)
    monkeypatch.setattr(gameday, "STEP_BY_PLAN", False)
    every_minute = gameday.simulate(month, gameday.PLANNER, "sqlite", tmp_path, 500)
    assert stepped.crash is None and every_minute.crash is None
    assert every_minute.ticks > 20 * stepped.ticks  # the point of stepping
    assert stepped.odds_calls == every_minute.odds_calls and len(stepped.odds_calls) > 1
    assert stepped.live_calls == every_minute.live_calls
    assert stepped.ages == every_minute.ages
    assert stepped.closing == every_minute.closing
    assert stepped.spend == every_minute.spend


# ------------------------------------------------------------------------------ the fake's month

MARKETS = ("h2h", "spreads", "totals")
SHAPE = NbaMonth.seeded(date(2027, 3, 1), days=31, seed=20261202)
CLUSTERS = {time(19), time(19, 30), time(20), time(21), time(22)}


def test_weeknights_tip_in_the_evening_clusters_and_weekends_add_afternoons() -> None:
    weeknight = [t for d in SHAPE.month if d.weekday() < 5 for t in SHAPE.tips_on(d)]
    assert set(weeknight) == CLUSTERS
    counts = Counter(weeknight)
    assert counts[time(19)] + counts[time(19, 30)] > len(weeknight) / 2  # most at 7 and 7:30
    weekend = [t for d in SHAPE.month if d.weekday() >= 5 for t in SHAPE.tips_on(d)]
    assert {time(13), time(15, 30)} & set(weekend) and set(weekend) - {time(13), time(15, 30)}
    assert not SHAPE.off_days() and all(SHAPE.games_on(d) >= 3 for d in SHAPE.month)
    assert SHAPE.tips_on(date(2027, 3, 5)) == SHAPE.tips_on(date(2027, 3, 5))  # deterministic


def test_lines_move_between_fetches_and_the_favourite_keeps_its_side() -> None:
    provider = NbaMonthProvider(SHAPE, seed=20261202)
    morning = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    fetches = [
        provider.odds_payload("basketball_nba", MARKETS, morning + timedelta(minutes=30 * n))
        for n in range(6)
    ]
    assert fetches[0] == provider.odds_payload("basketball_nba", MARKETS, morning)
    assert any(payload != fetches[0] for payload in fetches[1:])
    for payload in fetches:
        for event in payload:
            for book in event["bookmakers"]:
                spread = next(m for m in book["markets"] if m["key"] == "spreads")
                points = [o["point"] for o in spread["outcomes"]]
                assert points[0] == -points[1] and abs(points[0]) >= 1


def test_live_scores_without_days_from_show_games_in_play() -> None:
    provider = NbaMonthProvider(SHAPE, seed=20261202)
    tonight = provider.games_on(date(2027, 3, 2))
    first_tip = tonight[0].commence_time
    during = provider.scores_payload("basketball_nba", None, first_tip + timedelta(minutes=40))
    playing = [e for e in during if e["scores"] is not None]
    assert playing and all(not e["completed"] for e in during)
    assert all(int(s["score"]) > 0 for e in playing for s in e["scores"])
    # Once over, a game is either reported completed or gone; two hours on it is gone.
    game = tonight[0]
    final = game.commence_time + game.length
    soon = provider.scores_payload("basketball_nba", None, final + timedelta(minutes=5))
    assert all(e["completed"] for e in soon if e["id"] == game.id)
    later = provider.scores_payload("basketball_nba", None, final + timedelta(hours=2))
    assert game.id not in {e["id"] for e in later}
