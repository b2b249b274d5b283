"""The image's life cycle without a Docker engine: build once, serve fast, stop clean, keep data.

Each test starts scripts/serve.sh exactly as the image's CMD does (its ENV, a temporary /data)
on the frontend scripts/build-frontend.sh built, as the Dockerfile's builder stage does.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import Connection, text

from pickvs import db
from tests.deploy.conftest import START_LIMIT, ServedApp, http
from tests.fake_provider import FakeOddsApi

pytestmark = pytest.mark.deploy

PLAYER = {"email": "dana@example.com", "username": "dana", "password": "kept-across-restarts"}
JOB_DELAY = 4.0  # seconds the fake provider holds the odds call while SIGTERM arrives
CHROMIUM = os.environ.get("PICKVS_CHROMIUM", "/usr/bin/chromium")


def read_sqlite(data_dir: Path, query: str) -> list[tuple[str, str]]:
    """Rows read straight from the SQLite file in /data."""
    uri = f"file:{data_dir / 'pickvs.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(query).fetchall()


def job_runs(data_dir: Path) -> list[tuple[str, str]]:
    """(job, outcome) of every job_run row."""
    return read_sqlite(data_dir, "SELECT job, outcome FROM job_run ORDER BY id")


def api_calls(data_dir: Path) -> list[tuple[str, str]]:
    return read_sqlite(data_dir, "SELECT endpoint, outcome FROM api_call ORDER BY id")


@contextlib.contextmanager
def db_session(url: str) -> Iterator[Connection]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def leaderboard_names(app: ServedApp) -> list[str]:
    status, rows = http("GET", f"{app.url}/api/leaderboard?period=all&limit=100")
    assert status == 200, rows
    return sorted(row["username"] for row in rows)


def log_in_through_the_page(app: ServedApp, username: str, password: str) -> None:
    """The built pages, their event socket and the backend, all on the one port, in Chromium."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(base_url=app.url)
            page.goto("/login")
            page.get_by_label("Username or email").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in", exact=True).click()
            expect(page.locator("#nav-username")).to_have_text(username, timeout=20_000)
        finally:
            browser.close()


def test_serves_fast_stops_clean_and_keeps_its_data(served_app: ServedApp, report) -> None:
    app = served_app
    built = app.build.snapshot()
    assert any(name.endswith("index.html") for name in built)

    first_start = app.start()
    report(f"first start (migrate, key, demo seed, serve): /health after {first_start:.1f}s")
    assert first_start < START_LIMIT

    # The built pages come from the same port as the API, and they are the ones just built.
    status, page = http("GET", f"{app.url}/")
    assert status == 200 and "<title>PickVs" in page

    status, body = http("POST", f"{app.url}/auth/register", PLAYER)
    assert status == 201, body
    token = body["token"]
    assert http("GET", f"{app.url}/api/picks/me", token=token) == (200, [])
    players = leaderboard_names(app)
    assert "dana" in players and len(players) == 6  # five demo players and Dana

    secret = (app.data_dir / "secret_key").read_text()
    assert len(secret) >= 32 and (app.data_dir / "pickvs.db").is_file()

    code, took = app.terminate()
    report(f"SIGTERM: exit {code} after {took:.1f}s")
    assert code == 0
    # Its connections were closed: the write-ahead log went back into the one database file
    # (checked before anything here opens that file again).
    assert not (app.data_dir / "pickvs.db-wal").exists()
    assert "running" not in [outcome for _, outcome in job_runs(app.data_dir)]

    second_start = app.start()
    report(f"restart: /health after {second_start:.1f}s")
    assert second_start < START_LIMIT

    status, body = http(
        "POST", f"{app.url}/auth/login", {"username": "dana", "password": PLAYER["password"]}
    )
    assert status == 200, body
    # The key generated on the first start was kept, so the token from before still works.
    assert (app.data_dir / "secret_key").read_text() == secret
    assert http("GET", f"{app.url}/api/picks/me", token=token) == (200, [])
    assert leaderboard_names(app) == players  # the demo league was not seeded twice
    log_in_through_the_page(app, "dana", PLAYER["password"])

    code, _ = app.terminate()
    assert code == 0
    assert app.build.snapshot() == built, "starting the server touched the built frontend"


def tonight_event() -> dict[str, str]:
    """A schedule entry (the provider's events shape) tipping two hours from now."""
    tip = datetime.now(UTC) + timedelta(hours=2)
    return {
        "id": "d3b07384d113edec49eaa6238ad5ff00",
        "sport_key": "basketball_nba",
        "sport_title": "NBA",
        "commence_time": tip.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "home_team": "Boston Celtics",
        "away_team": "Milwaukee Bucks",
    }


def test_sigterm_lets_the_running_job_finish(served_app: ServedApp, report) -> None:
    app = served_app
    with FakeOddsApi() as provider:
        # Start-up catches up the missed fetch-odds run. Its free look-up sees a game tipping
        # tonight, so the job makes the odds call, which the provider holds for JOB_DELAY.
        provider.set_events([tonight_event()])
        provider.enqueue(200, [], delay=JOB_DELAY, call="odds")
        app.settings = {"ODDS_API_KEY": "deploy-test-key", "ODDS_API_BASE_URL": provider.base_url}
        app.start()
        deadline = time.monotonic() + 30
        while not any(path.endswith("/odds") for path, _ in provider.requests):
            assert time.monotonic() < deadline, f"no odds call:\n{app.log_tail()}"
            time.sleep(0.05)
        called = time.monotonic()
        assert ("fetch-odds", "running") in job_runs(app.data_dir)

        code, took = app.terminate(timeout=JOB_DELAY + 30)
        waited = time.monotonic() - called
    report(f"SIGTERM during a job: exit {code} after {took:.1f}s, {waited:.1f}s after the call")
    assert code == 0
    # It waited for the provider's answer and recorded the run, rather than dying mid-job.
    assert waited >= JOB_DELAY - 0.5
    runs = job_runs(app.data_dir)
    assert ("fetch-odds", "ok") in runs and "running" not in [o for _, o in runs], runs
    assert [outcome for endpoint, outcome in api_calls(app.data_dir) if "odds" in endpoint] == [
        "ok"
    ]


def test_the_larger_case_postgresql_redis_and_several_workers(
    served_app: ServedApp, pg_databases, redis_url: str, report
) -> None:
    """docker-compose.scale.yml's settings: PostgreSQL, Redis, and so several workers."""
    app = served_app
    app.settings = {
        "DATABASE_URL": pg_databases.create("pickvs_deploy"),
        "REFLEX_REDIS_URL": redis_url,
    }
    took = app.start()
    report(f"PostgreSQL + Redis: /health after {took:.1f}s with {len(app.processes()) - 1} workers")
    assert len(app.processes()) >= 3  # Reflex runs more than one worker once Redis answers
    status, health = http("GET", f"{app.url}/health")
    assert health["database"]["backend"] == "postgresql"
    status, body = http("POST", f"{app.url}/auth/register", PLAYER)
    assert status == 201, body
    token = body["token"]

    code, _ = app.terminate()
    assert code == 0
    app.start()
    # Every worker signs and checks tokens with the one key made before they started.
    for _ in range(10):  # new connections, spread over the workers
        assert http("GET", f"{app.url}/api/picks/me", token=token) == (200, [])
    code, _ = app.terminate()
    assert code == 0

    with db_session(app.settings["DATABASE_URL"]) as conn:
        runs = conn.execute(text("SELECT job, outcome FROM job_run ORDER BY id")).all()
    # Each worker has a scheduler; the missed runs were still caught up once, not per worker.
    assert sorted(runs) == [("fetch-odds", "ok"), ("process-results", "ok")]
