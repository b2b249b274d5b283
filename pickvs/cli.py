"""The `pickvs` command line: jobs, quota, today's plan, games and manual settlement, admin
grants, migrations, demo. Times are printed in league time, labelled with the zone's abbreviation.

A command that fails exits non-zero with one clear line on stderr.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import URL

from pickvs import backup as backups
from pickvs import db, migrations, preflight
from pickvs.config import SettingsError, settings
from pickvs.domain import display
from pickvs.domain import results as results_rules
from pickvs.domain.clock import SystemClock
from pickvs.jobs import daily
from pickvs.jobs.manual import run_now
from pickvs.jobs.runner import OK, SKIPPED
from pickvs.jobs.source import source_label
from pickvs.logs import configure_from_settings
from pickvs.models import ApiCall, Game
from pickvs.services import admin, admin_views, ledger, planning
from pickvs.services.errors import ServiceError
from pickvs.services.games import get_game

clock = SystemClock()


def fail(message: str) -> None:
    click.echo(f"pickvs: {message}", err=True)
    sys.exit(1)


def one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any failure into a single stderr line and exit 1: operators read these in cron mail."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ServiceError as error:
            fail(error.message)
        except (SettingsError, preflight.ConfigurationError, backups.BackupError) as error:
            fail(str(error))
        except click.exceptions.Exit:
            raise
        except BrokenPipeError:
            # The reader (`pickvs games | head`) has what it wanted: stop quietly, as other
            # Unix tools do; stdout goes to /dev/null so the exit's flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            fail(f"{type(exc).__name__}: {first}"[:500])

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what the command does.")
def main(verbose: bool) -> None:
    """PickVs: a self-hostable NBA pick'em. Settings come from the environment or .env."""
    configure_from_settings(logging.INFO if verbose else logging.WARNING)


def _preflight() -> URL:
    """Validate the configuration and point the process at its database (one line on failure)."""
    url = preflight.require(settings)
    db.configure(url.render_as_string(hide_password=False))
    return url


def _run(name: str) -> None:
    run = run_now(name, clock, trigger="cli")
    if run.outcome not in (OK, SKIPPED):
        fail(f"{name} {run.outcome}: {run.error}")
    click.echo(f"{name} {run.outcome}: {run.detail}")


@main.command("fetch-odds")
@one_line_errors
def fetch_odds() -> None:
    """Fetch today's lines (one odds call per sport) and store them."""
    _run(daily.FETCH_ODDS)


@main.command("process-results")
@one_line_errors
def process_results() -> None:
    """Fetch final scores for started, unsettled games, then grade."""
    _run(daily.PROCESS_RESULTS)


@main.command("grade")
@one_line_errors
def grade() -> None:
    """Grade every pick on settled games and recompute totals (no provider call)."""
    _run(daily.GRADE)


@main.command("quota")
@one_line_errors
def quota() -> None:
    """Show this month's credits: used, remaining, budget and the last provider calls."""
    with db.session_scope() as session:
        summary = ledger.summary(session, clock.now(), settings.monthly_credits)
        click.echo(f"source:     {source_label()}")
        click.echo(
            f"month:      {summary.month_start:%B %Y}, from "
            f"{display.league_time(summary.month_start, settings.tz)}"
        )
        click.echo(f"budget:     {summary.budget}")
        click.echo(f"used:       {summary.used}")
        click.echo(f"remaining:  {summary.remaining}")
        click.echo(f"provider:   {_provider_count(summary.provider_remaining)}")
        if summary.exhausted_at is not None:
            for line in _blocked_lines(summary.exhausted_at):
                click.echo(line)
        click.echo(f"last calls ({settings.timezone}):")
        for call in summary.last_calls:
            click.echo("  " + _call_line(call))
        if not summary.last_calls:
            click.echo("  (none)")


def _provider_count(remaining: int | None) -> str:
    if remaining is None:
        return "the provider has not reported a count yet this month"
    return f"{remaining} credit(s) left, by the provider's last reply"


def _blocked_lines(since: datetime) -> list[str]:
    """Why paid calls are held, and how the owner gets them going again today."""
    return [
        f"blocked:    the provider answered OUT_OF_USAGE_CREDITS at "
        f"{display.league_time(since, settings.tz)}; paid calls wait until it reports credits "
        "left (or the month turns)",
        "retry now:  after adding credits, run `pickvs fetch-odds`: its free schedule look-up "
        "reads the new count, and paid calls resume at once if credits are left (raise "
        "PICKVS_MONTHLY_CREDITS too if the new plan allows more)",
    ]


def _call_line(call: ApiCall) -> str:
    local = call.at.astimezone(settings.tz)
    credits = "-" if call.credits_last is None else call.credits_last
    line = (
        f"{local:%Y-%m-%d %H:%M} {local.tzname()} {call.source:4} {call.outcome:7} "
        f"{call.status_code or '-':>3} credits={credits} {call.endpoint}"
    )
    return line + (f" ({call.error_code or call.message})" if call.outcome != "ok" else "")


@main.command("games")
@click.option("--waiting", is_flag=True, help="Only games that have started and wait for a result.")
@one_line_errors
def games(waiting: bool) -> None:
    """List games, one a line: id, teams (away @ home), tip-off in league time, status.

    Without --waiting: the games within three days of now, those waiting for a result first.
    The id is what `settle` and `void` take.
    """
    now = clock.now()
    with db.session_scope() as session:
        lines = [
            _game_line(row.game, now)
            for row in admin_views.all_games(session, now, waiting=waiting)
        ]
    if not lines:
        click.echo(
            "no game waiting for a result" if waiting else "no game within three days of now"
        )
    for line in lines:
        click.echo(line)


def _game_line(game: Game, now: datetime) -> str:
    name = display.matchup(away=game.away_team, home=game.home_team)
    tip = display.league_time(game.commence_time, settings.tz)
    return f"{game.id}  {name}  {tip}  {_game_status(game, now)}"


def _game_status(game: Game, now: datetime) -> str:
    status = game.status.replace("_", " ")
    if results_rules.awaits_result(game.status, game.commence_time, now):
        return f"waiting for a result ({status})"
    if game.home_score is not None and game.away_score is not None:
        return f"{status} {display.score_line(away=game.away_score, home=game.home_score)}"
    return status


@main.command("plan")
@one_line_errors
def plan() -> None:
    """Today's planned paid calls: time (league time), kind, cost, why; the month's projection."""
    with db.session_scope() as session:
        view = admin_views.todays_plan(
            session, clock.now(), planning.current_settings(), settings.planner
        )
    click.echo(view.summary)
    for row in view.rows:
        local = row.at.astimezone(settings.tz)
        click.echo(
            f"  {local:%H:%M %Z}  {row.kind:<11}  {row.cost} cr  {row.status:<8}  {row.reason}"
        )
    click.echo(view.projected)


@main.command("settle")
@click.argument("game_id")
@click.argument("home_score", type=int)
@click.argument("away_score", type=int)
@click.option("--by", default="cli", show_default=True, help="Who settles (recorded).")
@one_line_errors
def settle(game_id: str, home_score: int, away_score: int, by: str) -> None:
    """Record a final score by hand (GAME_ID is the provider's event id) and regrade."""
    with db.session_scope() as session:
        report = admin.settle(session, game_id, home_score, away_score, by, clock.now())
        game = get_game(session, game_id)
        name = display.matchup(away=game.away_team, home=game.home_team)
    score = display.score_line(away=away_score, home=home_score)
    click.echo(f"settled {game_id}, {name} {score}: {report.describe()}")


@main.command("void")
@click.argument("game_id")
@click.option("--by", default="cli", show_default=True, help="Who voids (recorded).")
@one_line_errors
def void(game_id: str, by: str) -> None:
    """Cancel a game by hand: its picks are refunded and count nowhere."""
    with db.session_scope() as session:
        report = admin.void(session, game_id, by, clock.now())
    click.echo(f"voided {game_id}: {report.describe()}")


@main.command("make-admin")
@click.argument("username")
@one_line_errors
def make_admin(username: str) -> None:
    """Grant USERNAME the admin pages."""
    with db.session_scope() as session:
        user = admin.make_admin(session, username)
    click.echo(f"{user.username} is now an admin")


@main.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@one_line_errors
def db_upgrade() -> None:
    """Check the configuration, then apply Alembic migrations up to the latest schema."""
    _preflight()
    migrations.upgrade()
    click.echo(f"database at revision {migrations.current_revision()}")


@main.command("check")
@one_line_errors
def check() -> None:
    """Check the configuration and that the database answers; change nothing.

    Also warns, one line each on stderr, about private files (the database, its -wal/-shm, the
    signing key, the data directory) that group or others may read; the exit status stays 0.
    """
    url = preflight.require(settings)
    click.echo(f"configuration ok: {preflight.describe_url(url)}, time zone {settings.timezone}")
    for warning in preflight.permission_warnings(settings):
        click.echo(f"pickvs: warning: {warning}", err=True)


@main.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
@one_line_errors
def backup(path: Path, overwrite: bool) -> None:
    """Copy the whole database to PATH while the app runs (SQLite file or pg_dump archive)."""
    url = _preflight()
    report = backups.backup(url, path, overwrite=overwrite)
    revision = report.revision or migrations.current_revision()
    click.echo(f"backed up {preflight.describe_url(url)} to {path} (revision {revision})")


@main.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@one_line_errors
def restore(path: Path) -> None:
    """Replace the database's contents with the backup at PATH (all or nothing)."""
    url = _preflight()
    backups.restore(url, path)
    revision = migrations.current_revision()
    click.echo(f"restored {preflight.describe_url(url)} from {path} (revision {revision})")


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the league already has players.")
@one_line_errors
def demo(if_empty: bool) -> None:
    """Seed the demo league: past days of games, demo players and graded picks."""
    from pickvs.services import demo_league

    if not settings.demo_mode:
        fail("ODDS_API_KEY is set; the demo league only seeds a database without a key")
    with db.session_scope() as session:
        report = demo_league.seed(session, clock.now(), only_if_empty=if_empty)
    click.echo(f"demo league: {report}")


if __name__ == "__main__":  # pragma: no cover
    main()
