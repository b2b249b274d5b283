"""The injected clock: rules take `now`, jobs and routes get it from a Clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock tests move by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 22, 12, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when


def ensure_utc(value: datetime) -> datetime:
    """Reject naive datetimes: a naive time is a bug waiting for a DST change."""
    if value.tzinfo is None:
        raise ValueError("naive datetime; PickVs works in aware UTC")
    return value.astimezone(UTC)
