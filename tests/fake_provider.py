"""A small fake of The Odds API, served over real HTTP on 127.0.0.1 for client and job tests.

Real sockets, real status codes and headers: what the client sees is what it would see from the
provider, faults included. Usage::

    with FakeOddsApi(now=NOW) as api:                # random free port, stopped on exit
        client = OddsApiClient(api.base_url, "test-key-123")
        api.set_odds(payload)                        # or leave unset: DemoProvider at `api.now`
        api.enqueue(429, error_body("EXCEEDED_FREQ_LIMIT"))   # scripts the *next* response
        api.enqueue(200, [], delay=1.0)              # slow answer, beyond a short client timeout
        api.enqueue(200, '[{"id": ', raw=True)       # body sent verbatim (truncated, HTML, ...)
        api.enqueue(503, call="odds")                # scripts the next *odds* call only
        ...
        path, query = api.requests[0]                # every request, apiKey included

    # A month of slates on a moved clock: most days 3-12 games, off days, a 5-day break.
    schedule = MonthSchedule.seeded(date(2027, 3, 1), days=31, seed=7)
    with FakeOddsApi(clock=clock, schedule=schedule) as api: ...

    # A real NBA month's shape: weeknight tip-off clusters at 7, 7:30, 8, 9 and 10 pm ET,
    # weekend afternoon games, lines that move between fetches, in-play scores without daysFrom.
    shape = NbaMonth.seeded(date(2027, 3, 1), days=31, seed=7)
    with FakeOddsApi(clock=clock, provider=NbaMonthProvider(shape, seed=7)) as api: ...

Scripted responses are served first, in order (a reply scripted for one call waits for it);
after them the fake answers like the provider: `/v4/sports`, `/v4/sports/{sport}/events`,
`/odds` and `/scores`, with the provider's 4xx error bodies for bad parameters (see
`pickvs.odds.demo.demo_answer`), `commenceTimeFrom`/`To` honoured, and quota headers on every
success, charged by the cost rules of odds-api.md (markets x regions for odds, 0 for an empty
list; 1 for scores, 2 with `daysFrom`; nothing for sports and events). A call that would
overrun `monthly_credits` gets 401 OUT_OF_USAGE_CREDITS, as the provider does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from random import Random
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlsplit

from pickvs.domain.budget import FREE_CALL_COST, odds_call_cost, scores_call_cost
from pickvs.domain.clock import Clock
from pickvs.odds.demo import (
    LEAGUE_TZ,
    NBA_TEAMS,
    DemoGame,
    DemoProvider,
    JsonDict,
    demo_answer,
    filter_by_commence,
)

Query = dict[str, str]
PAID_CALLS = ("odds", "scores")
FREE_CALLS = ("sports", "events")
MIN_GAMES, MAX_GAMES = 3, 12


@dataclass(frozen=True)
class MonthSchedule:
    """How many games each slate day has: a month with off days and one long break.

    Days outside the month have 3 to 12 games (the season goes on), so the first and last
    fetches of a simulated month look ahead into an ordinary schedule.
    """

    first_day: date
    days: int
    seed: int
    sizes: Mapping[date, int]

    @classmethod
    def seeded(
        cls, first_day: date, days: int = 31, seed: int = 2026, break_length: int | None = None
    ) -> MonthSchedule:
        """Most days 3-12 games; about one single off day a week; one break (5 days in a month).

        The break is long enough that some mornings no game tips within the three slate days
        the odds call covers: those are the days with nothing to fetch.
        """
        rng = Random(f"fake-month:{seed}:{first_day.isoformat()}:{days}")
        length = break_length if break_length is not None else (5 if days >= 21 else 3)
        if days < length + 3:
            raise ValueError(f"{days} days cannot hold a {length}-day break with games around it")
        latest_start = days - length - 1
        start = rng.randint(min(max(2, days // 3), latest_start), latest_start)
        break_days = set(range(start, start + length))
        candidates = [n for n in range(1, days - 1) if all(abs(n - b) > 1 for b in break_days)]
        rng.shuffle(candidates)
        off: set[int] = set()
        for n in candidates:
            if len(off) >= max(1, days // 8):
                break
            if all(abs(n - o) > 1 for o in off):
                off.add(n)
        sizes = {
            first_day + timedelta(n): 0
            if n in break_days | off
            else rng.randint(MIN_GAMES, MAX_GAMES)
            for n in range(days)
        }
        return cls(first_day, days, seed, sizes)

    @property
    def month(self) -> list[date]:
        return [self.first_day + timedelta(n) for n in range(self.days)]

    def games_on(self, day: date) -> int:
        if day in self.sizes:
            return self.sizes[day]
        return Random(f"fake-month:{self.seed}:outside:{day.isoformat()}").randint(
            MIN_GAMES, MAX_GAMES
        )

    def off_days(self) -> list[date]:
        return [day for day in self.month if self.sizes[day] == 0]


# Weeknight tip-off clusters (ET) and their weights: most games at 7:00 and 7:30, the West
# Coast's at 10:00 (an NBA regular-season weeknight's shape).
WEEKNIGHT_TIPS: tuple[tuple[time, int], ...] = (
    (time(19, 0), 32),
    (time(19, 30), 30),
    (time(20, 0), 16),
    (time(21, 0), 9),
    (time(22, 0), 13),
)
WEEKEND_AFTERNOON_TIPS = (time(13, 0), time(15, 30))
# Games per slate day by weekday (Mon..Sun), as in a March of the regular season: full
# Wednesdays and Fridays, light Thursdays.
NBA_DAY_GAMES = ((6, 10), (4, 9), (8, 12), (3, 7), (7, 11), (5, 10), (5, 11))
NBA_AFTERNOON_GAMES = {5: (0, 2), 6: (1, 4)}  # Saturday, Sunday


@dataclass(frozen=True)
class NbaMonth:
    """Tip-off times (league time) of each slate day of a month shaped like a real NBA month.

    Every day has games (the regular season has almost no empty nights); weeknights cluster at
    7:00, 7:30, 8:00, 9:00 and 10:00 pm ET, weekends add afternoon games at 1:00 and 3:30 pm.
    Days outside the month follow the same rules, so fetches near its ends look ahead into an
    ordinary schedule. It serves as a `MonthSchedule` too (`games_on`, `month`, `off_days`).
    """

    first_day: date
    days: int
    seed: int

    @classmethod
    def seeded(cls, first_day: date, days: int = 31, seed: int = 2026) -> NbaMonth:
        return cls(first_day, days, seed)

    @property
    def month(self) -> list[date]:
        return [self.first_day + timedelta(n) for n in range(self.days)]

    def off_days(self) -> list[date]:
        return [day for day in self.month if not self.tips_on(day)]

    def games_on(self, day: date) -> int:
        return len(self.tips_on(day))

    def tips_on(self, day: date) -> tuple[time, ...]:
        """The day's tip-off times in league time, earliest first; the same on every call."""
        rng = Random(f"fake-nba:{self.seed}:{day.isoformat()}")
        weekday = day.weekday()
        count = rng.randint(*NBA_DAY_GAMES[weekday])
        low, high = NBA_AFTERNOON_GAMES.get(weekday, (0, 0))
        afternoon = min(rng.randint(low, high), count - 1)
        clusters = [tip for tip, _ in WEEKNIGHT_TIPS]
        weights = [weight for _, weight in WEEKNIGHT_TIPS]
        tips = [rng.choice(WEEKEND_AFTERNOON_TIPS) for _ in range(afternoon)]
        tips += rng.choices(clusters, weights, k=count - afternoon)
        return tuple(sorted(tips))


class NbaMonthProvider(DemoProvider):
    """The demo provider on an `NbaMonth`'s tip-off times, with lines that move between fetches.

    Teams, lines, line moves and scores are the demo's (same seed, same rules: scores without
    `daysFrom` return upcoming and in-play games). On top, each odds reply shifts the spread
    and the total by a step drawn per game and half-hour of the fetch (deterministic), so two
    fetches in different half-hours differ even where the demo's own lines would not.
    """

    LINE_BUCKET = timedelta(minutes=30)

    def __init__(self, shape: NbaMonth, seed: int = 2026) -> None:
        super().__init__(seed, shape.games_on)
        self.shape = shape

    def _generate_slate(self, day: date) -> tuple[DemoGame, ...]:
        tips = self.shape.tips_on(day)
        if not tips:
            return ()
        rng = Random(f"fake-nba:{self.seed}:slate:{day.isoformat()}")
        teams = list(NBA_TEAMS)
        rng.shuffle(teams)
        games = [
            self._generate_game(
                day,
                away=teams[2 * n],
                home=teams[2 * n + 1],
                tip=datetime.combine(day, tip, tzinfo=LEAGUE_TZ).astimezone(UTC),
                rng=rng,
            )
            for n, tip in enumerate(tips)
        ]
        return tuple(sorted(games, key=lambda game: (game.commence_time, game.home_team)))

    def odds_payload(self, sport: str, markets: Sequence[str], now: datetime) -> list[JsonDict]:
        payload = super().odds_payload(sport, markets, now)
        bucket = int(now.timestamp() // self.LINE_BUCKET.total_seconds())
        for event in payload:
            rng = Random(f"fake-nba:{self.seed}:{event['id']}:move:{bucket}")
            spread_step = rng.choice((-1.0, -0.5, 0.0, 0.0, 0.5, 1.0))
            total_step = rng.choice((-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5))
            for book in event["bookmakers"]:
                for market in book["markets"]:
                    _move_market(market, event["home_team"], spread_step, total_step)
        return payload


def _move_market(market: JsonDict, home_team: str, spread_step: float, total_step: float) -> None:
    """Shift a spread (the favourite stays the favourite, by at least a point) or a total."""
    if market["key"] == "spreads":
        for outcome in market["outcomes"]:
            if outcome["name"] != home_team:
                continue
            home = float(outcome["point"])
            sign = -1.0 if home < 0 else 1.0
            moved = sign * max(abs(home) + spread_step, 1.0)
        for outcome in market["outcomes"]:
            point = moved if outcome["name"] == home_team else -moved
            outcome["point"] = int(point) if point.is_integer() else point
    elif market["key"] == "totals":
        for outcome in market["outcomes"]:
            point = float(outcome["point"]) + total_step
            outcome["point"] = int(point) if point.is_integer() else point


def error_body(error_code: str, message: str | None = None) -> dict[str, str]:
    """The provider's JSON error body for `error_code`."""
    return {
        "message": message or f"Fake provider error {error_code}",
        "error_code": error_code,
        "details_url": f"https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#{error_code}",
    }


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeOddsApi:
    """The provider's two calls on a loopback port; see the module docstring for the API."""

    def __init__(
        self,
        *,
        now: datetime | None = None,
        clock: Clock | None = None,
        seed: int = 2026,
        schedule: MonthSchedule | None = None,
        monthly_credits: int = 500,
        credits_used: int = 0,
        provider: DemoProvider | None = None,
    ) -> None:
        self.now = now  # None: `clock`, else the real clock at each request
        self.clock = clock
        self.schedule = schedule
        self.provider = provider or DemoProvider(seed, schedule.games_on if schedule else None)
        self.monthly_credits = monthly_credits
        self.credits_used = credits_used
        self.requests: list[tuple[str, Query]] = []
        self._odds: object | None = None
        self._scores: object | None = None
        self._events: object | None = None
        self._script: list[tuple[str | None, int, object, dict[str, str] | None, float, bool]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------ control

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeOddsApi is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_port}"

    def set_odds(self, payload: object | None) -> None:
        """Serve this body for odds calls from now on; None goes back to the demo provider."""
        self._odds = payload

    def set_scores(self, payload: object | None) -> None:
        self._scores = payload

    def set_events(self, payload: object | None) -> None:
        """Serve this schedule body; None derives it from `set_odds`' body, else the provider."""
        self._events = payload

    def calls(self, kind: str) -> list[tuple[str, Query]]:
        """Requests of one kind: `odds`, `scores`, `events` or `sports`."""
        return [(path, query) for path, query in self.requests if _call_kind(path) == kind]

    def enqueue(
        self,
        status: int,
        body: object = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        raw: bool = False,
        call: str | None = None,
    ) -> None:
        """Script the next response: `body` as JSON, or verbatim (str/bytes) when `raw`.

        A scripted 200 still gets quota headers (unless `headers` sets them); errors get only
        the headers given. `delay` seconds pass before the status line is sent. With `call`
        (`odds`, `scores`, `events`, `sports`) it answers the next call of that kind only, so
        a job's free look-up does not use up a reply meant for its paid call.
        """
        if call is not None and call not in PAID_CALLS + FREE_CALLS:
            raise ValueError(f"unknown call kind {call!r}")
        self._script.append((call, status, body, headers, delay, raw))

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping on a scripted delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------------ answering

    def _reply(self, method: str, path: str, query: Query) -> _Reply:
        with self._lock:
            self.requests.append((path, dict(query)))
            kind = _call_kind(path)
            for index, (call, *reply) in enumerate(self._script):
                if call is None or call == kind:
                    del self._script[index]
                    return self._scripted(path, query, *reply)
            return self._default(method, path, query)

    def _scripted(
        self,
        path: str,
        query: Query,
        status: int,
        body: object,
        headers: dict[str, str] | None,
        delay: float,
        raw: bool,
    ) -> _Reply:
        data = _raw_bytes(body) if raw else json.dumps(body).encode()
        reply = _Reply(status, data, {"Content-Type": _content_type(data, raw)}, delay)
        if status == 200:
            reply.headers.update(self._charge(_cost(path, query, None if raw else body)))
        reply.headers.update(headers or {})
        return reply

    def _now(self) -> datetime:
        if self.now is not None:
            return self.now
        return self.clock.now() if self.clock is not None else datetime.now(UTC)

    def _override(self, kind: str, query: Query) -> object | None:
        """A body set by the test, cut to the query's window as the provider would cut it."""
        if kind == "scores":
            return self._scores
        if kind == "odds" and self._odds is not None:
            return filter_by_commence(self._odds, query)
        if kind == "events":
            if self._events is not None:
                return filter_by_commence(self._events, query)
            if isinstance(self._odds, list):
                return filter_by_commence(_without_lines(self._odds), query)
        return None

    def _default(self, method: str, path: str, query: Query) -> _Reply:
        status, body = demo_answer(self.provider, method, path, query, self._now())
        if status == 200:
            override = self._override(_call_kind(path), query)
            body = body if override is None else override
            cost = _cost(path, query, body)
            if self.credits_used + cost > self.monthly_credits:
                status, body = (
                    401,
                    error_body("OUT_OF_USAGE_CREDITS", "Usage quota has been reached"),
                )
            else:
                return _Reply(200, json.dumps(body).encode(), self._charge(cost))
        return _Reply(status, json.dumps(body).encode())

    def _charge(self, cost: int) -> dict[str, str]:
        self.credits_used += cost
        return {
            "x-requests-last": str(cost),
            "x-requests-used": str(self.credits_used),
            "x-requests-remaining": str(max(self.monthly_credits - self.credits_used, 0)),
        }


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        fake: FakeOddsApi = self.server.fake  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        reply = fake._reply(method, url.path, dict(parse_qsl(url.query, keep_blank_values=True)))
        if reply.delay and fake._closing.wait(reply.delay):
            return
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): exactly what a slow-response test wants

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest shows failures, not every request."""


def _call_kind(path: str) -> str:
    """`odds`, `scores`, `events` or `sports` (for `/v4/sports`), from the request path."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _without_lines(events: list[object]) -> list[object]:
    return [
        {key: value for key, value in event.items() if key != "bookmakers"}
        if isinstance(event, dict)
        else event
        for event in events
    ]


def _cost(path: str, query: Query, body: object) -> int:
    """Credits the provider charges for a successful call (odds-api.md's cost column)."""
    kind = _call_kind(path)
    if kind in FREE_CALLS:
        return FREE_CALL_COST
    if kind == "scores":
        return scores_call_cost(1 if query.get("daysFrom") else None)
    if body == []:
        return 0
    markets = _count(query.get("markets", "h2h"))
    return odds_call_cost(
        markets,
        regions=_count(query.get("regions", "")),
        bookmakers=_count(query.get("bookmakers", "")),
    )


def _count(csv: str) -> int:
    return len([part for part in csv.split(",") if part.strip()])


def _raw_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    return str(body if body is not None else "").encode()


def _content_type(data: bytes, raw: bool) -> str:
    if raw and data.lstrip().startswith(b"<"):
        return "text/html; charset=utf-8"
    return "application/json"
