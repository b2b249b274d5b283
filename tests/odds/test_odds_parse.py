"""Parser edge cases, table-driven, and a fuzz pass: bad rows become issues, never crashes."""

from __future__ import annotations

import copy
import json
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from pickvs.domain.markets import AWAY, HOME, SIDES
from pickvs.domain.odds import is_valid_price
from pickvs.odds import MalformedResponse, parse_instant, parse_odds, parse_scores
from pickvs.odds.demo import DemoProvider

GAME = "e912304de2b2ce35b473ce2ecd3d1502"
FETCHED = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
STAMP = "2026-11-22T10:02:11Z"
Event = dict[str, Any]


def odds_event() -> Event:
    """odds-api.md's sample: one book quoting all three markets, six sound lines."""
    return {
        "id": GAME,
        "sport_key": "basketball_nba",
        "sport_title": "NBA",
        "commence_time": "2026-11-23T00:40:00Z",
        "home_team": "Boston Celtics",
        "away_team": "Milwaukee Bucks",
        "bookmakers": [
            {
                "key": "draftkings",
                "title": "DraftKings",
                "last_update": STAMP,
                "markets": [
                    {
                        "key": "h2h",
                        "last_update": STAMP,
                        "outcomes": [
                            {"name": "Boston Celtics", "price": -180},
                            {"name": "Milwaukee Bucks", "price": 150},
                        ],
                    },
                    {
                        "key": "spreads",
                        "last_update": STAMP,
                        "outcomes": [
                            {"name": "Boston Celtics", "price": -110, "point": -4.5},
                            {"name": "Milwaukee Bucks", "price": -110, "point": 4.5},
                        ],
                    },
                    {
                        "key": "totals",
                        "last_update": STAMP,
                        "outcomes": [
                            {"name": "Over", "price": -108, "point": 227.5},
                            {"name": "Under", "price": -112, "point": 227.5},
                        ],
                    },
                ],
            }
        ],
    }


def market(event: Event, key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [m for m in event["bookmakers"][0]["markets"] if m["key"] == key]
    assert len(found) == 1
    return found[0]


def outcome(event: Event, key: str, index: int) -> dict[str, Any]:
    outcomes: list[dict[str, Any]] = market(event, key)["outcomes"]
    return outcomes[index]


def set_price(key: str, price: object) -> Callable[[Event], None]:
    return lambda e: outcome(e, key, 0).__setitem__("price", price)


def set_point(key: str, index: int, point: object) -> Callable[[Event], None]:
    return lambda e: outcome(e, key, index).__setitem__("point", point)


def both_points(key: str, first: object, second: object) -> Callable[[Event], None]:
    def mutate(event: Event) -> None:
        outcome(event, key, 0)["point"], outcome(event, key, 1)["point"] = first, second

    return mutate


def set_market_stamp(value: object) -> Callable[[Event], None]:
    return lambda e: market(e, "spreads").__setitem__("last_update", value)


MARKET_CASES = [
    # (case, mutation, market skipped, reason fragment, lines kept of 6)
    ("missing side", lambda e: market(e, "h2h")["outcomes"].pop(), "h2h", "both sides", 4),
    ("two Overs", lambda e: outcome(e, "totals", 1).update(name="Over"), "totals", "both sides", 4),
    ("price 50", set_price("h2h", 50), "h2h", "implausible price 50", 4),
    ("price 20000", set_price("h2h", 20000), "h2h", "implausible price 20000", 4),
    ("bool price", set_price("h2h", True), "h2h", "implausible price True", 4),
    ("float price", set_price("spreads", -110.0), "spreads", "implausible price -110.0", 4),
    ("string price", set_price("spreads", "-110"), "spreads", "implausible price '-110'", 4),
    ("no price", lambda e: outcome(e, "totals", 0).pop("price"), "totals", "price None", 4),
    (
        "missing point",
        lambda e: outcome(e, "spreads", 1).pop("point"),
        "spreads",
        "missing point",
        4,
    ),
    ("bool point", set_point("totals", 0, True), "totals", "missing point", 4),
    ("string point", set_point("spreads", 0, "-4.5"), "spreads", "missing point", 4),
    ("NaN point", set_point("spreads", 0, math.nan), "spreads", "implausible point nan", 4),
    (
        "infinite spread",
        both_points("spreads", -math.inf, math.inf),
        "spreads",
        "implausible point",
        4,
    ),
    ("huge int point", both_points("totals", 10**400, 10**400), "totals", "implausible point", 4),
    ("mismatched totals", set_point("totals", 1, 228.0), "totals", "different totals", 4),
    ("unmirrored spread", set_point("spreads", 1, 5.0), "spreads", "do not mirror", 4),
    ("zero total", both_points("totals", 0, 0), "totals", "non-positive total", 4),
    (
        "third team",
        lambda e: outcome(e, "h2h", 1).update(name="Chicago Bulls"),
        "h2h",
        "not a side",
        4,
    ),
    (
        "outcome a string",
        lambda e: market(e, "h2h")["outcomes"].__setitem__(0, "Boston"),
        "h2h",
        "unusable outcome",
        4,
    ),
    (
        "outcomes not a list",
        lambda e: market(e, "totals").update(outcomes={}),
        "totals",
        "not a list",
        4,
    ),
    ("unreadable stamp", set_market_stamp("yesterday"), "spreads", "unreadable timestamp", 4),
    ("numeric stamp", set_market_stamp(1763805731), "spreads", "unreadable timestamp", 4),
    (
        "future stamp",
        set_market_stamp("2026-11-22T14:00:00Z"),
        "spreads",
        "implausible timestamp",
        4,
    ),
    (
        "stamp from 1999",
        set_market_stamp("1999-12-31T23:59:59Z"),
        "spreads",
        "implausible timestamp",
        4,
    ),
    (
        "exchange lay market",
        lambda e: market(e, "h2h").update(key="h2h_lay"),
        "h2h_lay",
        "unsupported market h2h_lay",
        4,
    ),
    (
        "market twice",
        lambda e: e["bookmakers"][0]["markets"].append(copy.deepcopy(market(e, "h2h"))),
        "h2h",
        "listed twice",
        6,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "skipped", "fragment", "kept"),
    [case[1:] for case in MARKET_CASES],
    ids=[case[0] for case in MARKET_CASES],
)
def test_a_bad_market_is_skipped_with_a_reason(
    mutate: Callable[[Event], object], skipped: str, fragment: str, kept: int
) -> None:
    event = odds_event()
    mutate(event)
    parsed = parse_odds([event], FETCHED)
    (issue,) = parsed.issues
    assert (issue.game_id, issue.bookmaker, issue.market) == (GAME, "draftkings", skipped)
    assert fragment in issue.reason
    (parsed_event,) = parsed.events
    assert len(parsed_event.lines) == kept
    assert {line.market for line in parsed_event.lines} <= {"h2h", "spreads", "totals"}


BOOK_CASES = [
    (
        "unreadable book stamp",
        lambda b: b.update(last_update="soon"),
        "draftkings",
        "unreadable timestamp",
    ),
    (
        "book stamp from the future",
        lambda b: b.update(last_update="2026-11-23T00:00:00Z"),
        "draftkings",
        "implausible timestamp",
    ),
    (
        "markets not a list",
        lambda b: b.update(markets="h2h"),
        "draftkings",
        "markets is not a list",
    ),
    ("no key", lambda b: b.pop("key"), None, "unusable bookmaker key"),
    ("key with spaces", lambda b: b.update(key="Draft Kings"), None, "unusable bookmaker key"),
]


@pytest.mark.parametrize(
    ("mutate", "book", "fragment"),
    [case[1:] for case in BOOK_CASES],
    ids=[case[0] for case in BOOK_CASES],
)
def test_a_bad_bookmaker_is_skipped_whole(
    mutate: Callable[[dict[str, Any]], object], book: str | None, fragment: str
) -> None:
    event = odds_event()
    event["bookmakers"].append(copy.deepcopy(event["bookmakers"][0]) | {"key": "fanduel"})
    mutate(event["bookmakers"][0])
    parsed = parse_odds([event], FETCHED)
    (issue,) = parsed.issues
    assert (issue.game_id, issue.bookmaker, issue.market) == (GAME, book, None)
    assert fragment in issue.reason
    assert {line.bookmaker for line in parsed.events[0].lines} == {"fanduel"}


def test_missing_market_stamp_falls_back_to_the_bookmaker_stamp() -> None:
    event = odds_event()
    del market(event, "h2h")["last_update"]
    event["bookmakers"][0]["last_update"] = "2026-11-22T09:00:00+00:00"
    parsed = parse_odds([event], FETCHED)
    stamps = {line.market: line.last_update for line in parsed.events[0].lines}
    assert stamps["h2h"] == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert stamps["totals"] == datetime(2026, 11, 22, 10, 2, 11, tzinfo=UTC)
    assert not parsed.issues


def test_lines_map_outcomes_to_sides_by_name_in_a_fixed_order() -> None:
    event = odds_event()
    for key in ("h2h", "spreads"):
        market(event, key)["outcomes"].reverse()  # away team listed first
    outcome(event, "h2h", 0)["name"] = "milwaukee bucks"  # and differently cased
    lines = parse_odds([event], FETCHED).events[0].lines
    assert [(x.market, x.side) for x in lines] == [
        ("h2h", HOME),
        ("h2h", AWAY),
        ("spreads", HOME),
        ("spreads", AWAY),
        ("totals", "over"),
        ("totals", "under"),
    ]
    assert lines[1].outcome == "Milwaukee Bucks"  # as the event spells it
    spreads = {x.side: (x.price, x.point) for x in lines if x.market == "spreads"}
    assert spreads == {HOME: (-110, -4.5), AWAY: (-110, 4.5)}
    assert isinstance(lines[2].point, float)


EVENT_CASES = [
    ("no id", lambda e: e.pop("id"), None, "unusable id"),
    ("numeric id", lambda e: e.update(id=12345), None, "unusable id"),
    ("id with a space", lambda e: e.update(id="abc def"), None, "unusable id"),
    ("id too long", lambda e: e.update(id="a" * 65), None, "unusable id"),
    ("no commence_time", lambda e: e.pop("commence_time"), GAME, "commence_time"),
    (
        "impossible date",
        lambda e: e.update(commence_time="2026-13-45T00:00:00Z"),
        GAME,
        "commence_time",
    ),
    ("date only", lambda e: e.update(commence_time="2026-11-23"), GAME, "commence_time"),
    ("year 1970", lambda e: e.update(commence_time="1970-01-01T00:00:00Z"), GAME, "commence_time"),
    ("no home team", lambda e: e.pop("home_team"), GAME, "home_team"),
    ("blank away team", lambda e: e.update(away_team="  "), GAME, "home_team"),
    ("same teams", lambda e: e.update(away_team="boston celtics"), GAME, "same team"),
    ("no sport", lambda e: e.pop("sport_key"), GAME, "sport_key"),
]


@pytest.mark.parametrize(
    ("mutate", "game_id", "fragment"),
    [case[1:] for case in EVENT_CASES],
    ids=[case[0] for case in EVENT_CASES],
)
def test_a_bad_event_is_skipped_and_the_rest_kept(
    mutate: Callable[[Event], object], game_id: str | None, fragment: str
) -> None:
    bad, good = odds_event(), odds_event() | {"id": "f" * 32}
    mutate(bad)
    odds = parse_odds([bad, good], FETCHED)
    scores = parse_scores([bad, good | _unstarted()])
    assert [e.id for e in odds.events] == [s.id for s in scores.scores] == ["f" * 32]
    for issues in (odds.issues, scores.issues):
        (issue,) = issues
        assert issue.game_id == game_id and fragment in issue.reason


def _unstarted() -> dict[str, Any]:
    return {"completed": False, "scores": None, "last_update": None}


def test_game_without_bookmakers_is_kept_without_lines() -> None:
    absent, empty, wrong = odds_event(), odds_event(), odds_event()
    del absent["bookmakers"]
    empty["bookmakers"] = []
    wrong["bookmakers"] = {"draftkings": {}}
    empty["id"], wrong["id"] = "1" * 32, "2" * 32
    parsed = parse_odds([absent, empty, wrong], FETCHED)
    assert [(e.id, e.lines) for e in parsed.events] == [(GAME, ()), ("1" * 32, ()), ("2" * 32, ())]
    (issue,) = parsed.issues
    assert issue.game_id == "2" * 32 and "bookmakers is not a list" in issue.reason


def test_duplicates_keep_the_first() -> None:
    event = odds_event()
    event["bookmakers"].append(copy.deepcopy(event["bookmakers"][0]))
    parsed = parse_odds([event, odds_event()], FETCHED)
    assert len(parsed.events) == 1 and len(parsed.events[0].lines) == 6
    assert sorted(i.reason for i in parsed.issues) == [
        "bookmaker listed twice; kept the first",
        "event listed twice; kept the first",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23T00:40:00Z", datetime(2026, 11, 23, 0, 40, tzinfo=UTC)),
        ("2026-11-23T00:40:00+00:00", datetime(2026, 11, 23, 0, 40, tzinfo=UTC)),
        ("2026-11-23T00:40:00.250Z", datetime(2026, 11, 23, 0, 40, 0, 250000, tzinfo=UTC)),
        ("2026-11-22T19:40:00-05:00", datetime(2026, 11, 23, 0, 40, tzinfo=UTC)),
        ("2026-11-23T00:40:00", datetime(2026, 11, 23, 0, 40, tzinfo=UTC)),  # no offset: UTC
        ("2026-11-23", None),
        ("23/11/2026 00:40", None),
        ("0001-01-01T00:00:00+01:00", None),  # would overflow on conversion to UTC
        ("", None),
        (None, None),
        (1763858400, None),
        ("2026-11-23T00:40:00Z" + " " * 40, None),
    ],
)
def test_timestamps(text: object, expected: datetime | None) -> None:
    parsed = parse_instant(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


def test_naive_fetch_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        parse_odds([], datetime(2026, 11, 22, 12, 0))


# ------------------------------------------------------------------------------------- scores


def score_event(scores: object, completed: object = True, **extra: object) -> Event:
    return {
        "id": GAME,
        "sport_key": "basketball_nba",
        "sport_title": "NBA",
        "commence_time": "2026-11-23T00:40:00Z",
        "completed": completed,
        "home_team": "Boston Celtics",
        "away_team": "Milwaukee Bucks",
        "scores": scores,
        "last_update": "2026-11-23T03:01:00Z",
    } | extra


def team_scores(home: object, away: object) -> list[dict[str, object]]:
    return [{"name": "Boston Celtics", "score": home}, {"name": "Milwaukee Bucks", "score": away}]


SCORE_CASES = [
    # (case, event, completed, home, away, issue fragment or None)
    ("final", score_event(team_scores("113", "103")), True, 113, 103, None),
    ("order swapped", score_event(team_scores("113", "103")[::-1]), True, 113, 103, None),
    (
        "names cased",
        score_event(
            [{"name": "BOSTON CELTICS", "score": "99"}, {"name": "milwaukee bucks", "score": "101"}]
        ),
        True,
        99,
        101,
        None,
    ),
    ("padded strings", score_event(team_scores(" 113 ", "103")), True, 113, 103, None),
    ("numbers not strings", score_event(team_scores(113, 103)), True, 113, 103, None),
    ("in play", score_event(team_scores("40", "37"), completed=False), False, 40, 37, None),
    ("not started", score_event(None, completed=False, last_update=None), False, None, None, None),
    ("completed without scores", score_event(None), False, None, None, "completed without scores"),
    (
        "completed, non-numeric",
        score_event(team_scores("abc", "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "completed, negative",
        score_event(team_scores("-3", "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "completed, float",
        score_event(team_scores("113.5", "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "completed, bool",
        score_event(team_scores(True, "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "completed, absurd",
        score_event(team_scores("1130", "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "unicode digits",
        score_event(team_scores("١١٣", "103")),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "one team missing",
        score_event(team_scores("113", "103")[:1]),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "other teams",
        score_event([{"name": "A", "score": "1"}, {"name": "B", "score": "2"}]),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "team listed twice",
        score_event([*team_scores("113", "103"), {"name": "Boston Celtics", "score": "90"}]),
        False,
        None,
        None,
        "no usable score",
    ),
    ("scores not a list", score_event({"Boston Celtics": "113"}), False, None, None, "not a list"),
    ("entries not objects", score_event(["113", "103"]), False, None, None, "no usable score"),
    (
        "in play, garbage",
        score_event(team_scores("", ""), completed=False),
        False,
        None,
        None,
        "no usable score",
    ),
    (
        "completed as string",
        score_event(team_scores("113", "103"), completed="true"),
        False,
        113,
        103,
        "completed flag",
    ),
]


@pytest.mark.parametrize(
    ("event", "completed", "home", "away", "fragment"),
    [case[1:] for case in SCORE_CASES],
    ids=[case[0] for case in SCORE_CASES],
)
def test_scores(
    event: Event, completed: bool, home: int | None, away: int | None, fragment: str | None
) -> None:
    parsed = parse_scores([event])
    (record,) = parsed.scores
    assert (record.completed, record.home_score, record.away_score) == (completed, home, away)
    if fragment is None:
        assert parsed.issues == []
    else:
        (issue,) = parsed.issues
        assert fragment in issue.reason and issue.game_id == GAME


def test_score_last_update_is_optional_and_checked() -> None:
    (record,) = parse_scores([score_event(team_scores("1", "2"))]).scores
    assert record.last_update == datetime(2026, 11, 23, 3, 1, tzinfo=UTC)
    parsed = parse_scores([score_event(team_scores("1", "2"), last_update="later")])
    assert parsed.scores[0].last_update is None and parsed.scores[0].completed
    assert "unreadable last_update" in parsed.issues[0].reason


# ------------------------------------------------------------------------- garbage and fuzzing


@pytest.mark.parametrize(
    "payload", [None, {}, {"data": []}, "[]", b"[]", 0, 3.5, True, "not json at all"]
)
def test_an_unusable_top_level_raises_malformed(payload: object) -> None:
    with pytest.raises(MalformedResponse):
        parse_odds(payload, FETCHED)
    with pytest.raises(MalformedResponse):
        parse_scores(payload)


def test_garbage_events_each_leave_an_issue() -> None:
    garbage: list[object] = [None, 1, "x", [], {}, [odds_event()], {"id": None}]
    for parsed in (parse_odds(garbage, FETCHED), parse_scores(garbage)):
        assert len(parsed.issues) == len(garbage)
        assert all(issue.game_id is None for issue in parsed.issues)


def random_json(rng: random.Random, depth: int = 0) -> object:
    kinds = ["null", "bool", "int", "float", "str", "list", "dict"] if depth < 4 else ["str", "int"]
    kind = rng.choice(kinds)
    if kind == "list":
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == "dict":
        keys = ["id", "name", "price", "point", "key", "markets", "outcomes", "scores", "x"]
        return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return {
        "null": None,
        "bool": rng.random() < 0.5,
        "int": rng.choice([0, -1, 100, -110, 10**30, 2**63, 10**400]),
        "float": rng.choice([0.5, -4.5, math.inf, math.nan, 1e308]),
        "str": rng.choice(["", "Over", "Boston Celtics", "2026-11-22T10:02:11Z", "\x00", "é" * 50]),
    }[kind]


def mutate_somewhere(rng: random.Random, node: object) -> object:
    """Replace one random node of a JSON tree with random JSON."""
    if rng.random() < 0.15 or not isinstance(node, list | dict) or not node:
        return random_json(rng)
    if isinstance(node, list):
        index = rng.randrange(len(node))
        node[index] = mutate_somewhere(rng, node[index])
    else:
        key = rng.choice(list(node))
        if rng.random() < 0.1:
            del node[key]
        else:
            node[key] = mutate_somewhere(rng, node[key])
    return node


FUZZ_NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)


def mutated(rng: random.Random, base: list[Any]) -> object:
    tree: object = copy.deepcopy(base)
    for _ in range(rng.randint(1, 6)):
        tree = mutate_somewhere(rng, tree)
    return tree


def check_odds_survive(payload: object) -> None:
    """Only a non-list top level may raise; whatever is kept must be sound."""
    try:
        parsed = parse_odds(payload, FUZZ_NOW)
    except MalformedResponse:
        assert not isinstance(payload, list)
        return
    for event in parsed.events:
        assert event.commence_time.tzinfo is UTC
        for line in event.lines:
            assert is_valid_price(line.price) and line.side in SIDES
            assert line.point is None or math.isfinite(line.point)


def check_scores_survive(payload: object) -> None:
    try:
        parsed = parse_scores(payload)
    except MalformedResponse:
        assert not isinstance(payload, list)
        return
    for record in parsed.scores:
        assert not record.completed or record.home_score is not None


def test_fuzz_never_crashes_and_keeps_only_sound_lines() -> None:
    rng = random.Random(20261122)
    provider = DemoProvider()
    base_odds = provider.odds_payload("basketball_nba", ["h2h", "spreads", "totals"], FUZZ_NOW)
    base_scores = provider.scores_payload("basketball_nba", 3, FUZZ_NOW)
    for _ in range(400):
        check_odds_survive(mutated(rng, base_odds[:3]))
        check_scores_survive(mutated(rng, base_scores[:6]))
    for _ in range(200):
        value = random_json(rng)
        check_odds_survive(value)
        check_scores_survive(value)


def test_issues_are_storable_even_for_absurd_input() -> None:
    """Reasons stay short and keys fit the data_issue columns, whatever the feed sent."""
    event = odds_event()
    event["bookmakers"][0]["markets"][0]["outcomes"][0]["name"] = "x" * 10_000
    event["bookmakers"].append({"key": "k" * 64, "markets": [{"key": "m" * 64}]})
    deep: object = []
    for _ in range(5000):
        deep = [deep]
    parsed = parse_odds([event, deep, {"id": "y" * 10_000}], FETCHED)
    assert len(parsed.issues) == 4
    for issue in parsed.issues:
        assert len(issue.reason) < 200
        assert issue.bookmaker is None or len(issue.bookmaker) <= 64
        assert issue.market is None or len(issue.market) <= 32
    json.dumps([vars(issue) for issue in parsed.issues])  # plain data all the way down


def test_fetch_time_window_is_relative_to_fetched_at() -> None:
    early = parse_odds([odds_event()], datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    assert early.issues and not early.events[0].lines  # 10:02 is over an hour after 09:00
    late = parse_odds([odds_event()], datetime(2026, 11, 22, 9, 3, tzinfo=UTC))
    assert not late.issues and len(late.events[0].lines) == 6
