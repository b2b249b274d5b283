"""The credit budget: call costs per the provider's rules, calendar months in UTC, refusals, and
when the odds call is worth making at all."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain.budget import (
    FREE_CALL_COST,
    Window,
    month_start,
    next_month_start,
    odds_call_cost,
    odds_call_needed,
    odds_window,
    refusal_reason,
    scores_call_cost,
)


@pytest.mark.parametrize(
    ("markets", "regions", "bookmakers", "cost"),
    [
        (3, 1, 0, 3),  # h2h,spreads,totals in us: the daily odds call
        (1, 1, 0, 1),
        (3, 2, 0, 6),  # us,uk
        (3, 1, 10, 3),  # 10 named books count as one region
        (3, 1, 12, 6),  # 12 books: two region units
        (3, 1, 1, 3),
        (2, 1, 21, 6),  # 21 books: three units
    ],
)
def test_odds_call_cost(markets: int, regions: int, bookmakers: int, cost: int) -> None:
    assert odds_call_cost(markets, regions, bookmakers) == cost


def test_odds_call_cost_defaults_to_one_region() -> None:
    assert odds_call_cost(3) == 3


@pytest.mark.parametrize(("days_from", "cost"), [(None, 1), (1, 2), (2, 2), (3, 2)])
def test_scores_call_cost(days_from: int | None, cost: int) -> None:
    assert scores_call_cost(days_from) == cost


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "start", "following"),
    [
        (utc(2026, 11, 22, 12), utc(2026, 11, 1), utc(2026, 12, 1)),
        (utc(2026, 12, 31, 23, 59, 59), utc(2026, 12, 1), utc(2027, 1, 1)),  # December wraps
        (utc(2026, 1, 1), utc(2026, 1, 1), utc(2026, 2, 1)),
        (utc(2028, 2, 29, 6), utc(2028, 2, 1), utc(2028, 3, 1)),
        # 8 pm Eastern on Nov 30 is already December in UTC: budgets run on UTC months.
        (
            datetime.fromisoformat("2026-11-30T20:00:00-05:00"),
            utc(2026, 12, 1),
            utc(2027, 1, 1),
        ),
    ],
)
def test_month_bounds(now: datetime, start: datetime, following: datetime) -> None:
    assert month_start(now) == start
    assert next_month_start(now) == following


@pytest.mark.parametrize(
    ("cost", "used", "budget", "remaining", "exhausted", "refused", "mentions"),
    [
        (3, 0, 500, None, False, False, None),
        (3, 497, 500, None, False, False, None),  # lands exactly on the budget: allowed
        (3, 498, 500, None, False, True, "498 of 500"),  # would overrun by one
        (2, 500, 500, None, False, True, "500 of 500"),
        (1, 0, 0, None, False, True, "0 of 0"),  # a zero budget allows nothing
        (3, 10, 500, 3, False, False, None),  # the provider has exactly enough left
        (3, 10, 500, 2, False, True, "provider reports 2 left"),
        (1, 0, 500, None, True, True, "OUT_OF_USAGE_CREDITS"),
        (0, 0, 500, 0, False, False, None),  # a free call (e.g. /events) is never refused
    ],
)
def test_refusal_reason(
    cost: int,
    used: int,
    budget: int,
    remaining: int | None,
    exhausted: bool,
    refused: bool,
    mentions: str | None,
) -> None:
    reason = refusal_reason(cost, used, budget, remaining, exhausted)
    assert (reason is not None) is refused
    if mentions:
        assert reason is not None and mentions in reason


# ---------------------------------------------------------------------------- the odds window

ET = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("now", "end"),
    [
        # 07:00 EST on Nov 22: today and the next two slate days end as Nov 25 begins in New York.
        (utc(2026, 11, 22, 12), utc(2026, 11, 25, 5)),
        # 23:30 EST on Nov 21 is already Nov 22 in UTC, but the slate day is still the 21st.
        (utc(2026, 11, 22, 4, 30), utc(2026, 11, 24, 5)),
        # 05:00 EST on Sat Mar 13 2027; clocks go forward on the 14th, so Mar 16 starts at 04:00 UTC.
        (utc(2027, 3, 13, 10), utc(2027, 3, 16, 4)),
    ],
)
def test_odds_window_is_now_to_the_end_of_the_third_slate_day(now: datetime, end: datetime) -> None:
    window = odds_window(now, ET)
    assert (window.start, window.end) == (now, end)


WINDOW = Window(utc(2027, 3, 2, 10), utc(2027, 3, 5, 5))


@pytest.mark.parametrize(
    ("tips", "unreadable", "needed"),
    [
        ([], 0, False),  # an off day and the next two: nothing to fetch
        ([utc(2027, 3, 2, 10)], 0, True),  # tips the moment the window opens
        ([utc(2027, 3, 5, 0, 30)], 0, True),  # 19:30 EST on the third slate day
        ([utc(2027, 3, 5, 5)], 0, False),  # midnight starting the fourth day: outside
        ([utc(2027, 3, 2, 9, 59)], 0, False),  # already in play: no lines are taken for it
        ([utc(2027, 3, 7, 0)], 0, False),  # the schedule lists it, but beyond the window
        ([], 1, True),  # an event we could not read might tip in the window: call
    ],
)
def test_odds_call_needed_only_when_a_game_tips_in_the_window(
    tips: list[datetime], unreadable: int, needed: bool
) -> None:
    assert odds_call_needed(tips, WINDOW, unreadable) is needed


def test_free_calls_cost_nothing_and_are_never_refused() -> None:
    assert FREE_CALL_COST == 0
    assert refusal_reason(FREE_CALL_COST, 500, 500) is None
