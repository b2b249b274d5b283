"""`pickvs backup PATH` / `pickvs restore PATH`: copy the whole database out and back in.

This sits beside `db.py` and `migrations.py`, not in `services/`: it works on a database URL
and files, below any session or rule. A backup is the whole database (every table, the
Alembic revision included), so it is made by the database's own tools rather than by reading
rows through the models:

- SQLite: sqlite3's online backup API, in one step. It copies a consistent snapshot while the
  app keeps writing (WAL mode: a reader sees the last committed state, an open write
  transaction elsewhere is simply not in the copy). The copy is written to a temporary file
  beside PATH and renamed into place, so PATH is never a half-written file. Restore checks
  that PATH is a PickVs database (an `alembic_version` row this code knows) before copying it
  into the live database with the same API, as one write transaction: a failure leaves the
  live database as it was.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists
  --single-transaction`, the newest found on PATH or under /usr/lib/postgresql/*/bin. Without
  them the command says what to run instead. The password reaches them through PGPASSWORD,
  never the command line (`ps` would show it).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import URL

from pickvs import migrations
from pickvs.preflight import read_only_uri, sqlite_path

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_TIMEOUT_SECONDS = 3600
_PG_TABLE_LINE = re.compile(r"\bTABLE (?:DATA )?\S+ alembic_version\b")


class BackupError(Exception):
    """A backup or restore that could not be done; `str()` is one line. Nothing was changed."""


@dataclass(frozen=True)
class BackupReport:
    """What was written or read; `revision` is known for SQLite (read from the file itself)."""

    path: Path
    revision: str | None


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise BackupError("DATABASE_URL names an in-memory SQLite database: nothing to back up")
    return path


@contextlib.contextmanager
def _sqlite(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = read_only_uri(path) if read_only else str(path)
    connection = sqlite3.connect(target, uri=read_only, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def sqlite_revision(path: Path) -> str:
    """The Alembic revision of the SQLite file at `path`, or `BackupError` if it is not a
    PickVs database this code can restore."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    try:
        with _sqlite(path, read_only=True) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise BackupError(f"{path} is not a PickVs database (no alembic_version table)")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            check = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc})") from None
    if check is None or check[0] != "ok":
        raise BackupError(f"{path} is damaged (integrity check: {check and check[0]})")
    if row is None:
        raise BackupError(f"{path} is not a PickVs database (no schema revision recorded)")
    return _known_revision(str(row[0]), path)


def _known_revision(revision: str, path: Path) -> str:
    try:
        known = ScriptDirectory.from_config(migrations.alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"{path} has schema revision {revision}, which this PickVs does not know "
            "(made by a newer version?)"
        )
    return revision


def _new_file_beside(path: Path) -> Path:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    return Path(name)


def _check_destination(path: Path, overwrite: bool) -> None:
    if path.is_dir():
        raise BackupError(f"{path} is a directory; name the backup file")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose a new path or pass --overwrite")
    if not path.parent.is_dir():
        raise BackupError(f"directory {path.parent} does not exist")


def backup_sqlite(url: URL, destination: Path, *, overwrite: bool = False) -> BackupReport:
    """A consistent online copy of the live SQLite file, renamed into place when complete."""
    source = _sqlite_file(url)
    if not source.is_file():
        raise BackupError(f"no database at {source}; nothing to back up")
    _check_destination(destination, overwrite)
    partial = _new_file_beside(destination)
    try:
        with _sqlite(source, read_only=True) as live, _sqlite(partial) as copy:
            live.backup(copy)  # pages=-1: one step, one snapshot
            # A single self-contained file: no -wal/-shm companions beside the backup.
            copy.execute("PRAGMA journal_mode=DELETE")
        revision = sqlite_revision(partial)
        partial.replace(destination)
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {source} failed ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(destination, revision)


def restore_sqlite(url: URL, backup: Path) -> BackupReport:
    """Replace the live SQLite database's contents with `backup`, in one write transaction."""
    revision = sqlite_revision(backup)
    target = _sqlite_file(url)
    if not target.parent.is_dir():
        raise BackupError(f"directory {target.parent} does not exist")
    try:
        with _sqlite(backup, read_only=True) as source, _sqlite(target) as live:
            source.backup(live)
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {target} failed, nothing changed ({exc})") from None
    return BackupReport(backup, revision)


# --- PostgreSQL --------------------------------------------------------------------------------


def _version(binary: str) -> tuple[int, ...]:
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in match.groups() if part) if match else ()


def find_pg_tool(name: str) -> str | None:
    """The newest `name` (pg_dump, pg_restore) on PATH or under /usr/lib/postgresql/*/bin.

    pg_dump refuses a server newer than itself, so the newest client is the one to use.
    """
    candidates = {str(Path(p).resolve()) for p in glob.glob(f"{PG_BIN_GLOB}/{name}")}
    on_path = shutil.which(name)
    if on_path:
        candidates.add(on_path)
    versions = {candidate: _version(candidate) for candidate in candidates}
    usable = [c for c, v in versions.items() if v]
    return max(usable, key=lambda c: versions[c]) if usable else None


def _require_tool(name: str, instead: str) -> str:
    tool = find_pg_tool(name)
    if tool is None:
        raise BackupError(
            f"{name} was not found (install the PostgreSQL client tools, e.g. "
            f"apt-get install postgresql-client); or run yourself: {instead}"
        )
    return tool


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it."""
    plain = url.set(drivername="postgresql", password=None)
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _run_pg(args: list[str], env: dict[str, str], url: URL, what: str) -> str:
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, env=env, timeout=PG_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} did not finish within {PG_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        if url.password:
            reason = reason.replace(str(url.password), "***")
        raise BackupError(f"{what} failed: {reason}"[:500])
    return done.stdout


def backup_postgres(url: URL, destination: Path, *, overwrite: bool = False) -> BackupReport:
    """`pg_dump --format=custom` into a temporary file, renamed to `destination` when done."""
    pg_dump = _require_tool(
        "pg_dump", f'pg_dump --format=custom --file={destination} "$DATABASE_URL"'
    )
    _check_destination(destination, overwrite)
    uri, env = _libpq(url)
    partial = _new_file_beside(destination)
    try:
        _run_pg(
            [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={uri}"],
            env,
            url,
            "pg_dump",
        )
        check_pg_archive(partial)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(destination, None)


def check_pg_archive(path: Path) -> None:
    """Refuse `path` unless it is a custom-format dump of a PickVs database (it has the
    alembic_version table; the revision itself is table data, which only a restore reads)."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    pg_restore = _require_tool("pg_restore", f"pg_restore --list {path}")
    done = subprocess.run(
        [pg_restore, "--list", str(path)], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise BackupError(f"{path} is not a pg_dump custom-format archive")
    if not _PG_TABLE_LINE.search(done.stdout):
        raise BackupError(f"{path} is not a PickVs database dump (no alembic_version table)")


def restore_postgres(url: URL, backup: Path) -> BackupReport:
    """`pg_restore --clean --if-exists --single-transaction`: all of it or none of it."""
    pg_restore = _require_tool(
        "pg_restore",
        f'pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" {backup}',
    )
    check_pg_archive(backup)
    uri, env = _libpq(url)
    _run_pg(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={uri}",
            str(backup),
        ],
        env,
        url,
        "pg_restore (one transaction: the database is unchanged)",
    )
    return BackupReport(backup, None)


# --- either backend ----------------------------------------------------------------------------


def backup(url: URL, destination: Path, *, overwrite: bool = False) -> BackupReport:
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(url, destination, overwrite=overwrite)
    return backup_postgres(url, destination, overwrite=overwrite)


def restore(url: URL, source: Path) -> BackupReport:
    if url.get_backend_name() == "sqlite":
        return restore_sqlite(url, source)
    return restore_postgres(url, source)
