"""Smoke test of `python -m bench credits` at a week's scale: the invariants, not the timings.

The bench drives the real scheduler path (cron fire times, `run_scheduled`, start-up catch-up)
on a moved clock against the fake provider; here it runs 7 days on each backend, at the full
budget and at 20 credits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import credits
from bench.common import Context

BACKENDS = ("sqlite", "postgresql")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_week_keeps_every_credit_invariant(backend: str, tmp_path: Path) -> None:
    measures = {
        m.name: m for m in credits.run(Context(backends=(backend,), scale=7 / 31, workdir=tmp_path))
    }
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
