"""Engine and sessions for SQLite (default) and PostgreSQL (Neon in production).

The engine is configured once per process (`configure`) and handed out through `session_scope`;
services never build engines, they receive a session.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from pickvs.config import settings

log = logging.getLogger("pickvs.db")

_engine: Engine | None = None

# A Neon compute that scaled to zero takes a few seconds to accept connections again, and a
# restarting server refuses them for a moment: wait this long between connect attempts (three
# retries, 3.5 s in all) before the request gets its 503. Only connecting is retried; a
# statement that fails mid-transaction is never replayed.
CONNECT_RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0)


def normalize_url(raw: str) -> URL:
    """Map every PostgreSQL spelling to psycopg 3 and leave SQLite alone.

    Heroku-style `postgres://` and plain `postgresql://` (what Neon's console shows) must both
    work unchanged, so the driver is pinned here rather than in the operator's URL.
    """
    url = make_url(
        raw.replace("postgres://", "postgresql://", 1) if raw.startswith("postgres://") else raw
    )
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


# The SQLite file holds emails and password hashes, and the data directory the signing key:
# only the account running PickVs may read them.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private_dir(directory: Path) -> None:
    """Create `directory` (and missing parents) if needed, the directory itself 0700.

    An existing directory is left as the operator made it; `pickvs check` warns if it is open
    to others. Parents are created with the process's usual mode, as `mkdir -p` would.
    """
    directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create an empty `path` readable by its owner only, unless it exists already.

    SQLite gives the `-wal`, `-shm` and `-journal` files it creates later the mode of the
    database file, so creating this one 0600 before SQLite first opens it keeps all of them
    private whatever the process's umask (an app embedded in another server cannot rely on
    one). An empty file is a valid, empty SQLite database.
    """
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return  # another worker (or an earlier start) made it: the operator's mode stands
    os.close(fd)


def _sqlite_creates_privately(path: Path) -> Any:
    """A `do_connect` hook: make the database file 0600 before SQLite would create it 0644."""

    def before_connect(_dialect: Any, _record: Any, _cargs: Any, _cparams: Any) -> None:
        if not path.exists():
            create_private_file(path)

    return before_connect


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets the scheduler write while pages read; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def connect_with_retry(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """`do_connect` hook: open a DBAPI connection, retrying a refused or starting-up server.

    psycopg raises OperationalError for every connect failure, without a SQLSTATE to tell a
    refused port from a wrong password, so each is retried; the bound keeps a real
    misconfiguration's error only seconds late. The last failure goes to the caller, wrapped by
    SQLAlchemy as usual (the API maps it to 503).
    """
    operational_error = dialect.loaded_dbapi.OperationalError
    for attempt, delay in enumerate(CONNECT_RETRY_DELAYS, start=1):
        try:
            return dialect.connect(*cargs, **cparams)
        except operational_error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.warning(
                "database connect attempt %d failed (%s); retrying in %.1fs", attempt, reason, delay
            )
            time.sleep(delay)
    return dialect.connect(*cargs, **cparams)  # the last attempt: its error goes to the caller


def make_engine(raw_url: str) -> Engine:
    """Build an engine with the pool settings each backend needs."""
    url = normalize_url(raw_url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool if database in ("", ":memory:") else None,
        )
        if database and database != ":memory:" and not database.startswith("file:"):
            event.listen(engine, "do_connect", _sqlite_creates_privately(Path(database)))
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, object] = {"connect_timeout": 10}
    if "-pooler" in (url.host or ""):
        # Neon's pooler is PgBouncer in transaction mode: server-side prepared statements
        # would land on another backend, so psycopg must not prepare.
        connect_args["prepare_threshold"] = None
    engine = create_engine(
        url,
        # A pooled connection is pinged before use, so one the server dropped (a restart, or
        # Neon suspending an idle compute) is replaced instead of failing the request.
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_recycle=300,
        connect_args=connect_args,
    )
    event.listen(engine, "do_connect", connect_with_retry)
    return engine


def configure(raw_url: str | None = None) -> Engine:
    """(Re)point the process at a database; tests call this with their own URL."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(raw_url or settings.resolved_database_url)
    return _engine


def get_engine() -> Engine:
    return _engine if _engine is not None else configure()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error, always close."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# pg advisory lock key for writers that update many game rows at once (pickvs.migrations uses
# another key for schema upgrades).
LEAGUE_WRITE_LOCK_KEY = 7_205_518


def lock_league_writes(session: Session) -> None:
    """Take the league-wide write lock until the session's transaction ends.

    fetch-odds, process-results, grading and an admin's settle or void may run at the same
    moment on different workers; each updates an overlapping set of game (and pick) rows in its
    own order, and PostgreSQL would abort one of them as a deadlock. A transaction-scoped
    advisory lock makes them take turns (it is released at commit or rollback, so it also works
    through a transaction-mode pooler, and taking it again in the same transaction is free).
    SQLite already admits one writer at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEAGUE_WRITE_LOCK_KEY})
