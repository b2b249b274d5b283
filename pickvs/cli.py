"""The `pickvs` command line: jobs, quota, manual settlement, admin grants, migrations, demo.

A command that fails exits non-zero with one clear line on stderr.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from pickvs import db, migrations
from pickvs.config import settings
from pickvs.domain.clock import SystemClock
from pickvs.jobs import daily
from pickvs.jobs.manual import run_now
from pickvs.jobs.runner import OK, SKIPPED
from pickvs.jobs.source import source_label
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
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


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
    """Apply Alembic migrations up to the latest schema."""
    migrations.upgrade()
    click.echo(f"database at revision {migrations.current_revision()}")


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
