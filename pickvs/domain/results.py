"""Results rules: how far back to ask for scores, when a game counts as postponed, which final
scores cannot be real, and what an admin can still do to a game."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

from pickvs.domain.grading import SETTLED_GAME_STATUSES
from pickvs.domain.sports import can_end_tied, sport_title

FINAL, CANCELLED = "final", "cancelled"
MAX_DAYS_FROM = 3
POSTPONE_AFTER = timedelta(hours=36)
VANISHED_AFTER = timedelta(hours=6)


def days_from_for(oldest_unsettled_start: datetime | None, now: datetime) -> int | None:
    """`daysFrom` that reaches the oldest started, unsettled game (1..3), or None: no call.

    A call is only worth its credits if some game has started and still lacks a result.
    """
    if oldest_unsettled_start is None or oldest_unsettled_start >= now:
        return None
    days = math.ceil((now - oldest_unsettled_start) / timedelta(days=1))
    return max(1, min(MAX_DAYS_FROM, days))


def window_start(now: datetime, days_from: int) -> datetime:
    """Games that tipped before this cannot be in a scores reply with that `daysFrom`."""
    return now - timedelta(days=days_from)


def should_postpone(
    commence_time: datetime, now: datetime, *, seen: bool, completed: bool, window_from: datetime
) -> bool:
    """Postponed: shown unfinished 36 h after tip-off, or missing from a fetch that covers it."""
    if completed or commence_time > now:
        return False
    if seen:
        return now - commence_time >= POSTPONE_AFTER
    return commence_time >= window_from and now - commence_time >= VANISHED_AFTER


def impossible_final(sport: str, home_score: int, away_score: int) -> str | None:
    """Why this final score cannot be right for `sport`, or None when it can.

    Checked wherever a final is recorded (an admin's settlement, the scores feed), so a level
    score in a sport that cannot tie never grades anyone's picks as pushes.
    """
    if home_score == away_score and not can_end_tied(sport):
        return (
            f"{sport_title(sport)} games cannot end tied ({home_score}-{away_score}); "
            "enter the final score after overtime."
        )
    return None


def awaits_result(status: str, commence_time: datetime, now: datetime) -> bool:
    """Started and not settled (no final score, not postponed or cancelled): what the results
    job or an admin still has to close."""
    return commence_time <= now and status not in SETTLED_GAME_STATUSES


def awaits_result_clause(status: Any, commence_time: Any, now: datetime) -> ColumnElement[bool]:
    """`awaits_result` as a WHERE clause."""
    return and_(commence_time <= now, status.not_in(SETTLED_GAME_STATUSES))


def can_settle(status: str, commence_time: datetime, now: datetime) -> bool:
    """Whether an admin is offered Settle: the game has started and has no final score yet
    (a postponed or voided game that was played after all can still get one)."""
    return commence_time <= now and status != FINAL


def can_void(status: str) -> bool:
    """Whether a game can be voided: any game not voided already."""
    return status != CANCELLED
