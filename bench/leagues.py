"""Private leagues at scale: the league board, grading with leagues loaded, and the slate of a
player in five leagues, on the benchmark dataset plus 2,000 leagues (`dataset.add_leagues`).

Grading. A league's rules (markets, price window, daily cap) are applied when its board is
asked for, per call, over its members' picks (SPEC11: no roll-up), so grading reads and writes
no league table by design. What "grading the season with every league's rules applied" can
cost is then the leagues' presence: two more tables, their indexes and foreign keys to the
players that grading updates. It is measured on two databases built side by side from the
same seed in the same run, one with the leagues and one without, graded in the order A B,
then (every pick reset to pending, totals and roll-up emptied) B A, then A B; each side's
fastest grading is compared, so a neighbour's burst of load on this shared machine falls on both
sides or on neither. Before each grading both databases are vacuumed and checkpointed and the
OS cache flushed: otherwise the second database graded pays for the first one's writes (its
dirty pages flushed, PostgreSQL's autovacuum of a million dead rows), and the comparison
measures the order rather than the leagues. (One database graded, reset, given its leagues and graded
again would compare a fresh table with one carrying a dead copy of every pick.) The line also
reports how long computing every league's all-time board once takes after grading: what
applying every league's rules eagerly, at grading time, would add.

The board. A board is cached by everything it depends on (`services.leagues._board_key`: the
league's settings and members, its members' pick versions, the results' board generation), so
it is computed on the first read after a change and served from memory until the next one;
boards change a few times a day (grading) and are read on every visit. Both are measured: 200
first reads (the cache emptied), then the same 200 calls again in another order, each call in
its own session as a request; the target is on the second, the first is printed beside it.
The calls: 50 leagues, each asked for once in each period (week, month, season, all time). The leagues are 45 spread
evenly over the leagues sorted by size (so the calls follow the size distribution) and 5 of
the largest (60 members): 10 % of the calls for 0.5 % of the leagues, so the p95 is set by the
biggest leagues. Then, apart, the worst size: every league of the largest size, each period,
first read and read again. The board reads every member's picks of all time (the current form is not bound to the
period), so its cost follows the members' picks, which the line reports. The caller is the
league's owner.

The slate. `bench.slate`'s measure (two slate days, the player's own picks) for the player in
five leagues with the most picks on those days. Then, for the record (the issue sets no target),
that player's list of leagues with their rank in each (`my_leagues`: one all-time board each).
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import dataset
from bench import slate as slate_bench
from bench.common import (
    Context,
    Measure,
    info,
    latency,
    median,
    percentile,
    scratch_database,
    time_calls,
)
from pickvs import db
from pickvs.domain import grading as rules
from pickvs.domain import slate as slate_days
from pickvs.models import Game, Pick, User, UserTipTotals
from pickvs.services import grading, leagues

TOP = 50
PERIODS = ("week", "month", "season", "all")
SPREAD_LEAGUES, LARGEST_LEAGUES = 45, 5  # x 4 periods = 200 calls
WORST_ROUNDS = 2
WARMUP = 8
GRADING_RATIO = 1.3
SLATE_CALLS = 200
MY_LEAGUES_CALLS = 50
IN_LEAGUES = dataset.MAX_LEAGUES_PER_PLAYER


def run(ctx: Context) -> Iterator[Measure]:
    for backend in ctx.backends:
        yield from _bench(backend, ctx)


def _bench(backend: str, ctx: Context) -> Iterator[Measure]:
    with _engine(backend, ctx) as plain, _engine(backend, ctx) as engine:
        dataset.build(plain, ctx.scale, ctx.seed)
        started = time.perf_counter()
        league = dataset.build(engine, ctx.scale, ctx.seed, leagues=True)
        assert league.leagues is not None
        yield info(
            "league data",
            f"{league.users} players, {league.picks} picks, "
            f"{league.leagues.describe(league.users)}; loaded in "
            f"{time.perf_counter() - started:.1f} s",
            backend,
        )
        plain_s, with_s, plain_report, report = _gradings(plain, engine, league.now)
        dataset.analyze(engine)
        boards_s = _every_board_once(engine, league)
        yield _grading_measure(backend, plain_s, plain_report, with_s, report, boards_s, league)
        yield from _boards(engine, league, backend)
        yield from _slate(engine, league, backend)


def _gradings(
    plain: Engine, leagues_in: Engine, now: datetime
) -> tuple[float, float, grading.GradeReport, grading.GradeReport]:
    """Best of three gradings of each database, in the order A B, B A, A B (reset between),
    each started on a quiet machine (`_settle`)."""
    times: dict[Engine, list[float]] = {plain: [], leagues_in: []}
    reports: dict[Engine, grading.GradeReport] = {}
    for order in ((plain, leagues_in), (leagues_in, plain), (plain, leagues_in)):
        for engine in order:
            if times[engine]:
                _reset(engine)
            _settle(plain, leagues_in)
            seconds, reports[engine] = _timed_grade(engine, now)
            times[engine].append(seconds)
    return min(times[plain]), min(times[leagues_in]), reports[plain], reports[leagues_in]


def _settle(*engines: Engine) -> None:
    """Nothing left over from the last load or grading to slow the next one: dead rows vacuumed
    (else autovacuum would work on one database while the other is graded), every dirty page
    written (a checkpoint, then the OS's cache flushed)."""
    for engine in engines:
        dataset.analyze(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if db.is_postgres(engine):
                conn.execute(text("CHECKPOINT"))
            else:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    os.sync()


def _reset(engine: Engine) -> None:
    """The season back to ungraded: every pick pending, no roll-up, every player at zero."""
    with engine.begin() as conn:
        conn.execute(
            update(Pick)
            .where(Pick.status != rules.PENDING)
            .values(status=rules.PENDING, result_units=None, graded_at=None)
        )
        conn.execute(update(Game).values(graded_result=None))
        conn.execute(delete(UserTipTotals))
        conn.execute(
            update(User).values(
                total_units=0.0, total_wagered=0.0, roi=None, wins=0, losses=0, pushes=0
            )
        )


@contextmanager
def _engine(backend: str, ctx: Context) -> Iterator[Engine]:
    """An engine over a scratch database of `backend`, disposed and dropped afterwards."""
    with scratch_database(backend, ctx.workdir) as url:
        engine = db.make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _timed_grade(engine: Engine, now: datetime) -> tuple[float, grading.GradeReport]:
    started = time.perf_counter()
    with Session(engine) as session:
        report = grading.grade(session, now)
        session.commit()
    return time.perf_counter() - started, report


def _grading_measure(
    backend: str,
    plain_s: float,
    plain: grading.GradeReport,
    with_s: float,
    graded: grading.GradeReport,
    boards_s: float,
    league: dataset.League,
) -> Measure:
    ratio = with_s / plain_s if plain_s else float("inf")
    same = (plain.picks_graded, plain.users_updated) == (graded.picks_graded, graded.users_updated)
    n_leagues = len(league.leagues.rows) if league.leagues else 0
    return Measure(
        "grade the season with leagues loaded v without",
        f"{ratio:.2f}x ({with_s:.2f} s with {n_leagues} leagues, {plain_s:.2f} s without, best "
        f"of three each; {graded.picks_graded} picks, {graded.users_updated} players each)",
        f"<= {GRADING_RATIO:g}x",
        ratio <= GRADING_RATIO and same,
        backend,
        extra=(
            "two databases from one seed, graded A B, B A, A B, each on a settled machine; "
            "grading touches no league table (league rules apply when a board is read), so "
            "this is the cost of their presence"
            f"; every league's all-time board computed once after grading: {boards_s:.1f} s"
            + ("" if same else "; GRADED DIFFERENT PICKS")
        ),
    )


def _every_board_once(engine: Engine, league: dataset.League) -> float:
    """Each league's all-time board, one after another in one session: the work an eager
    roll-up of every league's rules would add to grading."""
    assert league.leagues is not None
    started = time.perf_counter()
    with Session(engine) as session:
        for row in league.leagues.rows:
            _board(session, league, row, "all")
    return time.perf_counter() - started


def _board(
    session: Session, league: dataset.League, row: dataset.LeagueRow, period: str
) -> list[leagues.LeagueBoardRow]:
    board = leagues.league_board(
        session, row.id, row.owner_id, period, league.now, league.tz, limit=TOP
    )
    assert len(board) == min(TOP, row.size), (row.id, period, len(board), row.size)
    return board


def chosen_leagues(rows: Sequence[dataset.LeagueRow]) -> list[dataset.LeagueRow]:
    """45 leagues evenly over the size order, and 5 of the largest."""
    by_size = sorted(rows, key=lambda row: (row.size, row.id))
    step = max(1, len(by_size) // SPREAD_LEAGUES)
    spread = by_size[step // 2 :: step][:SPREAD_LEAGUES]
    largest = by_size[-LARGEST_LEAGUES:]
    chosen = {row.id: row for row in [*spread, *largest]}
    return sorted(chosen.values(), key=lambda row: (row.size, row.id))


def _boards(engine: Engine, league: dataset.League, backend: str) -> Iterator[Measure]:
    assert league.leagues is not None
    chosen = chosen_leagues(league.leagues.rows)
    calls = [(row, period) for row in chosen for period in PERIODS]
    random.Random(len(calls)).shuffle(calls)
    read = _members_picks(engine, [row.id for row in chosen])

    def call(row: dataset.LeagueRow, period: str) -> Callable[[], object]:
        def board() -> None:
            with Session(engine) as session:
                _board(session, league, row, period)

        return board

    for row, period in calls[:WARMUP]:
        call(row, period)()
    leagues.clear_board_cache()  # the warm-up's boards: every measured first read is a first
    first = _timed(calls, call)
    random.Random(len(calls) + 1).shuffle(calls)
    again = _timed(calls, call)
    yield info(
        f"league board top {TOP}, first read after a change",
        _summary(first, read) + "; " + _by_band(first),
        backend,
    )
    figures = [ms for ms, _, _, _ in again]
    yield replace(
        latency(f"league board top {TOP}, any period", figures, backend, median_ms=10, p95_ms=25),
        extra=(
            f"{len(chosen)} leagues of {min(r.size for r in chosen)}-"
            f"{max(r.size for r in chosen)} members x {'/'.join(PERIODS)}, each read once "
            f"before (the line above), nothing changed since; " + _summary(again, read)
        ),
    )
    yield _worst_size(engine, league, backend, call)


Sample = tuple[float, dataset.LeagueRow, str, float]  # ms, league, period, this process's CPU ms


def _timed(
    calls: Sequence[tuple[dataset.LeagueRow, str]],
    call: Callable[[dataset.LeagueRow, str], Callable[[], object]],
) -> list[Sample]:
    samples = []
    for row, period in calls:
        before = time.process_time()
        ms = time_calls(call(row, period), repeat=1, warmup=0)[0]
        samples.append((ms, row, period, (time.process_time() - before) * 1000))
    return samples


def _summary(samples: Sequence[Sample], read: dict[int, int]) -> str:
    figures = [ms for ms, _, _, _ in samples]
    cpu = [spent for _, _, _, spent in samples]
    ms, row, period, _ = max(samples, key=lambda sample: sample[0])
    return (
        f"median {median(figures):.2f} ms, p95 {percentile(figures, 95):.2f} ms over "
        f"{len(figures)} calls; slowest {ms:.1f} ms (league of {row.size}, members with "
        f"{read[row.id]} picks, {period}); this process's CPU per call median "
        f"{median(cpu):.2f} ms, p95 {percentile(cpu, 95):.2f} ms; {_load()}"
    )


def _worst_size(
    engine: Engine,
    league: dataset.League,
    backend: str,
    call: Callable[[dataset.LeagueRow, str], Callable[[], object]],
) -> Measure:
    """Every league of the largest size, each period, `WORST_ROUNDS` times."""
    assert league.leagues is not None
    biggest = max(row.size for row in league.leagues.rows)
    rows = [row for row in league.leagues.rows if row.size == biggest]
    read = _members_picks(engine, [row.id for row in rows])
    leagues.clear_board_cache()
    rounds = [
        [time_calls(call(row, period), repeat=1, warmup=0)[0] for row in rows for period in PERIODS]
        for _ in range(WORST_ROUNDS)
    ]
    first, again = rounds[0], [ms for later in rounds[1:] for ms in later]
    return info(
        f"league board top {TOP}, the {biggest}-member leagues alone",
        f"first read median {median(first):.2f} ms, p95 {percentile(first, 95):.2f} ms, max "
        f"{max(first):.2f} ms; read again median {median(again):.2f} ms, p95 "
        f"{percentile(again, 95):.2f} ms; {len(rows)} leagues x {len(PERIODS)} periods, their "
        f"members with {min(read.values())}-{max(read.values())} picks; {_load()}",
        backend,
    )


def _load() -> str:
    """The machine's load while measuring: it is shared, and a busy neighbour shows here."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _by_band(samples: Sequence[Sample]) -> str:
    """Median per size band and per period: where the time goes."""
    bands: dict[str, list[float]] = defaultdict(list)
    periods: dict[str, list[float]] = defaultdict(list)
    for ms, row, period, _ in samples:
        low, high = dataset.size_band(row.size)
        bands[f"{low}-{high}"].append(ms)
        periods[period].append(ms)
    by_band = ", ".join(
        f"{low}-{high} {median(bands[f'{low}-{high}']):.1f}"
        for _, low, high in dataset.LEAGUE_SIZES
        if bands[f"{low}-{high}"]
    )
    by_period = ", ".join(f"{period} {median(periods[period]):.1f}" for period in PERIODS)
    return f"median ms by members {by_band}; by period {by_period}"


def _members_picks(engine: Engine, league_ids: Sequence[int]) -> dict[int, int]:
    """How many picks the members of each league have: the rows its board reads."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.league_id, count(*) FROM league_member m JOIN pick p "
                "ON p.user_id = m.user_id WHERE m.league_id IN :ids GROUP BY m.league_id"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": list(league_ids)},
        )
        return {int(league_id): int(n) for league_id, n in rows}


def _slate(engine: Engine, league: dataset.League, backend: str) -> Iterator[Measure]:
    """The slate of the keenest player in five leagues; then, for the record, that player's
    list of leagues (each with their all-time rank: one board per league)."""
    assert league.leagues is not None
    in_leagues, candidates = _most_leagues(league.leagues)
    user_id, own = _keenest_of(engine, league, candidates)

    def call() -> None:
        with Session(engine) as session:
            page = slate_bench._page(session, session.get(User, user_id), league)
            assert page.cards

    measure = latency(
        f"slate page, {slate_bench.DAYS} days, a player in {in_leagues} leagues",
        time_calls(call, SLATE_CALLS),
        backend,
        median_ms=15,
    )
    yield replace(measure, extra=f"player{user_id:05d}, {own} own picks on those days; {_load()}")

    def mine() -> None:
        with Session(engine) as session:
            assert len(leagues.my_leagues(session, user_id, league.now, league.tz)) == in_leagues

    sizes = sorted(row.size for row in league.leagues.rows if user_id in row.members)
    samples = time_calls(mine, MY_LEAGUES_CALLS)
    yield info(
        f"my leagues with my all-time rank in each, a player in {in_leagues} leagues",
        f"median {median(samples):.2f} ms, p95 {percentile(samples, 95):.2f} ms over "
        f"{len(samples)} calls; leagues of {', '.join(map(str, sizes))} members",
        backend,
    )


def _most_leagues(rows: dataset.Leagues) -> tuple[int, list[int]]:
    """The players in five leagues (at a tiny scale there may be none: then in the most)."""
    for n in range(IN_LEAGUES, 0, -1):
        if users := rows.players_in(n):
            return n, users
    raise ValueError("no player is in a league")


def _keenest_of(engine: Engine, league: dataset.League, users: Sequence[int]) -> tuple[int, int]:
    """Of `users`, the one with the most picks on the slate's days (0 if none has one)."""
    start, end = slate_days.slate_range(league.now, league.tz, slate_bench.DAYS)
    with engine.connect() as conn:
        row = conn.execute(
            select(Pick.user_id, func.count().label("n"))
            .join(Game, Game.id == Pick.game_id)
            .where(
                Game.commence_time >= start,
                Game.commence_time < end,
                Pick.user_id.in_(list(users)),
            )
            .group_by(Pick.user_id)
            .order_by(func.count().desc(), Pick.user_id)
            .limit(1)
        ).first()
    return (int(row.user_id), int(row.n)) if row else (users[0], 0)
