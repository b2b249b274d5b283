"""Run the PickVs benchmarks and print one line per measure.

    python -m bench                      # everything, SQLite and PostgreSQL
    python -m bench grading leaderboard  # some suites
    python -m bench --backend sqlite --scale 0.01   # a quick smoke run on small data

PostgreSQL is the server named by PICKVS_BENCH_DATABASE_URL (default: PICKVS_TEST_DATABASE_URL,
else postgres@127.0.0.1:5432); each benchmark creates and drops its own database there.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime

from bench.common import BACKENDS, Context

# Module names under bench/, in the order they run. Each has `run(ctx) -> Iterable[Measure]`.
SUITES = ("grading", "leaderboard", "slate", "leagues", "credits", "live", "page")


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"any of {', '.join(SUITES)}")
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the data (smoke runs)")
    parser.add_argument("--seed", type=int, default=Context.seed)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.suites) - set(SUITES))
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    ctx = Context(
        backends=BACKENDS if args.backend == "both" else (args.backend,),
        scale=args.scale,
        seed=args.seed,
    )
    print(f"# PickVs benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}")
    print(f"# scale {ctx.scale}, seed {ctx.seed}, backends {', '.join(ctx.backends)}")
    missed = 0
    for name in args.suites or SUITES:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        for measure in module.run(ctx):
            print(measure.line(), flush=True)
            missed += not measure.met
        print(f"# {name} took {time.perf_counter() - started:.0f} s", flush=True)
    print(f"# {missed} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
