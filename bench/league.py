"""The benchmarks' league: 12 games on today's slate with lines, and registered players with
tokens, written through the same services the app uses (ingest, auth) into a scratch database.

For the page benchmark the lines come in two fetches, the second moving each game's spread, so
every card shows its lines' age and move as on a real game day; `seed_live_game` adds a game of
today in play, with a live score and the player's pick on it, for the page benchmark's locked
card. For the live benchmark's game night, `seed_slate(in_play=...)` adds games in play.

The served app signs tokens with `secret`; the players' tokens are made here with the same key,
so no password has to be checked (or bcrypt run) on the server to log them in.
"""

from __future__ import annotations

import contextlib
import random
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

import bcrypt
from sqlmodel import Session, select

from pickvs import db
from pickvs.config import settings
from pickvs.domain import slate
from pickvs.models import User
from pickvs.odds.records import ParsedScores
from pickvs.services import auth, live
from tests.services.builders import (
    PASSWORD,
    POLICY,
    SPORT,
    Book,
    add_lines,
    make_game,
    make_picks,
    score,
)

GAMES = 12
TEAMS = [
    "Atlanta Hawks", "Boston Celtics", "Brooklyn Nets", "Charlotte Hornets", "Chicago Bulls",
    "Cleveland Cavaliers", "Dallas Mavericks", "Denver Nuggets", "Detroit Pistons",
    "Golden State Warriors", "Houston Rockets", "Indiana Pacers", "Los Angeles Clippers",
    "Los Angeles Lakers", "Memphis Grizzlies", "Miami Heat", "Milwaukee Bucks",
    "Minnesota Timberwolves", "New Orleans Pelicans", "New York Knicks", "Oklahoma City Thunder",
    "Orlando Magic", "Philadelphia 76ers", "Phoenix Suns",
]  # fmt: skip
OTHER_TEAMS = [
    "Portland Trail Blazers", "Sacramento Kings", "San Antonio Spurs", "Toronto Raptors",
    "Utah Jazz", "Washington Wizards",
]  # fmt: skip
FIRST_TIP = timedelta(minutes=30)  # no game may lock while a benchmark runs
MIN_SLATE_LEFT = timedelta(hours=1)
IN_PLAY_FOR = timedelta(minutes=10)  # how long before the benchmark the games in play tipped
FIRST_FETCH, LAST_FETCH = timedelta(hours=3), timedelta(minutes=5)  # before `now`
SPREAD_MOVE = 1.5  # points the spread moves between the two fetches
LIVE_GAME_FOR = timedelta(hours=1)  # the page bench's live game tipped this long ago


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def tip_offs(now: datetime, count: int = GAMES) -> list[datetime]:
    """`count` tip-offs spread over what is left of today's slate day (league time), from
    30 minutes ahead; late at night (under an hour left) over the next slate day instead."""
    today = slate.slate_day(now, settings.tz)
    _, end = slate.slate_bounds(today, settings.tz)
    start = now + FIRST_TIP
    if end - start < MIN_SLATE_LEFT:
        start, end = slate.slate_bounds(today + timedelta(days=1), settings.tz)
        start = max(start, now + FIRST_TIP)
    step = (end - timedelta(minutes=1) - start) / count
    return [start + step * i for i in range(count)]


def seed_slate(
    database_url: str, now: datetime, seed: int, in_play: int = 0, moves: bool = False
) -> list[str]:
    """12 open games with three markets at two books (one paying more somewhere), and
    `in_play` (up to 3) more that tipped `IN_PLAY_FOR` ago (game night: locked, scores
    coming) between the teams the open games leave: their ids, the games in play last. With
    `moves`, the open games are fetched twice, three hours and five minutes ago, the spread
    moving in between."""
    rng = random.Random(seed)
    teams = rng.sample(TEAMS, 2 * GAMES) + OTHER_TEAMS[: 2 * in_play]
    engine = db.make_engine(database_url)
    ids = []
    tips = tip_offs(now) + [now - IN_PLAY_FOR] * in_play
    try:
        with Session(engine, expire_on_commit=False) as session:
            for index, tip in enumerate(tips):
                home, away = teams[2 * index], teams[2 * index + 1]
                favourite = -rng.randrange(130, 260, 5)  # the underdog, 20 less, stays >= +110
                spread = rng.choice([-1.5, -3.5, -4.5, -6.5, -8.5])
                total = rng.randrange(2100, 2400, 10) / 10 + 0.5
                books = (
                    Book("draftkings", (favourite, -favourite - 20), (spread, -110, -110),
                         (total, -108, -112)),
                    Book("fanduel", (favourite - 5, -favourite - 10), (spread, -105, -115),
                         (total, -110, -110)),
                )  # fmt: skip
                game_id = f"bench-{seed}-{index:02d}"
                moving = moves and tip > now
                first = (
                    (now - FIRST_FETCH, _opening(books)) if moving else (now - LAST_FETCH, books)
                )
                fetched = min(first[0], tip - LAST_FETCH)
                game = make_game(session, game_id, tip, *first[1], fetched_at=fetched,
                                 home=home, away=away)  # fmt: skip
                if moving:
                    add_lines(session, game, now - LAST_FETCH, *books)
                ids.append(game_id)
            session.commit()
    finally:
        engine.dispose()
    return ids


def _opening(books: tuple[Book, ...]) -> list[Book]:
    """The first fetch's books: each spread SPREAD_MOVE points shorter than it is now."""
    return [
        Book(b.key, b.h2h, (b.spreads[0] + SPREAD_MOVE, *b.spreads[1:]), b.totals)
        if b.spreads
        else b
        for b in books
    ]


def seed_live_game(database_url: str, now: datetime, seed: int, username: str) -> str | None:
    """A game of today's slate that tipped an hour ago (or at the slate day's start), priced
    before it, with `username`'s pick on it and a live score: its id, or None in the first
    minutes of a slate day, when no game of today can have tipped yet."""
    start, _ = slate.slate_bounds(slate.slate_day(now, settings.tz), settings.tz)
    tip = max(now - LIVE_GAME_FOR, start + timedelta(minutes=1))
    if tip > now - timedelta(minutes=5):
        return None
    game_id = f"bench-{seed}-live"
    engine = db.make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            book = Book("draftkings", (-150, 130), (-3.5, -110, -110), (224.5, -110, -110))
            game = make_game(session, game_id, tip, *_opening((book,)),
                             fetched_at=tip - FIRST_FETCH, home="Utah Jazz",
                             away="Sacramento Kings")  # fmt: skip
            add_lines(session, game, tip - LAST_FETCH, book)
            user = session.exec(select(User).where(User.username == username)).one()
            make_picks(session, user, tip - FIRST_FETCH, (game_id, "h2h", "Utah Jazz"),
                       policy=POLICY)  # fmt: skip
            record = score(game, 54, 49, completed=False)
            live.apply_live(session, ParsedScores([record], []), SPORT, now)
            session.commit()
    finally:
        engine.dispose()
    return game_id


@contextlib.contextmanager
def _signing_key(secret: str) -> Iterator[None]:
    previous, settings.secret_key = settings.secret_key, secret
    try:
        yield
    finally:
        settings.secret_key = previous


@contextlib.contextmanager
def _cheap_bcrypt() -> Iterator[None]:
    """Cost 4 while seeding, as the test suites do: the hash format is the same, only the
    work differs, and no benchmark checks a password."""
    real = bcrypt.gensalt
    bcrypt.gensalt = lambda rounds=4, prefix=b"2b": real(4, prefix)
    try:
        yield
    finally:
        bcrypt.gensalt = real


def seed_players(database_url: str, count: int, now: datetime, secret: str) -> list[str]:
    """Register `count` players; their tokens, signed with `secret`."""
    engine = db.make_engine(database_url)
    tokens = []
    try:
        with _cheap_bcrypt(), _signing_key(secret), Session(engine) as session:
            for index in range(count):
                name = f"bench{index:04d}"
                user = auth.register(session, f"{name}@example.com", name, PASSWORD, now)
                tokens.append(auth.create_token(session, user, now))
            session.commit()
    finally:
        engine.dispose()
    return tokens
