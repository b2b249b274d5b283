"""Scale-out: the production app with two backend workers on Redis (Reflex's own state manager)
against one PostgreSQL, then a second whole instance beside it.

- Two players in real Chromium, each on a different worker (proved by the socket records Reflex
  keeps in Redis: each names the worker instance holding that browser's event socket), pick the
  same game; once it tips, each sees the other's pick, and after it is settled both see the same
  leaderboard, with hand-worked units.
- The jobs fire every minute; every worker runs a scheduler, and the job ledger must show
  exactly one run per (job, slot), with no slot that came due left unrun. Then a second
  instance (`start.sh --workers 2 --backend-only` on another port, same database and Redis)
  runs beside the first for two more triggers, and the ledger is checked again.

Run with `python -m pytest -m scale tests/scale` (scripts/test.sh does). The first run builds
the frontend into .tools/scale-web (PICKVS_SCALE_WEB_DIR), a few minutes; later runs reuse it.
"""

from __future__ import annotations

import pickle
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, BrowserContext, Page, expect
from reflex.utils.token_manager import RedisTokenManager, SocketRecord
from sqlalchemy import select
from sqlmodel import Session

from pickvs import db, migrations
from pickvs.jobs.daily import FETCH_ODDS, PROCESS_RESULTS
from pickvs.models import JobRun
from pickvs.services import admin
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_slate import card, pick_button, seed, sign_up
from tests.conftest import PostgresDatabases
from tests.redis_server import throwaway_redis
from tests.scale.apps import Server, call, start_server
from tests.scale.cluster import free_port
from tests.services.builders import Book

# The build (first run only) is bounded by start_server's own timeout; the rest is ~5 minutes.
pytestmark = [pytest.mark.scale, pytest.mark.timeout(1500)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORKERS = 2
EVERY_MINUTE = "* * * * *"
SETTLE_MARGIN = timedelta(seconds=20)  # a trigger's run is claimed within a second or two
LOCK_AFTER = timedelta(seconds=45)  # two sign-ups and two picks fit before tip-off
RECONNECTS = 12  # reloads allowed to land a browser on the other worker


@dataclass(frozen=True)
class Scene:
    database_url: str
    first: Server
    first_ready: datetime
    redis: redis.Redis
    redis_url: str


@contextmanager
def served_scene(
    pg_databases: PostgresDatabases,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    env: Callable[[str], dict[str, str]],
) -> Iterator[Scene]:
    """A fresh migrated database `pickvs_<name>`, a throwaway Redis, and the app on WORKERS
    workers sharing them, started with `env(redis_url)`; its log in ARTIFACTS."""
    with throwaway_redis(tmp_path_factory.mktemp("redis")) as redis_url:
        client = redis.Redis.from_url(redis_url)
        database_url = pg_databases.create(f"pickvs_{name}")
        engine = db.make_engine(database_url)
        migrations.upgrade(engine)
        engine.dispose()
        server = start_server(
            port=free_port(),
            database_url=database_url,
            work=tmp_path_factory.mktemp(name),
            log_path=ARTIFACTS / f"{name}-server.log",
            workers=WORKERS,
            extra_env=env(redis_url),
        )
        try:
            yield Scene(database_url, server, datetime.now(UTC), client, redis_url)
        finally:
            server.stop()
            client.close()


@pytest.fixture(scope="module")
def scene(
    pg_databases: PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scene]:
    with served_scene(pg_databases, tmp_path_factory, "scale", shared_env) as served:
        yield served


def shared_env(redis_url: str) -> dict[str, str]:
    return {
        "REFLEX_REDIS_URL": redis_url,
        "PICKVS_ODDS_CRON": EVERY_MINUTE,
        "PICKVS_RESULTS_CRON": EVERY_MINUTE,
        # Each player makes one pick: ranked from the first graded one, so the board's ranked
        # table shows both (the default of 10 would list them apart as not yet ranked).
        "PICKVS_MIN_RANKED_PICKS": "1",
    }


# --- workers and sockets ----------------------------------------------------------------------


def worker_pids(server: Server) -> list[int]:
    """The server's worker processes: children of the Reflex process (Granian's supervisor),
    less the filter start.sh pipes Reflex's output through (`pickvs.logs filter-reflex`)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == server.process.pid and b"filter-reflex" not in command:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def socket_record(scene: Scene, page: Page, previous: SocketRecord | None = None) -> SocketRecord:
    """The record Reflex keeps in Redis for this browser's event socket (its worker and sid),
    once it names a socket other than `previous`."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token, "the page has no Reflex client token"
    key = f"{RedisTokenManager._token_socket_record_prefix}{token}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        raw = scene.redis.get(key)
        if raw:
            record = pickle.loads(raw)
            if previous is None or record.sid != previous.sid:
                return record
        time.sleep(0.2)
    raise AssertionError(f"no fresh socket record in Redis for token {token}")


def on_another_worker(scene: Scene, page: Page, other: SocketRecord, ready: str) -> SocketRecord:
    """Reload `page` until its socket is held by another worker than `other`'s."""
    record = socket_record(scene, page)
    for _ in range(RECONNECTS):
        if record.instance_id != other.instance_id:
            return record
        page.reload()
        expect(page.locator(ready).first).to_be_visible()
        record = socket_record(scene, page, previous=record)
    raise AssertionError(f"{RECONNECTS} reloads all landed on worker {other.instance_id}")


def reload_apart(scene: Scene, page: Page, other: Page, ready: str) -> tuple[str, str]:
    """Reload `page` (a fresh socket) onto another worker than `other`; both worker ids."""
    before = socket_record(scene, page)
    page.reload()
    expect(page.locator(ready).first).to_be_visible()
    socket_record(scene, page, previous=before)
    theirs = socket_record(scene, other)
    mine = on_another_worker(scene, page, theirs, ready)
    return mine.instance_id, theirs.instance_id


# --- the job ledger ---------------------------------------------------------------------------


def minute_slots(since: datetime, until: datetime) -> list[datetime]:
    """Every whole minute in (since, until]: the slots an every-minute crontab fires."""
    slot = since.replace(second=0, microsecond=0) + timedelta(minutes=1)
    slots = []
    while slot <= until:
        slots.append(slot)
        slot += timedelta(minutes=1)
    return slots


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def assert_one_run_per_trigger(scene: Scene, until: datetime) -> Counter[str]:
    """One job_run row per (job, slot); every slot that came due since the app was up has one;
    none is left running; failures are only the known one. Returns the outcomes seen."""
    engine = db.make_engine(scene.database_url)
    try:
        with Session(engine) as session:
            runs = list(session.execute(select(JobRun)).scalars())
    finally:
        engine.dispose()
    scheduled = [run for run in runs if run.slot is not None]
    per_trigger = Counter((run.job, as_utc(run.slot)) for run in scheduled if run.slot)
    assert [key for key, count in per_trigger.items() if count != 1] == []
    due = minute_slots(scene.first_ready, until)
    assert len(due) >= 2, "the test should have seen at least two triggers by now"
    for job in (FETCH_ODDS, PROCESS_RESULTS):
        missing = [slot for slot in due if (job, slot) not in per_trigger]
        assert missing == [], f"{job}: slots that came due and never ran: {missing}"
    stale = [run for run in scheduled if run.outcome == "running" and run.slot and as_utc(run.slot) < until - timedelta(minutes=1)]  # fmt: skip
    assert stale == []
    failed = [run for run in scheduled if run.outcome == "failed"]
    assert [run.error for run in failed] == []
    for run in sorted(scheduled, key=lambda run: run.id or 0):
        if run.outcome != "ok":  # shown in the test log, for the record
            reason = (run.error or run.detail or "").splitlines()[0][:100]
            print(f"  {run.job} slot {run.slot} ({run.trigger}, {run.started_at}): {run.outcome}: {reason}")  # fmt: skip
    return Counter(run.outcome for run in scheduled)


def wait_for_triggers(after: datetime, count: int) -> datetime:
    """Sleep until `count` whole minutes past `after` have fired and settled; returns the time
    up to which every trigger has had its settling margin."""
    last = minute_slots(after, after + timedelta(minutes=count))[-1]
    pause = (last + SETTLE_MARGIN - datetime.now(UTC)).total_seconds()
    if pause > 0:
        time.sleep(pause)
    return datetime.now(UTC) - SETTLE_MARGIN


# --- the test ---------------------------------------------------------------------------------


def board(page: Page) -> list[list[str]]:
    """Each leaderboard row: player, rank, units, wagered, ROI, record."""
    return page.eval_on_selector_all(
        "#leaderboard tbody tr",
        """rows => rows.map(row => [row.dataset.username,
            ...['.rank', '.units', '.wagered', '.roi', '.record'].map(
                cell => row.querySelector(cell).textContent.trim())])""",
    )


def current_player(page: Page) -> str | None:
    return page.locator('#leaderboard tbody tr[aria-current="true"]').get_attribute("data-username")


def new_player_page(browser: Browser, server: Server, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=server.url)
    contexts.append(context)
    return context.new_page()


def test_two_workers_then_two_instances_share_players_leaderboard_and_one_run_per_trigger(
    scene: Scene, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = scene.first
    pids = worker_pids(first)
    assert len(pids) == WORKERS, f"expected {WORKERS} worker processes, found {pids}"

    late = f"sc-{uuid.uuid4().hex[:6]}"
    tip = datetime.now(UTC) + LOCK_AFTER
    seed(scene, late, tip, "Golden State Warriors", "Los Angeles Lakers", Book(h2h=(-150, 130)))  # fmt: skip
    ann, bea = f"a{uuid.uuid4().hex[:10]}", f"b{uuid.uuid4().hex[:10]}"
    contexts: list[BrowserContext] = []
    try:
        # ann on one worker, bea kept on the other; each picks a side of the late game.
        page_a = new_player_page(browser, first, contexts)
        sign_up(page_a, ann)
        page_b = new_player_page(browser, first, contexts)
        sign_up(page_b, bea)
        worker_b, worker_a = reload_apart(scene, page_b, page_a, f"#game-{late}")
        assert worker_a != worker_b
        lakers = pick_button(page_a, late, "Pick Los Angeles Lakers moneyline +130")
        lakers.click()
        expect(lakers).to_have_attribute("aria-pressed", "true")
        warriors = pick_button(page_b, late, "Pick Golden State Warriors moneyline -150")
        warriors.click()
        expect(warriors).to_have_attribute("aria-pressed", "true")
        # Hidden from each other until the game locks.
        expect(card(page_b, late).get_by_text(ann)).to_have_count(0)

        wait = (tip - datetime.now(UTC)).total_seconds() + 1
        assert wait > 0, "the late game locked before both players had picked"
        time.sleep(wait)

        # After tip-off, each, on their own worker, sees the other's pick on the locked card.
        worker_b, worker_a = reload_apart(scene, page_b, page_a, f"#game-{late}")
        assert worker_a != worker_b
        expect(card(page_b, late)).to_contain_text(f"{ann} · Moneyline: Los Angeles Lakers +130")
        page_a.reload()
        expect(card(page_a, late)).to_contain_text(f"{bea} · Moneyline: Golden State Warriors -150")
        worker_a, worker_b = reload_apart(scene, page_a, page_b, f"#game-{late}")
        assert worker_a != worker_b
        expect(card(page_a, late)).to_contain_text(f"{bea} · Moneyline: Golden State Warriors -150")

        # Settled 100-110 (the away Lakers win): ann +1.30u (+130 pays 1.30), bea -1.00u.
        settle(scene, late, home=100, away=110)
        for page in (page_a, page_b):
            page.goto("/leaderboard")
            expect(page.locator("#leaderboard tbody tr").first).to_be_visible()
        worker_b, worker_a = reload_apart(scene, page_b, page_a, "#leaderboard tbody tr")
        assert worker_a != worker_b
        for page in (page_a, page_b):
            table = page.locator("#leaderboard tbody")
            expect(table.locator("tr").filter(has_text=ann)).to_contain_text("+1.30u")
            expect(table.locator("tr").filter(has_text=bea)).to_contain_text("-1.00u")
        # The same ranking on both workers; only the "You" row differs, each their own.
        assert board(page_a) == board(page_b)
        assert current_player(page_a) == ann and current_player(page_b) == bea
    finally:
        for context in contexts:
            context.close()

    until = wait_for_triggers(scene.first_ready, 2)  # no wait when two have fired already
    outcomes = assert_one_run_per_trigger(scene, until)
    print(f"\none instance, {WORKERS} workers: {len(minute_slots(scene.first_ready, until))} minutes, runs {dict(outcomes)}")  # fmt: skip

    # A second whole instance beside the first: same database and Redis, two workers of its own.
    second = start_server(
        port=free_port(),
        database_url=scene.database_url,
        work=tmp_path_factory.mktemp("scale-b"),
        log_path=ARTIFACTS / "scale-server-b.log",
        backend_only=True,
        workers=WORKERS,
        extra_env=shared_env(scene.redis_url),
        timeout=240,
    )
    try:
        assert len(worker_pids(second)) == WORKERS
        for server in (first, second):
            health = call(f"{server.url}/health")
            assert health.status == 200, health
            assert health.body["scheduler"]["running"] is True
        # The same leaderboard through either instance.
        assert (
            call(f"{second.url}/api/leaderboard").body == call(f"{first.url}/api/leaderboard").body
        )
        second_ready = datetime.now(UTC)
        last = wait_for_triggers(second_ready, 2)
        outcomes = assert_one_run_per_trigger(scene, last)
        assert len(minute_slots(second_ready, last)) >= 2
        print(f"two instances, {2 * WORKERS} workers: {len(minute_slots(scene.first_ready, last))} minutes, runs {dict(outcomes)}")  # fmt: skip
        assert second.process.poll() is None and first.process.poll() is None
    finally:
        second.stop()


def settle(scene: Scene, game_id: str, home: int, away: int) -> None:
    engine = db.make_engine(scene.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            admin.settle(session, game_id, home, away, by="scale-test", now=datetime.now(UTC))
            session.commit()
    finally:
        engine.dispose()
