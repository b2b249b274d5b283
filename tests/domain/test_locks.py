"""The lock rule in Python (`is_open`) and in SQL (`open_clause`) must agree to the second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from pickvs.domain.locks import has_locked, is_open, lock_time, locked_clause, open_clause
from pickvs.models import Game

TIP = datetime(2026, 11, 23, 0, 10, tzinfo=UTC)  # 7:10 pm Eastern on Nov 22
SECOND = timedelta(seconds=1)
STATUSES = ("scheduled", "in_progress", "final", "postponed", "cancelled")


@pytest.mark.parametrize(
    ("status", "now", "lock_minutes", "expected"),
    [
        ("scheduled", TIP - SECOND, 0, True),  # one second before tip-off: still open
        ("scheduled", TIP, 0, False),  # at tip-off: closed
        ("scheduled", TIP + SECOND, 0, False),
        ("scheduled", TIP - timedelta(days=2), 0, True),
        # With a 10-minute offset the edge moves to 00:00:00Z.
        ("scheduled", TIP - timedelta(minutes=10) - SECOND, 10, True),
        ("scheduled", TIP - timedelta(minutes=10), 10, False),
        ("scheduled", TIP - timedelta(minutes=10) + SECOND, 10, False),
        ("scheduled", TIP - SECOND, 10, False),
        # Status other than scheduled closes a game whatever the clock says.
        ("in_progress", TIP - timedelta(hours=5), 0, False),
        ("final", TIP - timedelta(hours=5), 0, False),
        ("postponed", TIP - timedelta(hours=5), 0, False),
        ("cancelled", TIP - timedelta(hours=5), 0, False),
    ],
)
def test_is_open_edges(status: str, now: datetime, lock_minutes: int, expected: bool) -> None:
    assert is_open(status, TIP, now, lock_minutes) is expected


@pytest.mark.parametrize(
    ("now", "lock_minutes", "locked"),
    [
        (TIP - SECOND, 0, False),
        (TIP, 0, True),
        (TIP - timedelta(minutes=30) - SECOND, 30, False),
        (TIP - timedelta(minutes=30), 30, True),  # inside the window: picks are shown
        (TIP - timedelta(minutes=1), 30, True),
        (TIP + timedelta(hours=3), 30, True),
    ],
)
def test_has_locked(now: datetime, lock_minutes: int, locked: bool) -> None:
    """Whatever the status: the moment everyone's picks are shown, from which a move of the
    tip-off must not reopen the game."""
    assert has_locked(TIP, now, lock_minutes) is locked
    assert is_open("scheduled", TIP, now, lock_minutes) is not locked


def test_lock_time() -> None:
    assert lock_time(TIP) == TIP
    assert lock_time(TIP, 10) == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_open_clause_agrees_with_is_open_on_a_grid(engine: Engine) -> None:
    """Games at tip-off offsets of -15 min .. +15 min around `now` (to the second at the edges),
    every status: the SQL filter must pick exactly the games the Python rule calls open."""
    now = datetime(2026, 11, 22, 23, 55, 0, 250000, tzinfo=UTC)  # sub-second: no rounding luck
    offsets = sorted(
        {timedelta(minutes=m) for m in range(-15, 16)}
        | {timedelta(minutes=m) + d for m in (0, 10) for d in (-SECOND, SECOND)}
        | {timedelta(minutes=10, microseconds=1), timedelta(microseconds=1)}
    )
    rows = [
        {
            "id": f"{status}_{n}",
            "sport": "basketball_nba",
            "home_team": "Home",
            "away_team": "Away",
            "commence_time": now + offset,
            "status": status,
            "created_at": now,
            "updated_at": now,
        }
        for status in STATUSES
        for n, offset in enumerate(offsets)
    ]
    with engine.begin() as conn:
        conn.execute(insert(Game), rows)
    with engine.connect() as conn:
        games = conn.execute(select(Game.id, Game.status, Game.commence_time)).all()
        for lock_minutes in (0, 10):
            in_sql = set(
                conn.execute(
                    select(Game.id).where(
                        open_clause(Game.status, Game.commence_time, now, lock_minutes)
                    )
                ).scalars()
            )
            locked_in_sql = set(
                conn.execute(
                    select(Game.id).where(
                        locked_clause(Game.status, Game.commence_time, now, lock_minutes)
                    )
                ).scalars()
            )
            in_python = {
                g.id for g in games if is_open(g.status, g.commence_time, now, lock_minutes)
            }
            assert in_sql == in_python
            assert locked_in_sql == {g.id for g in games} - in_python
            # The grid really straddles the edge: some open, some locked, for each offset.
            assert in_python and locked_in_sql
    opened_at_10 = {
        g.commence_time - now for g in games if is_open(g.status, g.commence_time, now, 10)
    }
    assert min(opened_at_10) == timedelta(minutes=10, microseconds=1)
