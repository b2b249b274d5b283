"""Results rules: how far back to ask for scores, and when a game counts as postponed."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

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
