"""Slate days are league-local (America/New_York), across midnight and across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain.slate import slate_bounds, slate_day, slate_range, tz_abbreviation

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("commence", "tz", "day"),
    [
        # 23:30 ET on Nov 22 is 04:30Z on Nov 23: the same ET day though the next UTC date.
        ("2026-11-23T04:30", NY, date(2026, 11, 22)),
        # 7:10 pm ET tip = 00:10Z the next UTC date: the previous (ET) day.
        ("2026-11-23T00:10", NY, date(2026, 11, 22)),
        ("2026-11-23T04:59:59", NY, date(2026, 11, 22)),  # 23:59:59 EST
        ("2026-11-23T05:00", NY, date(2026, 11, 23)),  # midnight EST
        ("2026-11-22T17:00", NY, date(2026, 11, 22)),  # a noon game
        # In summer (EDT, UTC-4) midnight is 04:00Z.
        ("2026-06-10T03:59", NY, date(2026, 6, 9)),
        ("2026-06-10T04:00", NY, date(2026, 6, 10)),
        # Another league time zone moves the boundary.
        ("2026-11-23T07:30", LA, date(2026, 11, 22)),
        ("2026-11-23T08:00", LA, date(2026, 11, 23)),
    ],
)
def test_slate_day(commence: str, tz: ZoneInfo, day: date) -> None:
    assert slate_day(utc(commence), tz) == day


@pytest.mark.parametrize(
    ("day", "start", "end", "hours"),
    [
        (date(2026, 11, 22), "2026-11-22T05:00", "2026-11-23T05:00", 24),  # EST
        (date(2026, 6, 10), "2026-06-10T04:00", "2026-06-11T04:00", 24),  # EDT
        # Clocks spring forward at 02:00 on 2026-03-08: a 23-hour day.
        (date(2026, 3, 8), "2026-03-08T05:00", "2026-03-09T04:00", 23),
        # Clocks fall back at 02:00 on 2026-11-01: a 25-hour day.
        (date(2026, 11, 1), "2026-11-01T04:00", "2026-11-02T05:00", 25),
        (date(2026, 3, 7), "2026-03-07T05:00", "2026-03-08T05:00", 24),
        (date(2026, 11, 2), "2026-11-02T05:00", "2026-11-03T05:00", 24),
    ],
)
def test_slate_bounds(day: date, start: str, end: str, hours: int) -> None:
    got_start, got_end = slate_bounds(day, NY)
    assert (got_start, got_end) == (utc(start), utc(end))
    assert got_end - got_start == timedelta(hours=hours)
    assert got_start.tzinfo is UTC and got_end.tzinfo is UTC


def test_every_moment_of_a_dst_day_falls_in_its_bounds() -> None:
    for day in (date(2026, 3, 8), date(2026, 11, 1)):
        start, end = slate_bounds(day, NY)
        moment = start
        while moment < end:
            assert slate_day(moment, NY) == day
            moment += timedelta(minutes=30)
        assert slate_day(end, NY) == day + timedelta(days=1)
        assert slate_day(start - timedelta(microseconds=1), NY) == day - timedelta(days=1)


@pytest.mark.parametrize(
    ("now", "days", "start", "end"),
    [
        # 12:00Z Nov 22 = 07:00 EST: today is Nov 22, three slate days end at midnight Nov 25.
        ("2026-11-22T12:00", 3, "2026-11-22T05:00", "2026-11-25T05:00"),
        # 03:00Z Nov 23 is still Nov 22 in New York.
        ("2026-11-23T03:00", 1, "2026-11-22T05:00", "2026-11-23T05:00"),
        # A range across the fall-back change is 3 x 24 h + 1 h.
        ("2026-10-31T16:00", 3, "2026-10-31T04:00", "2026-11-03T05:00"),
        # ...and across spring-forward 3 x 24 h - 1 h.
        ("2026-03-07T16:00", 3, "2026-03-07T05:00", "2026-03-10T04:00"),
    ],
)
def test_slate_range(now: str, days: int, start: str, end: str) -> None:
    assert slate_range(utc(now), NY, days) == (utc(start), utc(end))


def test_tz_abbreviation_follows_dst() -> None:
    assert tz_abbreviation(utc("2026-11-22T12:00"), NY) == "EST"
    assert tz_abbreviation(utc("2026-06-22T12:00"), NY) == "EDT"
