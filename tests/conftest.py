"""Shared fixtures: every service test runs on SQLite and on a real PostgreSQL.

PostgreSQL is never optional: when it does not answer, the tests fail with a pointer to
`scripts/test.sh`, which starts a throwaway cluster. A skipped PostgreSQL run hides bugs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from pickvs import db, migrations
from pickvs.domain.clock import FixedClock
from pickvs.services import leagues

BACKENDS = ("sqlite", "postgresql")
FAST_BCRYPT_ROUNDS = 4  # the production cost (12) would spend most of the run hashing
TEST_SECRET_KEY = "pickvs-tests-signing-key-0123456789abcdef0123456789"
ADMIN_URL = os.environ.get(
    "PICKVS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def pytest_configure(config: pytest.Config) -> None:
    # Tests must never pick up an operator's .env or live key.
    os.environ.pop("ODDS_API_KEY", None)


class PostgresDatabases:
    """Creates and drops scratch databases on the test cluster."""

    def __init__(self, admin_url: str) -> None:
        self.admin_engine = db.make_engine(admin_url)
        self.admin_url = make_url(admin_url)
        self.created: list[str] = []

    def create(self, prefix: str = "pickvs_test") -> str:
        name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        try:
            with self.admin_engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(
                f"PostgreSQL is required and did not answer at {self.admin_url!r} ({exc}). "
                "Run ./scripts/test.sh, which starts a throwaway cluster.",
                pytrace=False,
            )
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin_engine.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(ADMIN_URL)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def database_urls(
    tmp_path_factory: pytest.TempPathFactory, pg_databases: PostgresDatabases
) -> dict[str, str]:
    """One migrated database per backend for the whole run; tests empty the tables instead."""
    sqlite_path: Path = tmp_path_factory.mktemp("sqlite") / "pickvs.db"
    urls = {"sqlite": f"sqlite:///{sqlite_path}", "postgresql": pg_databases.create()}
    for url in urls.values():
        engine = db.make_engine(url)
        migrations.upgrade(engine)
        engine.dispose()
    return urls


def empty_tables(engine: Engine) -> None:
    # Ids and versions start again in emptied tables: boards cached by them must go too.
    leagues.clear_board_cache()
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as conn:
        if db.is_postgres(engine):
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(backend: str, database_urls: dict[str, str]) -> Iterator[Engine]:
    """The process-wide engine, pointed at a clean database of the requested backend."""
    engine = db.configure(database_urls[backend])
    empty_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


# --- auth: opted into by the service, state and API tests' conftest.py -------------------------

_real_gensalt = bcrypt.gensalt
_FAST_DUMMY_HASH = bcrypt.hashpw(
    b"pickvs-timing-equaliser", _real_gensalt(FAST_BCRYPT_ROUNDS)
).decode()


@pytest.fixture
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cost 4 instead of 12, for new hashes and for the hash a login that names nobody is
    checked against: the hash format and checks are the same, only the work differs."""
    from pickvs.services import auth

    monkeypatch.setattr(
        bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": _real_gensalt(FAST_BCRYPT_ROUNDS, prefix)
    )
    monkeypatch.setattr(auth, "_DUMMY_HASH", _FAST_DUMMY_HASH)


@pytest.fixture
def signing_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fixed token signing key, so no test writes one under the checkout's data/."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "secret_key", TEST_SECRET_KEY)
    return TEST_SECRET_KEY
