"""Seasons from the games stored, never from a hard-coded date.

An NBA season runs from its first regular-season game in October to the end of the Finals; the
summer between two seasons is months without a game, while the longest pause inside a season
(the All-Star break) is about a week. So a season is a run of games with no gap longer than
`SEASON_GAP`, and "this season" is the latest run that has started by now.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

SEASON_GAP = timedelta(days=45)


def season_start(
    tips_newest_first: Iterable[datetime], gap: timedelta = SEASON_GAP
) -> datetime | None:
    """The first tip-off of the season the newest of these tip-offs belongs to.

    Give the tip-offs that have already happened (up to now), newest first; the walk stops at
    the first gap longer than `gap`. None when there are none: no season has started.
    """
    start: datetime | None = None
    for tip in tips_newest_first:
        if start is not None and start - tip > gap:
            break
        start = tip
    return start
