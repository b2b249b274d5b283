"""This season's first tip-off, from the games stored (`pickvs.domain.seasons` holds the rule).

The rule walks the tip-offs up to now, newest first, and stops at the first gap longer than
`SEASON_GAP`. Reading a season's 1,200+ tip-offs on every board call would cost more than the
board itself, so the walk is given a subsequence of them that skips no gap: from each tip-off,
the earliest one within a gap before it (one probe of `ix_game_commence_time`). Every tip-off
skipped lies between two that are at most a gap apart, so no gap longer than `SEASON_GAP` hides
among them, and the rule ends where it would over all of them. A season of eight months is
about seven probes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain import seasons
from pickvs.models import Game


def season_start(session: Session, now: datetime) -> datetime | None:
    """The first tip-off of the season under way (or last played) at `now`; None when no game
    has tipped off by then (no season has started: the season board is the all-time board)."""
    return seasons.season_start(_jumps_newest_first(session, now))


def _jumps_newest_first(session: Session, now: datetime) -> Iterator[datetime]:
    """The latest tip-off up to `now`, then from each the earliest within one gap before it,
    until none is: that last one starts the season."""
    tip = _probe(session, func.max(Game.commence_time), Game.commence_time <= now)
    while tip is not None:
        yield tip
        tip = _probe(
            session,
            func.min(Game.commence_time),
            Game.commence_time >= tip - seasons.SEASON_GAP,
            Game.commence_time < tip,
        )


def _probe(session: Session, value, *where) -> datetime | None:  # type: ignore[no-untyped-def]
    return session.execute(select(value).where(*where)).scalar_one_or_none()
