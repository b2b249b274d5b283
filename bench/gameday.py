"""Game day in the credits bench: how fresh the lines players pick on are, per schedule.

One month shaped like a real NBA month (`tests.fake_provider.NbaMonth`: weeknight tip-off
clusters at 7:00, 7:30, 8:00, 9:00 and 10:00 pm ET, weekend afternoons; lines that move between
fetches; live scores without daysFrom), the same seeded pick times for every schedule, and
three schedules side by side:

- **seed**: `PICKVS_PLANNER=false`, the two cron jobs only (05:00 odds, 09:00 results), driven
  through `scheduler.run_scheduled` at the triggers' fire times, as the month bench does.
- **planner**: the same crons plus `pickvs.jobs.planner.planner_tick(clock)` every simulated
  minute while anything can be due (see `_next_tick`), against the same fake over HTTP.
- **ceiling**: `bench.optimum` per league day, knowing the day's pick times, with as many odds
  calls as the planner made that day (the planner's credits, spent with hindsight).

Players pick at their drawn times through `services.picks.submit_picks`: a pick is priced on the
latest stored line, and its line's age is the time since that game's latest fetch.

The simulated span is the budget's month (the ledger counts calendar months in UTC): from 05:00
ET on the 1st to 00:00 UTC on the 1st of the next month, i.e. 8 pm ET on the last day. Games
tipping later are outside the month's budget and outside every measure.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from random import Random

from sqlalchemy import func, select
from sqlmodel import Session

from bench import optimum
from bench.common import Context, Measure, live_settings, register_players, scratch_database
from pickvs import db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.domain.markets import H2H, SPREADS, TOTALS
from pickvs.domain.slate import slate_bounds, slate_day
from pickvs.jobs import scheduler
from pickvs.models import ApiCall, Game, OddsLine, User
from pickvs.services import ledger
from pickvs.services.errors import BatchRejected
from pickvs.services.picks import PickPolicy, PickRequest, submit_picks
from tests.fake_provider import FakeOddsApi, NbaMonth, NbaMonthProvider

SEED, PLANNER, CEILING = "seed", "planner", "ceiling"
MONTH_START = date(2027, 3, 1)
MONTH_DAYS = 31
PLAYERS = 12
PICK_SHARE = 0.6  # a player picks about this share of a day's games
MARKET_COUNTS = (1, 1, 1, 2, 2, 3)  # markets a player takes on a game they pick
NEAR_TIP = timedelta(hours=3)  # most picks come in the three hours before tip-off ...
NEAR_TIP_SHARE = 0.75
MORNING = time(9)  # ... the rest from the morning on
FRESH = timedelta(hours=2)
CLOSING = timedelta(minutes=30)
CLOSING_TARGET = 0.8  # of games with picks, at 500 credits
LIVE_FRESH = timedelta(seconds=60)
LIVE_SAMPLE = timedelta(seconds=10)  # live score ages sampled mid-way through every 10 s
RESULTS_RESERVE = 20
TICK = timedelta(minutes=1)
GAME_OVER = timedelta(hours=3, minutes=30)
STEP_BY_PLAN = True  # False: tick every minute (slow; the stepping's check)
PLAN_RECHECK = timedelta(minutes=30)


@dataclass(frozen=True)
class PlannedPick:
    """One player's picks on one game, made together at `at` (a batch, as the slate sends)."""

    at: datetime
    player: int
    game_id: str
    tip: datetime
    requests: tuple[tuple[str, str], ...]  # (market, selection)


@dataclass
class Run:
    """What one schedule did over the month, read back from its database and the fake."""

    schedule: str
    backend: str
    budget: int
    ages: list[timedelta | None] = field(default_factory=list)  # per pick; None: no line
    pick_times: list[datetime] = field(default_factory=list)
    closing: dict[str, timedelta | None] = field(default_factory=dict)  # game -> lock - fetch
    odds_calls: list[datetime] = field(default_factory=list)
    live_calls: list[datetime] = field(default_factory=list)
    spend: Counter[str] = field(default_factory=Counter)
    ledger_credits: int = 0
    provider_credits: int = 0
    peak_before_last_day: int = 0
    over_budget: bool = False
    ticks: int = 0
    runs: Counter[str] = field(default_factory=Counter)
    crash: str | None = None


@dataclass(frozen=True)
class Month:
    """The month every schedule plays: its shape, the fake's games, the players' pick times."""

    shape: NbaMonth
    seed: int
    start: datetime
    end: datetime
    picks: tuple[PlannedPick, ...]
    games: dict[str, tuple[datetime, datetime]]  # id -> (tip, final whistle)

    @classmethod
    def build(cls, days: int, seed: int, players: int = PLAYERS) -> Month:
        shape = NbaMonth.seeded(MONTH_START, days=days, seed=seed)
        start = _league_moment(MONTH_START, time(5))
        last_day = MONTH_START + timedelta(days=days - 1)
        end = min(
            _next_utc_month(start),
            _league_moment(last_day + timedelta(days=1), time(0)) + GAME_OVER,
        )
        provider = NbaMonthProvider(shape, seed)
        games = {
            game.id: (game.commence_time, game.commence_time + game.length)
            for day in shape.month
            for game in provider.games_on(day)
        }
        picks = draw_picks(provider, shape, seed, players, start, end)
        return cls(shape, seed, start, end, tuple(picks), games)

    def provider(self) -> NbaMonthProvider:
        return NbaMonthProvider(self.shape, self.seed)

    @property
    def last_day(self) -> date:
        return slate_day(self.end - timedelta(microseconds=1), settings.tz)


# ------------------------------------------------------------------------------ pick times


def draw_picks(
    provider: NbaMonthProvider,
    shape: NbaMonth,
    seed: int,
    players: int,
    start: datetime,
    end: datetime,
) -> list[PlannedPick]:
    """Seeded pick times from a game-day curve: 3/4 in the 3 h before tip, skewed towards it."""
    rng = Random(f"bench-gameday:{seed}")
    picks: list[PlannedPick] = []
    for day in shape.month:
        for game in provider.games_on(day):
            for player in range(players):
                if rng.random() >= PICK_SHARE:
                    continue
                at = pick_moment(rng, game.commence_time, day)
                markets = rng.sample((H2H, SPREADS, TOTALS), rng.choice(MARKET_COUNTS))
                requests = tuple(
                    (m, _selection(rng, m, game.home_team, game.away_team)) for m in markets
                )
                if start <= at < end:
                    picks.append(PlannedPick(at, player, game.id, game.commence_time, requests))
    return sorted(picks, key=lambda pick: (pick.at, pick.player, pick.game_id))


def pick_moment(rng: Random, tip: datetime, day: date) -> datetime:
    """A whole minute before `tip`: near it with density rising to tip-off, else from 9 am on."""
    morning = _league_moment(day, MORNING)
    near_start = tip - NEAR_TIP
    if rng.random() < NEAR_TIP_SHARE or near_start <= morning:
        before = NEAR_TIP * (1 - math.sqrt(rng.random()))
    else:
        before = (tip - morning) - (near_start - morning) * rng.random()
    minutes = max(1, math.ceil(before / timedelta(minutes=1)))
    return tip - timedelta(minutes=minutes)


def _selection(rng: Random, market: str, home: str, away: str) -> str:
    return rng.choice(("Over", "Under")) if market == TOTALS else rng.choice((home, away))


# ------------------------------------------------------------------------------ one schedule


def simulate(month: Month, schedule: str, backend: str, workdir: Path, budget: int) -> Run:
    """Play `month` under `schedule` on a fresh database of `backend`; never raises."""
    run = Run(schedule, backend, budget)
    clock = FixedClock(month.start)
    tick = _planner_tick() if schedule == PLANNER else None
    if schedule == PLANNER and tick is None:
        run.crash = "pickvs.jobs.planner.planner_tick is not on this branch yet"
        return run
    with (
        scratch_database(backend, workdir) as url,
        FakeOddsApi(clock=clock, provider=month.provider(), monthly_credits=budget) as fake,
        live_settings(fake.base_url, budget, planner=schedule == PLANNER),
        _quiet_jobs(),
        _one_tls_context(),
    ):
        engine = db.configure(url)
        try:
            _play(run, month, clock, fake, tick)
        except Exception as exc:  # reported on the line, never hides the other schedules
            run.crash = f"{type(exc).__name__}: {exc}"
        _read_back(run, month, fake)
        engine.dispose()
    return run


TickFn = Callable[[FixedClock], object]


def _planner_tick() -> TickFn | None:
    try:
        from pickvs.jobs.planner import planner_tick
    except ImportError:
        return None
    return planner_tick


def _play(
    run: Run, month: Month, clock: FixedClock, fake: FakeOddsApi, tick: TickFn | None
) -> None:
    users = register_players(clock, 1 + max((p.player for p in month.picks), default=0), "gameday")
    policy = PickPolicy(settings.lock_minutes, settings.bookmakers)
    last_day_start = slate_bounds(month.last_day, settings.tz)[0]
    cron = _cron_times(month.start, month.end)
    batches: dict[datetime, list[PlannedPick]] = defaultdict(list)
    for pick in month.picks:
        batches[pick.at].append(pick)
    moments = sorted(set(cron) | set(batches) | {month.start})
    next_tick = month.start if tick is not None else None
    ticker = _Ticker()
    index = 0
    while index < len(moments) or next_tick is not None:
        upcoming = moments[index] if index < len(moments) else None
        now = min(t for t in (upcoming, next_tick) if t is not None)
        if now >= month.end:
            break
        clock.set(now)
        if now == month.start:
            _record_runs(run, scheduler.catch_up(clock))
        for name in cron.get(now, ()):
            _record_runs(run, [scheduler.run_scheduled(name, clock)])
            if tick is not None:  # the plan may change with what the job stored
                next_tick = now
                ticker.stale()
        if tick is not None and next_tick == now:
            _record_runs(run, tick(clock))
            run.ticks += 1
            next_tick = ticker.after(now)
        for pick in batches.get(now, ()):
            _make_pick(run, users[pick.player], pick, policy)
        if upcoming == now:
            index += 1
        used = fake.credits_used
        run.over_budget |= used > run.budget
        if now < last_day_start:
            run.peak_before_last_day = max(run.peak_before_last_day, used)


class _Ticker:
    """When the next planner tick can do anything: today's next planned call, else a re-check
    within `PLAN_RECHECK` or at the next league day (its new plan); a cron run ticks too (see
    `_play`). The scheduler ticks every minute and a tick runs only calls whose planned time
    has come, so the minutes skipped here are ticks that would have done nothing. The plan's
    times are read at most every `PLAN_RECHECK` (and after a cron run, and on a new day).
    With `STEP_BY_PLAN` off, every minute (what the scheduler does; a check of the stepping)."""

    def __init__(self) -> None:
        self.times: list[datetime] = []
        self.read_at: datetime | None = None
        self.day: date | None = None

    def stale(self) -> None:
        self.read_at = None

    def after(self, now: datetime) -> datetime:
        if not STEP_BY_PLAN:
            return now + TICK
        from pickvs.services import planning

        day = slate_day(now, settings.tz)
        if self.read_at is None or now >= self.read_at + PLAN_RECHECK or day != self.day:
            # Yesterday's plan too: its late calls (games past midnight) may still be due.
            yesterday = slate_bounds(day, settings.tz)[0] - timedelta(microseconds=1)
            config = planning.current_settings()
            with db.session_scope() as session:
                calls = [
                    call.at
                    for moment in (yesterday, now)
                    for call in planning.day_plan(session, moment, config).calls
                ]
            self.times, self.read_at, self.day = sorted(calls), now, day
        day_end = slate_bounds(day, settings.tz)[1]
        upcoming = self.times[bisect_right(self.times, now) :][:1]
        following = min([*upcoming, self.read_at + PLAN_RECHECK, day_end])
        return max(_whole_minute_up(following), now + TICK)


def _whole_minute_up(moment: datetime) -> datetime:
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + TICK


def _cron_times(start: datetime, end: datetime) -> dict[datetime, list[str]]:
    """Every fire time of the two daily jobs in the month (the real triggers)."""
    times: dict[datetime, list[str]] = defaultdict(list)
    for name, trigger in scheduler.cron_triggers().items():
        fire = trigger.get_next_fire_time(None, start)
        while fire is not None and fire < end:
            times[fire.astimezone(UTC)].append(name)
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return times


def _record_runs(run: Run, job_runs: object) -> None:
    for job_run in job_runs or ():  # type: ignore[union-attr]
        if job_run is not None:
            run.runs[f"{job_run.job} {job_run.outcome}"] += 1


def _make_pick(run: Run, player: User, pick: PlannedPick, policy: PickPolicy) -> None:
    """Submit the batch at its time; each pick's line age is now minus the game's latest fetch."""
    now = pick.at
    requests = [PickRequest(pick.game_id, market, selection) for market, selection in pick.requests]
    with db.session_scope() as session:
        user = session.get(User, player.id)
        assert user is not None
        try:
            saved = submit_picks(session, user, requests, now, policy)
        except BatchRejected:
            saved = []
        latest = _latest_fetch(session, pick.game_id)
    age = now - _utc(latest) if saved and latest is not None else None
    for _ in requests:
        run.ages.append(age)
        run.pick_times.append(now)


def _latest_fetch(session: Session, game_id: str) -> datetime | None:
    stmt = select(func.max(OddsLine.fetched_at)).where(OddsLine.game_id == game_id)
    return session.execute(stmt).scalar_one_or_none()


# ------------------------------------------------------------------------------ reading back


def _read_back(run: Run, month: Month, fake: FakeOddsApi) -> None:
    lock = timedelta(minutes=settings.lock_minutes)
    picked = {pick.game_id for pick in month.picks}
    with db.session_scope() as session:
        run.ledger_credits = ledger.credits_used(session, month.end - timedelta(seconds=1))
        calls = list(session.execute(select(ApiCall).order_by(ApiCall.at, ApiCall.id)).scalars())
        games = {g.id: _utc(g.commence_time) for g in session.execute(select(Game)).scalars()}
        for game_id in sorted(picked):
            tip = games.get(game_id)
            if tip is None or tip - lock >= month.end:
                continue
            last = session.execute(
                select(func.max(OddsLine.fetched_at)).where(
                    OddsLine.game_id == game_id, OddsLine.fetched_at < tip - lock
                )
            ).scalar_one_or_none()
            run.closing[game_id] = None if last is None else tip - lock - _utc(last)
    run.provider_credits = fake.credits_used
    for call in calls:
        kind = call.endpoint.rsplit("/", 1)[-1]
        if call.outcome != "ok" or not call.credits_last:
            continue
        run.spend[kind] += call.credits_last
        if kind == "odds":
            run.odds_calls.append(_utc(call.at))
        elif kind == "scores" and call.estimated_cost == 1:
            run.live_calls.append(_utc(call.at))


# ------------------------------------------------------------------------------ the ceiling


@dataclass
class Ceiling:
    """The best schedule with the planner's odds calls per day, knowing the picks in hindsight."""

    calls: dict[date, int]
    fresh: int = 0
    picks: int = 0
    ages: list[timedelta | None] = field(default_factory=list)
    closing_chosen: int = 0  # games with picks whose lock the fresh-line schedule also covers
    closing_best: int = 0  # the most any schedule with these calls could cover
    games: int = 0


def ceiling(month: Month, calls_per_day: dict[date, int], fresh: timedelta = FRESH) -> Ceiling:
    """Per league day: `optimum.best_fetches` over 15-minute slots for the day's picks, each
    counted when priced on a line at most `fresh` old."""
    result = Ceiling(calls_per_day)
    chosen: list[datetime] = []
    for day in _hindsight_days(month):
        slots = [s for s in optimum.day_slots(day.start, day.end) if month.start <= s < month.end]
        minutes = [optimum.minutes_from(day.start, s) for s in slots]
        calls = calls_per_day.get(day.day, 0)
        best = optimum.best_fetches(day.picks, minutes, calls, _minutes(fresh))
        result.fresh += best.covered
        chosen += [day.start + timedelta(minutes=m) for m in best.slots]
        window = _minutes(CLOSING)
        result.closing_chosen += optimum.covered(day.locks, best.slots, window, before=True)
        result.closing_best += optimum.best_fetches(
            day.locks, minutes, calls, window, before=True
        ).covered
        result.games += len(day.locks)
    chosen.sort()
    for pick in month.picks:
        index = bisect_right(chosen, pick.at) - 1
        age = pick.at - chosen[index] if index >= 0 else None
        result.ages += [age] * len(pick.requests)
    result.picks = len(result.ages)
    return result


def both_aims(
    month: Month, calls_per_day: dict[date, int], closing_share: float = CLOSING_TARGET
) -> optimum.Frontier:
    """With the same calls per day as the ceiling, the most picks any schedule (any minutes)
    can price on a line at most FRESH old while `closing_share` of the games with picks get a
    closing line (`optimum.frontier`): whether the two 500-credit targets can be met at once."""
    days = [
        optimum.Day(
            tuple(day.picks),
            tuple(day.locks),
            calls_per_day.get(day.day, 0),
            max(0, optimum.minutes_from(day.start, month.start)),
        )
        for day in _hindsight_days(month)
    ]
    return optimum.frontier(days, closing_share, fresh=_minutes(FRESH), closing=_minutes(CLOSING))


@dataclass(frozen=True)
class _HindsightDay:
    """A league day as the offline optimum sees it: minutes from the day's start of every
    pick (one per market picked) and of every lock of a game with picks."""

    day: date
    start: datetime
    end: datetime
    picks: list[int]
    locks: list[int]


def _hindsight_days(month: Month) -> list[_HindsightDay]:
    tz, lock = settings.tz, timedelta(minutes=settings.lock_minutes)
    by_day: dict[date, list[datetime]] = defaultdict(list)
    for pick in month.picks:
        by_day[slate_day(pick.at, tz)].extend([pick.at] * len(pick.requests))
    locks: dict[date, list[datetime]] = defaultdict(list)
    for game_id in {pick.game_id for pick in month.picks}:
        tip = month.games[game_id][0]
        if tip - lock < month.end:
            locks[slate_day(tip - lock, tz)].append(tip - lock)
    days = []
    for day in month.shape.month:
        start, end = slate_bounds(day, tz)
        minutes = [optimum.minutes_from(start, t) for t in by_day.get(day, [])]
        shut = [optimum.minutes_from(start, t) for t in locks.get(day, [])]
        days.append(_HindsightDay(day, start, end, sorted(minutes), sorted(shut)))
    return days


def kept_crons(calls: dict[date, int], crons: dict[date, int]) -> dict[date, int]:
    """The calls a schedule may place freely once the seed's daily fetch (05:00, which the
    issue keeps: "the planner adds") is in place. That fetch prices no pick (picks start in
    the morning, hours later), so leaving it out of the ceiling's choice is the same as pinning
    it at 05:00."""
    return {day: max(0, count - crons.get(day, 0)) for day, count in calls.items()}


def calls_per_day(run: Run) -> dict[date, int]:
    return dict(Counter(slate_day(at, settings.tz) for at in run.odds_calls))


def even_split(month: Month, budget: int) -> dict[date, int]:
    """Without a planner run: the month's credits after results and the reserve, spread evenly
    over the game days in 3-credit odds calls."""
    days = [day for day in month.shape.month if month.shape.games_on(day)]
    share = budget * len(month.shape.month) // MONTH_DAYS
    spare = share - RESULTS_RESERVE - 2 * len(month.shape.month)
    per_day = max(1, spare // 3 // max(len(days), 1))
    return {day: per_day for day in days}


# ------------------------------------------------------------------------------ figures


def fresh_share(ages: list[timedelta | None], limit: timedelta = FRESH) -> float:
    return _share(sum(age is not None and age <= limit for age in ages), len(ages))


def closing_share(closing: dict[str, timedelta | None], limit: timedelta = CLOSING) -> float:
    return _share(sum(gap is not None and gap <= limit for gap in closing.values()), len(closing))


def median_age(ages: list[timedelta | None]) -> timedelta | None:
    known = [age for age in ages if age is not None]
    return statistics.median(known) if known else None


@dataclass(frozen=True)
class LiveFreshness:
    """The age of the live score a player sees, sampled every 10 s of every game in play."""

    median: timedelta | None  # None: no live score was ever seen during a game
    longest_gap: timedelta | None  # longest stretch of a game with no new live score
    longest_from: datetime | None  # when that stretch began
    share_fresh: float  # of samples with a score at most 60 s old
    samples: int


def live_freshness(month: Month, live_calls: list[datetime]) -> LiveFreshness:
    """A score comes from the latest live call made while the game was in play (tip on)."""
    calls = sorted(live_calls)
    ages: list[timedelta] = []
    seen = fresh = 0
    longest, longest_from = timedelta(0), None
    for tip, final in month.games.values():
        final = min(final, month.end)
        if final <= tip:
            continue
        inside = [
            c for c in calls[bisect_right(calls, tip - timedelta(microseconds=1)) :] if c < final
        ]
        marks = [tip, *inside, final]
        for a, b in pairwise(marks):
            if b - a > longest:
                longest, longest_from = b - a, a
        moment = tip + LIVE_SAMPLE / 2
        while moment < final:
            index = bisect_right(calls, moment) - 1
            if index >= 0 and calls[index] >= tip:
                ages.append(moment - calls[index])
                seen += 1
                fresh += ages[-1] <= LIVE_FRESH
            else:
                ages.append(moment - tip)
            moment += LIVE_SAMPLE
    return LiveFreshness(
        statistics.median(ages) if seen else None,
        longest if calls else None,
        longest_from if calls else None,
        _share(fresh, len(ages)),
        len(ages),
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _minutes(delta: timedelta) -> int:
    return int(delta // timedelta(minutes=1))


# ------------------------------------------------------------------------------ plumbing


def _league_moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=settings.tz).astimezone(UTC)


def _next_utc_month(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    """SQLite hands some datetimes back naive; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@contextmanager
def _quiet_jobs() -> Iterator[None]:
    """The jobs' info and warning lines stay out of the bench's output (the ledger keeps all)."""
    import logging

    loggers = [
        logging.getLogger(name) for name in ("pickvs.jobs", "pickvs.scheduler", "pickvs.planner")
    ]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.ERROR)
            logger.propagate = False
        yield
    finally:
        for logger, (level, propagate) in zip(loggers, saved, strict=True):
            logger.setLevel(level)
            logger.propagate = propagate


# ------------------------------------------------------------------------------ printed lines

PAID_BUDGET = 20000
FREE_BUDGET = 500


def run(ctx: Context) -> Iterator[Measure]:
    """The game-day lines of `python -m bench credits`, per backend, on one month and its picks."""
    days = MONTH_DAYS if ctx.scale >= 1 else max(1, round(MONTH_DAYS * ctx.scale))
    players = PLAYERS if ctx.scale >= 1 else max(3, round(PLAYERS * ctx.scale))
    month = Month.build(days, ctx.seed, players)
    for backend in ctx.backends:
        seed = simulate(month, SEED, backend, ctx.workdir, FREE_BUDGET)
        planner = simulate(month, PLANNER, backend, ctx.workdir, FREE_BUDGET)
        yield from compare(month, seed, planner)
        paid = simulate(month, PLANNER, backend, ctx.workdir, PAID_BUDGET)
        yield from paid_key(month, paid)


def compare(month: Month, seed: Run, planner: Run) -> Iterator[Measure]:
    """Seed, planner and ceiling side by side at 500 credits."""
    backend, has_planner = seed.backend, planner.crash is None
    calls = calls_per_day(planner) if has_planner else even_split(month, planner.budget)
    kept = kept_crons(calls, calls_per_day(seed))
    best, free = ceiling(month, kept), ceiling(month, calls)
    both = both_aims(month, kept)
    basis = (
        f"ceiling: the planner's {sum(calls.values())} odds calls, placed with hindsight, the "
        "05:00 fetch the issue keeps among them"
        if has_planner
        else f"ceiling: {sum(calls.values())} odds calls (budget spread evenly; no planner run)"
    )
    why = "" if has_planner else f"; planner: {planner.crash}"
    p_fresh, s_fresh = fresh_share(planner.ages), fresh_share(seed.ages)
    c_fresh, f_fresh = _share(best.fresh, best.picks), _share(free.fresh, free.picks)
    met = has_planner and p_fresh >= 0.9 * c_fresh and p_fresh >= 5 * s_fresh
    yield Measure(
        f"picks on a line fetched ≤ 2 h earlier, {planner.budget} credits",
        f"planner {_pct(p_fresh, has_planner)}, ceiling {_pct(c_fresh)}, seed {_pct(s_fresh)}",
        "planner ≥ 90 % of the ceiling's and ≥ 5x the seed's" + _together(both, best),
        met,
        backend,
        f"planner/ceiling {_ratio(p_fresh, c_fresh)}, planner/seed {_ratio(p_fresh, s_fresh)}; "
        f"median line age at a pick: planner {_age(median_age(planner.ages), has_planner)}, "
        f"ceiling {_age(median_age(best.ages))}, seed {_age(median_age(seed.ages))}; "
        f"{len(seed.ages)} picks by {len({p.player for p in month.picks})} players on "
        f"{len({p.game_id for p in month.picks})} games over {month.shape.days} days; {basis}; "
        f"with the 05:00 fetch moved too (not allowed: the issue keeps it) the ceiling is "
        f"{_pct(f_fresh)}, planner/that {_ratio(p_fresh, f_fresh)}; "
        + _both_aims(both, best, p_fresh)
        + why,
    )
    p_close, s_close = closing_share(planner.closing), closing_share(seed.closing)
    c_close, c_best = _share(best.closing_chosen, best.games), _share(best.closing_best, best.games)
    reachable = c_best >= CLOSING_TARGET
    yield Measure(
        f"games with picks whose last fetch before lock was ≤ 30 min before it, "
        f"{planner.budget} credits",
        f"planner {_pct(p_close, has_planner)}, seed {_pct(s_close)}, ceiling {_pct(c_close)}",
        "planner ≥ 80 %" + ("" if reachable else f"; unreachable: at best {_pct(c_best)}"),
        has_planner and p_close >= CLOSING_TARGET,
        backend,
        f"{len(seed.closing)} games with picks locked in the month; median gap lock - last "
        f"fetch: planner {_age(_median_gap(planner.closing), has_planner)}, seed "
        f"{_age(_median_gap(seed.closing))}; the ceiling's schedule is chosen for fresh lines; "
        f"the best any schedule with the same calls could do for closing lines: {_pct(c_best)}"
        + why,
    )
    yield _credits_measure(month, seed, planner)
    p_live, s_live = (
        live_freshness(month, planner.live_calls),
        live_freshness(month, seed.live_calls),
    )
    yield Measure(
        f"live score freshness during games, {planner.budget} credits",
        f"planner median {_age(p_live.median, has_planner)}, seed "
        f"{_age(s_live.median) if s_live.median else 'no live score'}",
        "reported",
        has_planner,
        backend,
        f"planner: {len(planner.live_calls)} live calls, longest stretch of a game without a new "
        f"score {_age(p_live.longest_gap, has_planner)}{_since(p_live, ' ')}, {_pct(p_live.share_fresh, has_planner)} "
        f"of game time with a score ≤ 60 s old; sampled every 10 s of {len(month.games)} games"
        + why,
    )


def _credits_measure(month: Month, seed: Run, planner: Run) -> Measure:
    has_planner = planner.crash is None
    runs = [seed, planner] if has_planner else [seed]
    kept = {r.schedule: r.budget - r.peak_before_last_day for r in runs}
    met = has_planner and all(
        not r.over_budget
        and r.budget - r.peak_before_last_day >= RESULTS_RESERVE
        and r.ledger_credits == r.provider_credits
        and r.crash is None
        for r in runs
    )
    return Measure(
        f"credits used, {planner.budget} credits",
        f"planner {planner.ledger_credits if has_planner else '—'}, seed {seed.ledger_credits} "
        f"of {planner.budget}",
        f"never over budget, ≥ {RESULTS_RESERVE} kept for results until the month's last day",
        met,
        seed.backend,
        "; ".join(
            f"{r.schedule}: {_spend(r)}, over budget {'yes' if r.over_budget else 'never'}, "
            f"{kept[r.schedule]} left before {month.last_day:%b %d}, ledger {r.ledger_credits} "
            f"= provider {r.provider_credits}, runs {_runs(r)}"
            + (f", {r.ticks} planner ticks" if r.ticks else "")
            for r in runs
        )
        + ("" if has_planner else f"; planner: {planner.crash}"),
    )


def paid_key(month: Month, paid: Run) -> Iterator[Measure]:
    """PICKVS_MONTHLY_CREDITS=20000: live every ≤ 60 s, lines ≤ 30 min old, closing ≤ 30 min."""
    backend, ok = paid.backend, paid.crash is None
    why = "" if ok else f"; planner: {paid.crash}"
    live = live_freshness(month, paid.live_calls)
    best = ceiling(month, calls_per_day(paid), fresh=CLOSING) if ok else None
    yield Measure(
        f"live scores during games, {paid.budget} credits",
        f"longest stretch without a new score {_age(live.longest_gap, ok)}",
        "≤ 60 s",
        ok and live.longest_gap is not None and live.longest_gap <= LIVE_FRESH,
        backend,
        f"{_since(live) or 'no live call'}; median age {_age(live.median, ok)}, {_pct(live.share_fresh, ok)} of game time ≤ 60 s "
        f"old; {len(paid.live_calls)} live calls; {_spend(paid)} of {paid.budget}, over budget "
        f"{'yes' if paid.over_budget else 'never'}" + why,
    )
    share = fresh_share(paid.ages, CLOSING)
    yield Measure(
        f"picks on a line ≤ 30 min old, {paid.budget} credits",
        _pct(share, ok),
        "≥ 95 %" + _unreachable(best and _share(best.fresh, best.picks), 0.95),
        ok and share >= 0.95,
        backend,
        f"median line age {_age(median_age(paid.ages), ok)}, ≤ 2 h: "
        f"{_pct(fresh_share(paid.ages), ok)}; {len(paid.ages)} picks; best with the same odds "
        f"calls placed with hindsight: {_pct(best and _share(best.fresh, best.picks), ok)}" + why,
    )
    close = closing_share(paid.closing)
    yield Measure(
        f"games with picks whose closing line was ≤ 30 min before lock, {paid.budget} credits",
        _pct(close, ok),
        "≥ 95 %" + _unreachable(best and _share(best.closing_best, best.games), 0.95),
        ok and close >= 0.95,
        backend,
        f"{len(paid.closing)} games; median gap {_age(_median_gap(paid.closing), ok)}" + why,
    )


def _since(live: LiveFreshness, lead: str = "") -> str:
    """When the longest stretch without a new live score began ("" when there was none)."""
    if live.longest_from is None:
        return ""
    at = live.longest_from.astimezone(settings.tz)
    return f"{lead}from {at:%b %d %H:%M %Z}"


def _unreachable(best: float | None, target: float) -> str:
    return (
        f"; unreachable with these calls: at best {_pct(best)}"
        if best is not None and best < target
        else ""
    )


def _together(both: optimum.Frontier, best: Ceiling) -> str:
    """The fresh-lines target's reach once the closing-lines target is kept too: shown, not
    waived, when no schedule with the same calls can meet both."""
    if both.bound is None or both.bound >= 0.9 * best.fresh:
        return ""
    return (
        f"; unreachable together with closing lines for {100 * CLOSING_TARGET:.0f} % of games: no "
        f"schedule with these calls that keeps them prices more than "
        f"{_pct(_share(int(both.bound), best.picks))} ({_ratio(both.bound, best.fresh)} the "
        "ceiling's)"
    )


def _both_aims(both: optimum.Frontier, best: Ceiling, p_fresh: float) -> str:
    if both.bound is None:
        return f"no schedule with these calls closes {both.needed} games"
    bound = both.bound / best.picks
    return (
        f"both aims with hindsight (closing lines for ≥ {both.needed} of {best.games} games, "
        f"any minute): at most {_pct(bound)}, a schedule found {_pct(_share(both.reached, best.picks))}"
        f" closing {both.reached_closing}; planner/that bound {_ratio(p_fresh, bound)}"
    )


def _median_gap(closing: dict[str, timedelta | None]) -> timedelta | None:
    return median_age(list(closing.values()))


def _spend(run: Run) -> str:
    odds, scores = run.spend["odds"], run.spend["scores"]
    live = len(run.live_calls)
    return f"odds {odds} ({len(run.odds_calls)} calls), live {live}, results {scores - live}"


def _runs(run: Run) -> str:
    return ", ".join(f"{key} {count}" for key, count in sorted(run.runs.items()))


def _pct(share: float | None, known: bool = True) -> str:
    return "—" if share is None or not known else f"{100 * share:.1f} %"


def _ratio(part: float, whole: float) -> str:
    return "∞" if whole == 0 and part > 0 else "—" if whole == 0 else f"{part / whole:.2f}x"


def _age(age: timedelta | None, known: bool = True) -> str:
    if age is None or not known:
        return "—"
    seconds = age.total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextmanager
def _one_tls_context() -> Iterator[None]:
    """The harness's own cost, not the app's: the provider client builds a TLS context per call
    (about 26 ms of CPU loading the CA store), unused against the loopback fake. Reusing one
    keeps a month of minute-by-minute live calls quick; every call still goes over HTTP."""
    import ssl

    original = ssl.create_default_context
    cache: dict[tuple[object, ...], ssl.SSLContext] = {}

    def shared(*args: object, **kwargs: object) -> ssl.SSLContext:
        key = (*args, *sorted(kwargs.items()))
        if key not in cache:
            cache[key] = original(*args, **kwargs)  # type: ignore[arg-type]
        return cache[key]

    ssl.create_default_context = shared  # type: ignore[assignment]
    try:
        yield
    finally:
        ssl.create_default_context = original
