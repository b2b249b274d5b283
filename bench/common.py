"""What every benchmark shares: the printed line, percentiles, timers and scratch databases."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from pickvs import db, migrations
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import User
from pickvs.services import auth

BACKENDS = ("sqlite", "postgresql")
API_KEY = "bench-key-0123456789"  # what the benches' fake Odds API is called with
PG_ADMIN_URL = os.environ.get(
    "PICKVS_BENCH_DATABASE_URL",
    os.environ.get("PICKVS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)


@dataclass(frozen=True)
class Measure:
    """One printed line: what was measured, the figure, the target and whether it was met."""

    name: str
    figure: str
    target: str
    met: bool
    backend: str | None = None
    extra: str = ""

    def line(self) -> str:
        where = f" [{self.backend}]" if self.backend else ""
        if not self.target:  # a figure for the record (data size, load time): nothing to meet
            return f"{self.name}{where}: {self.figure}" + (f"; {self.extra}" if self.extra else "")
        verdict = "ok" if self.met else "MISSED"
        extra = f"; {self.extra}" if self.extra else ""
        return f"{self.name}{where}: {self.figure} (target {self.target}) {verdict}{extra}"


@dataclass
class Context:
    """Options every benchmark receives from the command line."""

    backends: Sequence[str] = BACKENDS
    scale: float = 1.0  # < 1 shrinks every data set, for a quick smoke run
    seed: int = 20261202
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pickvs-bench-")))

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, int(n * self.scale))


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: simple and exact on the sample sizes used here."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def info(name: str, figure: str, backend: str | None = None) -> Measure:
    """A line with no target: what the data was, how long loading it took."""
    return Measure(name, figure, target="", met=True, backend=backend)


def latency(
    name: str, samples: Sequence[float], backend: str, median_ms: float, p95_ms: float | None = None
) -> Measure:
    """Median (and p95) of per-call milliseconds against their targets."""
    mid, p95 = median(samples), percentile(samples, 95)
    target = f"median <= {median_ms:g} ms" + (f", p95 <= {p95_ms:g} ms" if p95_ms else "")
    met = mid <= median_ms and (p95_ms is None or p95 <= p95_ms)
    figure = f"median {mid:.2f} ms, p95 {p95:.2f} ms over {len(samples)} calls"
    return Measure(name, figure, target, met, backend)


def time_calls(call: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Wall time of each call in milliseconds, after a few warm-up calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@contextmanager
def scratch_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated, empty database of `backend` for one benchmark, removed afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        _migrate(url)
        try:
            yield url
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin_url = make_url(PG_ADMIN_URL)
    name = f"pickvs_bench_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(PG_ADMIN_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def on_each_backend(
    ctx: Context, bench: Callable[[Engine, str, Context], Iterator[Measure]]
) -> Iterator[Measure]:
    """Run `bench` once per backend of the run, each on an engine over its own scratch database."""
    for backend in ctx.backends:
        with scratch_database(backend, ctx.workdir) as url:
            engine = db.make_engine(url)
            try:
                yield from bench(engine, backend, ctx)
            finally:
                engine.dispose()


def _migrate(url: str) -> None:
    engine = db.make_engine(url)
    try:
        migrations.upgrade(engine)
    finally:
        engine.dispose()


def register_players(clock: FixedClock, count: int, name: str) -> list[User]:
    """`count` players (`{name}0`, `{name}1`, ...) registered now, detached from the session so
    a simulation can keep them across its own transactions."""
    with db.session_scope() as session:
        players = [
            auth.register(
                session, f"{name}{n}@bench.invalid", f"{name}{n}", "bench-password", clock.now()
            )
            for n in range(count)
        ]
        session.flush()
        for player in players:
            session.expunge(player)
    return players


@contextmanager
def live_settings(base_url: str, monthly_credits: int, *, planner: bool) -> Iterator[None]:
    """Live mode against a fake Odds API with the month's budget and the planner on or off;
    the process's settings restored afterwards."""
    wanted: dict[str, object] = {
        "odds_api_key": API_KEY,
        "odds_api_base_url": base_url,
        "monthly_credits": monthly_credits,
        "http_timeout_seconds": 5.0,
    }
    if "planner" in type(settings).model_fields:
        wanted["planner"] = planner
    saved = {name: getattr(settings, name) for name in wanted}
    try:
        for name, value in wanted.items():
            setattr(settings, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)
