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

When the share cannot buy the whole plan at 2 h spacing, calls are taken in priority order
(`_priority`): the closing refresh of the cluster with most games first, then the tile just
before the day's first closing refresh (the hours when most picks on the evening's games are
made), then closing refreshes by games, then the remaining tiles nearest first. When the share
buys it with room to spare, the spacing halves (1 h, then 30 min) while the plan still fits.

Live scores (`live-scores` kind, 1 credit, scores without `daysFrom`) get what the odds calls
leave. A few credits go near the expected end of the biggest clusters' games
(`GAME_LENGTH` after tip-off), so finals are seen and graded at once; more credits buy an even
cadence over the game window, never tighter than one call a minute.

Thin budget: when today's share cannot buy one odds call the plan is empty and marked
`fallback`: only the seed's two calls run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

ODDS, LIVE = "odds", "live-scores"
RESERVE = 20  # credits kept for the results job until the month's last day
CLOSING_LEAD = timedelta(minutes=3)  # a closing refresh this long before its cluster's lock
CLOSING_WINDOW = timedelta(minutes=30)  # a closing line at most this old at lock counts
SPACINGS = (timedelta(hours=2), timedelta(hours=1), timedelta(minutes=30))
GAME_LENGTH = timedelta(hours=2, minutes=30)  # tip-off to the expected final (NBA)
LIVE_MIN_INTERVAL = timedelta(minutes=1)
LIVE_TAIL = timedelta(hours=3)  # the cadence runs until this long after the last tip-off
PICKING_HOURS = timedelta(hours=12)
THIN_LIVE_CALLS = 1  # live calls a day while the odds plan is cut short (the rest rolls forward)  # how far back tiles go when no morning fetch is known


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


def _priority(closings: list[_Refresh], fills: list[_Refresh]) -> list[_Refresh]:
    """Biggest cluster's closing line, then the tile before the first closing refresh, then the
    other closings by games (earlier first on a tie), then the remaining tiles."""
    by_games = sorted(closings, key=lambda refresh: (-refresh.games, refresh.at))
    ordered = by_games[:1] + fills[:1] + by_games[1:] + fills[1:]
    return ordered


def _odds_calls(
    locks: list[datetime], morning_fetch: datetime | None, affordable: int, cost: int
) -> list[PlannedCall]:
    closings = closing_refreshes(locks)
    start = morning_fetch if morning_fetch is not None else locks[0] - PICKING_HOURS
    chosen: list[_Refresh] = []
    for spacing in SPACINGS:
        fills = tiles([c.at for c in closings], start, spacing)
        if len(closings) + len(fills) <= affordable:
            chosen = closings + fills  # the whole plan fits: try a finer spacing
            continue
        if not chosen:
            chosen = _priority(closings, fills)[:affordable]
        break
    return [PlannedCall(r.at, ODDS, cost, r.reason) for r in chosen]


def _full_plan(locks: list[datetime], morning_fetch: datetime | None) -> list[_Refresh]:
    """Every closing refresh and every tile at the widest spacing: the thin plan's target."""
    closings = closing_refreshes(locks)
    start = morning_fetch if morning_fetch is not None else locks[0] - PICKING_HOURS
    return closings + tiles([c.at for c in closings], start, SPACINGS[0])


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
    first, last = _minute(tip_offs[0]), _minute(tip_offs[-1] + LIVE_TAIL)
    minutes = int((last - first) / LIVE_MIN_INTERVAL)
    interval = max(1, math.ceil(minutes / affordable))
    step = timedelta(minutes=interval)
    reason = f"live scores every {_span(step)} during games"
    count = min(affordable, minutes // interval)
    return [PlannedCall(first + step * (k + 1), LIVE, cost, reason) for k in range(count)]


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
