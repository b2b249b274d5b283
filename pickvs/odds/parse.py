"""Turn the provider's decoded JSON into records, keeping what is sound and noting the rest.

The feed is outside our control: any JSON value may arrive. Only an unusable top level raises
(`MalformedResponse`); a bad event, bookmaker or market is skipped with an `IssueRecord` so that
one odd row never costs the rest of a fetch, and the admin can see what was dropped and why.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pickvs.domain.clock import ensure_utc
from pickvs.domain.feed import EARLIEST_SANE, Quote, market_problem, timestamp_problem
from pickvs.domain.markets import H2H, MARKETS, SIDES, TOTALS, outcome_side, selection_name
from pickvs.odds.records import (
    EventRecord,
    IssueRecord,
    LineRecord,
    MalformedResponse,
    ParsedEvents,
    ParsedOdds,
    ParsedScores,
    ScheduledEvent,
    ScoreRecord,
)

# Sizes follow the database columns, so a record that parses can always be stored.
EVENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
KEY_RE = re.compile(r"[a-z0-9_]{1,64}")
MAX_NAME_LENGTH = 100
MAX_SCORE = 400
MAX_ABS_POINT = 1000  # spreads and totals of every supported sport sit far inside this
LATEST_SANE = datetime(2100, 1, 1, tzinfo=UTC)
_REPR_LIMIT = 40


def _bounded_repr() -> reprlib.Repr:
    """Python 3.11's `Repr` takes no constructor arguments, hence the attribute assignments."""
    bounded = reprlib.Repr()
    bounded.maxlevel, bounded.maxlist, bounded.maxdict = 2, 3, 3
    bounded.maxstring = bounded.maxother = 30
    return bounded


_REPR = _bounded_repr()

JsonObject = Mapping[str, Any]


@dataclass(frozen=True)
class _Event:
    """The fields the odds and scores responses share, already checked, and the raw object."""

    id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str
    raw: JsonObject = field(repr=False, compare=False)


class _Issues:
    """Collects skip reasons, clipped to the data_issue columns so recording them cannot fail."""

    def __init__(self) -> None:
        self.items: list[IssueRecord] = []

    def add(
        self,
        reason: str,
        game_id: str | None = None,
        bookmaker: str | None = None,
        market: str | None = None,
    ) -> None:
        self.items.append(
            IssueRecord(
                reason=reason[:500],
                game_id=game_id,
                bookmaker=bookmaker[:64] if bookmaker else None,
                market=market[:32] if market else None,
            )
        )


# ---------------------------------------------------------------------------- public entry points


def parse_odds(
    payload: object,
    fetched_at: datetime,
    markets: Collection[str] = MARKETS,
) -> ParsedOdds:
    """Events with their sound lines; `fetched_at` bounds how recent a `last_update` may be."""
    fetched_at = ensure_utc(fetched_at)
    wanted = frozenset(markets)
    issues = _Issues()
    events = [
        EventRecord(
            id=event.id,
            sport=event.sport,
            commence_time=event.commence_time,
            home_team=event.home_team,
            away_team=event.away_team,
            lines=_event_lines(event, fetched_at, wanted, issues),
        )
        for event in _unique_events(payload, issues)
    ]
    return ParsedOdds(events=events, issues=issues.items)


def parse_scores(payload: object) -> ParsedScores:
    """Games with scores matched to teams by name; only a fully scored game counts as completed."""
    issues = _Issues()
    scores = [_score_record(event, issues) for event in _unique_events(payload, issues)]
    return ParsedScores(scores=scores, issues=issues.items)


def parse_events(payload: object) -> ParsedEvents:
    """The schedule look-up: each event's header checked like the odds and scores ones.

    An event that fails the checks is an issue, not a guess: the caller decides whether an
    unreadable event is reason enough to make the paid call anyway.
    """
    issues = _Issues()
    events = [
        ScheduledEvent(
            id=event.id,
            sport=event.sport,
            commence_time=event.commence_time,
            home_team=event.home_team,
            away_team=event.away_team,
        )
        for event in _unique_events(payload, issues)
    ]
    return ParsedEvents(events=events, issues=issues.items)


def parse_instant(value: object) -> datetime | None:
    """An ISO 8601 instant (`Z` or an offset) as aware UTC, or None when unreadable.

    A timestamp without an offset is taken as UTC: the provider documents every time as UTC,
    and dropping a whole event over a missing `Z` would lose more than it protects.
    """
    if not isinstance(value, str) or not 10 < len(value) <= 40:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


# ---------------------------------------------------------------------------- shared event header


def _unique_events(payload: object, issues: _Issues) -> Iterator[_Event]:
    """Events with a sound header, each id once: a repeated id would store its lines twice."""
    seen: set[str] = set()
    for index, raw in enumerate(_top_level_list(payload)):
        event = _event_header(raw, index, issues)
        if event is None:
            continue
        if event.id in seen:
            issues.add("event listed twice; kept the first", game_id=event.id)
            continue
        seen.add(event.id)
        yield event


def _top_level_list(payload: object) -> list[object]:
    if not isinstance(payload, list):
        raise MalformedResponse(f"expected a JSON list of events, got {type(payload).__name__}")
    return payload


def _event_header(raw: object, index: int, issues: _Issues) -> _Event | None:
    if not isinstance(raw, Mapping):
        issues.add(f"event #{index} is not an object: {_short(raw)}")
        return None
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not EVENT_ID_RE.fullmatch(event_id):
        issues.add(f"event #{index} has an unusable id {_short(event_id)}")
        return None
    problem, event = _header_fields(raw, event_id)
    if problem:
        issues.add(problem, game_id=event_id)
    return event


def _header_fields(raw: JsonObject, event_id: str) -> tuple[str | None, _Event | None]:
    sport = raw.get("sport_key")
    if not isinstance(sport, str) or not KEY_RE.fullmatch(sport):
        return f"unusable sport_key {_short(sport)}", None
    commence = parse_instant(raw.get("commence_time"))
    if commence is None or not EARLIEST_SANE <= commence < LATEST_SANE:
        return f"unusable commence_time {_short(raw.get('commence_time'))}", None
    home, away = _team_name(raw.get("home_team")), _team_name(raw.get("away_team"))
    if home is None or away is None:
        return "missing or unusable home_team/away_team", None
    if home.casefold() == away.casefold():
        return f"home and away are the same team ({home})", None
    return None, _Event(event_id, sport, commence, home, away, raw)


def _team_name(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    name = value.strip()
    return name if 0 < len(name) <= MAX_NAME_LENGTH else None


# ---------------------------------------------------------------------------- odds


def _event_lines(
    event: _Event,
    fetched_at: datetime,
    wanted: frozenset[str],
    issues: _Issues,
) -> tuple[LineRecord, ...]:
    """A game with no bookmakers is still a game: it is kept with no lines."""
    books = event.raw.get("bookmakers")
    if books is None:
        return ()
    if not isinstance(books, list):
        issues.add("bookmakers is not a list", game_id=event.id)
        return ()
    lines: list[LineRecord] = []
    seen: set[str] = set()
    for book in books:
        lines.extend(_bookmaker_lines(book, event, fetched_at, wanted, seen, issues))
    return tuple(lines)


def _bookmaker_lines(
    raw: object,
    event: _Event,
    fetched_at: datetime,
    wanted: frozenset[str],
    seen: set[str],
    issues: _Issues,
) -> list[LineRecord]:
    if not isinstance(raw, Mapping):
        issues.add(f"bookmaker entry is not an object: {_short(raw)}", game_id=event.id)
        return []
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        issues.add(f"unusable bookmaker key {_short(key)}", game_id=event.id)
        return []
    if key in seen:
        issues.add("bookmaker listed twice; kept the first", game_id=event.id, bookmaker=key)
        return []
    seen.add(key)
    problem, book_update = _checked_timestamp(raw, fetched_at)
    if problem:
        issues.add(f"bookmaker last_update: {problem}", game_id=event.id, bookmaker=key)
        return []
    markets = raw.get("markets")
    if not isinstance(markets, list):
        issues.add("markets is not a list", game_id=event.id, bookmaker=key)
        return []
    lines: list[LineRecord] = []
    seen_markets: set[str] = set()
    for market in markets:
        lines.extend(
            _market_lines(market, event, key, book_update, fetched_at, wanted, seen_markets, issues)
        )
    return lines


def _market_lines(
    raw: object,
    event: _Event,
    book: str,
    book_update: datetime | None,
    fetched_at: datetime,
    wanted: frozenset[str],
    seen: set[str],
    issues: _Issues,
) -> list[LineRecord]:
    key = raw.get("key") if isinstance(raw, Mapping) else None
    if not isinstance(raw, Mapping) or not isinstance(key, str) or not KEY_RE.fullmatch(key):
        issues.add(f"unusable market entry {_short(raw)}", game_id=event.id, bookmaker=book)
        return []
    problem = _market_key_problem(key, wanted, seen)
    seen.add(key)
    quotes: list[Quote] = []
    update: datetime | None = None
    if problem is None:
        problem, quotes, update = _market_quotes(raw, key, event, fetched_at)
    if problem is not None:
        issues.add(problem, game_id=event.id, bookmaker=book, market=key)
        return []
    return [_line(book, key, quote, event, update or book_update) for quote in quotes]


def _market_quotes(
    raw: JsonObject, market: str, event: _Event, fetched_at: datetime
) -> tuple[str | None, list[Quote], datetime | None]:
    problem, update = _checked_timestamp(raw, fetched_at)
    if problem is not None:
        return f"market last_update: {problem}", [], None
    problem, quotes = _quotes(raw.get("outcomes"), market, event)
    return problem, quotes, update


def _market_key_problem(key: str, wanted: frozenset[str], seen: set[str]) -> str | None:
    if key not in MARKETS:
        return market_problem(key, [])
    if key not in wanted:
        return "market not requested"
    if key in seen:
        return "market listed twice; kept the first"
    return None


def _quotes(outcomes: object, market: str, event: _Event) -> tuple[str | None, list[Quote]]:
    """Both sides of a market as quotes, or why they cannot be stored."""
    if not isinstance(outcomes, list):
        return "outcomes is not a list", []
    quotes: list[Quote] = []
    for outcome in outcomes:
        name = outcome.get("name") if isinstance(outcome, Mapping) else None
        if not isinstance(outcome, Mapping) or not isinstance(name, str):
            return f"unusable outcome {_short(outcome)}", []
        side = outcome_side(market, name, event.home_team, event.away_team)
        if side is None:
            return f"outcome {_short(name)} is not a side of this game's {market}", []
        point = None if market == H2H else outcome.get("point")
        quotes.append(Quote(side=side, name=name, price=outcome.get("price"), point=point))
    problem = _point_problem(market, quotes) or market_problem(market, quotes)
    return problem, sorted(quotes, key=lambda q: SIDES.index(q.side))


def _point_problem(market: str, quotes: list[Quote]) -> str | None:
    """Points no real line has, checked first: a 400-digit integer would not even fit a float."""
    for quote in quotes:
        point = quote.point
        if not isinstance(point, int | float) or isinstance(point, bool):
            continue  # missing or not a number: market_problem names it
        if not _plausible_point(point):
            return f"implausible point {_short(point)} for {_short(quote.name)}"
        if market == TOTALS and point <= 0:
            return f"non-positive total {point!r}"
    return None


def _plausible_point(point: int | float) -> bool:
    if isinstance(point, int):
        return abs(point) <= MAX_ABS_POINT  # before any float(): huge ints overflow it
    return math.isfinite(point) and abs(point) <= MAX_ABS_POINT


def _line(
    book: str, market: str, quote: Quote, event: _Event, stamp: datetime | None
) -> LineRecord:
    """The outcome is stored as the event spells it, so a book's casing cannot split history."""
    point = None if market == H2H else float(quote.point)  # type: ignore[arg-type]
    return LineRecord(
        bookmaker=book,
        market=market,
        side=quote.side,
        outcome=selection_name(quote.side, event.home_team, event.away_team),
        price=quote.price,  # type: ignore[arg-type]  # checked by market_problem
        point=point,
        last_update=stamp,
    )


def _checked_timestamp(raw: JsonObject, fetched_at: datetime) -> tuple[str | None, datetime | None]:
    """An optional `last_update`: absent is fine, present must be readable and plausible."""
    value = raw.get("last_update")
    if value is None:
        return None, None
    moment = parse_instant(value)
    if moment is None:
        return f"unreadable timestamp {_short(value)}", None
    return timestamp_problem(moment, fetched_at), moment


# ---------------------------------------------------------------------------- scores


def _score_record(event: _Event, issues: _Issues) -> ScoreRecord:
    raw = event.raw
    completed = raw.get("completed")
    if not isinstance(completed, bool):
        issues.add(
            f"unusable completed flag {_short(completed)}; treated as not completed",
            game_id=event.id,
        )
        completed = False
    problem, home_score, away_score = _match_scores(raw.get("scores"), event)
    if completed and home_score is None:
        problem = f"{problem or 'completed without scores'}; treated as not completed"
        completed = False
    if problem:
        issues.add(problem, game_id=event.id)
    last_update = parse_instant(raw.get("last_update"))
    if last_update is None and raw.get("last_update") is not None:
        issues.add(f"unreadable last_update {_short(raw.get('last_update'))}", game_id=event.id)
    return ScoreRecord(
        id=event.id,
        sport=event.sport,
        commence_time=event.commence_time,
        home_team=event.home_team,
        away_team=event.away_team,
        completed=completed,
        home_score=home_score,
        away_score=away_score,
        last_update=last_update,
    )


def _match_scores(scores: object, event: _Event) -> tuple[str | None, int | None, int | None]:
    """Scores by team name, never by position: the array's order is not documented."""
    if scores is None:
        return None, None, None
    if not isinstance(scores, list):
        return f"scores is not a list: {_short(scores)}", None, None
    by_team: dict[str, list[object]] = {}
    for entry in scores:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if isinstance(name, str) and isinstance(entry, Mapping):
            by_team.setdefault(name.strip().casefold(), []).append(entry.get("score"))
    home = _team_score(by_team.get(event.home_team.casefold(), []))
    away = _team_score(by_team.get(event.away_team.casefold(), []))
    if home is None or away is None:
        return f"no usable score for both teams in {_short(scores)}", None, None
    return None, home, away


def _team_score(values: list[object]) -> int | None:
    """The one score given for a team; a team listed twice with different scores is unknown."""
    parsed = {_score_value(value) for value in values}
    if len(parsed) != 1:
        return None
    return parsed.pop()


def _score_value(value: object) -> int | None:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None
    return number if 0 <= number <= MAX_SCORE else None


def _short(value: object) -> str:
    """A bounded repr: feed values can be huge or deeply nested, and a reason must stay short."""
    text = _REPR.repr(value)
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."
