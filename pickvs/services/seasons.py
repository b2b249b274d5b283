"""This season's first tip-off, from the games stored (`pickvs.domain.seasons` holds the rule).

The rule walks the tip-offs up to now, newest first, and stops at the first gap longer than
`SEASON_GAP`. Reading a season's 1,200+ tip-offs on every board call would cost more than the
board itself, so the rule is given a subsequence of them that skips no gap: the latest tip-off,
then from each the earliest within one gap before it (an index probe of
`ix_game_commence_time`), until there is none. Every tip-off skipped lies between two that are
at most a gap apart, so no longer gap hides among them and the rule ends where it would over all
of them. The probes run inside the database as one recursive query (a season of eight months
is about seven probes, one round trip).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, text
from sqlmodel import Session

from pickvs.domain import seasons
from pickvs.models import UTCDateTime

# `{earlier}` is the tip-off one gap before walk.tip, spelled per database. SQLite keeps
# timestamps as UTC text ('YYYY-MM-DD HH:MM:SS.ffffff'); strftime gives milliseconds, which
# compare at or below the stored text of the same instant, so the bound stays inclusive.
WALK = """
WITH RECURSIVE walk(tip) AS (
    SELECT max(commence_time) FROM game WHERE commence_time <= :now
    UNION ALL
    SELECT (SELECT min(g.commence_time) FROM game AS g
            WHERE g.commence_time >= {earlier} AND g.commence_time < walk.tip)
    FROM walk WHERE walk.tip IS NOT NULL
)
SELECT tip FROM walk WHERE tip IS NOT NULL ORDER BY tip DESC
"""
EARLIER = {
    "postgresql": "walk.tip - make_interval(secs => :gap)",
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', walk.tip, '-' || :gap || ' seconds')",
}


def season_start(session: Session, now: datetime) -> datetime | None:
    """The first tip-off of the season under way (or last played) at `now`; None when no game
    has tipped off by then (no season has started: the season board is the all-time board)."""
    dialect = session.get_bind().dialect.name
    stmt = (
        text(WALK.format(earlier=EARLIER[dialect]))
        .bindparams(bindparam("now", type_=UTCDateTime()))
        .columns(tip=UTCDateTime())
    )
    gap = int(seasons.SEASON_GAP.total_seconds())
    tips = session.execute(stmt, {"now": now, "gap": gap}).scalars().all()
    return seasons.season_start(tips)
