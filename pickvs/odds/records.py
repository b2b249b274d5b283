"""Plain records the feed is parsed into.

They carry no ORM or HTTP types so that `services/` can store them and tests can build them by
hand; every datetime in them is aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class MalformedResponse(Exception):
    """The whole body is unusable (not JSON, not a list, truncated): nothing in it can be kept."""


@dataclass(frozen=True)
class LineRecord:
    """One priced outcome: a bookmaker's price (and point) for one side of one market."""

    bookmaker: str
    market: str
    side: str
    outcome: str
    price: int
    point: float | None
    last_update: datetime | None


@dataclass(frozen=True)
class EventRecord:
    id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str
    lines: tuple[LineRecord, ...]


@dataclass(frozen=True)
class ScoreRecord:
    """A game in the scores feed; scores are None until it starts, `completed` only when final."""

    id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str
    completed: bool
    home_score: int | None
    away_score: int | None
    last_update: datetime | None


@dataclass(frozen=True)
class IssueRecord:
    """Something skipped and why, so a bad feed row becomes a data-quality note, not a crash."""

    reason: str
    game_id: str | None = None
    bookmaker: str | None = None
    market: str | None = None


@dataclass(frozen=True)
class ParsedOdds:
    events: list[EventRecord]
    issues: list[IssueRecord]


@dataclass(frozen=True)
class ParsedScores:
    scores: list[ScoreRecord]
    issues: list[IssueRecord]


@dataclass(frozen=True)
class ScheduledEvent:
    """An event in the free schedule look-up: who plays and when, nothing priced."""

    id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str


@dataclass(frozen=True)
class ParsedEvents:
    events: list[ScheduledEvent]
    issues: list[IssueRecord]
