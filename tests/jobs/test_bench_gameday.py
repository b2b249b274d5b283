"""The credits bench steps the planner by its plan's own call times: the same calls, the same
picks' line ages and closing lines as ticking every minute, as the scheduler does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import gameday


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
