"""Credits over a simulated NBA month: the real jobs, fired by the real cron triggers, on a moved
clock, against the fake Odds API over loopback HTTP, on a scratch database per backend.

The clock starts at 05:00 league time on the 1st of a 31-day month (March 2027: the switch to
daylight time on the 14th moves both jobs an hour in UTC). Fire times come from
`scheduler.cron_triggers()` (PICKVS_ODDS_CRON / PICKVS_RESULTS_CRON in PICKVS_TIMEZONE) and
every run goes through `scheduler.run_scheduled` or `scheduler.catch_up`, so the slot claim,
the lease, the budget check and the ledger are the production ones. The app starts once at the
beginning (its start-up catch-up and the 05:00 trigger claim the same slot: one run) and is
down for a morning mid-month (catch-up runs the missed jobs once). Players pick after each
odds fetch; at the end every pick on a finished game must be graded, at the provider's score.

What counts: a *paid call* is an odds or scores request that reached the provider (each attempt);
a *free look-up* is a `/events` request (0 credits, ledgered as such). A day with nothing to
fetch is judged from the fake's schedule, not from the jobs: for fetch-odds, no game on that
slate day or the next two; for process-results, no game on the day before.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import select
from sqlmodel import Session

from bench.common import Context, Measure, live_settings, register_players, scratch_database
from pickvs import db
from pickvs.config import settings
from pickvs.domain import budget as budget_rules
from pickvs.domain.clock import FixedClock
from pickvs.domain.markets import H2H, SPREADS, TOTALS
from pickvs.domain.slate import slate_day
from pickvs.jobs import scheduler
from pickvs.jobs.daily import FETCH_ODDS, PROCESS_RESULTS
from pickvs.models import ApiCall, Game, GameStatus, JobRun, OddsLine, Pick, User
from pickvs.services import ledger
from pickvs.services.errors import BatchRejected
from pickvs.services.picks import MAX_BATCH, PickPolicy, PickRequest, submit_picks
from tests.fake_provider import FakeOddsApi, MonthSchedule

MONTH_START = date(2027, 3, 1)
MONTH_DAYS = 31
TARGET_CREDITS = 160  # per 31 days (issue 4)
SMALL_BUDGET = 20
MAX_PER_DAY = 5  # one odds call (3) and one scores call with daysFrom (2)
PLAYERS = 4
RESTART_DAY = 12  # the app is down from 04:00 to 11:00 league time on this day of the month
DOWN_FROM, BACK_AT = time(4), time(11)
MARKET_CHOICES = (H2H, SPREADS, TOTALS)


@dataclass
class MonthReport:
    """What one simulated month did, read back from the ledger, the job runs and the fake."""

    backend: str
    days: int
    budget: int
    off_days: int
    ledger_credits: int = 0
    provider_credits: int = 0
    paid_calls: Counter[str] = field(default_factory=Counter)
    free_look_ups: int = 0
    idle_odds_days: list[date] = field(default_factory=list)
    idle_results_days: list[date] = field(default_factory=list)
    paid_on_idle_days: list[tuple[date, str]] = field(default_factory=list)
    free_on_idle_days: int = 0
    max_day_credits: int = 0
    peak_used: int = 0
    over_budget: bool = False
    runs: Counter[str] = field(default_factory=Counter)
    claimed_elsewhere: int = 0
    refusals: list[str] = field(default_factory=list)
    refused_runs: list[str] = field(default_factory=list)
    logged_refusals: int = 0
    crash: str | None = None
    games_due: int = 0
    games_final: int = 0
    scores_wrong: int = 0
    picks_made: int = 0
    picks_due: int = 0
    picks_graded: int = 0


def run(ctx: Context) -> Iterator[Measure]:
    """The seed's month (its invariants, with and without credits), then game day: seed, planner
    and ceiling side by side on an NBA-shaped month (`bench.gameday`)."""
    from bench import gameday  # it borrows this module's plumbing

    yield from run_seed_month(ctx)
    yield from gameday.run(ctx)


def run_seed_month(ctx: Context) -> Iterator[Measure]:
    """The cron jobs alone (PICKVS_PLANNER=false) on a month with off days and a break."""
    days = MONTH_DAYS if ctx.scale >= 1 else max(7, round(MONTH_DAYS * ctx.scale))
    target = math.ceil(TARGET_CREDITS * days / MONTH_DAYS)
    for backend in ctx.backends:
        month = simulate(backend, ctx.workdir, days=days, budget=500, seed=ctx.seed)
        yield from _month_measures(month, target)
        small = simulate(backend, ctx.workdir, days=days, budget=SMALL_BUDGET, seed=ctx.seed)
        yield _small_budget_measure(small)


# ------------------------------------------------------------------------------ the simulation


def simulate(backend: str, workdir: Path, *, days: int, budget: int, seed: int) -> MonthReport:
    """One month on a fresh database of `backend`; never raises (a crash is in the report)."""
    schedule = MonthSchedule.seeded(MONTH_START, days=days, seed=seed)
    report = MonthReport(backend, days, budget, off_days=len(schedule.off_days()))
    start = _league_moment(MONTH_START, time(5))
    clock = FixedClock(start)
    with (
        scratch_database(backend, workdir) as url,
        FakeOddsApi(clock=clock, schedule=schedule, seed=seed) as fake,
        live_settings(fake.base_url, budget, planner=False),  # the seed's two cron jobs only
        _captured_refusals() as logged,
    ):
        engine = db.configure(url)
        try:
            _play_month(report, clock, schedule, fake, seed)
        except Exception as exc:  # the point of the small-budget run: this must stay None
            report.crash = f"{type(exc).__name__}: {exc}"
        _read_back(report, schedule, fake, clock.now())
        report.logged_refusals = len(logged)
        engine.dispose()
    return report


def _play_month(
    report: MonthReport, clock: FixedClock, schedule: MonthSchedule, fake: FakeOddsApi, seed: int
) -> None:
    rng = Random(f"bench-credits:{seed}")
    players = register_players(clock, PLAYERS, "player")
    picked: set[tuple[int, str]] = set()
    for moment, kind, name in _timeline(schedule):
        clock.set(moment)
        if kind == "startup":
            runs = scheduler.catch_up(clock)
        else:
            runs = [scheduler.run_scheduled(name, clock)]
        for job_run in runs:
            if job_run is None:
                report.claimed_elsewhere += 1
                continue
            report.runs[f"{job_run.job} {job_run.outcome}"] += 1
            if job_run.outcome == "refused":
                report.refused_runs.append(job_run.error or "")
            if job_run.job == FETCH_ODDS:
                report.picks_made += _make_picks(players, picked, clock.now(), rng)
        with db.session_scope() as session:
            used = ledger.credits_used(session, clock.now())
        report.peak_used = max(report.peak_used, used, fake.credits_used)
        report.over_budget |= used > report.budget or fake.credits_used > report.budget


def _timeline(schedule: MonthSchedule) -> list[tuple[datetime, str, str]]:
    """Start-up, every cron fire time of the month, and a morning the app is down."""
    start = _league_moment(schedule.first_day, time(5))
    end = _league_moment(schedule.first_day + timedelta(days=schedule.days), time(0))
    restart = schedule.first_day + timedelta(days=RESTART_DAY - 1)
    down = (_league_moment(restart, DOWN_FROM), _league_moment(restart, BACK_AT))
    events = [(start, "startup", "")]
    if schedule.days >= RESTART_DAY:
        events.append((down[1], "startup", ""))
    for name, trigger in scheduler.cron_triggers().items():
        fire = trigger.get_next_fire_time(None, start)
        while fire is not None and fire < end:
            at = fire.astimezone(UTC)
            if not (schedule.days >= RESTART_DAY and down[0] <= at < down[1]):
                events.append((at, "schedule", name))
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return sorted(events, key=lambda event: (event[0], event[1] != "startup"))


def _make_picks(
    players: list[User], picked: set[tuple[int, str]], now: datetime, rng: Random
) -> int:
    """Each player picks about half the open, priced games they have not picked yet."""
    policy = PickPolicy(settings.lock_minutes, settings.bookmakers)
    made = 0
    with db.session_scope() as session:
        games = _open_priced_games(session, now)
        for player in players:
            user = session.get(User, player.id)
            assert user is not None
            chosen = [g for g in games if (player.id, g.id) not in picked and rng.random() < 0.5]
            requests = [_pick_request(game, rng) for game in chosen][:MAX_BATCH]
            for saved in _submit(session, user, requests, now, policy):
                picked.add((player.id or 0, saved.game_id))
                made += 1
    return made


def _submit(
    session: Session, user: User, requests: list[PickRequest], now: datetime, policy: PickPolicy
) -> list[Pick]:
    """All or nothing, as the API does; a rejected batch is resent without the named items."""
    if not requests:
        return []
    try:
        return submit_picks(session, user, requests, now, policy)
    except BatchRejected as rejected:
        bad = {index for index, _error in rejected.errors}
        rest = [request for index, request in enumerate(requests) if index not in bad]
        return submit_picks(session, user, rest, now, policy) if rest else []


def _open_priced_games(session: Session, now: datetime) -> list[Game]:
    priced = select(OddsLine.game_id).distinct()
    stmt = select(Game).where(
        Game.status == GameStatus.SCHEDULED, Game.commence_time > now, Game.id.in_(priced)
    )
    return list(session.execute(stmt.order_by(Game.commence_time, Game.id)).scalars())


def _pick_request(game: Game, rng: Random) -> PickRequest:
    market = rng.choice(MARKET_CHOICES)
    if market == TOTALS:
        return PickRequest(game.id, market, rng.choice(("Over", "Under")))
    return PickRequest(game.id, market, rng.choice((game.home_team, game.away_team)))


# ------------------------------------------------------------------------------ reading it back


def _read_back(
    report: MonthReport, schedule: MonthSchedule, fake: FakeOddsApi, now: datetime
) -> None:
    tz = settings.tz
    with db.session_scope() as session:
        calls = list(session.execute(select(ApiCall).order_by(ApiCall.id)).scalars())
        report.ledger_credits = ledger.credits_used(session, now)
        _read_games_and_picks(report, session, schedule, fake, now)
    report.provider_credits = fake.credits_used
    report.idle_odds_days = [d for d in schedule.month if not _odds_due(schedule, d)]
    report.idle_results_days = [d for d in schedule.month if not _results_due(schedule, d)]
    per_day: Counter[date] = Counter()
    for call in calls:
        day, kind = slate_day(call.at, tz), call.endpoint.rsplit("/", 1)[-1]
        if call.outcome == "refused":
            report.refusals.append(call.message or "")
            continue
        per_day[day] += call.credits_last or 0
        idle = (kind == "odds" and day in report.idle_odds_days) or (
            kind == "scores" and day in report.idle_results_days
        )
        if call.estimated_cost > budget_rules.FREE_CALL_COST:
            report.paid_calls[kind] += 1
            if idle:
                report.paid_on_idle_days.append((day, kind))
        else:
            report.free_look_ups += 1
            report.free_on_idle_days += day in report.idle_odds_days
    report.max_day_credits = max(per_day.values(), default=0)


def _odds_due(schedule: MonthSchedule, day: date) -> bool:
    """Some game tips on this slate day or the next two: the window the odds call covers."""
    window = budget_rules.ODDS_WINDOW_DAYS
    return any(schedule.games_on(day + timedelta(n)) for n in range(window))


def _results_due(schedule: MonthSchedule, day: date) -> bool:
    """Yesterday (inside the month, so the app knew its games) had games to settle."""
    yesterday = day - timedelta(days=1)
    return yesterday >= schedule.first_day and schedule.games_on(yesterday) > 0


def _read_games_and_picks(
    report: MonthReport, session: Session, schedule: MonthSchedule, fake: FakeOddsApi, now: datetime
) -> None:
    """Games that tipped before the last results run must be final at the provider's score."""
    last_results = session.execute(
        select(JobRun.started_at)
        .where(JobRun.job == PROCESS_RESULTS, JobRun.outcome.in_(("ok", "refused")))
        .order_by(JobRun.started_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    truth = {
        game.id: (game.home_score, game.away_score)
        for day in schedule.month
        for game in fake.provider.games_on(day)
    }
    games = list(session.execute(select(Game)).scalars())
    due = [
        g for g in games if last_results is not None and _utc(g.commence_time) < _utc(last_results)
    ]
    report.games_due = len(due)
    report.games_final = sum(g.status == GameStatus.FINAL for g in due)
    report.scores_wrong = sum(
        g.status == GameStatus.FINAL and truth.get(g.id) != (g.home_score, g.away_score)
        for g in due
    )
    due_ids = {g.id for g in due}
    picks = list(session.execute(select(Pick)).scalars())
    due_picks = [p for p in picks if p.game_id in due_ids]
    report.picks_due = len(due_picks)
    report.picks_graded = sum(p.status != "pending" for p in due_picks)


# ------------------------------------------------------------------------------ printing


def _month_measures(month: MonthReport, target: int) -> Iterator[Measure]:
    paid = month.paid_calls
    yield Measure(
        f"credits used in a simulated {month.days}-day month",
        f"{month.ledger_credits} credits by the ledger, {month.provider_credits} by the "
        "provider's counter",
        f"≤ {target}, ledger = provider",
        month.crash is None
        and month.ledger_credits <= target
        and month.ledger_credits == month.provider_credits,
        month.backend,
        f"{paid['odds']} odds + {paid['scores']} scores paid calls, {month.free_look_ups} free "
        f"look-ups (0 credits); {month.off_days} off days incl. a break; "
        f"{month.picks_made} picks by {PLAYERS} players; runs {_runs(month)}"
        + (f"; CRASHED {month.crash}" if month.crash else ""),
    )
    yield Measure(
        "paid calls on days with nothing to fetch",
        str(len(month.paid_on_idle_days)),
        "0",
        not month.paid_on_idle_days,
        month.backend,
        f"{len(month.idle_odds_days)} mornings with no game in the odds window "
        f"({_days(month.idle_odds_days)}), {len(month.idle_results_days)} with no result due; "
        f"free look-ups on the former: {month.free_on_idle_days}"
        + (f"; paid: {_paid(month.paid_on_idle_days)}" if month.paid_on_idle_days else ""),
    )
    yield Measure(
        "most credits in one league day",
        str(month.max_day_credits),
        f"≤ {MAX_PER_DAY}",
        month.max_day_credits <= MAX_PER_DAY,
        month.backend,
        f"{month.claimed_elsewhere} trigger(s) found their slot already run (start-up catch-up)",
    )
    yield Measure(
        "over budget at any point",
        "never" if not month.over_budget else "yes",
        f"never (peak {month.peak_used} of {month.budget})",
        not month.over_budget,
        month.backend,
    )
    yield Measure(
        "picks graded after the month",
        f"{month.picks_graded} of {month.picks_due} picks on {month.games_final} of "
        f"{month.games_due} finished games",
        "all graded, scores as the provider's",
        month.picks_graded == month.picks_due
        and month.games_final == month.games_due
        and month.games_due > 0
        and month.scores_wrong == 0,
        month.backend,
    )


def _small_budget_measure(small: MonthReport) -> Measure:
    reasons = Counter(message for message in small.refusals)
    sample = reasons.most_common(1)[0][0] if reasons else "none"
    failed = sum(count for key, count in small.runs.items() if key.endswith(" failed"))
    met = (
        small.crash is None
        and not small.over_budget
        and failed == 0
        and len(small.refusals) > 0
        and all(small.refusals)
        and len(small.refused_runs) > 0
        and all("refused: " in error for error in small.refused_runs)
        and small.logged_refusals == len(small.refused_runs)
    )
    return Measure(
        f"with a {small.budget}-credit budget",
        f"{small.ledger_credits} of {small.budget} used, {len(small.refusals)} call(s) refused "
        f"and ledgered, {len(small.refused_runs)} run(s) refused, {failed} failed, "
        f"{'no crash' if small.crash is None else 'CRASH ' + small.crash}",
        "never over, every refusal ledgered with its reason and logged, nothing fails",
        met,
        small.backend,
        f"reason: “{sample}”; runs {_runs(small)}; {small.picks_due - small.picks_graded} picks "
        f"on {small.games_due - small.games_final} finished games left for `pickvs settle`",
    )


def _runs(report: MonthReport) -> str:
    return ", ".join(f"{key} {count}" for key, count in sorted(report.runs.items()))


def _paid(calls: list[tuple[date, str]]) -> str:
    return ", ".join(f"{kind} on {day:%b %d}" for day, kind in calls)


def _days(days: list[date]) -> str:
    return ", ".join(f"{d:%b %d}" for d in days) or "none"


# ------------------------------------------------------------------------------ plumbing


def _league_moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=settings.tz).astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    """SQLite hands some datetimes back naive; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if " refused: " in message:
            self.records.append(message)


@contextmanager
def _captured_refusals() -> Iterator[list[str]]:
    """The job runner's warnings, kept (and counted) instead of flooding the bench's stderr."""
    logger = logging.getLogger("pickvs.jobs")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
