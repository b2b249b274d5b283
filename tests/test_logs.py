"""Logs: stdout, one line per event; JSON lines with PICKVS_LOG_FORMAT=json, a traceback kept
inside its record's line; the CLI and the app (scheduler, jobs, API) all log this way."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pickvs.config import settings
from pickvs.logs import (
    JsonFormatter,
    StdoutHandler,
    TextFormatter,
    configure_from_settings,
    configure_logging,
)


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


def _log_an_exception(logger: logging.Logger) -> None:
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        logger.exception("grading failed for %s", "g1", extra={"job": "grade", "run_id": 7})


def test_json_lines_parse_and_keep_the_traceback_inside_one_line(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("json")
    log = logging.getLogger("pickvs.jobs")
    log.info("job %s ok", "fetch-odds", extra={"credits": 3})
    _log_an_exception(log)
    logging.getLogger("pickvs.scheduler").debug("below the level: not written")

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"ts", "level", "logger", "message", "credits"}
    assert (first["level"], first["logger"], first["message"], first["credits"]) == (
        "INFO",
        "pickvs.jobs",
        "job fetch-odds ok",
        3,
    )
    assert first["ts"].endswith("+00:00")
    assert (second["level"], second["message"], second["job"], second["run_id"]) == (
        "ERROR",
        "grading failed for g1",
        "grade",
        7,
    )
    assert second["exc"].startswith("Traceback (most recent call last):")
    assert second["exc"].rstrip().endswith("ZeroDivisionError: division by zero")
    assert "\n" in second["exc"]  # the traceback's lines survive, escaped inside the JSON


def test_json_encodes_what_json_cannot(restore_root_logger: None, capsys) -> None:  # type: ignore[no-untyped-def]
    configure_logging("json")
    logging.getLogger("pickvs.api").warning("odd extra", extra={"path": Path("/tmp/x")})
    assert json.loads(capsys.readouterr().out)["path"] == "/tmp/x"


def test_text_mode_is_one_line_per_record(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("text")
    log = logging.getLogger("pickvs.jobs")
    log.warning("two\nlines")
    _log_an_exception(log)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(" WARNING pickvs.jobs two\\nlines")
    assert (
        " ERROR pickvs.jobs grading failed for g1\\nTraceback (most recent call last):" in lines[1]
    )
    assert lines[1].endswith("ZeroDivisionError: division by zero")


def test_configuring_again_replaces_only_our_handler(restore_root_logger: None) -> None:
    root = logging.getLogger()
    others = [h for h in root.handlers if not isinstance(h, StdoutHandler)]
    configure_logging("json")
    configure_logging("text", logging.WARNING)
    ours = [h for h in root.handlers if isinstance(h, StdoutHandler)]
    assert len(ours) == 1 and root.level == logging.WARNING
    assert [h for h in root.handlers if not isinstance(h, StdoutHandler)] == others


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log format 'xml'"):
        configure_logging("xml")


# --- real processes --------------------------------------------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PICKVS_", "DATABASE_URL"))}
    base.pop("ODDS_API_KEY", None)
    return {
        **base,
        "DATABASE_URL": f"sqlite:///{tmp_path}/data/pickvs.db",
        "PICKVS_DATA_DIR": str(tmp_path / "data"),
        "PICKVS_SECRET_KEY": "s" * 40,
        **extra,
    }


def _json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


@pytest.mark.slow
def test_the_cli_logs_json_lines_to_stdout(tmp_path: Path) -> None:
    env = _env(tmp_path, PICKVS_LOG_FORMAT="json")
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "pickvs.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run("db", "upgrade").returncode == 0
    done = run("-v", "grade")
    assert done.returncode == 0, done.stderr
    records = _json_lines(done.stdout)
    jobs = [r for r in records if r["logger"] == "pickvs.jobs"]
    assert jobs and str(jobs[-1]["message"]).startswith("job grade ok")
    assert done.stdout.splitlines()[-1].startswith("grade ok")  # the command's own answer


APP_RUN = textwrap.dedent(
    """
    import asyncio

    from starlette.testclient import TestClient

    import pickvs.pickvs as app_module
    from pickvs import db
    from pickvs.api import app as api_app


    async def serve_briefly() -> None:
        async with app_module.scheduler_lifespan():
            pass


    asyncio.run(serve_briefly())
    # The API's logger: a health probe against a database that does not answer.
    db.configure("postgresql://nobody@127.0.0.1:9/nothing")
    assert TestClient(api_app).get("/health").status_code == 503
    """
)


@pytest.mark.slow
def test_the_app_logs_scheduler_jobs_and_api_as_json_lines(tmp_path: Path) -> None:
    """Import the Reflex app module as a backend worker does, run its lifespan (start-up check,
    migrations, scheduler with its start-up catch-up of the demo jobs), then hit the API."""
    done = subprocess.run(
        [sys.executable, "-c", APP_RUN],
        cwd=tmp_path,
        env=_env(tmp_path, PICKVS_LOG_FORMAT="json", PICKVS_SCHEDULER="true"),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    records = _json_lines(done.stdout)
    loggers = {str(r["logger"]) for r in records}
    assert {"pickvs.scheduler", "pickvs.jobs", "pickvs.api"} <= loggers, done.stdout[-2000:]
    health = [r for r in records if r["logger"] == "pickvs.api"]
    assert any("exc" in r for r in health)
    assert all(line.startswith("{") for line in done.stdout.splitlines()), done.stdout[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        # Caught at import: building the app already reads the settings.
        (
            {"PICKVS_TIMEZONE": "Atlantis/Capital"},
            "PICKVS_TIMEZONE: unknown time zone 'Atlantis/Capital'",
        ),
        # Caught by the lifespan's check, before it migrates.
        (
            {"DATABASE_URL": "postgresql://pickvs:hunter2@127.0.0.1:9/pickvs"},
            "DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:9/pickvs (",
        ),
    ],
    ids=["at-import", "in-lifespan"],
)
def test_the_app_stops_with_one_line_on_a_bad_configuration(
    tmp_path: Path, setting: dict[str, str], expected: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", APP_RUN],
        cwd=tmp_path,
        env=_env(tmp_path, **setting),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if "pickvs.app" in line]
    assert len(lines) == 1, done.stdout
    assert f"CRITICAL pickvs.app start-up check failed: {expected}" in lines[0]
    assert "hunter2" not in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "data").exists()


# --- time zone and quiet libraries -----------------------------------------------------------

NOON_UTC = datetime(2026, 11, 22, 12, 0, tzinfo=UTC).timestamp()


def _record(name: str = "pickvs.jobs", level: int = logging.INFO) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, "job %s ok", ("grade",), None)
    record.created = NOON_UTC
    return record


def test_timestamps_are_in_the_league_zone_with_the_offset() -> None:
    new_york, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")

    assert TextFormatter(new_york).format(_record()) == (
        "2026-11-22T07:00:00.000-05:00 INFO pickvs.jobs job grade ok"
    )
    assert json.loads(JsonFormatter(tokyo).format(_record()))["ts"] == (
        "2026-11-22T21:00:00.000+09:00"
    )
    assert TextFormatter().format(_record()).startswith("2026-11-22T12:00:00.000+00:00 INFO")


def test_configure_from_settings_stamps_in_the_league_zone(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "timezone", "Asia/Kolkata")
    monkeypatch.setattr(settings, "log_format", "text")
    configure_from_settings()
    logging.getLogger("pickvs.app").info("hello")
    stamp = capsys.readouterr().out.split(" ", 1)[0]
    assert stamp.endswith("+05:30"), stamp


def test_routine_library_lines_are_left_out_unless_debugging(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("text")
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("apscheduler.scheduler").info('Added job "fetch-odds"')
    logging.getLogger("httpx").info("HTTP Request: GET http://demo.pickvs.invalid/v4/x")
    logging.getLogger("apscheduler.executors.default").error("Job raised an exception")
    logging.getLogger("pickvs.scheduler").info("scheduler started")
    logging.getLogger("alembicx").info("not the alembic package")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == [
        "ERROR apscheduler.executors.default Job raised an exception",
        "INFO pickvs.scheduler scheduler started",
        "INFO alembicx not the alembic package",
    ]

    configure_logging("text", logging.DEBUG)
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    assert "INFO alembic.runtime.migration Context impl SQLiteImpl." in capsys.readouterr().out


def test_a_test_capture_still_sees_the_library_lines(
    restore_root_logger: None, caplog: pytest.LogCaptureFixture
) -> None:
    """The quiet libraries are filtered at PickVs's handler, not silenced at their loggers."""
    configure_logging("text")
    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").info("HTTP Request: GET http://x/?apiKey=***")
    assert "apiKey=***" in caplog.text
