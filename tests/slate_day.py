"""Tests that run on the wall clock (browser, scale) and seed games relative to now.

A game belongs to the slate day of its tip-off in league time (DESIGN.md), and the slate shows
today's games onwards. A test that seeds a game ten minutes back at 00:05 league time seeds
yesterday's game, which today's slate rightly does not show; one that follows a game across
midnight loses it halfway. Such a test first waits, when it must, until its whole span of time
falls on one slate day.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

PAD = timedelta(seconds=5)


def wait_before(local: datetime, back: timedelta, ahead: timedelta) -> timedelta:
    """How long to wait from `local` (league time) until `[now - back, now + ahead]` lies on
    one league day: zero when it already does, else until `back` past the next midnight that
    the span crosses (plus a small pad)."""
    if back + ahead + PAD >= timedelta(days=1):
        raise ValueError("a span of a day or more never fits on one slate day")
    midnight = datetime.combine(local.date(), datetime.min.time(), local.tzinfo)
    following = datetime.combine(
        local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo
    )
    if local - back < midnight:
        return midnight + back + PAD - local
    if local + ahead >= following:
        return following + back + PAD - local
    return timedelta(0)


def wait_for_one_slate_day(tz: ZoneInfo, back: timedelta, ahead: timedelta) -> None:
    """Sleep until the span from `back` before now to `ahead` after it is on one slate day."""
    time.sleep(wait_before(datetime.now(UTC).astimezone(tz), back, ahead).total_seconds())
