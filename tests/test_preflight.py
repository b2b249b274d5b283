"""Start-up validation: every bad setting stops `pickvs db upgrade` / `pickvs check` with exit 1
and one stderr line naming the setting, and writes nothing; a good configuration passes.

Real processes: the settings are read at import, exactly as when start.sh runs the command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pickvs import migrations
from tests.conftest import ADMIN_URL

SECRET = "hunter2-not-for-logs"


def run_pickvs(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`pickvs ARGS` in a scratch working directory (no .env, no data/ of the checkout)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PICKVS_", "DATABASE_URL"))}
    base.pop("ODDS_API_KEY", None)
    full = {
        **base,
        "DATABASE_URL": f"sqlite:///{tmp_path}/data/pickvs.db",
        "PICKVS_DATA_DIR": str(tmp_path / "data"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "pickvs.cli", *args],
        cwd=tmp_path,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def unreachable_pg() -> str:
    """A real PostgreSQL URL whose port nothing listens on (the password must never show)."""
    return f"postgresql://pickvs:{SECRET}@127.0.0.1:9/pickvs"


BAD = [
    ("malformed-url", {"DATABASE_URL": "nonsense"}, "DATABASE_URL: not a database URL"),
    ("mysql-url", {"DATABASE_URL": f"mysql://u:{SECRET}@db/x"}, "DATABASE_URL: 'mysql'"),
    (
        "unreachable-pg",
        {"DATABASE_URL": unreachable_pg()},
        "DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:9/pickvs",
    ),
    ("timezone", {"PICKVS_TIMEZONE": "Mars/Olympus"}, "PICKVS_TIMEZONE: unknown time zone"),
    ("odds-cron", {"PICKVS_ODDS_CRON": "61 5 * * *"}, "PICKVS_ODDS_CRON: not a crontab line"),
    ("results-cron", {"PICKVS_RESULTS_CRON": "0 9 * *"}, "PICKVS_RESULTS_CRON: not a crontab"),
    ("sport", {"PICKVS_SPORTS": "basketbal_nba"}, "PICKVS_SPORTS: unknown sport(s)"),
    ("market", {"PICKVS_MARKETS": "h2h,player_points"}, "PICKVS_MARKETS: unknown market(s)"),
    ("log-format", {"PICKVS_LOG_FORMAT": "xml"}, "PICKVS_LOG_FORMAT: Input should be"),
    ("public-board", {"PICKVS_PUBLIC_BOARD": "maybe"}, "PICKVS_PUBLIC_BOARD: Input should be"),
    (
        "min-ranked-picks",
        {"PICKVS_MIN_RANKED_PICKS": "-1"},
        "PICKVS_MIN_RANKED_PICKS: Input should be greater than or equal to 0",
    ),
    # A value pydantic refuses is not echoed (it could be a secret pasted in the wrong place).
    ("lock-minutes", {"PICKVS_LOCK_MINUTES": SECRET}, "PICKVS_LOCK_MINUTES: Input should be"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("env", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_setting_stops_with_one_line_and_writes_nothing(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    # `db upgrade` is what start.sh and the container run first: it would create the file.
    done = run_pickvs(tmp_path, "db", "upgrade", env=env)
    lines = done.stderr.splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"pickvs: {expected}"), lines[0]
    assert SECRET not in done.stderr + done.stdout
    assert files_under(tmp_path) == []  # no data/, no database file


@pytest.mark.slow
def test_a_data_dir_that_cannot_be_written(tmp_path: Path) -> None:
    # Tests run as root, where permission bits do not stop a write: a directory "inside" a
    # regular file can honestly not be created by anyone.
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory\n")
    done = run_pickvs(
        tmp_path,
        "db",
        "upgrade",
        env={"PICKVS_DATA_DIR": str(blocker / "sub"), "DATABASE_URL": ""},
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"pickvs: PICKVS_DATA_DIR: cannot write to {blocker / 'sub'} (Not a directory)"
    ]
    assert files_under(tmp_path) == ["file.txt"]


@pytest.mark.slow
def test_a_sqlite_url_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some text, long enough to have a header " * 4)
    done = run_pickvs(
        tmp_path, "db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/notes.txt"}
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"pickvs: DATABASE_URL: SQLite file {tmp_path}/notes.txt cannot be opened "
        "(file is not a database)"
    ]


@pytest.mark.slow
def test_check_reports_the_same_line(tmp_path: Path) -> None:
    done = run_pickvs(tmp_path, "check", env={"DATABASE_URL": unreachable_pg()})
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("pickvs: DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:9/pickvs (")
    assert "Connection refused" in line and SECRET not in line
    assert files_under(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_good_configuration_passes(tmp_path: Path, backend: str) -> None:
    env = {} if backend == "sqlite" else {"DATABASE_URL": ADMIN_URL, "PICKVS_SECRET_KEY": "k" * 40}
    done = run_pickvs(tmp_path, "check", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("configuration ok: ")
    assert done.stderr == ""
    assert files_under(tmp_path) == []  # `check` changes nothing


@pytest.mark.slow
def test_db_upgrade_on_a_good_configuration_migrates(tmp_path: Path) -> None:
    done = run_pickvs(tmp_path, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"database at revision {migrations.head_revision()}"
    assert (tmp_path / "data" / "pickvs.db").is_file()


def test_help_still_works_with_a_bad_setting(tmp_path: Path) -> None:
    done = run_pickvs(tmp_path, "check", "--help", env={"PICKVS_TIMEZONE": "Nowhere/Land"})
    assert done.returncode == 0, done.stderr
    assert "Check the configuration" in done.stdout


def test_a_closed_pipe_ends_a_listing_quietly(tmp_path: Path) -> None:
    """`pickvs games | head -1`: once the reader has gone, the command stops with exit 0 and
    says nothing (no `BrokenPipeError` line in the operator's terminal or cron mail)."""
    assert run_pickvs(tmp_path, "db", "upgrade").returncode == 0
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PICKVS_", "DATABASE_URL"))}
    base.pop("ODDS_API_KEY", None)
    env = {
        **base,
        "DATABASE_URL": f"sqlite:///{tmp_path}/data/pickvs.db",
        "PICKVS_DATA_DIR": str(tmp_path / "data"),
    }
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes a line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pickvs.cli", "games"],
            cwd=tmp_path,
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, "")
