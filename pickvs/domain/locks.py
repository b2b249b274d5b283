"""When a game stops taking picks: status alone is not enough (it lags until the results job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

SCHEDULED = "scheduled"


def lock_time(commence_time: datetime, lock_minutes: int = 0) -> datetime:
    return commence_time - timedelta(minutes=lock_minutes)


def has_locked(commence_time: datetime, now: datetime, lock_minutes: int = 0) -> bool:
    """Whether the lock time of a game tipping at `commence_time` has come by `now`.

    From that moment everyone's picks on the game are shown, so it must never take picks
    again: whoever moves a locked game's tip-off later has to record that it locked
    (`services.games.move_tip_off` does, by taking it out of `scheduled`).
    """
    return now >= lock_time(commence_time, lock_minutes)


def is_open(status: str, commence_time: datetime, now: datetime, lock_minutes: int = 0) -> bool:
    """A pick may be made, changed or withdrawn only while this is true."""
    return status == SCHEDULED and not has_locked(commence_time, now, lock_minutes)


def open_clause(
    status: Any, commence_time: Any, now: datetime, lock_minutes: int = 0
) -> ColumnElement[bool]:
    """`is_open` as a WHERE clause: now < commence - lock  <=>  commence > now + lock."""
    return and_(status == SCHEDULED, commence_time > now + timedelta(minutes=lock_minutes))


def locked_clause(
    status: Any, commence_time: Any, now: datetime, lock_minutes: int = 0
) -> ColumnElement[bool]:
    return ~open_clause(status, commence_time, now, lock_minutes)
