"""The monthly credit budget: what a call costs and whether it may be made."""

from __future__ import annotations

import math
from datetime import UTC, datetime


def odds_call_cost(markets: int, regions: int = 1, bookmakers: int = 0) -> int:
    """Markets x regions; every 10 bookmakers named instead of regions count as one region."""
    region_units = math.ceil(bookmakers / 10) if bookmakers else regions
    return markets * region_units


def scores_call_cost(days_from: int | None) -> int:
    return 2 if days_from else 1


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
        return "the provider reported OUT_OF_USAGE_CREDITS this month; calls resume next month"
    if used_this_month + cost > budget:
        return (
            f"call would cost {cost} credit(s) with {used_this_month} of {budget} used this month"
        )
    if provider_remaining is not None and cost > provider_remaining:
        return (
            f"call would cost {cost} credit(s) but the provider reports {provider_remaining} left"
        )
    return None
