"""`pickvs backup PATH` / `pickvs restore PATH` through the real command line, on SQLite and on
a real PostgreSQL: the data comes back, a backup taken during someone else's open write
transaction holds exactly the committed state, and a bad PATH changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs import backup, cli, db, migrations
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.domain.markets import H2H, TOTALS
from pickvs.models import Game, Pick, User
from tests.conftest import PostgresDatabases
from tests.services.builders import AWAY_TEAM, make_game, make_picks, make_user

HEAD = migrations.head_revision()  # what the backed-up databases are migrated to

Snapshot = tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]


@pytest.fixture
def live(
    backend: str,
    tmp_path: Path,
    pg_databases: PostgresDatabases,
    monkeypatch: pytest.MonkeyPatch,
    fast_bcrypt: None,
    signing_key: str,
) -> Iterator[Engine]:
    """A migrated database of its own (a restore replaces everything in it) that the CLI's
    settings point at."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/live/pickvs.db"
    else:
        url = pg_databases.create("pickvs_backup")
    monkeypatch.setattr(settings, "database_url", url)
    monkeypatch.setattr(settings, "data_dir", tmp_path / "live")
    engine = db.configure(url)
    migrations.upgrade(engine)
    yield engine
    db.get_engine().dispose()


@pytest.fixture
def league(live: Engine, clock: FixedClock) -> Snapshot:
    """Two players, two games, three picks, made through the real services."""
    now = clock.now()
    with Session(live, expire_on_commit=False) as session:
        make_game(session, "g1", now + timedelta(hours=6))
        make_game(session, "g2", now + timedelta(days=1))
        alice = make_user(session, "alice", now)
        bob = make_user(session, "bob", now)
        make_picks(session, alice, now, ("g1", H2H, AWAY_TEAM), ("g2", TOTALS, "Over"))
        make_picks(session, bob, now, ("g1", TOTALS, "Under"))
        session.commit()
    return snapshot(live)


def snapshot(engine: Engine) -> Snapshot:
    with Session(engine) as session:
        users = session.execute(
            select(User.id, User.username, User.email, User.password_hash).order_by(User.id)
        ).all()
        games = session.execute(
            select(Game.id, Game.home_team, Game.commence_time).order_by(Game.id)
        ).all()
        picks = session.execute(
            select(
                Pick.id, Pick.user_id, Pick.game_id, Pick.market, Pick.selection, Pick.price
            ).order_by(Pick.id)
        ).all()
    return [tuple(r) for r in users], [tuple(r) for r in games], [tuple(r) for r in picks]


def pickvs(*args: str) -> Result:
    return CliRunner().invoke(cli.main, list(args))


def suffix(backend: str) -> str:
    return "db" if backend == "sqlite" else "dump"


def test_backup_then_restore_brings_the_data_back(
    live: Engine, league: Snapshot, tmp_path: Path, backend: str
) -> None:
    path = tmp_path / f"nightly.{suffix(backend)}"
    made = pickvs("backup", str(path))
    assert made.exit_code == 0, made.stderr
    assert made.stdout.startswith("backed up ") and made.stdout.strip().endswith(
        f"(revision {HEAD})"
    )
    assert path.is_file() and path.stat().st_size > 0
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".partial")] == []

    # Life goes on: a pick withdrawn, a player gone, a game moved, a new player.
    with Session(live) as session:
        session.execute(delete(Pick).where(Pick.game_id == "g2"))
        session.execute(delete(Pick).where(Pick.user_id == league[0][1][0]))
        session.execute(delete(User).where(User.username == "bob"))
        session.execute(update(Game).where(Game.id == "g1").values(home_team="Renamed"))
        session.commit()
    with Session(live) as session:
        make_user(session, "carol", league[1][0][2])
        session.commit()
    assert snapshot(live) != league

    restored = pickvs("restore", str(path))
    assert restored.exit_code == 0, restored.stderr
    assert restored.stdout.startswith("restored ")
    assert snapshot(db.get_engine()) == league
    assert migrations.current_revision(db.get_engine()) == migrations.head_revision()


def test_a_backup_during_an_open_write_transaction_holds_the_committed_state(
    live: Engine, league: Snapshot, tmp_path: Path, backend: str
) -> None:
    path = tmp_path / f"online.{suffix(backend)}"
    writer = live.connect()
    transaction = writer.begin()
    writer.execute(update(User).values(total_units=42.5))
    writer.execute(delete(Pick).where(Pick.game_id == "g1"))
    try:
        made = pickvs("backup", str(path))  # must neither wait for nor include the writer
    finally:
        transaction.commit()
        writer.close()
    assert made.exit_code == 0, made.stderr
    with Session(db.get_engine()) as session:
        assert session.execute(select(Pick).where(Pick.game_id == "g1")).all() == []

    restored = pickvs("restore", str(path))
    assert restored.exit_code == 0, restored.stderr
    assert snapshot(db.get_engine()) == league
    with Session(db.get_engine()) as session:
        assert set(session.execute(select(User.total_units)).scalars()) == {0}


def _not_a_pickvs_backup(tmp_path: Path, backend: str, pg_databases: PostgresDatabases) -> Path:
    """A real backup of the right kind, of a database that is not PickVs's."""
    if backend == "sqlite":
        path = tmp_path / "other.db"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE notes (body TEXT)")
        return path
    other = pg_databases.create("pickvs_other")
    engine = db.make_engine(other)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    engine.dispose()
    path = tmp_path / "other.dump"
    pg_dump = backup.find_pg_tool("pg_dump")
    assert pg_dump is not None
    subprocess.run([pg_dump, "--format=custom", f"--file={path}", f"--dbname={other}"], check=True)
    return path


@pytest.mark.parametrize("case", ["missing", "text file", "not pickvs", "truncated", "directory"])
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    live: Engine,
    league: Snapshot,
    tmp_path: Path,
    backend: str,
    pg_databases: PostgresDatabases,
    case: str,
) -> None:
    if case == "missing":
        path = tmp_path / "nowhere.bak"
        expected = f"pickvs: {path} is not a file"
    elif case == "text file":
        path = tmp_path / "notes.txt"
        path.write_text("these are not the tables you are looking for\n" * 20)
        kind = "SQLite database" if backend == "sqlite" else "pg_dump custom-format archive"
        reason = " (file is not a database)" if backend == "sqlite" else ""
        expected = f"pickvs: {path} is not a {kind}{reason}"
    elif case == "not pickvs":
        path = _not_a_pickvs_backup(tmp_path, backend, pg_databases)
        kind = "database" if backend == "sqlite" else "database dump"
        expected = f"pickvs: {path} is not a PickVs {kind} (no alembic_version table)"
    elif case == "truncated":
        # Cut short: SQLite's integrity check refuses it up front; a pg_dump archive missing
        # its last bytes still lists its contents, so pg_restore starts (dropping and
        # recreating tables), fails at the end of the file, and its single transaction rolls
        # all of that back.
        whole = tmp_path / f"whole.{suffix(backend)}"
        assert pickvs("backup", str(whole)).exit_code == 0
        path = tmp_path / f"truncated.{suffix(backend)}"
        data = whole.read_bytes()
        path.write_bytes(data[: len(data) * 9 // 10] if backend == "sqlite" else data[:-64])
        expected = (
            f"pickvs: {path} is not a SQLite database (database disk image is malformed)"
            if backend == "sqlite"
            else "pickvs: pg_restore (one transaction: the database is unchanged) failed: "
            "pg_restore: error: could not read from input file: end of file"
        )
    else:
        path = tmp_path
        expected = f"pickvs: {path} is not a file"
    before = snapshot(live)

    result = pickvs("restore", str(path))

    assert result.exit_code == 1, result.stdout
    assert result.stderr.splitlines() == [expected]
    assert snapshot(db.get_engine()) == before == league


def test_backup_refuses_a_bad_destination_and_writes_nothing(
    live: Engine, league: Snapshot, tmp_path: Path, backend: str
) -> None:
    missing_dir = tmp_path / "no" / "such" / "dir" / "x.bak"
    result = pickvs("backup", str(missing_dir))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"pickvs: directory {missing_dir.parent} does not exist"
    assert not (tmp_path / "no").exists()

    result = pickvs("backup", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"pickvs: {tmp_path} is a directory; name the backup file"

    existing = tmp_path / "keep.bak"
    existing.write_text("yesterday's backup\n")
    result = pickvs("backup", str(existing))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"pickvs: {existing} already exists; choose a new path or pass --overwrite"
    )
    assert existing.read_text() == "yesterday's backup\n"

    result = pickvs("backup", "--overwrite", str(existing))
    assert result.exit_code == 0, result.stderr
    assert existing.read_bytes() != b"yesterday's backup\n"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_backup_is_one_self_contained_file(
    live: Engine, league: Snapshot, tmp_path: Path
) -> None:
    path = tmp_path / "copy.db"
    assert pickvs("backup", str(path)).exit_code == 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert connection.execute('SELECT count(*) FROM "pick"').fetchone() == (3,)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("command", ["backup", "restore"])
def test_without_the_postgresql_tools_it_says_what_to_run(
    live: Engine,
    league: Snapshot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(backup, "PG_BIN_GLOB", str(tmp_path / "no-postgresql" / "*" / "bin"))
    path = tmp_path / "x.dump"
    if command == "restore":
        path.write_bytes(b"PGDMP")
    result = pickvs(command, str(path))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    tool = "pg_dump" if command == "backup" else "pg_restore"
    assert line.startswith(f"pickvs: {tool} was not found (install the PostgreSQL client tools")
    assert f"or run yourself: {tool} " in line and str(path) in line
    assert not (tmp_path / "x.dump").exists() or command == "restore"
    assert snapshot(db.get_engine()) == league


def test_find_pg_tool_picks_the_newest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two fake installations under the glob, one older on PATH: the newest version wins."""
    for version in ("13", "16"):
        bin_dir = tmp_path / "pg" / version / "bin"
        bin_dir.mkdir(parents=True)
        tool = bin_dir / "pg_dump"
        tool.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}.2'\n")
        tool.chmod(0o755)
    on_path = tmp_path / "path"
    on_path.mkdir()
    (on_path / "pg_dump").symlink_to(tmp_path / "pg" / "13" / "bin" / "pg_dump")
    monkeypatch.setenv("PATH", str(on_path))
    monkeypatch.setattr(backup, "PG_BIN_GLOB", str(tmp_path / "pg" / "*" / "bin"))
    assert backup.find_pg_tool("pg_dump") == str(tmp_path / "pg" / "16" / "bin" / "pg_dump")


def test_a_backup_while_the_app_keeps_writing_is_a_consistent_snapshot(
    live: Engine, league: Snapshot, tmp_path: Path, backend: str
) -> None:
    """A writer commits, again and again, one transaction that moves both players' units to
    the same new value in two statements. Any consistent copy has them equal."""
    stop = threading.Event()
    commits: list[int] = []

    def write_until_stopped() -> None:
        value = 0
        with live.connect() as connection:
            while not stop.is_set():
                value += 1
                with connection.begin():
                    for name in ("alice", "bob"):
                        connection.execute(
                            update(User).where(User.username == name).values(total_units=value)
                        )
                        time.sleep(0.002)  # widen the window between the two statements
                commits.append(value)

    writer = threading.Thread(target=write_until_stopped)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(commits) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = len(commits)
        made = pickvs("backup", str(tmp_path / f"busy.{suffix(backend)}"))
        after = len(commits)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert made.exit_code == 0, made.stderr
    assert before >= 5 and after > before  # the app really was writing throughout

    restored = pickvs("restore", str(tmp_path / f"busy.{suffix(backend)}"))
    assert restored.exit_code == 0, restored.stderr
    with Session(db.get_engine()) as session:
        units = dict(session.execute(select(User.username, User.total_units)).all())
    assert units["alice"] == units["bob"] >= before
