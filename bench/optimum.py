"""The ceiling of the credits bench: the best any odds schedule could do, knowing the day in hindsight.

Each league day is cut into 15-minute slots; an odds call can be made at the start of a slot.
Given the day's pick times and a number of odds calls, `best_fetches` chooses the slots that
price the most picks on a line fetched at most `window` minutes earlier. A pick is priced on the
latest fetch at or before it (a later fetch supersedes an earlier one, as the stored line does),
so the calls split the day into stretches: the picks of the stretch that starts at a chosen slot
count when they come at most `window` minutes after it. Dynamic programming over (slot, calls
left) finds the exact optimum in O(calls x slots^2); it is a ceiling, not a planner: no planner
knows when players will pick.

The same search, with `before=True`, answers the closing-line question: lock times covered by a
call made strictly before them and at most 30 minutes earlier (the last fetch before a lock).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SLOT_MINUTES = 15


@dataclass(frozen=True)
class Choice:
    """How many items the chosen slots cover, and the slots (minutes), earliest first."""

    covered: int
    slots: tuple[int, ...]


def best_fetches(
    times: Sequence[int],
    slots: Sequence[int],
    calls: int,
    window: int,
    *,
    before: bool = False,
) -> Choice:
    """The most items covered with at most `calls` of the candidate `slots` (all in minutes).

    An item at `t` is covered when the latest chosen slot `s` with `s <= t` (`s < t` when
    `before`) has `t - s <= window`. Deterministic: among equal answers the earliest first slot.
    """
    items = sorted(times)
    candidates = sorted(set(slots))
    calls = min(calls, len(candidates))
    if calls <= 0 or not items:
        return Choice(0, ())

    def count(low: int, high: int) -> int:
        """Items in the stretch of a call at `low` up to (not including) the next call at `high`."""
        if before:  # s < t <= next s, and t - s <= window
            return bisect_right(items, min(high, low + window)) - bisect_right(items, low)
        # s <= t < next s, and t - s <= window
        top = min(bisect_left(items, high), bisect_right(items, low + window))
        return max(top - bisect_left(items, low), 0)

    n = len(candidates)
    last = [count(s, 10**9) for s in candidates]
    # best[c][i]: items covered from slot i on, slot i chosen, at most c calls in all from i.
    best = [[0] * n for _ in range(calls + 1)]
    nxt: list[list[int | None]] = [[None] * n for _ in range(calls + 1)]
    for c in range(1, calls + 1):
        for i in range(n - 1, -1, -1):
            value, follow = last[i], None
            if c > 1:
                for j in range(i + 1, n):
                    chained = count(candidates[i], candidates[j]) + best[c - 1][j]
                    if chained > value:
                        value, follow = chained, j
            best[c][i], nxt[c][i] = value, follow
    start = max(range(n), key=lambda i: (best[calls][i], -i))
    chosen, c, i = [], calls, start
    while i is not None:
        chosen.append(candidates[i])
        i, c = nxt[c][i], c - 1
    return Choice(best[calls][start], tuple(chosen))


def covered(
    times: Sequence[int], chosen: Sequence[int], window: int, *, before: bool = False
) -> int:
    """How many items a given set of call times covers, by the same rule (for checks)."""
    ordered = sorted(chosen)
    total = 0
    for t in times:
        index = (bisect_left(ordered, t) if before else bisect_right(ordered, t)) - 1
        total += index >= 0 and t - ordered[index] <= window
    return total


def day_slots(start: datetime, end: datetime) -> list[datetime]:
    """Slot starts of a league day [start, end), UTC (23 or 25 hours across DST changes)."""
    count = int((end - start) / timedelta(minutes=SLOT_MINUTES))
    return [start + timedelta(minutes=SLOT_MINUTES * n) for n in range(count)]


def minutes_from(start: datetime, moment: datetime) -> int:
    """Whole minutes from `start` (both UTC-aware); picks and locks fall on whole minutes."""
    return int((moment - start) // timedelta(minutes=1))
