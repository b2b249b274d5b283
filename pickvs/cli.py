"""The `pickvs` command line: jobs, quota, manual settlement, admin grants, migrations, demo.

A command that fails exits non-zero with one clear line on stderr.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import URL

from pickvs import backup as backups
from pickvs import db, migrations, preflight
from pickvs.config import SettingsError, settings
from pickvs.domain.clock import SystemClock
from pickvs.jobs import daily
from pickvs.jobs.manual import run_now
from pickvs.jobs.runner import OK, SKIPPED
from pickvs.jobs.source import source_label
from pickvs.logs import configure_from_settings
from pickvs.services import admin, ledger
from pickvs.services.errors import ServiceError

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
    click.echo(f"month:      from {summary.month_start:%Y-%m-%d} (UTC)")
    click.echo(f"budget:     {summary.budget}")
    click.echo(f"used:       {summary.used}")
    click.echo(f"remaining:  {summary.remaining}")
    provider = "unknown" if summary.provider_remaining is None else summary.provider_remaining
    click.echo(f"provider:   {provider} left by the provider's count")
    if summary.exhausted:
        click.echo("blocked:    OUT_OF_USAGE_CREDITS reported; no calls until next month")
    click.echo("last calls:")
    for call in summary.last_calls:
        credits = "-" if call.credits_last is None else call.credits_last
        click.echo(
            f"  {call.at:%Y-%m-%d %H:%M} {call.source:4} {call.outcome:7} "
            f"{call.status_code or '-':>3} credits={credits} {call.endpoint}"
            + (f" ({call.error_code or call.message})" if call.outcome != "ok" else "")
        )
    if not summary.last_calls:
        click.echo("  (none)")


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
    click.echo(f"settled {game_id} {home_score}-{away_score}: {report.describe()}")


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
