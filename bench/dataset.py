"""A seeded, realistic league for the benchmarks, bulk-loaded fast.

At scale 1: 10,000 players, 3,000 games over a season of slate days in the league's time zone
(tip-offs at the usual 7 pm - 10:30 pm local slots), 1,000,000 picks, and the odds history of
every game (three morning fetches, six books, three markets). Games before `now` are final
(a few postponed) and every pick is still pending, so grading has the whole season to do.
Players differ in how much they play (a few pick almost every game, most now and then); each
pick copies a book's price and point for its game, as the picks service would.

Rows go in with PostgreSQL's COPY (psycopg's `cursor.copy`) or SQLite `executemany` inside
one transaction, then the planner statistics are refreshed, as autovacuum would in production.

Private leagues are optional (`build(..., leagues=True)` or `add_leagues` on a built dataset):
2,000 at scale 1, of 3-60 members, a player in 0-5 of them, each with its own settings. They
come from their own generator (`random.Random(f"{seed}:leagues")`), so loading them or not
leaves every other row, and every other suite's data and timings, exactly as they were.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import bcrypt
from sqlalchemy import text
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain import leagues as leagues_rules
from pickvs.domain import slate
from pickvs.domain.markets import AWAY, H2H, HOME, OVER, SPREADS, TOTALS, UNDER
from pickvs.domain.odds import win_units

LEAGUE_TZ = ZoneInfo("America/New_York")
SPORT = "basketball_nba"
SEASON_START = date(2026, 10, 20)
USERS, GAMES, PICKS = 10_000, 3_000, 1_000_000
GAMES_PER_DAY = 12.5  # the NBA plays up to 15 a night; 3,000 games span ~240 slate days
FUTURE_SHARE = 0.08  # the last ~8% of the season is still to be played
POSTPONED_SHARE = 0.005
BOOKS = ("draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada")
FETCHES_BEFORE_TIP = 3  # the 05:00 odds job on each of the three mornings before tip-off
TIP_SLOTS = (time(19, 0), time(19, 30), time(20, 0), time(21, 0), time(22, 0), time(22, 30))
MARKET_TASTE = ((H2H, 0.8), (SPREADS, 0.6), (TOTALS, 0.5))  # chance a picker takes a market
TEAMS = (
    "Atlanta Hawks", "Boston Celtics", "Brooklyn Nets", "Charlotte Hornets", "Chicago Bulls",
    "Cleveland Cavaliers", "Dallas Mavericks", "Denver Nuggets", "Detroit Pistons",
    "Golden State Warriors", "Houston Rockets", "Indiana Pacers", "Los Angeles Clippers",
    "Los Angeles Lakers", "Memphis Grizzlies", "Miami Heat", "Milwaukee Bucks",
    "Minnesota Timberwolves", "New Orleans Pelicans", "New York Knicks",
    "Oklahoma City Thunder", "Orlando Magic", "Philadelphia 76ers", "Phoenix Suns",
    "Portland Trail Blazers", "Sacramento Kings", "San Antonio Spurs", "Toronto Raptors",
    "Utah Jazz", "Washington Wizards",
)  # fmt: skip

USER_COLUMNS = (
    "id", "email", "username", "username_key", "password_hash", "is_admin", "created_at",
    "total_units", "total_wagered", "roi", "wins", "losses", "pushes",
)  # fmt: skip
GAME_COLUMNS = (
    "id", "sport", "home_team", "away_team", "commence_time", "status", "home_score",
    "away_score", "settled_at", "settled_by", "last_seen_at", "created_at", "updated_at",
)  # fmt: skip
ODDS_COLUMNS = (
    "game_id", "bookmaker", "market", "outcome", "price", "point", "last_update", "fetched_at",
)  # fmt: skip
PICK_COLUMNS = (
    "user_id", "game_id", "market", "side", "selection", "bookmaker", "price", "point",
    "to_win", "status", "result_units", "created_at", "updated_at", "graded_at",
)  # fmt: skip
LEAGUE_COLUMNS = (
    "id", "name", "description", "owner_id", "invite_code", "markets", "shortest_price",
    "longest_price", "daily_cap", "min_ranked", "ranking", "created_at", "updated_at",
)  # fmt: skip
MEMBER_COLUMNS = ("league_id", "user_id", "joined_at")
TIMESTAMP_COLUMNS = frozenset(
    ("created_at", "updated_at", "commence_time", "settled_at", "last_seen_at", "last_update",
     "fetched_at", "graded_at", "joined_at")
)  # fmt: skip
SERIAL_TABLES = frozenset(("user", "league"))  # loaded with their ids: move the sequence on

# --- private leagues (issue 11) -----------------------------------------------------------
LEAGUES = 2_000
MIN_MEMBERS, MAX_MEMBERS, MAX_LEAGUES_PER_PLAYER = 3, 60, 5
# (share of leagues, fewest members, most): mostly friend groups, a tail of office-sized pools
LEAGUE_SIZES = ((0.60, 3, 8), (0.24, 9, 16), (0.10, 17, 30), (0.045, 31, 50), (0.015, 51, 60))
FULL_LEAGUE_SHARE = 0.005  # this many leagues (at least one) have exactly 60 members
# Chance a player is in 0, 1, ... 5 leagues: a quarter of the room slack over the seats above.
LEAGUES_PER_PLAYER = (0.15, 0.20, 0.20, 0.17, 0.13, 0.15)
MARKET_SETS = (
    ((H2H, SPREADS, TOTALS), 0.60), ((H2H,), 0.15), ((H2H, SPREADS), 0.10),
    ((SPREADS, TOTALS), 0.10), ((SPREADS,), 0.05),
)  # fmt: skip
PRICE_WINDOWS = (
    ((None, None), 0.45), ((-300, 400), 0.20), ((-200, 200), 0.10), ((-500, None), 0.10),
    ((None, 300), 0.10), ((-150, 150), 0.05),
)  # fmt: skip
DAILY_CAPS = ((None, 0.50), (1, 0.10), (2, 0.10), (3, 0.15), (4, 0.05), (5, 0.10))
MIN_RANKED = ((0, 0.05), (5, 0.10), (10, 0.20), (20, 0.45), (30, 0.10), (50, 0.10))
RANKING = (("units", 0.50), ("roi", 0.20), ("adjusted_roi", 0.30))


@dataclass(frozen=True)
class Line:
    """A game's market consensus; each book quotes it with a little noise."""

    home_price: int
    spread: float  # the home team's point
    total: float


@dataclass(frozen=True)
class GameRow:
    id: str
    home: str
    away: str
    tip: datetime
    line: Line
    status: str
    home_score: int | None
    away_score: int | None


@dataclass(frozen=True)
class LeagueRow:
    """One private league: its settings and its members, the owner first."""

    id: int
    name: str
    owner_id: int
    invite_code: str
    markets: tuple[str, ...]
    shortest_price: int | None
    longest_price: int | None
    daily_cap: int | None
    min_ranked: int
    ranking: str
    created_at: datetime
    members: tuple[int, ...]
    joined_at: tuple[datetime, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Leagues:
    """The private leagues loaded beside the dataset."""

    rows: list[LeagueRow]

    @property
    def memberships(self) -> int:
        return sum(row.size for row in self.rows)

    def leagues_per_player(self, n_users: int) -> Counter[int]:
        """How many players are in 0, 1, ... leagues."""
        per_player = Counter(user for row in self.rows for user in row.members)
        counts = Counter(per_player.values())
        counts[0] = n_users - len(per_player)
        return counts

    def players_in(self, n: int) -> list[int]:
        """The players who belong to exactly `n` leagues, by id."""
        per_player = Counter(user for row in self.rows for user in row.members)
        return sorted(user for user, count in per_player.items() if count == n)

    def describe(self, n_users: int) -> str:
        """The realised distribution, for the printed data line."""
        sizes = Counter(size_band(row.size) for row in self.rows)
        bands = ", ".join(f"{low}-{high}: {sizes[(low, high)]}" for _, low, high in LEAGUE_SIZES)
        biggest = max((row.size for row in self.rows), default=0)
        full = sum(row.size == biggest for row in self.rows)
        per = self.leagues_per_player(n_users)
        spread = ", ".join(f"{n}: {per[n]}" for n in range(MAX_LEAGUES_PER_PLAYER + 1))
        return (
            f"{len(self.rows)} leagues, {self.memberships} memberships; members {bands} "
            f"({full} of {biggest}); players in 0..5 leagues {spread}"
        )


@dataclass
class League:
    """What the benchmarks need to know about the data they run on."""

    now: datetime
    tz: ZoneInfo
    users: int
    games: list[GameRow]
    picks: int
    odds: int
    leagues: Leagues | None = None
    slate_day: date = field(init=False)

    def __post_init__(self) -> None:
        self.slate_day = slate.slate_day(self.now, self.tz)

    @property
    def final_game_ids(self) -> list[str]:
        return [g.id for g in self.games if g.status == "final"]


def build(engine: Engine, scale: float = 1.0, seed: int = 0, leagues: bool = False) -> League:
    """Generate the league with `random.Random(seed)` and bulk-load it into `engine`; with
    `leagues`, the private leagues too (`add_leagues`)."""
    rng = random.Random(seed)
    n_users = max(20, int(USERS * scale))
    n_games = max(8, int(GAMES * scale))
    n_picks = max(200, int(PICKS * scale))
    days = _season_days(n_games)
    now = datetime.combine(days[-max(2, round(len(days) * FUTURE_SHARE))], time(9), LEAGUE_TZ)
    now = now.astimezone(UTC)
    games = _games(rng, days, n_games, now)
    users = list(_users(n_users, now))
    picks = list(_picks(rng, games, n_users, n_picks, now))
    odds = list(_odds(rng, games, now))
    _load(engine, "user", USER_COLUMNS, users)
    _load(engine, "game", GAME_COLUMNS, (_game_values(g, now) for g in games))
    _load(engine, "odds", ODDS_COLUMNS, odds)
    _load(engine, "pick", PICK_COLUMNS, picks)
    built = League(now, LEAGUE_TZ, n_users, games, len(picks), len(odds))
    if leagues:
        add_leagues(engine, built, scale, seed, refresh=False)
    analyze(engine)
    return built


def add_leagues(
    engine: Engine, league: League, scale: float = 1.0, seed: int = 0, refresh: bool = True
) -> Leagues:
    """Generate the private leagues for a built dataset and bulk-load them (`league` and
    `league_member`), then refresh the planner statistics unless told the caller will."""
    rows = league_rows(league.users, scale, seed, league.now)
    _load(engine, "league", LEAGUE_COLUMNS, (_league_values(row) for row in rows))
    members = (
        (row.id, user, at)
        for row in rows
        for user, at in zip(row.members, row.joined_at, strict=True)
    )
    _load(engine, "league_member", MEMBER_COLUMNS, members)
    league.leagues = Leagues(rows)
    if refresh:
        analyze(engine)
    return league.leagues


def league_rows(n_users: int, scale: float, seed: int, now: datetime) -> list[LeagueRow]:
    """The leagues, their settings and members, from their own seeded generator.

    Sizes are drawn first (bands in `LEAGUE_SIZES`, a few leagues full at 60); each player
    gets room for 0-5 leagues (`LEAGUES_PER_PLAYER`), one seat per unit of room, shuffled;
    the leagues, largest first, then take the next seats whose players they do not already
    hold. How much a player picks plays no part: a friend group is not chosen by volume.
    """
    rng = random.Random(f"{seed}:leagues")
    n_leagues = max(3, int(LEAGUES * scale))
    sizes = _league_sizes(rng, n_leagues, n_users)
    seats = _seats(rng, n_users, sum(sizes))
    members = _deal(seats, sizes)
    codes: set[str] = set()
    rows = []
    for n, group in enumerate(members, start=1):
        created = now - timedelta(days=rng.randrange(1, 200), minutes=rng.randrange(0, 1440))
        joined = [created] + [
            created + (now - created) * rng.random() for _ in range(len(group) - 1)
        ]
        shortest, longest = _weighted(rng, PRICE_WINDOWS)
        rows.append(
            LeagueRow(
                id=n,
                name=f"League {n:04d}",
                owner_id=group[0],
                invite_code=_invite_code(rng, codes),
                markets=_weighted(rng, MARKET_SETS),
                shortest_price=shortest,
                longest_price=longest,
                daily_cap=_weighted(rng, DAILY_CAPS),
                min_ranked=_weighted(rng, MIN_RANKED),
                ranking=_weighted(rng, RANKING),
                created_at=created,
                members=tuple(group),
                joined_at=tuple(joined),
            )
        )
    return rows


def _league_sizes(rng: random.Random, n_leagues: int, n_users: int) -> list[int]:
    """Largest first; never more members than there are players, nor more seats than the
    players' room for five leagues each."""
    full = max(1, round(n_leagues * FULL_LEAGUE_SHARE))
    bands = [(low, high) for _, low, high in LEAGUE_SIZES]
    shares = [share for share, _, _ in LEAGUE_SIZES]
    sizes = [MAX_MEMBERS] * full
    for low, high in rng.choices(bands, weights=shares, k=n_leagues - full):
        sizes.append(rng.randint(low, high))
    sizes = [min(size, n_users) for size in sizes]
    room = n_users * MAX_LEAGUES_PER_PLAYER
    while sum(sizes) > room:  # only at a tiny scale: shrink the biggest until they fit
        biggest = max(range(len(sizes)), key=sizes.__getitem__)
        sizes[biggest] = max(MIN_MEMBERS, sizes[biggest] - 1)
    return sorted(sizes, reverse=True)


def _seats(rng: random.Random, n_users: int, wanted: int) -> list[int]:
    """Each player's room for leagues, one entry per league they may join, shuffled; topped
    up (room permitting) so that every league can be filled."""
    room = rng.choices(range(MAX_LEAGUES_PER_PLAYER + 1), weights=LEAGUES_PER_PLAYER, k=n_users)
    while sum(room) < wanted:
        user = rng.randrange(n_users)
        room[user] = min(MAX_LEAGUES_PER_PLAYER, room[user] + 1)
    seats = [user + 1 for user, count in enumerate(room) for _ in range(count)]
    rng.shuffle(seats)
    return seats


def _deal(seats: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    """Fill each league from the front of the seats, setting aside a seat whose player is
    already in that league for the next league."""
    queue = deque(seats)
    leagues = []
    for size in sizes:
        group: list[int] = []
        held: set[int] = set()
        skipped: list[int] = []
        while len(group) < size and queue:
            user = queue.popleft()
            if user in held:
                skipped.append(user)
                continue
            group.append(user)
            held.add(user)
        queue.extendleft(reversed(skipped))
        if len(group) < MIN_MEMBERS:
            raise ValueError(f"seats ran out filling a league of {size}")
        leagues.append(group)
    return leagues


def _weighted(rng: random.Random, choices: Sequence[tuple]) -> Any:  # type: ignore[type-arg]
    values = [value for value, _ in choices]
    return rng.choices(values, weights=[weight for _, weight in choices])[0]


def _invite_code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = leagues_rules.new_invite_code(rng.choice)
        if code not in taken:
            taken.add(code)
            return code


def size_band(size: int) -> tuple[int, int]:
    """The `LEAGUE_SIZES` band of a league (a band's floor is 3: the first band below it)."""
    for _, low, high in LEAGUE_SIZES:
        if low <= size <= high:
            return low, high
    return LEAGUE_SIZES[0][1], LEAGUE_SIZES[0][2]


def _league_values(row: LeagueRow) -> tuple:  # type: ignore[type-arg]
    return (
        row.id, row.name, "", row.owner_id, row.invite_code, ",".join(row.markets),
        row.shortest_price, row.longest_price, row.daily_cap, row.min_ranked, row.ranking,
        row.created_at, row.created_at,
    )  # fmt: skip


def analyze(engine: Engine) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map for index-only scans)."""
    if db.is_postgres(engine):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _season_days(n_games: int) -> list[date]:
    count = max(4, round(n_games / GAMES_PER_DAY))
    return [SEASON_START + timedelta(days=n) for n in range(count)]


def _games(rng: random.Random, days: Sequence[date], n_games: int, now: datetime) -> list[GameRow]:
    per_day = [n_games // len(days)] * len(days)
    for n in range(n_games - sum(per_day)):
        per_day[n % len(days)] += 1
    games: list[GameRow] = []
    for day, count in zip(days, per_day, strict=True):
        teams = rng.sample(TEAMS, len(TEAMS))
        for n in range(count):
            home, away = teams[(2 * n) % 30], teams[(2 * n + 1) % 30]
            tip = datetime.combine(day, rng.choice(TIP_SLOTS), LEAGUE_TZ).astimezone(UTC)
            games.append(_game(rng, f"bench{len(games):05d}", home, away, tip, now))
    return games


def _game(rng: random.Random, game_id: str, home: str, away: str, tip: datetime, now: datetime):  # type: ignore[no-untyped-def]
    spread = rng.choice([-1, 1]) * rng.choice([0.5, 1, 1.5, 2.5, 3, 3.5, 4.5, 5.5, 6.5, 7, 8.5])
    favourite = 110 + int(abs(spread) * 25)
    home_price = -favourite if spread < 0 else favourite - 20
    line = Line(home_price, float(spread), float(rng.randrange(210, 240)) + rng.choice([0, 0.5]))
    if tip > now:
        return GameRow(game_id, home, away, tip, line, "scheduled", None, None)
    if rng.random() < POSTPONED_SHARE:
        return GameRow(game_id, home, away, tip, line, "postponed", None, None)
    margin = round(rng.gauss(-spread, 12)) or 1  # no ties in basketball
    total = round(rng.gauss(line.total, 18))
    home_score = max(70, (total + margin) // 2)
    return GameRow(
        game_id, home, away, tip, line, "final", home_score, max(70, home_score - margin)
    )


def _game_values(game: GameRow, now: datetime) -> tuple:  # type: ignore[type-arg]
    settled = game.tip + timedelta(hours=14) if game.status != "scheduled" else None
    created = game.tip - timedelta(days=FETCHES_BEFORE_TIP)
    return (
        game.id, SPORT, game.home, game.away, game.tip, game.status, game.home_score,
        game.away_score, settled, "feed" if settled else None, min(now, game.tip), created,
        settled or created,
    )  # fmt: skip


def _users(n_users: int, now: datetime) -> Iterable[tuple]:  # type: ignore[type-arg]
    # One real (cheap) bcrypt hash shared by all: the benchmarks never log in.
    password = bcrypt.hashpw(b"bench password", bcrypt.gensalt(4)).decode()
    joined = now - timedelta(days=300)
    for n in range(1, n_users + 1):
        name = f"player{n:05d}"
        yield (
            n,
            f"{name}@example.com",
            name,
            name,
            password,
            False,
            joined,
            0.0,
            0.0,
            None,
            0,
            0,
            0,
        )


def _quote(
    rng: random.Random, game: GameRow, market: str, side: str
) -> tuple[str, int, float | None]:
    """A book's price and point for one side, near the consensus line."""
    book = rng.choice(BOOKS)
    noise = rng.choice([-10, -5, 0, 0, 5, 10])
    if market == H2H:
        home = game.line.home_price
        away = 100 + (-home - 100) * 4 // 5 if home < 0 else -(home + 20)
        price = (home if side == HOME else away) + noise
        return book, _valid_price(price), None
    price = _valid_price(-110 + noise)
    if market == SPREADS:
        point = game.line.spread if side == HOME else -game.line.spread
        return book, price, point
    return book, price, game.line.total


def _valid_price(price: int) -> int:
    """American prices skip (-100, +100): -95 is written +105."""
    if -100 < price < 100:
        return 200 + price if price < 0 else price + 100 if price < 100 else price
    return price


def _picks(
    rng: random.Random, games: Sequence[GameRow], n_users: int, n_picks: int, now: datetime
) -> Iterable[tuple]:  # type: ignore[type-arg]
    """Every game draws pickers weighted by how keen each player is; each takes some markets."""
    keenness = [rng.paretovariate(1.5) for _ in range(n_users)]
    cumulative: list[float] = []
    running = 0.0
    for k in keenness:
        running += k
        cumulative.append(running)
    per_market = sum(p for _, p in MARKET_TASTE)
    population = range(1, n_users + 1)
    made = 0
    for left, game in zip(range(len(games), 0, -1), games, strict=True):
        wanted = min(n_users, max(1, round((n_picks - made) / left / per_market)))
        pickers = set(rng.choices(population, cum_weights=cumulative, k=wanted))
        while len(pickers) < wanted:
            pickers.add(rng.randint(1, n_users))
        for user_id in sorted(pickers):
            for market, taste in MARKET_TASTE:
                if rng.random() >= taste or made >= n_picks:
                    continue
                if market == TOTALS:
                    side = rng.choice((OVER, UNDER))
                else:
                    side = HOME if rng.random() < 0.55 else AWAY
                book, price, point = _quote(rng, game, market, side)
                selection = {HOME: game.home, AWAY: game.away, OVER: "Over", UNDER: "Under"}[side]
                at = min(now, game.tip) - timedelta(minutes=rng.randrange(5, 2 * 24 * 60))
                made += 1
                yield (
                    user_id, game.id, market, side, selection, book, price, point,
                    win_units(price), "pending", None, at, at, None,
                )  # fmt: skip


def _odds(rng: random.Random, games: Sequence[GameRow], now: datetime) -> Iterable[tuple]:  # type: ignore[type-arg]
    """Each book's two outcomes of three markets at every morning fetch that has happened."""
    for game in games:
        tip_day = slate.slate_day(game.tip, LEAGUE_TZ)
        for before in range(FETCHES_BEFORE_TIP, 0, -1):
            fetched = datetime.combine(tip_day - timedelta(days=before - 1), time(5), LEAGUE_TZ)
            fetched = fetched.astimezone(UTC)
            if fetched > now or fetched >= game.tip:
                continue
            for book in BOOKS:
                for market, sides in (
                    (H2H, (HOME, AWAY)),
                    (SPREADS, (HOME, AWAY)),
                    (TOTALS, (OVER, UNDER)),
                ):
                    for side in sides:
                        _, price, point = _quote(rng, game, market, side)
                        name = {HOME: game.home, AWAY: game.away, OVER: "Over", UNDER: "Under"}[
                            side
                        ]
                        yield (game.id, book, market, name, price, point, fetched, fetched)


def _load(engine: Engine, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:  # type: ignore[type-arg]
    """COPY on PostgreSQL; one executemany in one transaction on SQLite."""
    names = ", ".join(columns)
    raw = engine.raw_connection()
    try:
        if db.is_postgres(engine):
            driver = raw.driver_connection
            with driver.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
            if table in SERIAL_TABLES:  # rows came with their serial ids: move the sequence on
                with raw.driver_connection.cursor() as cur:  # type: ignore[union-attr]
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table}"))'
                    )
        else:
            marks = ", ".join("?" for _ in columns)
            cur = raw.cursor()
            cur.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _sqlite_rows(columns, rows)
            )
            cur.close()
        raw.commit()
    finally:
        raw.close()


def _sqlite_rows(columns: Sequence[str], rows: Iterable[tuple]) -> Iterator[tuple]:  # type: ignore[type-arg]
    """Timestamps as the models store them on SQLite: naive UTC text with microseconds (the
    text is compared as text, so the format must be exactly the one SQLAlchemy binds)."""
    at = [n for n, name in enumerate(columns) if name in TIMESTAMP_COLUMNS]
    for row in rows:
        values = list(row)
        for n in at:
            if values[n] is not None:
                utc = values[n].astimezone(UTC).replace(tzinfo=None)
                values[n] = utc.isoformat(" ", "microseconds")
        yield tuple(values)
