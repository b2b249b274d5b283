"""The `pickvs` command line: help for every command, one clear stderr line on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs import cli
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import ApiCall, Game, GameStatus, User
from pickvs.services import auth
from tests.services.builders import bare_game

COMMANDS = [
    ["fetch-odds"],
    ["process-results"],
    ["grade"],
    ["quota"],
    ["plan"],
    ["games"],
    ["settle"],
    ["void"],
    ["make-admin"],
    ["db", "upgrade"],
    ["demo"],
    ["check"],
    ["backup"],
    ["restore"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli.main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: main " + " ".join(command) in result.output or "Usage:" in result.output


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> CliRunner:
    monkeypatch.setattr(cli, "clock", clock)
    return CliRunner()


def _game(engine: Engine, clock: FixedClock) -> str:
    with Session(engine) as session:
        bare_game(session, "g1", clock.now() - timedelta(hours=5), GameStatus.IN_PROGRESS)
        session.commit()
    return "g1"


def test_settle_and_void_record_who_and_regrade(
    engine: Engine, runner: CliRunner, clock: FixedClock
) -> None:
    game_id = _game(engine, clock)
    result = runner.invoke(cli.main, ["settle", game_id, "110", "102", "--by", "ops"])
    assert result.exit_code == 0, result.output
    # Named as everywhere else, away @ home, with the score in that order.
    assert result.output.startswith("settled g1, Milwaukee Bucks @ Boston Celtics 102-110: ")
    with Session(engine) as session:
        game = session.get(Game, game_id)
        assert game and (game.status, game.home_score, game.settled_by) == (
            "final",
            110,
            "admin:ops",
        )
    result = runner.invoke(cli.main, ["void", game_id])
    assert result.exit_code == 0
    with Session(engine) as session:
        game = session.get(Game, game_id)
        assert game and (game.status, game.home_score, game.settled_by) == (
            "cancelled",
            None,
            "admin:cli",
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["settle", "missing", "1", "2"], "pickvs: No game with id 'missing'."),
        (
            ["settle", "g1", "500", "2"],
            "pickvs: The home score must be a whole number from 0 to 400.",
        ),
        (["make-admin", "nobody"], "pickvs: No player named 'nobody'."),
        (
            ["settle", "g1", "117", "117"],
            "pickvs: NBA games cannot end tied (117-117); enter the final score after overtime.",
        ),
    ],
)
def test_failures_exit_non_zero_with_one_line(
    engine: Engine, runner: CliRunner, clock: FixedClock, args: list[str], message: str
) -> None:
    _game(engine, clock)
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    with Session(engine) as session:  # nothing changed
        game = session.get(Game, "g1")
        assert game and (game.status, game.home_score, game.settled_at) == (
            "in_progress",
            None,
            None,
        )


def test_make_admin(engine: Engine, runner: CliRunner, clock: FixedClock) -> None:
    with Session(engine) as session:
        auth.register(session, "a@example.com", "Alice_1", "password123", clock.now())
        session.commit()
    result = runner.invoke(cli.main, ["make-admin", "alice_1"])
    assert result.exit_code == 0 and "Alice_1 is now an admin" in result.output
    with Session(engine) as session:
        assert session.execute(select(User.is_admin)).scalar_one() is True


def test_quota_and_demo_refusal_with_a_key(
    engine: Engine, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(cli.main, ["quota"])
    assert result.exit_code == 0
    assert "budget:     500" in result.output and "used:       0" in result.output
    assert "provider:   the provider has not reported a count yet this month" in result.output
    assert "month:      November 2026, from Sat Oct 31, 8:00 PM EDT" in result.output
    monkeypatch.setattr(settings, "odds_api_key", "live-key")
    result = runner.invoke(cli.main, ["demo"])
    assert result.exit_code == 1
    assert "demo league only seeds a database without a key" in result.stderr


def test_real_process_exit_code_and_stderr(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "PICKVS_DATA_DIR": str(tmp_path),
    }
    env.pop("ODDS_API_KEY", None)
    up = subprocess.run(
        [sys.executable, "-m", "pickvs.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert up.returncode == 0, up.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "pickvs.cli", "void", "nope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == ["pickvs: No game with id 'nope'."]


def test_quota_prints_call_times_in_league_time(
    engine: Engine, runner: CliRunner, clock: FixedClock
) -> None:
    with Session(engine) as session:
        session.add(
            ApiCall(
                at=clock.now(),  # 12:00 UTC
                source="live",
                endpoint="/v4/sports/basketball_nba/odds",
                outcome="ok",
                status_code=200,
                estimated_cost=3,
                credits_last=3,
                credits_remaining=497,
            )
        )
        session.commit()
    result = runner.invoke(cli.main, ["quota"])
    assert "provider:   497 credit(s) left, by the provider's last reply" in result.output
    assert "last calls (America/New_York):" in result.output
    assert (
        "  2026-11-22 07:00 EST live ok      200 credits=3 /v4/sports/basketball_nba/odds"
        in result.output
    )


def test_games_lists_ids_teams_tip_off_and_status(
    engine: Engine, runner: CliRunner, clock: FixedClock
) -> None:
    """One line a game, waiting for a result first; tip-off in league time, labelled."""
    now = clock.now()  # 7 am EST, Nov 22
    games = [
        ("soon", now + timedelta(hours=12), GameStatus.SCHEDULED, None),
        ("done", now - timedelta(hours=20), GameStatus.FINAL, (112, 104)),
        ("waiting", now - timedelta(hours=14), GameStatus.IN_PROGRESS, None),
    ]
    with Session(engine) as session:
        for game_id, tip, status, scores in games:
            home, away = scores or (None, None)
            session.add(
                Game(
                    id=game_id,
                    sport="basketball_nba",
                    home_team="Charlotte Hornets",
                    away_team="Detroit Pistons",
                    commence_time=tip,
                    status=status,
                    home_score=home,
                    away_score=away,
                    created_at=tip,
                    updated_at=tip,
                )
            )
        session.commit()
    result = runner.invoke(cli.main, ["games"])
    assert result.exit_code == 0, result.output
    name = "Detroit Pistons @ Charlotte Hornets"
    assert result.output.splitlines() == [
        f"waiting  {name}  Sat Nov 21, 5:00 PM EST  waiting for a result (in progress)",
        f"done  {name}  Sat Nov 21, 11:00 AM EST  final 104-112",
        f"soon  {name}  Sun Nov 22, 7:00 PM EST  scheduled",
    ]
    result = runner.invoke(cli.main, ["games", "--waiting"])
    assert result.output.splitlines() == [
        f"waiting  {name}  Sat Nov 21, 5:00 PM EST  waiting for a result (in progress)"
    ]


def test_games_says_when_there_is_none(engine: Engine, runner: CliRunner) -> None:
    assert runner.invoke(cli.main, ["games"]).output == "no game within three days of now\n"
    result = runner.invoke(cli.main, ["games", "--waiting"])
    assert (result.exit_code, result.output) == (0, "no game waiting for a result\n")
