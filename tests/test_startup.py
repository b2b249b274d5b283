"""What a start prints: one "ready" line with what a person starting PickVs needs (address,
demo or live, database without its password, the next job times), times in one labelled zone,
and none of the noise Reflex, Alembic and APScheduler printed on every start.

The Reflex filter is checked here on the exact lines `reflex run` and `reflex export` printed;
tests/deploy/test_startup.py runs scripts/start.sh and scripts/serve.sh for real.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from pickvs.logs import filter_reflex, quiet_reflex_lines

ROOT = Path(__file__).resolve().parents[1]

# Verbatim from `scripts/start.sh` before the filter (Reflex 0.10, console not a terminal).
REFLEX_RUN_OUTPUT = """\
database at revision 0004
demo league: 5 demo players, 153 picks, 124 pick(s) graded, totals recomputed for 5 player(s)
───────────────────────────── Initializing pickvs ──────────────────────────────
Info: Initializing the web directory.
Success: Initialized pickvs. Run `uv run reflex run` to start the app.
───────────────────────────── Starting Reflex App ──────────────────────────────
Compiling: ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 100% 25/24 0:00:03
Warning: Your version (20.20.2) of Node.js is out of date. Upgrade to 22.22.0 or
higher.
Creating Production Build:  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 100% 4/4 0:00:13
────────────── Compiling production app and preparing for export. ──────────────
───────────────────────────────── App Running ──────────────────────────────────
App running at: http://0.0.0.0:3917/
2026-12-04T12:10:15.597-05:00 INFO pickvs.app PickVs is ready at http://localhost:3917 · x
Warning: a real warning from Reflex stays.
higher.
Info: Reflex app stopped.
"""

# A sentinel naming each noise line the issue lists: none may survive.
NOISE = ("uv run reflex run", "Node.js", "25/24", "Compiling", "App running at", "───")


def test_the_reflex_filter_drops_the_noise_and_keeps_the_rest() -> None:
    kept = "".join(quiet_reflex_lines(io.StringIO(REFLEX_RUN_OUTPUT)))

    assert kept.splitlines() == [
        "database at revision 0004",
        "demo league: 5 demo players, 153 picks, 124 pick(s) graded, totals recomputed for 5"
        " player(s)",
        "2026-12-04T12:10:15.597-05:00 INFO pickvs.app PickVs is ready at http://localhost:3917"
        " · x",
        "Warning: a real warning from Reflex stays.",
        "higher.",  # only right after the wrapped Node warning is "higher." its tail
        "Info: Reflex app stopped.",
    ]


def test_the_filter_command_copies_stdin_to_stdout() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pickvs.logs", "filter-reflex"],
        input=REFLEX_RUN_OUTPUT,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert not any(noise in done.stdout for noise in NOISE), done.stdout
    assert done.stdout.endswith("Info: Reflex app stopped.\n")

    sink = io.StringIO()
    assert filter_reflex(io.StringIO("Compiling: 1/1\nkept\n"), sink) == 0
    assert sink.getvalue() == "kept\n"


APP_START = textwrap.dedent(
    """
    import asyncio

    import pickvs.pickvs as app_module


    async def serve_briefly() -> None:
        async with app_module.scheduler_lifespan():
            pass


    asyncio.run(serve_briefly())
    """
)
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00 [A-Z]+ ")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_app_start_logs_one_ready_line_and_no_noise(
    tmp_path: Path, backend: str, pg_databases
) -> None:  # type: ignore[no-untyped-def]
    """The backend worker's start (import, migrate, scheduler) as scripts/start.sh and
    scripts/serve.sh run it, in a league whose zone has no daylight saving (Tokyo, +09:00)."""
    if backend == "postgresql":
        url = make_url(pg_databases.create())
        if not url.password:
            url = url.set(password="hunter2")  # trust authentication ignores it
        database_url = url.render_as_string(hide_password=False)
    else:
        database_url = f"sqlite:///{tmp_path}/data/pickvs.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PICKVS_", "REFLEX_"))}
    env.pop("ODDS_API_KEY", None)
    env |= {
        "DATABASE_URL": database_url,
        "PICKVS_DATA_DIR": str(tmp_path / "data"),
        "PICKVS_SECRET_KEY": "s" * 40,
        "PICKVS_TIMEZONE": "Asia/Tokyo",
        "PICKVS_ODDS_CRON": "0 5 * * *",
        "PICKVS_RESULTS_CRON": "30 9 * * *",
        "PICKVS_SCHEDULER": "true",
        "REFLEX_FRONTEND_PORT": "3917",  # what `--frontend-port` / serve.sh's port sets
    }

    done = subprocess.run(
        [sys.executable, "-c", APP_START],
        cwd=ROOT,  # where the backend runs: Reflex reads rxconfig.py from here
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    ready = [line for line in lines if "PickVs is ready" in line]
    assert len(ready) == 1, done.stdout
    password = make_url(database_url).password
    shown = make_url(database_url).render_as_string(hide_password=True)
    day = r"\w{3} \w{3} \d{1,2}"  # "Sat Dec 5": the next day the job runs, in Tokyo
    expected = (
        r"PickVs is ready at http://localhost:3917 · demo data \(no ODDS_API_KEY\) · "
        rf"database {re.escape(shown)} · "
        rf"next fetch-odds {day} 05:00 JST, next process-results {day} 09:30 JST"
    )
    assert re.fullmatch(expected, ready[0].split(" INFO pickvs.app ", 1)[1]), ready[0]
    if password:
        assert password not in done.stdout + done.stderr
        assert ":***@" in ready[0]
    # Every line is one of ours, stamped in the league's zone with its offset.
    assert all(STAMP.match(line) for line in lines), done.stdout
    for noise in ("alembic", "apscheduler", "httpx", "Context impl", "Added job", " EST"):
        assert noise not in done.stdout, noise
    assert "scheduler started: fetch-odds, process-results, in Asia/Tokyo time" in done.stdout
