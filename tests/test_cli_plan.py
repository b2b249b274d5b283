"""`pickvs plan`: today's planned calls in league time, their cost and state, why each is
there, and the month's projected spend (the admin page's figures, hand-worked there)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from pickvs import cli, db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import JobRun
from tests.services.builders import make_game, utc

NOW = utc("2026-11-22T12:00")  # 07:00 EST
TIP = utc("2026-11-23T00:10")  # 7:10 pm EST on the 22nd


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli, "clock", FixedClock(NOW))
    monkeypatch.setattr(settings, "monthly_credits", 500)
    return CliRunner()


def test_plan_prints_each_call_and_the_projection(engine: Engine, runner: CliRunner) -> None:
    with db.session_scope() as session:
        make_game(session, "g1", TIP, fetched_at=NOW - timedelta(hours=2))
        # The 5:07 am refresh has run (its slot claimed).
        session.add(
            JobRun(
                job="planned-odds",
                trigger="planner",
                slot=utc("2026-11-22T10:07"),
                started_at=utc("2026-11-22T10:07"),
                outcome="ok",
            )
        )
    result = runner.invoke(cli.main, ["plan"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "18 planned call(s) today, 48 credit(s): today's share of the month's 435 spare "
        "credits is 48."
    )
    assert (
        lines[1] == "  05:07 EST  odds         3 cr  ok        fresh lines for picks (1 h spacing)"
    )
    assert lines[2].startswith("  06:07 EST  odds         3 cr  planned   ")
    assert lines[15] == "  19:07 EST  odds         3 cr  planned   closing lines for 1 game"
    assert lines[16] == (
        "  20:10 EST  live-scores  1 cr  planned   live scores every 1 h during games"
    )
    assert lines[-1] == "Projected spend this month: 477 of 500 credits."


def test_plan_says_when_the_planner_is_off(
    engine: Engine, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "planner", False)
    result = runner.invoke(cli.main, ["plan"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "PICKVS_PLANNER=false: only the two daily jobs run (this is what it would plan).",
        "Projected spend this month: 45 of 500 credits.",
    ]
