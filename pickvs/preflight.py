"""Start-up validation: is this configuration one PickVs can run on?

`pickvs db upgrade` (which scripts/start.sh and the container run first), `pickvs check` and the
app's lifespan all call `require()` before touching the database, so a typo in the environment
stops the program with one line naming the setting instead of a traceback, a half-created
SQLite file or a scheduler that dies at 05:00. Secrets are never part of a message: a database
is named by its scheme and host:port, never by its full URL.

Order matters. Settings that need no I/O are checked first, and if any is wrong nothing else
runs, so a bad setting writes nothing. Then the data directory (probed with a temporary file that
is removed again; a missing one must be creatable), then the database itself, with a short timeout; a
SQLite database that does not exist yet is not created here (migrations do that).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import stat
import tempfile
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

from pickvs.config import SECRET_KEY_MIN_BYTES, Settings, SettingsError
from pickvs.db import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, normalize_url

CONNECT_TIMEOUT_SECONDS = 3
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# What SQLite may keep beside the database file; each holds pages of it (emails, hashes).
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class ConfigurationError(Exception):
    """The configuration cannot run PickVs; `str()` is the one line to show the operator."""


def parse_database_url(raw: str) -> URL:
    """The normalised URL, or `ConfigurationError` saying why `raw` is not one PickVs can use."""
    try:
        url = normalize_url(raw)
    except (ArgumentError, ValueError):
        raise ConfigurationError(
            "DATABASE_URL: not a database URL; use sqlite:///path/to/file.db "
            "or postgresql://user:password@host:5432/dbname"
        ) from None
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ConfigurationError(
            f"DATABASE_URL: {url.get_backend_name()!r} databases are not supported; "
            "use sqlite:///… or postgresql://…"
        )
    if url.get_backend_name() == "postgresql" and not url.database:
        raise ConfigurationError("DATABASE_URL: name the database, e.g. postgresql://…/pickvs")
    return url


def describe_url(url: URL) -> str:
    """How a message names a database: never the password, never the query string."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}" if url.database else "an in-memory SQLite database"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL names, or None for an in-memory database."""
    database = url.database or ""
    return None if database in ("", ":memory:") else Path(database)


def read_only_uri(path: Path) -> str:
    """Open a SQLite file without any chance of creating or changing it (`?`/`#` escaped)."""
    return f"{path.resolve().as_uri()}?mode=ro"


def writable_directory_problem(directory: Path) -> str | None:
    """Why `directory` cannot hold PickVs's files, or None. Leaves nothing behind.

    An existing directory is probed with a temporary file (removed at once). A missing one is
    not created here, since a check must not write: its nearest existing ancestor must be a
    directory we may write into, so the app can create it later.
    """
    if directory.is_dir():
        try:
            with tempfile.NamedTemporaryFile(dir=directory, prefix=".pickvs-probe-"):
                pass
        except OSError as exc:
            return f"cannot write to {directory} ({exc.strerror or type(exc).__name__})"
        return None
    ancestor = directory.absolute()
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"cannot write to {directory} (Not a directory)"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"cannot write to {directory} ({ancestor} is read-only)"
    return None


def _needs_data_dir(settings: Settings, url: URL) -> bool:
    """The generated signing key lives there, and so does the default SQLite file."""
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    inside = path is not None and settings.data_dir.resolve() in path.resolve().parents
    return not settings.secret_key or inside


def _sqlite_problem(url: URL) -> str | None:
    path = sqlite_path(url)
    if path is None:
        return None
    if not path.exists():
        problem = writable_directory_problem(path.parent)
        return f"DATABASE_URL: {problem}" if problem else None
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return f"DATABASE_URL: {describe_url(url)} cannot be opened ({exc})"
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return f"DATABASE_URL: {describe_url(url)} is not writable"
    return None


def _postgres_problem(url: URL) -> str | None:
    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"DATABASE_URL: cannot reach {describe_url(url)} ({_reason(exc, url)})"
    return None


def _reason(exc: Exception, url: URL) -> str:
    """psycopg's message, on one line and without the password should a server echo it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text[:300]


def database_problem(url: URL) -> str | None:
    """Can the database be reached (and, for SQLite, created or opened)?"""
    if url.get_backend_name() == "sqlite":
        return _sqlite_problem(url)
    return _postgres_problem(url)


def check(settings: Settings, *, connect: bool = True) -> list[str]:
    """Every problem found, cheapest first; an empty list means PickVs can start.

    Stops at the first stage that fails, so a bad setting never leads to files being written.
    """
    try:
        url = parse_database_url(settings.resolved_database_url)
    except (SettingsError, ConfigurationError) as exc:
        # SettingsError: the environment did not validate (config.UnusableSettings).
        return [str(exc)]
    if _needs_data_dir(settings, url):
        problem = writable_directory_problem(settings.data_dir)
        if problem:
            return [f"PICKVS_DATA_DIR: {problem}"]
    problem = key_file_problem(settings)
    if problem:
        return [problem]
    if connect:
        problem = database_problem(url)
        if problem:
            return [problem]
    return []


def key_file_problem(settings: Settings) -> str | None:
    """A generated signing key that is there but unusable (emptied, cut short) would fail
    every log-in; say so before starting rather than answer each with an error."""
    if settings.secret_key:
        return None
    path = settings.data_dir / "secret_key"
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        return None  # generated on first use
    except OSError as exc:
        return f"PICKVS_DATA_DIR: cannot read the signing key {path} ({exc.strerror})"
    if len(key) < SECRET_KEY_MIN_BYTES:
        return (
            f"PICKVS_DATA_DIR: {path} holds no usable signing key (fewer than "
            f"{SECRET_KEY_MIN_BYTES} bytes); delete it to have one generated, or set "
            "PICKVS_SECRET_KEY"
        )
    return None


def private_paths(settings: Settings, url: URL) -> list[tuple[Path, int]]:
    """The files and directories only PickVs's account should read, with the mode each needs.

    The data directory and the generated signing key, the SQLite database and the side files
    SQLite keeps beside it. Only what exists is listed.
    """
    wanted: list[tuple[Path, int]] = [
        (settings.data_dir, PRIVATE_DIR_MODE),
        (settings.data_dir / "secret_key", PRIVATE_FILE_MODE),
    ]
    database = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if database is not None:
        wanted.append((database, PRIVATE_FILE_MODE))
        wanted += [(Path(f"{database}{suffix}"), PRIVATE_FILE_MODE) for suffix in SQLITE_SIDE_FILES]
    return [(path, mode) for path, mode in wanted if path.exists()]


def loose_permission(path: Path, wanted: int) -> str | None:
    """One line naming `path` and the `chmod` that fixes it, when group or others have any
    access to it; None when it is private (or vanished meanwhile, as a `-wal` file may)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None
    if not mode & 0o077:
        return None
    kind = "directory" if path.is_dir() else "file"
    return (
        f"{kind} {path} is open to group/others (mode {mode:04o}); "
        f"fix: chmod {wanted:o} {shlex.quote(str(path))}"
    )


def permission_warnings(settings: Settings) -> list[str]:
    """`pickvs check`'s warnings: one line per private file or directory others may read.

    Files PickVs creates are private already (see `db.create_private_file`); these lines are
    for a database copied in, a data directory made by hand, or one from an older version.
    """
    url = parse_database_url(settings.resolved_database_url)
    found = (loose_permission(path, mode) for path, mode in private_paths(settings, url))
    return [line for line in found if line]


def require(settings: Settings, *, connect: bool = True) -> URL:
    """`check`, raising `ConfigurationError` with its one line; returns the database URL."""
    problems = check(settings, connect=connect)
    if problems:
        raise ConfigurationError("; ".join(problems))
    return parse_database_url(settings.resolved_database_url)
