"""The Odds API: an HTTP client, an offline demo source with the same shapes, and a parser.

Layer rule: imports `pickvs.domain` and `pickvs.config` only. What leaves this package is plain
records (`records.py`); storing them is `services/`' job.
"""

from pickvs.odds.client import (
    CallResult,
    OddsApiClient,
    ProviderError,
    QuotaExhausted,
)
from pickvs.odds.demo import DemoGame, DemoProvider, demo_answer, demo_schedule, demo_transport
from pickvs.odds.parse import parse_events, parse_instant, parse_odds, parse_scores
from pickvs.odds.records import (
    EventRecord,
    IssueRecord,
    LineRecord,
    MalformedResponse,
    ParsedEvents,
    ParsedOdds,
    ParsedScores,
    ScheduledEvent,
    ScoreRecord,
)

__all__ = [
    "CallResult",
    "DemoGame",
    "DemoProvider",
    "EventRecord",
    "IssueRecord",
    "LineRecord",
    "MalformedResponse",
    "OddsApiClient",
    "ParsedEvents",
    "ParsedOdds",
    "ParsedScores",
    "ProviderError",
    "QuotaExhausted",
    "ScheduledEvent",
    "ScoreRecord",
    "demo_answer",
    "demo_schedule",
    "demo_transport",
    "parse_events",
    "parse_instant",
    "parse_odds",
    "parse_scores",
]
