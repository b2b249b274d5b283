"""Where log records go: stdout, one line per event; JSON lines when PICKVS_LOG_FORMAT=json.

One place configures logging for the command line (`pickvs.cli.main`) and for the app
(`pickvs.pickvs` at import, so every Reflex backend worker does it too). Container platforms
and systemd collect stdout, and a log shipper splits on newlines: a traceback spread over
twenty lines would become twenty events, so an exception is folded into its record's line
(the `exc` key in JSON, an escaped `\\n` in text).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

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


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


class TextFormatter(logging.Formatter):
    """`2026-11-22 12:00:00,000 INFO pickvs.jobs message`, a traceback escaped onto the line."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", ...extra, "exc"}`, one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
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


def formatter_for(log_format: str) -> logging.Formatter:
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format {log_format!r}; choose from {list(LOG_FORMATS)}")
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(log_format: str = "text", level: int = logging.INFO) -> logging.Handler:
    """Send every record that reaches the root logger to stdout in `log_format`.

    Idempotent: calling it again replaces the handler it installed before (the CLI runs it once
    per invocation, tests many times) and leaves other handlers alone (pytest's capture,
    uvicorn's own loggers, which do not propagate to the root).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StdoutHandler)]:
        root.removeHandler(handler)
    handler = StdoutHandler()
    handler.setFormatter(formatter_for(log_format))
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def configure_from_settings(level: int = logging.INFO) -> logging.Handler:
    """`configure_logging` with PICKVS_LOG_FORMAT; text while the settings are unusable, so the
    start-up check can still log why."""
    from pickvs.config import settings, settings_error

    return configure_logging("text" if settings_error else settings.log_format, level)
