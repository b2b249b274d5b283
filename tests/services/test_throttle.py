"""Log-in throttle storage on SQLite and PostgreSQL: an attempt is counted atomically before its
password is checked (parallel guesses cannot pass the count), a refusal counts nothing, a
correct password gives its failure back, old counters are purged, and migration 0006."""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from pickvs import db, migrations
from pickvs.domain.throttle import Counter, Policy
from pickvs.models import LoginThrottle
from pickvs.services import auth, throttle
from pickvs.services.errors import NotAuthenticated, ServiceError
from pickvs.services.throttle import LoginThrottled
from tests.services.builders import PASSWORD, make_user, utc

NOW = utc("2026-11-22T12:00")
THREADS = 40


def in_parallel(engine: Engine, count: int, attempt: Callable[[Session, int], object]) -> Tally:
    """`count` threads, each with its own session, released together; tallies what each one's
    attempt returned or raised (by exception class name)."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                attempt(session, n)
                outcome = "ok"
            except ServiceError as exc:
                session.rollback()
                outcome = type(exc).__name__
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == count
    return Tally(outcomes)


def test_forty_parallel_wrong_passwords_get_exactly_five_checks(
    engine: Engine, session: Session
) -> None:
    make_user(session, "alice", NOW)
    session.commit()

    def guess(own: Session, _n: int) -> None:
        auth.login(own, "alice", "wrong password", "198.51.100.7", NOW)

    assert in_parallel(engine, THREADS, guess) == {
        "NotAuthenticated": 5,
        "LoginThrottled": THREADS - 5,
    }
    stored = throttle.counters_for(session, "alice", "198.51.100.7")
    assert (stored.pair.failures, stored.account.failures, stored.client.failures) == (5, 5, 5)


def test_parallel_spraying_stops_exactly_at_the_client_budget(engine: Engine) -> None:
    small = Policy(client_budget=10)

    def spray(own: Session, n: int) -> None:
        throttle.reserve(own, f"player{n}", "198.51.100.7", NOW, small)

    assert in_parallel(engine, THREADS, spray) == {"ok": 10, "LoginThrottled": THREADS - 10}


def test_a_refusal_counts_nothing(session: Session) -> None:
    for n in range(5):
        with pytest.raises(NotAuthenticated):
            auth.login(session, "ghost", "whatever1", "198.51.100.7", NOW + timedelta(seconds=n))
    before = throttle.counters_for(session, "ghost", "198.51.100.7")
    for seconds in (10, 30, 63):
        with pytest.raises(LoginThrottled) as refused:
            auth.login(
                session, "ghost", "whatever1", "198.51.100.7", NOW + timedelta(seconds=seconds)
            )
    # Locked from the fifth failure (0:04) for a minute: at 1:03, one second is left.
    assert refused.value.retry_after_seconds == 1
    assert refused.value.message == "Too many failed log-ins; wait 1 second and try again."
    assert throttle.counters_for(session, "ghost", "198.51.100.7") == before
    assert before.pair == Counter(5, NOW, NOW + timedelta(seconds=4))


def test_a_refused_client_leaves_no_rows_behind(session: Session) -> None:
    """Spraying past the budget must not grow the table: a refusal writes nothing at all."""
    one = Policy(client_budget=1)
    throttle.reserve(session, "first", "198.51.100.7", NOW, one)
    for n in range(3):
        with pytest.raises(LoginThrottled):
            throttle.reserve(session, f"other{n}", "198.51.100.7", NOW, one)
    keys = set(session.execute(select(LoginThrottle.key)).scalars())
    assert keys == {"account:first", "client:198.51.100.7", "pair:198.51.100.7|first"}


def test_a_correct_password_ends_the_streak_and_gives_its_failure_back(
    session: Session,
) -> None:
    make_user(session, "alice", NOW)
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            auth.login(session, "alice", "wrong password", "198.51.100.7", NOW)
    assert auth.login(session, "Alice", PASSWORD, "198.51.100.7", NOW).username == "alice"
    session.commit()
    stored = throttle.counters_for(session, "alice", "198.51.100.7")
    assert stored.pair == Counter()  # the streak is over
    # The three real failures stay on the hourly budgets; the success's reservation does not.
    assert (stored.account.failures, stored.client.failures) == (3, 3)


def test_counters_untouched_for_a_day_are_purged_on_the_next_counted_attempt(
    engine: Engine, session: Session
) -> None:
    with pytest.raises(NotAuthenticated):
        auth.login(session, "old", "whatever1", "198.51.100.1", NOW)
    with pytest.raises(NotAuthenticated):
        auth.login(session, "recent", "whatever1", "198.51.100.2", NOW + timedelta(hours=1))
    with pytest.raises(NotAuthenticated):
        auth.login(session, "new", "whatever1", "198.51.100.3", NOW + timedelta(days=1, minutes=1))
    keys = set(session.execute(select(LoginThrottle.key)).scalars())
    assert keys == {
        "account:recent",
        "client:198.51.100.2",
        "pair:198.51.100.2|recent",
        "account:new",
        "client:198.51.100.3",
        "pair:198.51.100.3|new",
    }


def test_migration_0006_replaces_login_failure(backend: str, tmp_path: Path, pg_databases) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/old.db" if backend == "sqlite" else pg_databases.create()
    engine = db.make_engine(url)
    try:
        migrations.upgrade(engine, "0004")
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO login_failure (key, at) VALUES ('account:ann', :at)"),
                {"at": "2026-11-22 12:00:00" if backend == "sqlite" else NOW},
            )
        migrations.upgrade(engine, "0006")
        tables = set(inspect(engine).get_table_names())
        assert "login_throttle" in tables and "login_failure" not in tables
        with Session(engine) as session:  # the new table works at once
            throttle.reserve(session, "ann", "198.51.100.7", NOW)
            assert throttle.counters_for(session, "ann", "198.51.100.7").pair.failures == 1

        config = migrations.alembic_config()
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
            conn.commit()
        tables = set(inspect(engine).get_table_names())
        assert "login_failure" in tables and "login_throttle" not in tables
        migrations.upgrade(engine, "0006")
        assert "login_throttle" in set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
