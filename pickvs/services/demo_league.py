"""Seed the demo league so a newcomer sees a living leaderboard on a fresh machine.

It replays a few past days through the real pipeline: the demo source's odds are parsed and
ingested as of each morning, again in the afternoon and shortly before each tip-off time (the
closing lines, as the planner's refreshes fetch them), demo players pick in the morning or the
afternoon, the demo scores settle the games, grading runs and closing-line value is worked out,
exactly as the jobs would have done. The demo source's lines move through the day, so the
league shows line moves, and picks whose price beat (or missed) the close.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain import slate
from pickvs.domain.markets import MARKETS, TOTALS
from pickvs.models import Game, User
from pickvs.odds.demo import DemoProvider
from pickvs.odds.parse import parse_odds, parse_scores
from pickvs.services import auth, clv, grading, ingest, results
from pickvs.services.errors import ServiceError
from pickvs.services.picks import PickPolicy, PickRequest, submit_picks

DEMO_DOMAIN = "demo.pickvs.local"
DEMO_PLAYERS = (
    "courtside_carl",
    "buzzer_beater",
    "sixth_man_sue",
    "fadeaway_fran",
    "glass_cleaner",
)
PAST_DAYS = 4
MORNING = timedelta(hours=5)
AFTERNOON = timedelta(hours=14)
CLOSING = timedelta(minutes=10)  # the refresh before each tip-off time: the closing line
AFTERNOON_SHARE = 0.4  # of the demo players' picks, those made at the afternoon refresh
JOINED_BEFORE = timedelta(days=2)  # the first demo player signed up this long before the first odds


def is_seeded(session: Session) -> bool:
    stmt = select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    return session.execute(stmt.limit(1)).first() is not None


def seed(session: Session, now: datetime, only_if_empty: bool = False) -> str:
    if only_if_empty and session.execute(select(User.id).limit(1)).first():
        return "the league already has players; left alone"
    if is_seeded(session):
        return "already seeded"
    sport = settings.sports[0]
    provider = DemoProvider()
    today = slate.slate_day(now, settings.tz)
    first_morning = _morning(today - timedelta(days=PAST_DAYS), now)
    players = [
        _player(session, name, _joined_at(first_morning, index))
        for index, name in enumerate(DEMO_PLAYERS)
    ]
    policy = PickPolicy(settings.lock_minutes, settings.bookmakers)
    picks = 0
    for offset in range(PAST_DAYS, -1, -1):
        day = today - timedelta(days=offset)
        morning = _morning(day, now)
        _fetch(session, provider, sport, morning)
        picks += _demo_picks(session, players, day, morning, policy, afternoon=False)
        afternoon = slate.slate_bounds(day, settings.tz)[0] + AFTERNOON
        if afternoon <= now:
            _fetch(session, provider, sport, afternoon, day)
            picks += _demo_picks(session, players, day, afternoon, policy, afternoon=True)
        for closing in _closing_fetches(provider, day, now):
            _fetch(session, provider, sport, closing, day)
        # The next morning's results run, as the daily job would have made it.
        results_at = min(morning + timedelta(days=1), now)
        scores = parse_scores(provider.scores_payload(sport, 1, results_at))
        results.apply_scores(session, scores, sport, results_at, 1)
    report = grading.grade(session, now)
    closed = clv.update_clv(session, now, settings.lock_minutes)
    return f"{len(players)} demo players, {picks} picks, {report.describe()}, {closed} CLV"


def _fetch(
    session: Session, provider: DemoProvider, sport: str, at: datetime, day: date | None = None
) -> None:
    """One replayed odds fetch at `at`; a refresh (`day` given) asks only for that slate
    day's games, as the planner's refreshes narrow theirs."""
    payload = provider.odds_payload(sport, settings.markets, at)
    if day is not None:
        start, end = slate.slate_bounds(day, settings.tz)
        payload = [e for e in payload if start <= _tip(e) < end]
    ingest.apply_odds(session, parse_odds(payload, at, settings.markets), at)


def _tip(event: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(event["commence_time"]))


def _closing_fetches(provider: DemoProvider, day: date, now: datetime) -> list[datetime]:
    """A refresh shortly before each of the day's tip-off times that has come by `now`."""
    tips = sorted({game.commence_time for game in provider.games_on(day)})
    return [tip - CLOSING for tip in tips if tip - CLOSING <= now]


def _morning(day: date, now: datetime) -> datetime:
    """When the replayed odds fetch of `day` happens: its morning, or now if that is later."""
    return min(slate.slate_bounds(day, settings.tz)[0] + MORNING, now)


def _joined_at(first_morning: datetime, index: int) -> datetime:
    """A demo player's sign-up time: days before the replay's first odds, so every profile's
    "Joined" date comes before the player's first pick, staggered so they differ."""
    return first_morning - JOINED_BEFORE - timedelta(days=index, hours=3 * index)


def _player(session: Session, name: str, joined: datetime) -> User:
    user = auth.register(session, f"{name}@{DEMO_DOMAIN}", name, secrets.token_urlsafe(18), joined)
    session.flush()
    return user


def _demo_picks(
    session: Session,
    players: list[User],
    day: date,
    fetched_at: datetime,
    policy: PickPolicy,
    *,
    afternoon: bool,
) -> int:
    """The picks the demo players make at `fetched_at`: each player and game decides once
    whether to pick, what, and whether in the morning or at the afternoon refresh."""
    start, end = slate.slate_bounds(day, settings.tz)
    games = session.execute(
        select(Game).where(Game.commence_time >= start, Game.commence_time < end).order_by(Game.id)
    ).scalars()
    made = 0
    for game in list(games):
        for player in players:
            rng = random.Random(f"{player.username}:{game.id}")
            if rng.random() < 0.35:
                continue
            market = rng.choice(MARKETS)
            selection = rng.choice(("over", "under") if market == TOTALS else ("home", "away"))
            if (rng.random() < AFTERNOON_SHARE) != afternoon:
                continue
            try:
                made += len(
                    submit_picks(
                        session,
                        player,
                        [PickRequest(game.id, market, selection)],
                        fetched_at,
                        policy,
                    )
                )
            except ServiceError:
                continue  # no line in that market or already locked: a real player would skip too
    return made
