"""Where log records go: stdout, one line per event; JSON lines when PICKVS_LOG_FORMAT=json.

One place configures logging for the command line (`pickvs.cli.main`) and for the app
(`pickvs.pickvs` at import, so every Reflex backend worker does it too). Container platforms
and systemd collect stdout, and a log shipper splits on newlines: a traceback spread over
twenty lines would become twenty events, so an exception is folded into its record's line
(the `exc` key in JSON, an escaped `\\n` in text).

Every timestamp is written in the league's time zone with its UTC offset (`2026-11-22T07:00:00.000
-05:00`), the zone the job times and the pages use, so no line needs converting to be compared
with another. Third-party libraries' routine INFO lines (Alembic's "Context impl SQLiteImpl" on
every start, APScheduler's "Added job", httpx's every request URL) are left out unless the level
is DEBUG: PickVs logs what they did in its own words. `python -m pickvs.logs filter-reflex`
filters Reflex's console output the same way for scripts/start.sh.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Libraries whose INFO lines repeat on every start or every request and tell a reader nothing
# PickVs's own lines do not (their warnings and errors always get through).
QUIET_LIBRARIES = ("alembic", "apscheduler", "httpx")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is kept.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys()
) | {"message", "asctime", "taskName"}


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler bound to whatever `sys.stdout` is when a record is emitted.

    Binding the stream at configuration time would keep writing to a replaced (and maybe
    closed) stdout: a test runner's capture, or Reflex's own redirection.
    """

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """StreamHandler assigns a stream in __init__; the property always answers sys.stdout."""


class QuietLibraries(logging.Filter):
    """Drop the INFO (and DEBUG) records of `QUIET_LIBRARIES` unless debugging.

    A filter on PickVs's handler, not a level on those loggers: a test's log capture, or an
    operator's own handler, still sees every record.
    """

    def __init__(self, keep_all: bool = False) -> None:
        super().__init__()
        self.keep_all = keep_all

    def filter(self, record: logging.LogRecord) -> bool:
        if self.keep_all or record.levelno >= logging.WARNING:
            return True
        return record.name.partition(".")[0] not in QUIET_LIBRARIES


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


def timestamp(created: float, tz: tzinfo) -> str:
    """`2026-11-22T07:00:00.000-05:00`: the moment in `tz`, labelled with its offset."""
    return datetime.fromtimestamp(created, tz).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`2026-11-22T07:00:00.000-05:00 INFO pickvs.jobs message`, a traceback escaped onto the
    line; times in `tz` (the league's time zone), with the offset."""

    def __init__(self, tz: tzinfo = UTC) -> None:
        super().__init__(TEXT_FORMAT)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return timestamp(record.created, self.tz)

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", ...extra, "exc"}`, one JSON object per line; `ts`
    in `tz` with its offset."""

    def __init__(self, tz: tzinfo = UTC) -> None:
        super().__init__()
        self.tz = tz

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": timestamp(record.created, self.tz),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an `extra` value JSON cannot encode (a datetime, a Path) is still logged.
        return json.dumps(entry, default=str, ensure_ascii=False)


def formatter_for(log_format: str, tz: tzinfo = UTC) -> logging.Formatter:
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format {log_format!r}; choose from {list(LOG_FORMATS)}")
    return JsonFormatter(tz) if log_format == "json" else TextFormatter(tz)


def configure_logging(
    log_format: str = "text", level: int = logging.INFO, tz: tzinfo = UTC
) -> logging.Handler:
    """Send every record that reaches the root logger to stdout in `log_format`, stamped in
    `tz`, without the quiet libraries' routine lines (kept at DEBUG).

    Idempotent: calling it again replaces the handler it installed before (the CLI runs it once
    per invocation, tests many times) and leaves other handlers alone (pytest's capture,
    uvicorn's own loggers, which do not propagate to the root).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StdoutHandler)]:
        root.removeHandler(handler)
    handler = StdoutHandler()
    handler.setFormatter(formatter_for(log_format, tz))
    handler.addFilter(QuietLibraries(keep_all=level <= logging.DEBUG))
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def configure_from_settings(level: int = logging.INFO) -> logging.Handler:
    """`configure_logging` with PICKVS_LOG_FORMAT, in the league's time zone; text in UTC while
    the settings are unusable, so the start-up check can still log why."""
    from pickvs.config import settings, settings_error

    if settings_error:
        return configure_logging("text", level)
    return configure_logging(settings.log_format, level, settings.tz)


# --- Reflex's console output (scripts/start.sh) ------------------------------------------------

# Lines `reflex run` and `reflex export` print on every start that are wrong or useless for a
# PickVs operator: the scripts run `reflex init`'s steps themselves ("Run `uv run reflex run` to
# start the app"), bun runs the build, so Node's version does not matter (the warning is about
# the node found on PATH, which npm needed once), the compile counter reads "25/24", the
# "App running at: http://0.0.0.0:3000/" address is not one a browser opens (PickVs logs the
# real one when it is ready), and the banners and progress bars frame nothing.
REFLEX_NOISE = re.compile(
    r"""^(?:
        ─{3,}.*─{3,}                                      # a rule: "─── Starting Reflex App ───"
      | Info:\ Initializing\ the\ web\ directory\.
      | Success:\ Initialized\ .*
      | .*`uv\ run\ reflex\ run`.*
      | Compiling:.*
      | Creating\ Production\ Build:.*
      | Warning:\ Your\ version\ \(.*\)\ of\ Node\.js\ is\ out\ of\ date.*
      | App\ running\ at:.*
    )\s*$""",
    re.VERBOSE,
)
# The Node warning wraps at 80 columns when Reflex's console is not a terminal.
_NODE_WARNING_TAIL = re.compile(r"^\s*higher\.\s*$")


def quiet_reflex_lines(lines: Iterable[str]) -> Iterable[str]:
    """`lines` (each with its newline) without Reflex's noise; everything else unchanged."""
    after_node_warning = False
    for line in lines:
        if after_node_warning and _NODE_WARNING_TAIL.match(line):
            after_node_warning = False
            continue
        after_node_warning = False
        if REFLEX_NOISE.match(line):
            after_node_warning = "Node.js is out of date" in line and "higher." not in line
            continue
        yield line


def filter_reflex(source: TextIO = sys.stdin, sink: TextIO = sys.stdout) -> int:
    """Copy `source` to `sink` line by line without Reflex's noise, until the end of `source`.

    Ctrl-C reaches every process in the terminal's group: this one ignores it, so Reflex's own
    last lines (stopping the server) still get through, and it ends when Reflex closes the pipe.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        for line in quiet_reflex_lines(iter(source.readline, "")):
            sink.write(line)
            sink.flush()
    except BrokenPipeError:  # the terminal went away: nothing left to write to
        return 0
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["filter-reflex"]:
        print("usage: python -m pickvs.logs filter-reflex  (stdin to stdout)", file=sys.stderr)
        sys.exit(2)
    sys.exit(filter_reflex())
