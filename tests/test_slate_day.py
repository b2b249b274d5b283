"""The wall-clock tests' wait for one slate day, on hand-worked times in New York."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.slate_day import PAD, wait_before

NY = ZoneInfo("America/New_York")
TEN, FIVE = timedelta(minutes=10), timedelta(minutes=5)


def at(hour: int, minute: int, second: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=NY)


def test_midday_needs_no_wait() -> None:
    assert wait_before(at(19, 30), TEN, FIVE) == timedelta(0)


def test_just_after_midnight_waits_until_the_span_back_is_past_it() -> None:
    # 00:04 with ten minutes back: yesterday's 23:54. Wait 6 minutes (to 00:10) and the pad.
    assert wait_before(at(0, 4), TEN, FIVE) == timedelta(minutes=6) + PAD


def test_just_before_midnight_waits_past_it_by_the_span_back() -> None:
    # 23:57 with five minutes ahead crosses midnight: wait to 00:10 tomorrow, 13 minutes on.
    assert wait_before(at(23, 57), TEN, FIVE) == timedelta(minutes=13) + PAD


def test_the_edges() -> None:
    assert wait_before(at(0, 10), TEN, FIVE) == timedelta(0)  # exactly ten minutes in
    assert wait_before(at(23, 54, 59), TEN, FIVE) == timedelta(0)  # 23:59:59 is still today
    assert wait_before(at(23, 55), TEN, FIVE) == timedelta(minutes=15) + PAD


def test_after_the_wait_the_span_fits() -> None:
    for start in (at(0, 0), at(0, 9, 59), at(23, 55), at(23, 59, 59)):
        then = start + wait_before(start, TEN, FIVE)
        assert wait_before(then, TEN, FIVE) == timedelta(0), start


def test_a_span_of_a_day_is_refused() -> None:
    with pytest.raises(ValueError, match="one slate day"):
        wait_before(at(12, 0), timedelta(hours=12), timedelta(hours=12))
