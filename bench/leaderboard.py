"""The leaderboard on a graded season: all time, this season, this month and this week.

Each call opens its own session and commits it, as a request does. `now` is the dataset's: 9 am
league time on a day late in the season, so "this month" and "this week" hold real, partial
periods. A period board is cached and rebuilt by the first read after grading: that read's time
is printed as an info line, then the reads of the built board are measured.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import dataset
from bench.common import (
    Context,
    Measure,
    info,
    latency,
    on_each_backend,
    time_calls,
)
from pickvs.services import grading, leaderboard

TOP = 50
ALL_TIME_CALLS, PERIOD_CALLS = 200, 100


def run(ctx: Context) -> Iterator[Measure]:
    return on_each_backend(ctx, _bench)


def _bench(engine: Engine, backend: str, ctx: Context) -> Iterator[Measure]:
    started = time.perf_counter()
    league = graded_league(engine, ctx)
    yield info(
        "graded season",
        f"{league.users} players, {league.picks} picks in {time.perf_counter() - started:.1f} s",
        backend,
    )

    def board(period: str):  # type: ignore[no-untyped-def]
        def call() -> None:
            with Session(engine) as session:
                rows = leaderboard.leaderboard(session, period, league.now, league.tz, limit=TOP)
                session.commit()  # as a request's session is: a rebuild is kept
                assert rows, f"empty {period} board"

        return call

    yield latency(
        f"leaderboard top {TOP} all time",
        time_calls(board("all"), ALL_TIME_CALLS),
        backend,
        median_ms=10,
        p95_ms=25,
    )
    for period in ("season", "month", "week"):
        started = time.perf_counter()
        board(period)()  # the first read after grading rebuilds the cached board
        yield info(
            f"leaderboard rebuild this {period}",
            f"{(time.perf_counter() - started) * 1000:.0f} ms (first read after grading)",
            backend,
        )
        yield latency(
            f"leaderboard top {TOP} this {period}",
            time_calls(board(period), PERIOD_CALLS),
            backend,
            median_ms=10,
        )


def graded_league(engine: Engine, ctx: Context) -> dataset.League:
    """The benchmark league with every final game graded, and fresh planner statistics."""
    league = dataset.build(engine, ctx.scale, ctx.seed)
    with Session(engine) as session:
        grading.grade(session, league.now)
        session.commit()
    dataset.analyze(engine)
    return league
