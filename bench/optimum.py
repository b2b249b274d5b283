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

The two aims pull apart: the ceiling's calls sit where they price the most picks, hours before
the locks, and a closing line needs a call in the half hour before each lock. `best_mixed`
scores both at once (a pick counts 1, a game's closing line `weight`) over every minute a call
could usefully be made (`useful_minutes`), so `frontier` can bound, by Lagrangian duality, the
most picks any schedule with the same calls can price while also giving a share of the games
their closing line: that bound says whether the two targets can be met together at all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

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
    `best_mixed` with one of its two counts alone: items as picks, or (`before`) as locks.
    """
    if calls <= 0 or not times:
        return Choice(0, ())
    if before:
        locks = best_mixed((), times, slots, calls, fresh=0, closing=window, weight=1)
        return Choice(locks.closing, locks.slots)
    picks = best_mixed(times, (), slots, calls, fresh=window, closing=0, weight=0)
    return Choice(picks.fresh, picks.slots)


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


# ------------------------------------------------------------------------------ both aims at once


@dataclass(frozen=True)
class Mixed:
    """What one schedule of a day prices: picks on a fresh line, games with a closing line."""

    fresh: int
    closing: int
    slots: tuple[int, ...]


def useful_minutes(picks: Sequence[int], locks: Sequence[int], earliest: int = 0) -> list[int]:
    """The minutes an optimal call needs (from `earliest` on): a pick's minute, or the minute
    before a lock. A call at any other minute can move later to the next of these without
    pricing fewer picks (none falls in between, and its window ends later) or losing a closing
    line (it stops short of the next lock), and the call before it only gains from the move."""
    moments = {t for t in picks} | {lock - 1 for lock in locks}
    return sorted(m for m in moments if m >= earliest)


def best_mixed(
    picks: Sequence[int],
    locks: Sequence[int],
    slots: Sequence[int],
    calls: int,
    *,
    fresh: int,
    closing: int,
    weight: float,
) -> Mixed:
    """The schedule of at most `calls` of `slots` with the most `fresh` + `weight` x `closing`:
    a pick at t is fresh when the latest call at or before it is at most `fresh` minutes older;
    a lock has its closing line when the latest call strictly before it is at most `closing`
    minutes earlier. Dynamic programming over (slot, calls left): the score from slot i on, slot
    i chosen, with at most c calls, is the best of stopping there or chaining to a later slot;
    exact in O(calls x slots^2). Among equal answers, the earliest first slot."""
    items, shut, candidates = sorted(picks), sorted(locks), sorted(set(slots))
    calls = min(calls, len(candidates))
    if calls <= 0:
        return Mixed(0, 0, ())

    def stretch(low: int, high: int) -> tuple[int, int]:
        top = min(bisect_left(items, high), bisect_right(items, low + fresh))
        priced = max(top - bisect_left(items, low), 0)
        closed = bisect_right(shut, min(high, low + closing)) - bisect_right(shut, low)
        return priced, closed

    n = len(candidates)
    score: list[list[float]] = [[0.0] * n for _ in range(calls + 1)]
    counts: list[list[tuple[int, int]]] = [[(0, 0)] * n for _ in range(calls + 1)]
    nxt: list[list[int | None]] = [[None] * n for _ in range(calls + 1)]
    last = [stretch(s, 10**9) for s in candidates]
    for c in range(1, calls + 1):
        for i in range(n - 1, -1, -1):
            here, follow = last[i], None
            value = here[0] + weight * here[1]
            if c > 1:
                for j in range(i + 1, n):
                    part = stretch(candidates[i], candidates[j])
                    chained = part[0] + weight * part[1] + score[c - 1][j]
                    if chained > value + 1e-9:
                        value, follow = chained, j
                        here = (part[0] + counts[c - 1][j][0], part[1] + counts[c - 1][j][1])
            score[c][i], counts[c][i], nxt[c][i] = value, here, follow
    start = max(range(n), key=lambda i: (score[calls][i], -i))
    chosen, c, i = [], calls, start
    while i is not None:
        chosen.append(candidates[i])
        i, c = nxt[c][i], c - 1
    fresh_count, closing_count = counts[calls][start]
    return Mixed(fresh_count, closing_count, tuple(chosen))


@dataclass(frozen=True)
class Day:
    """One day of the frontier's question: its picks, its locks, its calls (all minutes)."""

    picks: tuple[int, ...]
    locks: tuple[int, ...]
    calls: int
    earliest: int = 0


@dataclass(frozen=True)
class Frontier:
    """The most picks priced fresh while `needed` games get their closing line.

    `bound`: no schedule with the days' calls prices more (the Lagrangian dual: a true upper
    bound; None when no schedule closes that many games at all); `reached`: the most a schedule
    the search found prices while closing `reached_closing` >= `needed` games (a lower bound)."""

    needed: int
    bound: float | None
    reached: int
    reached_closing: int


def frontier(
    days: Sequence[Day], share: float, *, fresh: int, closing: int, steps: int = 12
) -> Frontier:
    """For a weight w of a closing line, the days' best mixed schedules give
    bound(w) = sum of (fresh + w x closing) - w x needed, which no schedule closing `needed`
    games beats. w is bisected to where the best schedules start closing enough games and the
    smallest bound seen is kept. A real schedule comes from the two weights either side of that
    point: the lighter one's days, switched to the heavier one's where that closes games at the
    least cost in fresh picks, until enough games are closed."""
    needed = ceil(share * sum(len(day.locks) for day in days))

    def solve(weight: float) -> list[Mixed]:
        return [
            best_mixed(
                day.picks,
                day.locks,
                useful_minutes(day.picks, day.locks, day.earliest),
                day.calls,
                fresh=fresh,
                closing=closing,
                weight=weight,
            )
            for day in days
        ]

    bounds: list[float] = []

    def attempt(weight: float) -> list[Mixed]:
        plans = solve(weight)
        closed = sum(m.closing for m in plans)
        bounds.append(sum(m.fresh for m in plans) + weight * (closed - needed))
        return plans

    light = attempt(0.0)
    if sum(m.closing for m in light) >= needed:
        return Frontier(needed, min(bounds), sum(m.fresh for m in light), _closed(light))
    low, high = 0.0, 1.0
    heavy = attempt(high)
    while _closed(heavy) < needed:
        if high > 1e4:  # even all calls on closing lines do not close `needed` games
            return Frontier(needed, None, 0, 0)
        low, high, light = high, high * 2, heavy
        heavy = attempt(high)
    for _ in range(steps):
        middle = (low + high) / 2
        plans = attempt(middle)
        if _closed(plans) >= needed:
            high, heavy = middle, plans
        else:
            low, light = middle, plans
    mixed = _switch(light, heavy, needed)
    return Frontier(needed, min(bounds), sum(m.fresh for m in mixed), _closed(mixed))


def _closed(plans: Sequence[Mixed]) -> int:
    return sum(m.closing for m in plans)


def _switch(light: Sequence[Mixed], heavy: Sequence[Mixed], needed: int) -> list[Mixed]:
    """`light`'s day plans, switched to `heavy`'s (which close more games in all) on the days
    where that costs the fewest fresh picks per game closed, until `needed` games close."""
    plans = list(light)
    gains = sorted(
        (
            (a.fresh - b.fresh) / (b.closing - a.closing),
            index,
        )
        for index, (a, b) in enumerate(zip(light, heavy, strict=True))
        if b.closing > a.closing
    )
    for _, index in gains:
        if _closed(plans) >= needed:
            break
        plans[index] = heavy[index]
    return plans if _closed(plans) >= needed else list(heavy)
