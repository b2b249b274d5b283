"""File modes: the SQLite database, its -wal/-shm files and the data directory are private
(0600 / 0700) whatever the umask, and `pickvs check` names every looser one with its fix.

Real files under tmp_path, real SQLite writes, real `pickvs` processes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from pickvs import db, migrations
from pickvs.services import auth

NOW = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize("process_umask", [0o022, 0o002, 0o000], ids=["022", "002", "000"])
def test_a_new_database_and_its_wal_and_shm_are_private(
    tmp_path: Path, process_umask: int, fast_bcrypt: None
) -> None:
    data = tmp_path / "srv" / "data"
    database = data / "pickvs.db"
    with umask(process_umask):
        engine = db.make_engine(f"sqlite:///{database}")
        try:
            migrations.upgrade(engine)
            with engine.connect() as held:  # keeps the WAL and shared-memory files in place
                held.execute(text("SELECT count(*) FROM user")).scalar_one()
                with Session(engine) as session:  # a player signs up: a real write
                    auth.register(session, "a@example.com", "ann", "correct horse", NOW)
                    session.commit()
                wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
                assert wal.exists() and wal.stat().st_size > 0  # the write went to the WAL
                assert shm.exists()
                assert {p.name: oct(mode(p)) for p in (database, wal, shm)} == {
                    "pickvs.db": "0o600",
                    "pickvs.db-wal": "0o600",
                    "pickvs.db-shm": "0o600",
                }
        finally:
            engine.dispose()
    assert oct(mode(data)) == "0o700"
    assert oct(mode(data.parent)) == oct(0o777 & ~process_umask)  # a parent, as mkdir -p makes it


def test_an_existing_database_keeps_the_operators_mode(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    os.chmod(database, 0o640)  # e.g. a backup group the operator chose to let read it
    engine = db.make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        engine.dispose()
    assert oct(mode(database)) == "0o640"


def test_the_generated_key_creates_a_private_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "keydata"
    monkeypatch.setattr(auth.settings, "secret_key", None)
    monkeypatch.setattr(auth.settings, "data_dir", data)
    auth._file_secret.cache_clear()
    try:
        with umask(0o022):
            assert len(auth.secret_key()) >= 32
    finally:
        auth._file_secret.cache_clear()
    assert (oct(mode(data)), oct(mode(data / "secret_key"))) == ("0o700", "0o600")


# --- `pickvs check` ---------------------------------------------------------------------------


def pickvs_env(tmp_path: Path) -> dict[str, str]:
    """The environment without the operator's settings; the default SQLite file in data/."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PICKVS_", "DATABASE_URL"))}
    env.pop("ODDS_API_KEY", None)
    env["PICKVS_DATA_DIR"] = str(tmp_path / "data")
    return env


def pickvs(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`pickvs ARGS` as an operator runs it, with the usual umask 022, in a scratch directory."""
    return subprocess.run(
        [sys.executable, "-m", "pickvs.cli", *args],
        cwd=tmp_path,
        env=pickvs_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )


def test_db_upgrade_creates_private_files_and_check_is_quiet(tmp_path: Path) -> None:
    assert pickvs(tmp_path, "db", "upgrade").returncode == 0
    data = tmp_path / "data"
    assert oct(mode(data)) == "0o700"
    assert oct(mode(data / "pickvs.db")) == "0o600"

    result = pickvs(tmp_path, "check")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_check_names_each_loose_file_with_its_fix(tmp_path: Path) -> None:
    """A data directory from before this fix: everything 0644/0755, the app running (so the
    -wal and -shm files exist, made by SQLite with the database's mode)."""
    assert pickvs(tmp_path, "db", "upgrade").returncode == 0
    data = tmp_path / "data"
    database = data / "pickvs.db"
    os.chmod(data, 0o755)
    os.chmod(database, 0o644)
    (data / "secret_key").write_text("k" * 48)
    os.chmod(data / "secret_key", 0o600)  # private: not mentioned
    running = sqlite3.connect(database)  # the app, mid-write
    try:
        running.execute("PRAGMA journal_mode=WAL")
        running.execute("CREATE TABLE scratch (x INTEGER)")
        running.commit()
        assert oct(mode(Path(f"{database}-wal"))) == "0o644"  # SQLite copied the db's mode

        result = pickvs(tmp_path, "check")
    finally:
        running.close()

    assert result.returncode == 0, result.stderr  # warnings, not errors
    assert "configuration ok" in result.stdout
    assert result.stderr.splitlines() == [
        f"pickvs: warning: directory {data} is open to group/others (mode 0755); "
        f"fix: chmod 700 {data}",
        f"pickvs: warning: file {database} is open to group/others (mode 0644); "
        f"fix: chmod 600 {database}",
        f"pickvs: warning: file {database}-wal is open to group/others (mode 0644); "
        f"fix: chmod 600 {database}-wal",
        f"pickvs: warning: file {database}-shm is open to group/others (mode 0644); "
        f"fix: chmod 600 {database}-shm",
    ]
    # A check changes nothing, modes included.
    assert (oct(mode(data)), oct(mode(database))) == ("0o755", "0o644")


def test_check_quotes_a_path_with_spaces_in_its_fix(tmp_path: Path) -> None:
    data = tmp_path / "my data"
    data.mkdir(mode=0o750)
    os.chmod(data, 0o750)

    result = subprocess.run(
        [sys.executable, "-m", "pickvs.cli", "check"],
        cwd=tmp_path,
        env={**pickvs_env(tmp_path), "PICKVS_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"pickvs: warning: directory {data} is open to group/others (mode 0750); "
        f"fix: chmod 700 '{data}'"
    ]
