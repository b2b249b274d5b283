"""The credit planner: which paid calls a day gets on top of the seed's two daily jobs.

Pure: `plan_day` takes the day's tip-offs, the month's spend and what is left of it, and
returns the planned calls. The job (`pickvs.jobs.planner`) runs each call when its time comes.

How a day's credits are found. The month's *spare* credits are the budget, less what was spent
before the slate day began, less what the seed crons (05:00 odds, 09:00 results) will still
spend to the month's end, less a reserve of `RESERVE` credits kept for results until the
month's last day. Today gets an even share of the spare over the days left, so a quiet day
(no games, or fewer calls than its share) leaves its credits to the days after it. The share is
computed from the spend *before today*, so the plan does not move during the day as its own
calls are paid for: the times are the job slots, claimed once across workers.

Where the odds calls go (`odds` kind, 3 credits with three markets and one region). Picks are
made in the hours before tip-off, most in the last three, and a pick is priced on the latest
stored line. Two kinds of refresh serve them:

- a *closing* refresh `CLOSING_LEAD` before a lock cluster (games locking within
  `CLOSING_WINDOW` of the refresh share one), so the game's last line before lock is at most
  half an hour old (the closing line CLV is measured against);
- *tiles* spaced `spacing` apart (2 h when credits are thin, down to 30 min when they are
  not), back from the day's first closing refresh to the morning's seed fetch and through any
  wider gap between closing refreshes, so a pick made in those hours sees a line at most
  `spacing` old. Each closing refresh also serves the picks made after it.

When the share buys the whole plan at 2 h spacing, the spacing halves (1 h, then 30 min) while
the plan still fits. When it does not (500 credits a month buy three or four odds calls a day
on top of the seed's), every call has to count twice, so the thin plan is chosen rather than
cut: `best_refreshes` picks the times that serve a model of the day's picks best (`PickModel`:
three quarters of a game's picks in the three hours before its lock, most in the last hour,
the rest from the morning on), counting a pick as served when the line it sees is at most 2 h
old, plus `CLOSING_WEIGHT` for each game whose last line before lock is at most 30 min old.
That puts a refresh a couple of hours before the first tip-offs, and closing refreshes on the
biggest clusters placed so they also serve the picks that follow them.

Live scores (`live-scores` kind, 1 credit, scores without `daysFrom`) get what the odds calls
leave once the day's odds plan is whole (with 500 credits that is the month's last day, when
the reserve is released, and days after quiet ones): a few credits go near the expected end of
the biggest clusters' games (`GAME_LENGTH` after tip-off), so their finals can be seen and
graded at once; more buy an even cadence over the minutes a game may be in play (three hours
from each tip-off), never tighter than one call a minute (with 20000 credits a month: every
minute; a day with afternoon and evening games may take up to `RICH_STRETCH` times its share
for it once its odds run every 30 min). On a thin day (`THIN_LIVE_CALLS`) the odd credit rolls
forward to buy odds calls.

Thin budget: when today's share cannot buy one odds call the plan is empty and marked
`fallback`: only the seed's two calls run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, wraps
from itertools import pairwise
from typing import ParamSpec

ODDS, LIVE = "odds", "live-scores"
RESERVE = 20  # credits kept for the results job until the month's last day
CLOSING_LEAD = timedelta(minutes=3)  # a closing refresh this long before its cluster's lock
CLOSING_WINDOW = timedelta(minutes=30)  # a closing line at most this old at lock counts
SPACINGS = (timedelta(hours=2), timedelta(hours=1), timedelta(minutes=30))
GAME_LENGTH = timedelta(hours=2, minutes=30)  # tip-off to the expected final (NBA)
LIVE_MIN_INTERVAL = timedelta(minutes=1)
LIVE_TAIL = timedelta(hours=3)  # a game may be in play this long after its tip-off
RICH_STRETCH = 3  # a day with odds every 30 min may spend this times its share on live scores
PICKING_HOURS = timedelta(hours=12)  # how far back tiles go when no morning fetch is known
# The pick model of thin days (PickModel): most picks come in the hours before tip-off.
RUSH = timedelta(hours=3)
RUSH_SHARE = 0.75
FRESH = timedelta(hours=2)  # a pick on a line at most this old counts as fresh
# A game's closing line, against the freshness of all its picks (one unit). Tuned on the credits
# bench (`python -m bench credits`, 500 credits): 0.8 gave 77 % of games a closing line, 1.1 to
# 1.3 give 83 % for 71 % rather than 72 % of picks on a line at most 2 h old.
CLOSING_WEIGHT = 1.2
GRID = timedelta(minutes=5)
# Live calls a day while the odds plan is cut short: none, the credits roll forward to buy odds
# calls (on the bench, one a day cost 5 points of closing lines and gave a median live score
# an hour old; a live call cannot even see a final once the game has left the live list).
THIN_LIVE_CALLS = 0

P = ParamSpec("P")


@dataclass(frozen=True)
class PlannedCall:
    at: datetime  # UTC, whole minutes: also the job slot
    kind: str  # ODDS or LIVE
    cost: int
    reason: str


@dataclass(frozen=True)
class DayPlan:
    calls: tuple[PlannedCall, ...]
    projected_spend: int  # the month's, if the days left spend like today
    fallback: bool  # thin budget: the seed's two calls only
    allowance: int  # today's share of the spare credits
    spare: int  # the month's spare credits at the start of the day
    note: str = ""

    @property
    def cost(self) -> int:
        return sum(call.cost for call in self.calls)


@dataclass(frozen=True)
class _Refresh:
    at: datetime
    games: int
    reason: str
    closing: bool = False
    order: int = 0  # priority among tiles (smaller first)


def spare_credits(
    *, budget: int, used: int, seed_committed: int, last_day: bool, reserve: int = RESERVE
) -> int:
    """What the planner may spend this month beyond the seed's jobs and the results reserve."""
    held = 0 if last_day else reserve
    return max(0, budget - used - seed_committed - held)


def daily_allowance(spare: int, days_left: int) -> int:
    """Today's even share of the spare credits (whole credits; a remainder rolls forward)."""
    return spare // max(1, days_left)


def may_spend(
    *, cost: int, used_now: int, budget: int, seed_committed: int, last_day: bool
) -> bool:
    """Checked right before a planned call: the seed's remaining runs and the reserve stay
    covered whatever the plan said, so the planner can never eat the results job's credits."""
    return used_now + cost <= budget - seed_committed - (0 if last_day else RESERVE)


def _remembered(compute: Callable[P, DayPlan]) -> Callable[P, DayPlan]:
    """`compute` remembered per distinct day: the same inputs give the same plan all day and
    the planner asks every minute. The tip-offs are sorted into a tuple, so they can be a key
    (and their order does not matter)."""
    cached = lru_cache(maxsize=64)(compute)

    @wraps(compute)
    def plan(*args: P.args, **kwargs: P.kwargs) -> DayPlan:
        kwargs["tip_offs"] = tuple(sorted(kwargs["tip_offs"]))  # type: ignore[arg-type]
        return cached(*args, **kwargs)

    return plan


@_remembered
def plan_day(
    *,
    tip_offs: Sequence[datetime],
    used: int,
    budget: int,
    seed_committed: int,
    days_left: int,
    lock_minutes: int = 0,
    morning_fetch: datetime | None = None,
    odds_cost: int = 3,
    live_cost: int = 1,
) -> DayPlan:
    """Today's planned calls (see the module docstring for the reasoning).

    `tip_offs`: every game of today's slate (UTC); `used`: the month's credits spent before
    today began; `seed_committed`: what the seed crons will still spend from today's start to
    the month's end; `days_left`: days left in the month, today included; `morning_fetch`: when
    today's seed odds fetch runs (tiles stop where its line is still fresh).

    The same inputs give the same plan all day, so it is computed once and remembered (the
    planner asks every minute).
    """
    last_day = days_left <= 1
    spare = spare_credits(
        budget=budget, used=used, seed_committed=seed_committed, last_day=last_day
    )
    allowance = daily_allowance(spare, days_left)
    base = used + seed_committed
    if not tip_offs:
        return DayPlan((), base, False, allowance, spare, "no games today")
    if allowance < odds_cost:
        note = f"thin budget: {allowance} credit(s) today buy no odds call; seed calls only"
        return DayPlan((), base, True, allowance, spare, note)
    locks = sorted(_minute(t) - timedelta(minutes=lock_minutes) for t in tip_offs)
    odds = _odds_calls(locks, morning_fetch, allowance // odds_cost, odds_cost)
    live_credits = allowance - sum(call.cost for call in odds)
    if len(odds) >= len(_full_plan(locks, morning_fetch, SPACINGS[-1])):
        # Odds every 30 min and credits to spare: a long game day (an afternoon and an
        # evening) may take up to RICH_STRETCH times its even share for live scores; the
        # quieter days' leftovers pay for it.
        live_credits = min(spare, int(allowance * RICH_STRETCH)) - sum(c.cost for c in odds)
    affordable_live = live_credits // live_cost
    if len(odds) < len(_full_plan(locks, morning_fetch)):
        # Odds calls are still missing: live scores get one call, the rest rolls forward.
        affordable_live = min(affordable_live, THIN_LIVE_CALLS)
    live = _live_calls(sorted(tip_offs), affordable_live, live_cost)
    calls = tuple(sorted(odds + live, key=lambda call: (call.at, call.kind)))
    cost = sum(call.cost for call in calls)
    projected = base + min(spare, cost * days_left)
    return DayPlan(calls, projected, False, allowance, spare)


# ------------------------------------------------------------------------------ odds refreshes


def closing_refreshes(locks: Sequence[datetime]) -> list[_Refresh]:
    """Greedy cover in time order: a refresh CLOSING_LEAD before the first lock not yet
    covered, covering every lock within CLOSING_WINDOW after it (and after the refresh)."""
    refreshes: list[_Refresh] = []
    index = 0
    while index < len(locks):
        at = locks[index] - CLOSING_LEAD
        covered = [lock for lock in locks[index:] if lock <= at + CLOSING_WINDOW]
        index += len(covered)
        refreshes.append(
            _Refresh(at, len(covered), f"closing lines for {_games(len(covered))}", closing=True)
        )
    return refreshes


def tiles(closings: Sequence[datetime], start: datetime, spacing: timedelta) -> list[_Refresh]:
    """Refreshes every `spacing` back from each closing refresh to the one before it (the
    first one back to `start`, the morning fetch): no stretch of picking hours longer than
    `spacing` without a new line. Ordered by priority: the day's first gap (the main picking
    hours before the evening's games) nearest first, then the later gaps."""
    anchors = [start, *sorted(closings)]
    reason = f"fresh lines for picks ({_span(spacing)} spacing)"
    result: list[_Refresh] = []
    for gap, (earlier, later) in enumerate(pairwise(anchors)):
        at, step = later - spacing, 0
        while at > earlier:
            result.append(_Refresh(at, 0, reason, order=gap * 1000 + step))
            at, step = at - spacing, step + 1
    return sorted(result, key=lambda refresh: refresh.order)


def _odds_calls(
    locks: list[datetime], morning_fetch: datetime | None, affordable: int, cost: int
) -> list[PlannedCall]:
    """The whole plan at the finest spacing that fits; when not even the 2 h plan fits, the
    best `affordable` refreshes under the pick model (`best_refreshes`)."""
    closings = closing_refreshes(locks)
    start = morning_fetch if morning_fetch is not None else locks[0] - PICKING_HOURS
    chosen: list[_Refresh] = []
    for spacing in SPACINGS:
        fills = tiles([c.at for c in closings], start, spacing)
        if len(closings) + len(fills) > affordable:
            break
        chosen = closings + fills  # the whole plan fits: try a finer spacing
    if not chosen:
        chosen = best_refreshes(locks, start, affordable)
    return [PlannedCall(r.at, ODDS, cost, r.reason) for r in chosen]


# ------------------------------------------------------------------------------ thin days


@dataclass(frozen=True)
class PickModel:
    """Where a day's picks are expected, minute by minute from the morning fetch.

    Each game carries one unit of picks: `RUSH_SHARE` of it in the `RUSH` before its lock,
    rising linearly to the lock (a triangular density: most picks in the last hour), the rest
    spread evenly from the morning fetch to the start of the rush. `mass` holds the running
    total per minute, so the picks between two minutes are one subtraction.
    """

    start: datetime
    locks: tuple[datetime, ...]
    mass: tuple[float, ...]  # mass[i]: expected picks made before start + i minutes

    @classmethod
    def build(cls, locks: Sequence[datetime], start: datetime) -> PickModel:
        minutes = max(1, _minutes(max(locks) - start) + 1)
        density = [0.0] * minutes
        rush = _minutes(RUSH)
        for lock in locks:
            end = _minutes(lock - start)
            rush_from = max(0, end - rush)
            tail = RUSH_SHARE if end - rush > 0 else 1.0
            width = end - rush_from
            for minute in range(rush_from, min(end, minutes)):
                # share of a triangle rising over `width` minutes, in minute `minute`
                x0, x1 = (minute - rush_from) / width, (minute + 1 - rush_from) / width
                density[minute] += tail * (x1 * x1 - x0 * x0) if width else 0.0
            if rush_from > 0:
                for minute in range(rush_from):
                    density[minute] += (1.0 - RUSH_SHARE) / rush_from
        running, total = [0.0], 0.0
        for value in density:
            total += value
            running.append(total)
        return cls(start, tuple(sorted(locks)), tuple(running))

    def fresh(self, fetches: Sequence[datetime]) -> float:
        """Expected picks made on a line at most FRESH old, given these fetch times (and the
        morning fetch at `start`)."""
        covered, end_of_day = 0.0, len(self.mass) - 1
        reach = -1
        for at in sorted({self.start, *fetches}):
            first = max(_minutes(at - self.start), reach, 0)
            reach = max(reach, min(end_of_day, _minutes(at - self.start) + _minutes(FRESH)))
            if reach > first:
                covered += self.mass[reach] - self.mass[first]
        return covered

    def closing(self, fetches: Sequence[datetime]) -> float:
        """Games whose last fetch before lock is within CLOSING_WINDOW of it, a later fetch
        counting slightly more (the closing line is best taken shortly before the lock)."""
        ordered = sorted(fetches)
        score = 0.0
        for lock in self.locks:
            before = [at for at in ordered if at < lock]
            if before and lock - before[-1] <= CLOSING_WINDOW:
                score += 1.0 - 0.1 * ((lock - before[-1]) / CLOSING_WINDOW)
        return score

    def value(self, fetches: Sequence[datetime]) -> float:
        return self.fresh(fetches) + CLOSING_WEIGHT * self.closing(fetches)


def best_refreshes(locks: Sequence[datetime], start: datetime, count: int) -> list[_Refresh]:
    """The `count` refresh times that serve the pick model best (fresh picks plus
    CLOSING_WEIGHT per game with a closing line), among the closing times (CLOSING_LEAD before
    each lock) and a GRID of times from the morning fetch to the last lock.

    Greedy, then single moves while any improves the value: a few thousand evaluations of a
    handful of subtractions each, so the plan stays cheap enough to compute on every tick.
    """
    model = PickModel.build(locks, start)
    candidates = sorted(
        {lock - CLOSING_LEAD for lock in locks if lock - CLOSING_LEAD > start}
        | set(_grid(start + GRID, max(locks), GRID))
    )
    chosen: list[datetime] = []
    for _ in range(min(count, len(candidates))):
        best = max(
            (c for c in candidates if c not in chosen), key=lambda c: model.value([*chosen, c])
        )
        chosen.append(best)
    improved = True
    while improved:
        improved = False
        current = model.value(chosen)
        for index in range(len(chosen)):
            for candidate in candidates:
                if candidate in chosen:
                    continue
                trial = [*chosen[:index], candidate, *chosen[index + 1 :]]
                if model.value(trial) > current + 1e-9:
                    chosen, current, improved = trial, model.value(trial), True
    return [_explain(model, at, chosen) for at in sorted(chosen)]


def _explain(model: PickModel, at: datetime, chosen: Sequence[datetime]) -> _Refresh:
    """Why a chosen refresh is there: the games whose closing line it is, or the picks it
    serves (the share of the day's expected picks it is the freshest line for)."""
    later = [other for other in chosen if other > at]
    until = min(later) if later else at + FRESH
    closes = [lock for lock in model.locks if at < lock <= at + CLOSING_WINDOW and lock <= until]
    if closes:
        return _Refresh(at, len(closes), f"closing lines for {_games(len(closes))}", closing=True)
    without = [other for other in chosen if other != at]
    share = (model.fresh(chosen) - model.fresh(without)) / max(1e-9, len(model.locks))
    return _Refresh(at, 0, f"fresh lines for picks (~{share:.0%} of the day's picks)")


def _grid(first: datetime, last: datetime, step: timedelta) -> list[datetime]:
    times, at = [], first
    while at < last:
        times.append(at)
        at += step
    return times


def _minutes(delta: timedelta) -> int:
    return int(delta / timedelta(minutes=1))


def _full_plan(
    locks: list[datetime], morning_fetch: datetime | None, spacing: timedelta = SPACINGS[0]
) -> list[_Refresh]:
    """Every closing refresh and every tile at `spacing` (the widest: the thin plan's target)."""
    closings = closing_refreshes(locks)
    start = morning_fetch if morning_fetch is not None else locks[0] - PICKING_HOURS
    return closings + tiles([c.at for c in closings], start, spacing)


# ------------------------------------------------------------------------------ live scores


def _live_calls(tip_offs: list[datetime], affordable: int, cost: int) -> list[PlannedCall]:
    """Near the expected finals of the biggest clusters when credits are few; an even cadence
    over the game window (never faster than a minute) when they are not."""
    if affordable <= 0:
        return []
    clusters = _tip_clusters(tip_offs)
    if affordable <= len(clusters):
        biggest = sorted(clusters, key=lambda tip: (-clusters[tip], tip))[:affordable]
        return [
            PlannedCall(
                _minute(tip + GAME_LENGTH),
                LIVE,
                cost,
                f"expected finals of the {_games(clusters[tip])} tipping at this cluster",
            )
            for tip in biggest
        ]
    minutes = game_minutes(tip_offs)
    interval = max(1, math.ceil(len(minutes) / affordable))
    reason = f"live scores every {_span(timedelta(minutes=interval))} during games"
    chosen = minutes[interval - 1 :: interval][:affordable]
    return [PlannedCall(at, LIVE, cost, reason) for at in chosen]


def game_minutes(tip_offs: Iterable[datetime]) -> list[datetime]:
    """Every minute some game may be in play: from a minute after each tip-off to LIVE_TAIL
    after it. An afternoon game and the evening's leave a gap between them that no live call
    is spent on."""
    minutes: set[datetime] = set()
    for tip in tip_offs:
        start = _minute(tip)
        minutes.update(start + LIVE_MIN_INTERVAL * k for k in range(1, _minutes(LIVE_TAIL) + 1))
    return sorted(minutes)


def _tip_clusters(tip_offs: Iterable[datetime]) -> dict[datetime, int]:
    clusters: dict[datetime, int] = {}
    for tip in tip_offs:
        clusters[_minute(tip)] = clusters.get(_minute(tip), 0) + 1
    return clusters


# ------------------------------------------------------------------------------ helpers


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _games(count: int) -> str:
    return f"{count} game{'s' if count != 1 else ''}"


def _span(delta: timedelta) -> str:
    minutes = int(delta / timedelta(minutes=1))
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"
