"""Smoke test of `python -m bench credits` at a tiny scale: the invariants, not the figures.

The seed's month drives the real scheduler path (cron fire times, `run_scheduled`, start-up
catch-up) on a moved clock against the fake provider: 7 days on each backend, at the full
budget and at 20 credits. Game day (seed, planner and ceiling on an NBA-shaped month) runs one
day with a few players: every line printed (SQLite; the 20000-credit day makes a live call a
minute), and seed against planner on each backend, the ledger agreeing with the provider and
each pick's line age read at its time.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bench import credits, gameday
from bench.common import Context

BACKENDS = ("sqlite", "postgresql")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_week_keeps_every_credit_invariant(backend: str, tmp_path: Path) -> None:
    ctx = Context(backends=(backend,), scale=7 / 31, workdir=tmp_path)
    measures = {m.name: m for m in credits.run_seed_month(ctx)}
    missed = [m.line() for m in measures.values() if not m.met]
    assert not missed, missed
    idle = measures["paid calls on days with nothing to fetch"]
    assert idle.figure == "0"
    # Not vacuous: the week has a morning with no game in the odds window, and a day off.
    match = re.search(r"(\d+) mornings with no game in the odds window", idle.extra)
    assert match and int(match.group(1)) >= 1
    assert "free look-ups on the former: 0" not in idle.extra
    assert measures["over budget at any point"].figure == "never"
    small = measures["with a 20-credit budget"]
    spent, refused = re.match(r"(\d+) of 20 used, (\d+) call\(s\) refused", small.figure).groups()
    assert int(spent) <= 20 and int(refused) >= 1
    assert ", 0 failed, no crash" in small.figure
    assert "reason: “call would cost" in small.extra


def test_simulated_week_reports_agree_with_the_provider(tmp_path: Path) -> None:
    report = credits.simulate("sqlite", tmp_path, days=7, budget=500, seed=3)
    assert report.crash is None
    assert report.ledger_credits == report.provider_credits > 0
    assert report.paid_on_idle_days == [] and report.idle_odds_days
    # Every paid call is an odds call (3 credits) or a scores call with daysFrom (2).
    assert report.ledger_credits == 3 * report.paid_calls["odds"] + 2 * report.paid_calls["scores"]
    assert report.free_look_ups == 7  # one schedule look-up per fetch-odds run, one run a day
    assert report.picks_due > 0 and report.picks_graded == report.picks_due


GAME_DAY_LINES = (
    "picks on a line fetched ≤ 2 h earlier, 500 credits",
    "games with picks whose last fetch before lock was ≤ 30 min before it, 500 credits",
    "credits used, 500 credits",
    "live score freshness during games, 500 credits",
    "live scores during games, 20000 credits",
    "picks on a line ≤ 30 min old, 20000 credits",
    "games with picks whose closing line was ≤ 30 min before lock, 20000 credits",
)


def test_game_day_prints_every_schedule_side_by_side(tmp_path: Path) -> None:
    ctx = Context(backends=("sqlite",), scale=1 / 31, workdir=tmp_path)
    measures = {m.name: m for m in gameday.run(ctx)}
    assert tuple(measures) == GAME_DAY_LINES
    fresh = measures[GAME_DAY_LINES[0]]
    assert re.fullmatch(r"planner [\d.]+ %, ceiling [\d.]+ %, seed [\d.]+ %", fresh.figure)
    assert "the planner's" in fresh.extra  # the ceiling spends the planner's calls, not a guess
    # Whether both 500-credit targets can be met at once, with hindsight, is printed too.
    assert re.search(r"both aims with hindsight .*: at most [\d.]+ %", fresh.extra), fresh.extra
    credit_line = measures["credits used, 500 credits"]
    assert credit_line.met, credit_line.line()
    assert "over budget never" in credit_line.extra and "over budget yes" not in credit_line.extra


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_game_day_seed_against_planner(backend: str, tmp_path: Path) -> None:
    """Hand-checkable on one day: the seed prices every pick on the 05:00 line (hours old, no
    closing line, no live score); the planner's lines are fresher, and it stays in budget."""
    month = gameday.Month.build(1, seed=11, players=3)
    requests = sum(len(pick.requests) for pick in month.picks)
    assert requests > 0
    seed = gameday.simulate(month, gameday.SEED, backend, tmp_path, 500)
    planner = gameday.simulate(month, gameday.PLANNER, backend, tmp_path, 500)
    for run in (seed, planner):
        assert run.crash is None
        assert len(run.ages) == requests and None not in run.ages
        assert run.ledger_credits == run.provider_credits and not run.over_budget
    # The 05:00 fetch is the only one: every pick is at least 4 hours after it.
    assert min(seed.ages) >= timedelta(hours=4)
    assert len(seed.odds_calls) == 1 and seed.live_calls == []
    assert gameday.fresh_share(seed.ages) == 0.0
    assert gameday.fresh_share(planner.ages) > 0.0
    assert len(planner.odds_calls) > 1
    # The ceiling with the planner's calls, placed with hindsight, prices at least as many
    # picks fresh as the best single call of the day could.
    best = gameday.ceiling(month, gameday.calls_per_day(planner))
    assert best.picks == requests and best.fresh > 0
