"""Slate days: a game belongs to its tip-off date in the league's time zone, never the UTC date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def slate_day(commence_time: datetime, tz: ZoneInfo) -> date:
    return commence_time.astimezone(tz).date()


def slate_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC [start, end) of a league-local day; 23 or 25 hours long across DST changes."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def slate_range(now: datetime, tz: ZoneInfo, days: int) -> tuple[datetime, datetime]:
    """UTC [start, end) covering today's slate and the `days - 1` after it."""
    today = slate_day(now, tz)
    start, _ = slate_bounds(today, tz)
    _, end = slate_bounds(today + timedelta(days=days - 1), tz)
    return start, end


def tz_abbreviation(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).tzname() or tz.key
