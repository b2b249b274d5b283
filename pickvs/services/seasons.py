"""This season's first tip-off, from the games stored (`domain.seasons`), for the boards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain import seasons
from pickvs.models import Game

# Tip-offs read per round trip while walking back: a season is ~1,300 games, and the walk
# stops at the first gap of more than 45 days, so one or two batches do.
_BATCH = 2000


def season_start(session: Session, now: datetime) -> datetime | None:
    """The first tip-off of the season the latest game started by `now` belongs to; None when
    no game has started yet (the season board is then the all-time board)."""
    stmt = (
        select(Game.commence_time)
        .where(Game.commence_time <= now)
        .order_by(Game.commence_time.desc())
        .execution_options(yield_per=_BATCH)
    )
    result = session.execute(stmt).scalars()
    try:
        return seasons.season_start(result)
    finally:
        result.close()
