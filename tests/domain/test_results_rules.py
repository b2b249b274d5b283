"""How far back to ask for scores (`daysFrom`), and when an unfinished game is postponed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pickvs.domain.results import (
    awaits_result,
    can_settle,
    can_void,
    days_from_for,
    impossible_final,
    should_postpone,
    window_start,
)

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


@pytest.mark.parametrize(
    ("sport", "home", "away", "problem"),
    [
        ("basketball_nba", 100, 100, "NBA games cannot end tied (100-100)"),
        ("basketball_ncaab", 61, 61, "NCAAB games cannot end tied (61-61)"),
        ("basketball_nba", 0, 0, "NBA games cannot end tied (0-0)"),
        ("basketball_nba", 101, 100, None),
        ("americanfootball_nfl", 20, 20, None),
        ("soccer_epl", 1, 1, None),
    ],
)
def test_impossible_final(sport: str, home: int, away: int, problem: str | None) -> None:
    reason = impossible_final(sport, home, away)
    if problem is None:
        assert reason is None
    else:
        assert reason == f"{problem}; enter the final score after overtime."


STATUSES = ("scheduled", "in_progress", "final", "postponed", "cancelled")


@pytest.mark.parametrize("status", STATUSES)
def test_what_an_admin_can_do_to_a_game(status: str) -> None:
    """Settle: started and not final (a voided game played after all can get a score).
    Void: anything not void already. Waiting for a result: started and not settled."""
    started, future = NOW - H, NOW + H
    assert can_settle(status, started, NOW) is (status != "final")
    assert can_settle(status, NOW, NOW) is (status != "final")  # tip-off is the boundary
    assert can_settle(status, future, NOW) is False
    assert can_void(status) is (status != "cancelled")
    waiting = status in ("scheduled", "in_progress")
    assert awaits_result(status, started, NOW) is waiting
    assert awaits_result(status, future, NOW) is False
