"""Whether a game is in play: locked, not yet settled, and tipped recently enough that a score
may still be coming. The pages re-read while any game they show is in play, and stop after."""

from __future__ import annotations

from datetime import datetime, timedelta

from pickvs.domain import locks

# A game not settled this long after tip-off is no longer watched (an NBA game lasts about
# 2 h 15 min; overtime and delays rarely push it past 4 h): the results job will settle it.
LIVE_WINDOW = timedelta(hours=5)
SETTLED = frozenset({"final", "postponed", "cancelled"})


def in_play(status: str, commence_time: datetime, now: datetime) -> bool:
    """Tipped off by `now` (by the clock, not the lagging status), not settled, and within
    `LIVE_WINDOW` of its tip-off."""
    if status in SETTLED:
        return False
    return locks.has_locked(commence_time, now) and now - commence_time < LIVE_WINDOW
