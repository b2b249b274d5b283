"""The monthly credit budget: what a call costs, whether it is worth making, whether it may be made."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pickvs.domain.slate import slate_range

# Today's slate and the next two: what the slate page and `/api/games/upcoming` show, so the
# games whose lines a player can see and pick at. Odds for games beyond it would be stale by
# the time they appear, so the daily odds call asks for this window only.
ODDS_WINDOW_DAYS = 3
# `/v4/sports` and `/v4/sports/{sport}/events` cost nothing (odds-api.md).
FREE_CALL_COST = 0


def odds_call_cost(markets: int, regions: int = 1, bookmakers: int = 0) -> int:
    """Markets x regions; every 10 bookmakers named instead of regions count as one region."""
    region_units = math.ceil(bookmakers / 10) if bookmakers else regions
    return markets * region_units


def scores_call_cost(days_from: int | None) -> int:
    return 2 if days_from else 1


@dataclass(frozen=True)
class Window:
    """UTC [start, end): the tip-off times a call is about."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def odds_window(now: datetime, tz: ZoneInfo) -> Window:
    """Games still to tip off from `now` to the end of the window's last slate day (league time).

    Games already in play are left out: their lines are neither stored nor pickable.
    """
    _, end = slate_range(now, tz, ODDS_WINDOW_DAYS)
    return Window(now.astimezone(UTC), end)


def odds_call_needed(
    commence_times: Iterable[datetime], window: Window, unreadable: int = 0
) -> bool:
    """Whether the odds call is worth its credits, judged from a free schedule look-up.

    Only a game tipping inside the window has lines worth fetching; with none (an off day, the
    All-Star break) the call would bring nothing players can use. An event the look-up could
    not read might be one, so it counts as a reason to call: skipping must never hide a game.
    """
    return unreadable > 0 or any(moment in window for moment in commence_times)


def month_start(now: datetime) -> datetime:
    """The provider's reset day is undocumented: budget by calendar month in UTC."""
    now = now.astimezone(UTC)
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def next_month_start(now: datetime) -> datetime:
    start = month_start(now)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def refusal_reason(
    cost: int,
    used_this_month: int,
    budget: int,
    provider_remaining: int | None = None,
    exhausted: bool = False,
) -> str | None:
    """Why a call must not be made, or None. Checked before every call, never after."""
    if exhausted:
        return (
            "the provider answered OUT_OF_USAGE_CREDITS and has reported no credits left since; "
            "paid calls resume once it does (the free schedule look-up of fetch-odds asks) "
            "or next month"
        )
    if used_this_month + cost > budget:
        return (
            f"call would cost {cost} credit(s) with {used_this_month} of {budget} used this month"
        )
    if provider_remaining is not None and cost > provider_remaining:
        return (
            f"call would cost {cost} credit(s) but the provider reports {provider_remaining} left"
        )
    return None
