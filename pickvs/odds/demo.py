"""The demo source: an offline, deterministic stand-in for The Odds API.

It answers the same calls in the provider's exact JSON shapes (odds, scores, and the free sports
and events look-ups), so a fresh install without a key runs the very code path the real feed
does (client, parser, ingest, grading). Everything about a game (teams, tip-off, opening line,
final score) is a pure function of the seed and the slate day, so separate processes agree and
a refetch never rewrites history.

`now` decides which games a reply contains, how far an in-play game has got, and where the
lines stand: from the morning of its slate day to tip-off each game's consensus spread moves
by 0.5 to 1.5 points and its total by 0.5 to 2, in steps, each book following a little earlier
or later than the others, with the juice re-drawn every quarter hour. A line is a function of
(seed, game, book, quarter-hour bucket), so two fetches in the same bucket agree; the last
fetch before tip-off (the closing line) carries the whole move, so closing lines differ from
opening ones and the demo league shows line moves and closing-line value. Scores asked for
without `daysFrom` return the games in play with the score growing with the clock, and a game
that ended in the last half hour as `completed` with its final score.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from pickvs.domain.display import BOOKMAKER_TITLES
from pickvs.domain.markets import H2H, MARKETS, SPREADS, TOTALS
from pickvs.domain.slate import slate_day

JsonDict = dict[str, Any]

DEMO_SPORT = "basketball_nba"
DEMO_SPORT_TITLE = "NBA"
LEAGUE_TZ = ZoneInfo("America/New_York")
SLATE_DAYS = 3  # today's slate and the next two, as the upcoming-games page shows
EVENTS_DAYS = 8  # the schedule is listed further ahead than books post lines [guess]
MAX_DAYS_FROM = 3

NBA_TEAMS = (
    "Atlanta Hawks",
    "Boston Celtics",
    "Brooklyn Nets",
    "Charlotte Hornets",
    "Chicago Bulls",
    "Cleveland Cavaliers",
    "Dallas Mavericks",
    "Denver Nuggets",
    "Detroit Pistons",
    "Golden State Warriors",
    "Houston Rockets",
    "Indiana Pacers",
    "Los Angeles Clippers",
    "Los Angeles Lakers",
    "Memphis Grizzlies",
    "Miami Heat",
    "Milwaukee Bucks",
    "Minnesota Timberwolves",
    "New Orleans Pelicans",
    "New York Knicks",
    "Oklahoma City Thunder",
    "Orlando Magic",
    "Philadelphia 76ers",
    "Phoenix Suns",
    "Portland Trail Blazers",
    "Sacramento Kings",
    "San Antonio Spurs",
    "Toronto Raptors",
    "Utah Jazz",
    "Washington Wizards",
)

BOOKMAKERS = BOOKMAKER_TITLES
DEMO_REGIONS = ("us",)
KNOWN_REGIONS = ("us", "us2", "uk", "eu", "au")

# Tip-off times (ET): evenings dominate, a few afternoon games mostly at weekends.
EVENING_TIPS = ((19, 0), (19, 0), (19, 30), (19, 30), (20, 0), (20, 30), (21, 0), (22, 0), (22, 30))
AFTERNOON_TIPS = ((12, 0), (13, 0), (15, 0), (15, 30), (17, 0))

HOME_COURT = 2.5
MARGIN_SD = 12.0  # NBA final margins scatter about 12 points around the closing spread
TOTAL_SD = 15.0
MIN_SPREAD, MAX_SPREAD = 1.0, 14.0
MIN_TOTAL, MAX_TOTAL = 205.0, 245.0
MIN_SCORE, MAX_SCORE = 90, 140
MIN_GAME_LENGTH = timedelta(hours=2, minutes=35)
IN_PLAY_WINDOW = timedelta(hours=3)
# A finished game stays in the live scores reply (no daysFrom) this long, `completed` [guess].
LIVE_FINAL_WINDOW = timedelta(minutes=30)
# Lines move from this hour (league time) of the game's slate day until its tip-off.
MOVE_FROM_HOUR = 6
MOVE_BUCKET = timedelta(minutes=15)
SPREAD_MOVES = (-1.5, -1.0, -0.5, 0.5, 1.0, 1.5)
TOTAL_MOVES = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)
BOOK_LAG = (-0.1, 0.1)  # a book's share of the move is ahead of (or behind) the consensus
SPREAD_JUICE = ((-110, -110), (-110, -110), (-105, -115), (-115, -105), (-108, -112), (-112, -108))
LOWVIG_JUICE = ((-105, -105), (-103, -107), (-107, -103))


@dataclass(frozen=True)
class DemoGame:
    """One generated game, with the consensus line the books price around."""

    id: str
    commence_time: datetime
    home_team: str
    away_team: str
    home_spread: float
    total: float
    home_score: int
    away_score: int
    length: timedelta

    def is_final(self, now: datetime) -> bool:
        return now >= self.commence_time + self.length

    def has_started(self, now: datetime) -> bool:
        return now >= self.commence_time

    def move_start(self) -> datetime:
        day = slate_day(self.commence_time, LEAGUE_TZ)
        start = datetime.combine(day, time(MOVE_FROM_HOUR), tzinfo=LEAGUE_TZ).astimezone(UTC)
        return min(start, self.commence_time)


@dataclass(frozen=True)
class LineMoment:
    """Where a game's lines stand at one bucket: None before the day's moves begin."""

    bucket: int | None  # quarter hours since the move began
    progress: float  # share of the move made by the end of the bucket, 0..1
    at: datetime | None  # the bucket's start

    @classmethod
    def of(cls, game: DemoGame, now: datetime) -> LineMoment:
        start = game.move_start()
        if now < start or game.commence_time <= start:
            return cls(None, 0.0, None)
        last = max(math.ceil((game.commence_time - start) / MOVE_BUCKET) - 1, 0)
        bucket = min(int((now - start) // MOVE_BUCKET), last)
        at = start + bucket * MOVE_BUCKET
        progress = min((at + MOVE_BUCKET - start) / (game.commence_time - start), 1.0)
        return cls(bucket, progress, at)


SlateSizes = Callable[[date], int]


class DemoProvider:
    """Deterministic NBA games, lines and scores for any date, from one seed.

    `slate_sizes` may fix how many games each day has (0 for an off day), so a test double can
    serve a season with off days and breaks; by default every day has 5 to 12.
    """

    def __init__(self, seed: int = 2026, slate_sizes: SlateSizes | None = None) -> None:
        self.seed = seed
        self._slate_sizes = slate_sizes
        self._ratings = _team_ratings(seed)
        self._slates: dict[date, tuple[DemoGame, ...]] = {}

    # ---------------------------------------------------------------------------- payloads

    def odds_payload(self, sport: str, markets: Sequence[str], now: datetime) -> list[JsonDict]:
        """Games of today's and the next two slate days not yet tipped, plus those in play.

        Like the real endpoint it never returns a finished game. A sport the demo does not
        cover gets an empty list, as an out-of-season sport does from the provider.
        """
        unknown = [market for market in markets if market not in MARKETS]
        if unknown:
            raise ValueError(f"unsupported market(s) {unknown}")
        if sport != DEMO_SPORT:
            return []
        today = slate_day(now, LEAGUE_TZ)
        games = self._games_between(today - timedelta(days=1), today + timedelta(days=2))
        return [
            self._odds_event(game, markets, now)
            for game in games
            if not game.is_final(now) and now - game.commence_time < IN_PLAY_WINDOW
        ]

    def scores_payload(self, sport: str, days_from: int | None, now: datetime) -> list[JsonDict]:
        """Live and upcoming games, and with `days_from` the games started since that many days.

        The transport holds `days_from` to the provider's 1..3; seeding code may ask for more.
        """
        if days_from is not None and days_from < 1:
            raise ValueError("days_from must be at least 1")
        if sport != DEMO_SPORT:
            return []
        today = slate_day(now, LEAGUE_TZ)
        since = now - timedelta(days=days_from or 0)
        first_day = slate_day(since, LEAGUE_TZ) - timedelta(days=1)
        games = self._games_between(first_day, today + timedelta(days=2))
        return [
            self._score_event(game, now)
            for game in games
            if (game.commence_time >= since if days_from else _live_or_upcoming(game, now))
        ]

    def events_payload(self, sport: str, now: datetime) -> list[JsonDict]:
        """The free schedule look-up: games in play or still to come over the next slate days.

        No lines and no scores. It reaches further ahead than the odds reply, as a schedule does.
        """
        if sport != DEMO_SPORT:
            return []
        today = slate_day(now, LEAGUE_TZ)
        games = self._games_between(today - timedelta(days=1), today + timedelta(EVENTS_DAYS - 1))
        return [
            _event_base(game)
            for game in games
            if not game.is_final(now) and now - game.commence_time < IN_PLAY_WINDOW
        ]

    def schedule(self, date_from: date, date_to: date) -> list[JsonDict]:
        """Events (no lines, no scores) of the slate days from `date_from` to `date_to`."""
        return [_event_base(game) for game in self._games_between(date_from, date_to)]

    def games_on(self, day: date) -> tuple[DemoGame, ...]:
        """The slate of one ET day, generated once and cached."""
        if day not in self._slates:
            self._slates[day] = self._generate_slate(day)
        return self._slates[day]

    # ---------------------------------------------------------------------------- generation

    def _games_between(self, first: date, last: date) -> list[DemoGame]:
        days = (last - first).days + 1
        return [game for n in range(max(days, 0)) for game in self.games_on(first + timedelta(n))]

    def _generate_slate(self, day: date) -> tuple[DemoGame, ...]:
        rng = Random(f"pickvs-demo:{self.seed}:slate:{day.isoformat()}")
        teams = list(NBA_TEAMS)
        rng.shuffle(teams)
        count = rng.randint(5, 12)
        if self._slate_sizes is not None:
            count = self._slate_sizes(day)
            if not 0 <= count <= len(NBA_TEAMS) // 2:
                raise ValueError(
                    f"{day}: a slate has 0 to {len(NBA_TEAMS) // 2} games, not {count}"
                )
            if count == 0:
                return ()
        tips = _tip_times(rng, day, count)
        games = [
            self._generate_game(day, away=teams[2 * n], home=teams[2 * n + 1], tip=tips[n], rng=rng)
            for n in range(count)
        ]
        return tuple(sorted(games, key=lambda game: (game.commence_time, game.home_team)))

    def _generate_game(
        self, day: date, away: str, home: str, tip: datetime, rng: Random
    ) -> DemoGame:
        game_id = _game_id(self.seed, day, away, home)
        expected = self._ratings[home] - self._ratings[away] + HOME_COURT + rng.gauss(0, 1.5)
        home_spread = _clamp_spread(-expected, sign=-1 if expected >= 0 else 1)
        total = _half_point(min(max(rng.gauss(226, 7), MIN_TOTAL), MAX_TOTAL))
        home_score, away_score = _final_score(self.seed, game_id, -home_spread, total)
        length = MIN_GAME_LENGTH + timedelta(minutes=rng.randint(0, 20))
        return DemoGame(
            id=game_id,
            commence_time=tip,
            home_team=home,
            away_team=away,
            home_spread=home_spread,
            total=total,
            home_score=home_score,
            away_score=away_score,
            length=length,
        )

    # ---------------------------------------------------------------------------- JSON shapes

    def _odds_event(self, game: DemoGame, markets: Sequence[str], now: datetime) -> JsonDict:
        books_rng = Random(f"pickvs-demo:{self.seed}:{game.id}:books")
        chosen = set(books_rng.sample(sorted(BOOKMAKERS), books_rng.randint(4, 6)))
        moment = LineMoment.of(game, now)
        books = [self._bookmaker(game, key, markets, moment) for key in BOOKMAKERS if key in chosen]
        return {**_event_base(game), "bookmakers": books}

    def _bookmaker(
        self, game: DemoGame, key: str, markets: Sequence[str], moment: LineMoment
    ) -> JsonDict:
        moved = self.line_at(game, key, moment)
        stamp = _iso(self._stamp(game, key, moment))
        return {
            "key": key,
            "title": BOOKMAKERS[key],
            "last_update": stamp,
            "markets": [
                {
                    "key": market,
                    "last_update": stamp,
                    "outcomes": _OUTCOMES[market](
                        moved,
                        key,
                        self._rng(game, key, market),
                        self._juice(game, key, market, moment),
                    ),
                }
                for market in MARKETS
                if market in markets
            ],
        }

    def line_at(self, game: DemoGame, book: str, moment: LineMoment) -> DemoGame:
        """The game as `book` prices it at `moment`: its consensus spread and total moved by
        the book's share of the day's move (the final score is never touched)."""
        if moment.bucket is None:
            return game
        rng = Random(f"pickvs-demo:{self.seed}:{game.id}:move")
        spread_move, total_move = rng.choice(SPREAD_MOVES), rng.choice(TOTAL_MOVES)
        lag = self._rng(game, book, "lag").uniform(*BOOK_LAG)
        share = min(max(moment.progress + lag, 0.0), 1.0)
        sign = -1 if game.home_spread < 0 else 1
        spread = _clamp_spread(game.home_spread + _half_point(spread_move * share), sign)
        total = min(max(game.total + _half_point(total_move * share), MIN_TOTAL), MAX_TOTAL)
        return replace(game, home_spread=spread, total=total)

    def _stamp(self, game: DemoGame, book: str, moment: LineMoment) -> datetime:
        """The book's `last_update`: before the game was first listed, or in the bucket's
        quarter hour once the day's moves began (never after the bucket's start)."""
        if moment.at is None:
            return _line_update(game, self._rng(game, book, "stamp"))
        seconds = Random(f"pickvs-demo:{self.seed}:{game.id}:{book}:{moment.bucket}").randint(
            0, int(MOVE_BUCKET.total_seconds()) - 1
        )
        return max(moment.at - timedelta(seconds=seconds), game.move_start())

    def _juice(self, game: DemoGame, book: str, market: str, moment: LineMoment) -> Random:
        """The prices' stream: the opening one until the moves begin, then one per bucket."""
        if moment.bucket is None:
            return self._rng(game, book, f"{market}:juice")
        return self._rng(game, book, f"{market}:juice:{moment.bucket}")

    def _rng(self, game: DemoGame, book: str, purpose: str) -> Random:
        """One stream per book and market, so asking for fewer markets changes no line."""
        return Random(f"pickvs-demo:{self.seed}:{game.id}:{book}:{purpose}")

    def _score_event(self, game: DemoGame, now: datetime) -> JsonDict:
        event = {**_event_base(game), "completed": game.is_final(now)}
        if not game.has_started(now):
            return {**event, "scores": None, "last_update": None}
        home, away, updated = _score_at(game, now)
        scores = [
            {"name": game.home_team, "score": str(home)},
            {"name": game.away_team, "score": str(away)},
        ]
        return {**event, "scores": scores, "last_update": _iso(updated)}


# -------------------------------------------------------------------------------- module helpers


def demo_schedule(date_from: date, date_to: date, seed: int = 2026) -> list[JsonDict]:
    """The demo's events for a range of slate days, for seeding without a provider object."""
    return DemoProvider(seed).schedule(date_from, date_to)


def demo_transport(provider: DemoProvider, clock: Callable[[], datetime]) -> httpx.MockTransport:
    """An httpx transport answering like the provider, so `OddsApiClient` runs unchanged."""

    def handle(request: httpx.Request) -> httpx.Response:
        status, body = demo_answer(
            provider, request.method, request.url.path, dict(request.url.params), clock()
        )
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handle)


_PATH_RE = re.compile(r"/v4/sports/(?P<sport>[^/]+)/(?P<call>odds|scores|events)/?")
_SPORTS_PATH_RE = re.compile(r"/v4/sports/?")
# The provider's only accepted form for commenceTimeFrom/To [doc]: no offset, no fraction.
_COMMENCE_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
SPORTS_LIST = (
    {
        "key": DEMO_SPORT,
        "group": "Basketball",
        "title": DEMO_SPORT_TITLE,
        "description": "US Basketball",
        "active": True,
        "has_outrights": False,
    },
)


def demo_answer(
    provider: DemoProvider, method: str, path: str, query: Mapping[str, str], now: datetime
) -> tuple[int, object]:
    """Status and JSON body the provider would give, including its 4xx error bodies."""
    match = _PATH_RE.fullmatch(path)
    is_sports_list = _SPORTS_PATH_RE.fullmatch(path) is not None
    if method != "GET" or (match is None and not is_sports_list):
        return 404, _error("Unknown endpoint", "NOT_FOUND")
    if not query.get("apiKey"):
        return 401, _error("API key is missing", "MISSING_KEY")
    if match is None:
        return 200, [dict(sport) for sport in SPORTS_LIST]
    if match["sport"] != DEMO_SPORT:
        return 404, _error(f"Unknown sport {match['sport']}", "UNKNOWN_SPORT")
    problem = _format_problem(query)
    if problem:
        return 422, problem
    if match["call"] == "scores":
        return _scores_answer(provider, query, now)
    window = _commence_window(query)
    if isinstance(window, dict):
        return 422, window
    if match["call"] == "events":
        return 200, _within(provider.events_payload(DEMO_SPORT, now), window)
    status, body = _odds_answer(provider, query, now)
    return (status, _within(body, window)) if status == 200 else (status, body)


Bounds = tuple[datetime | None, datetime | None]


def _commence_window(query: Mapping[str, str]) -> Bounds | JsonDict:
    """`commenceTimeFrom`/`To` as instants, or the 422 body for one not in the provider's form.

    The error codes are our guess at the provider's naming; only the 422 status matters here.
    """
    bounds: list[datetime | None] = []
    for name, code in (
        ("commenceTimeFrom", "INVALID_COMMENCE_TIME_FROM"),
        ("commenceTimeTo", "INVALID_COMMENCE_TIME_TO"),
    ):
        raw = query.get(name)
        if raw is None:
            bounds.append(None)
        elif not _COMMENCE_RE.fullmatch(raw):
            return _error(f"{name} must be in the format YYYY-MM-DDTHH:MM:SSZ", code)
        else:
            bounds.append(datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC))
    return bounds[0], bounds[1]


def filter_by_commence(events: object, query: Mapping[str, str]) -> object:
    """`events` cut to the query's commence window (for bodies a test double substitutes)."""
    window = _commence_window(query)
    return events if isinstance(window, dict) else _within(events, window)


def _within(events: object, window: Bounds) -> object:
    """Events tipping inside the inclusive window, as the provider filters them."""
    start, end = window
    if (start is None and end is None) or not isinstance(events, list):
        return events
    return [event for event in events if _commence_between(event, start, end)]


def _commence_between(event: object, start: datetime | None, end: datetime | None) -> bool:
    if not isinstance(event, Mapping) or not isinstance(event.get("commence_time"), str):
        return True  # not ours to judge: the parser reports it
    try:
        moment = datetime.strptime(event["commence_time"], "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return True
    moment = moment.replace(tzinfo=UTC)
    return (start is None or moment >= start) and (end is None or moment <= end)


def _odds_answer(
    provider: DemoProvider, query: Mapping[str, str], now: datetime
) -> tuple[int, object]:
    markets = _split(query.get("markets", "h2h"))
    if not markets or any(market not in MARKETS for market in markets):
        return 422, _error(f"Invalid markets {query.get('markets')}", "INVALID_MARKET")
    regions, bookmakers = _split(query.get("regions", "")), _split(query.get("bookmakers", ""))
    if not regions and not bookmakers:
        return 422, _error("Missing regions or bookmakers", "MISSING_REGION")
    if any(region not in KNOWN_REGIONS for region in regions):
        return 422, _error(f"Invalid regions {query.get('regions')}", "INVALID_REGION")
    payload = provider.odds_payload(DEMO_SPORT, markets, now)
    wanted = set(bookmakers) or (set(BOOKMAKERS) if set(regions) & set(DEMO_REGIONS) else set())
    for event in payload:
        event["bookmakers"] = [book for book in event["bookmakers"] if book["key"] in wanted]
    return 200, payload


def _scores_answer(
    provider: DemoProvider, query: Mapping[str, str], now: datetime
) -> tuple[int, object]:
    raw = query.get("daysFrom")
    if raw is None:
        return 200, provider.scores_payload(DEMO_SPORT, None, now)
    if raw not in {str(n) for n in range(1, MAX_DAYS_FROM + 1)}:
        return 422, _error(
            f"daysFrom must be between 1 and {MAX_DAYS_FROM}", "INVALID_SCORES_DAYS_FROM"
        )
    return 200, provider.scores_payload(DEMO_SPORT, int(raw), now)


def _format_problem(query: Mapping[str, str]) -> JsonDict | None:
    """The demo speaks only the formats PickVs asks for; anything else would be a client bug."""
    if query.get("oddsFormat", "american") != "american":
        return _error("The demo source serves oddsFormat=american only", "INVALID_ODDS_FORMAT")
    if query.get("dateFormat", "iso") != "iso":
        return _error("The demo source serves dateFormat=iso only", "INVALID_DATE_FORMAT")
    return None


def _error(message: str, code: str) -> JsonDict:
    return {
        "message": message,
        "error_code": code,
        "details_url": f"https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#{code}",
    }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# -------------------------------------------------------------------------------- game maths


def _team_ratings(seed: int) -> dict[str, float]:
    """Points better than an average team; fixed per seed, so matchups stay consistent."""
    rng = Random(f"pickvs-demo:{seed}:ratings")
    return {team: rng.gauss(0, 4.5) for team in NBA_TEAMS}


def _game_id(seed: int, day: date, away: str, home: str) -> str:
    return hashlib.md5(f"{seed}:{day.isoformat()}:{away}@{home}".encode()).hexdigest()


def _tip_times(rng: Random, day: date, count: int) -> list[datetime]:
    most_afternoon = 3 if day.weekday() >= 5 else 1
    afternoon = rng.randint(0, most_afternoon) if rng.random() < 0.6 else 0
    afternoon = min(afternoon, count - 1)
    slots = [rng.choice(AFTERNOON_TIPS) for _ in range(afternoon)]
    slots += [rng.choice(EVENING_TIPS) for _ in range(count - afternoon)]
    return [
        datetime.combine(day, time(hour, minute), tzinfo=LEAGUE_TZ).astimezone(UTC)
        for hour, minute in slots
    ]


def _half_point(value: float) -> float:
    return round(value * 2) / 2


def _clamp_spread(value: float, sign: int) -> float:
    """A spread of 1 to 14 points in half points, on the side `sign` says is giving them."""
    magnitude = min(max(abs(_half_point(value)), MIN_SPREAD), MAX_SPREAD)
    return sign * magnitude


def _final_score(seed: int, game_id: str, expected_margin: float, total: float) -> tuple[int, int]:
    """Home and away points: scattered around the line, 90-140 each, never tied (overtime)."""
    rng = Random(f"pickvs-demo:{seed}:{game_id}:final")
    margin = round(rng.gauss(expected_margin, MARGIN_SD))
    if margin == 0:
        margin = rng.choice((-1, 1)) * rng.randint(1, 8)
    points = round(rng.gauss(total, TOTAL_SD))
    home = _clamp_score((points + margin) // 2)
    away = _clamp_score(home - margin)
    if home == away:
        home, away = _break_tie(home, away, home_won=margin > 0)
    return home, away


def _clamp_score(value: int) -> int:
    return min(max(value, MIN_SCORE), MAX_SCORE)


def _break_tie(home: int, away: int, home_won: bool) -> tuple[int, int]:
    winner, loser = (home, away) if home_won else (away, home)
    if winner < MAX_SCORE:
        winner += 1
    else:
        loser -= 1
    return (winner, loser) if home_won else (loser, winner)


def _score_at(game: DemoGame, now: datetime) -> tuple[int, int, datetime]:
    """The score as of `now`: final once over, else a share of it that grows with the clock."""
    if game.is_final(now):
        return game.home_score, game.away_score, game.commence_time + game.length
    share = min((now - game.commence_time) / game.length, 0.97)
    updated = now.replace(second=0, microsecond=0)
    return int(game.home_score * share), int(game.away_score * share), updated


def _live_or_upcoming(game: DemoGame, now: datetime) -> bool:
    """What a scores call without daysFrom returns: games to come, in play, or just ended."""
    return now < game.commence_time + game.length + LIVE_FINAL_WINDOW


def _line_update(game: DemoGame, rng: Random) -> datetime:
    """Before the first moment any odds reply can include the game (two slate days ahead)."""
    first_listed = datetime.combine(
        slate_day(game.commence_time, LEAGUE_TZ) - timedelta(days=SLATE_DAYS - 1),
        time(0),
        tzinfo=LEAGUE_TZ,
    )
    return (first_listed - timedelta(minutes=rng.randint(5, 240))).astimezone(UTC)


def _win_probability(home_spread: float) -> float:
    """Chance the home team wins, with margins normal around the spread."""
    return 0.5 * (1 + math.erf(-home_spread / (MARGIN_SD * math.sqrt(2))))


def _american(probability: float) -> int:
    """A price for an implied probability; long prices rounded to 5 as books quote them."""
    if probability >= 0.5:
        price = -100 * probability / (1 - probability)
    else:
        price = 100 * (1 - probability) / probability
    rounded = round(price / 5) * 5 if abs(price) > 200 else round(price)
    if abs(rounded) < 100:
        rounded = 100 if rounded > 0 else -100
    return int(rounded)


def _h2h_outcomes(game: DemoGame, book: str, rng: Random, juice: Random) -> list[JsonDict]:
    # Books differ by a cent or two, never enough to flip the favourite the spread names.
    nudge = min(max(rng.gauss(0, 0.01), -0.015), 0.015)
    probability = min(max(_win_probability(game.home_spread) + nudge, 0.1), 0.9)
    vig = 0.025 if book == "lowvig" else juice.uniform(0.04, 0.05)
    prices = {
        game.home_team: _american(probability + vig / 2),
        game.away_team: _american(1 - probability + vig / 2),
    }
    return [{"name": name, "price": prices[name]} for name in sorted(prices)]


def _spread_outcomes(game: DemoGame, book: str, rng: Random, juice: Random) -> list[JsonDict]:
    sign = -1 if game.home_spread < 0 else 1
    home_point = _clamp_spread(game.home_spread + rng.choice((0, 0, 0, 0.5, -0.5)), sign)
    home_price, away_price = juice.choice(LOWVIG_JUICE if book == "lowvig" else SPREAD_JUICE)
    outcomes = {
        game.home_team: {"price": home_price, "point": _number(home_point)},
        game.away_team: {"price": away_price, "point": _number(-home_point)},
    }
    return [{"name": name, **outcomes[name]} for name in sorted(outcomes)]


def _total_outcomes(game: DemoGame, book: str, rng: Random, juice: Random) -> list[JsonDict]:
    point = min(max(game.total + rng.choice((0, 0, 0.5, -0.5, 1, -1)), MIN_TOTAL), MAX_TOTAL)
    over, under = juice.choice(LOWVIG_JUICE if book == "lowvig" else SPREAD_JUICE)
    return [
        {"name": "Over", "price": over, "point": _number(point)},
        {"name": "Under", "price": under, "point": _number(point)},
    ]


_OUTCOMES: dict[str, Callable[[DemoGame, str, Random, Random], list[JsonDict]]] = {
    H2H: _h2h_outcomes,
    SPREADS: _spread_outcomes,
    TOTALS: _total_outcomes,
}


def _number(value: float) -> float | int:
    """Whole points are sent as JSON integers, as the provider does (`"point": -4`)."""
    return int(value) if float(value).is_integer() else value


def _event_base(game: DemoGame) -> JsonDict:
    return {
        "id": game.id,
        "sport_key": DEMO_SPORT,
        "sport_title": DEMO_SPORT_TITLE,
        "commence_time": _iso(game.commence_time),
        "home_team": game.home_team,
        "away_team": game.away_team,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
