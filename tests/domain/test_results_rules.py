"""How far back to ask for scores (`daysFrom`), and when an unfinished game is postponed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pickvs.domain.results import days_from_for, should_postpone, window_start

NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # 09:00 Eastern: the results job
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("oldest", "expected"),
    [
        (None, None),  # no started, unsettled game: no call at all
        (NOW + H, None),  # only future games
        (NOW, None),  # tipping this instant has not started
        (NOW - timedelta(minutes=1), 1),
        (NOW - 5 * H, 1),
        (NOW - 24 * H, 1),  # exactly one day back is still daysFrom=1
        (NOW - 24 * H - timedelta(seconds=1), 2),
        (NOW - 30 * H, 2),
        (NOW - 48 * H, 2),
        (NOW - 49 * H, 3),
        (NOW - 72 * H, 3),
        (NOW - timedelta(days=3, hours=1), 3),  # beyond reach: the most the provider allows
        (NOW - timedelta(days=10), 3),
    ],
)
def test_days_from_for(oldest: datetime | None, expected: int | None) -> None:
    assert days_from_for(oldest, NOW) == expected


def test_window_start() -> None:
    assert window_start(NOW, 2) == NOW - timedelta(days=2)


WINDOW_FROM = NOW - timedelta(days=2)


@pytest.mark.parametrize(
    ("started_ago", "seen", "completed", "expected"),
    [
        # Seen in the feed but not completed: wait 36 h after tip-off.
        (35 * H, True, False, False),
        (36 * H - timedelta(seconds=1), True, False, False),
        (36 * H, True, False, True),
        (40 * H, True, False, True),
        (40 * H, True, True, False),  # completed is never postponed
        # Vanished (missing from a fetch that covers its tip-off): 6 h grace for the feed.
        (5 * H, False, False, False),
        (6 * H, False, False, True),
        (47 * H, False, False, True),
        (48 * H, False, False, True),  # exactly at the window's start: covered
        (49 * H, False, False, False),  # tipped before the window: its absence means nothing
        # Not started yet: never postponed, seen or not.
        (-H, True, False, False),
        (-H, False, False, False),
    ],
)
def test_should_postpone(
    started_ago: timedelta, seen: bool, completed: bool, expected: bool
) -> None:
    commence = NOW - started_ago
    assert (
        should_postpone(commence, NOW, seen=seen, completed=completed, window_from=WINDOW_FROM)
        is expected
    )
