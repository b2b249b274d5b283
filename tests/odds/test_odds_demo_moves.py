"""The demo source on game day: lines that move from the morning to tip-off (so closing lines
differ from opening ones), and live scores that grow with the clock and end final."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pickvs.odds import DemoProvider, OddsApiClient, demo_transport, parse_odds, parse_scores
from pickvs.odds.demo import LIVE_FINAL_WINDOW, MOVE_BUCKET, DemoGame
from tests.odds.test_odds_demo import check_book

ET = ZoneInfo("America/New_York")
SPORT = "basketball_nba"
MARKETS = ["h2h", "spreads", "totals"]
DAYS = [date(2026, 11, 20) + timedelta(days=n) for n in range(6)]


@pytest.fixture(scope="module")
def provider() -> DemoProvider:
    return DemoProvider()


def at_et(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ET).astimezone(UTC)


_payloads: dict[datetime, dict[str, dict[str, Any]]] = {}


def events_at(provider: DemoProvider, now: datetime) -> dict[str, dict[str, Any]]:
    """The odds reply at `now` by game id (kept: a day is sampled every quarter hour)."""
    if now not in _payloads:
        _payloads[now] = {e["id"]: e for e in provider.odds_payload(SPORT, MARKETS, now)}
    return _payloads[now]


def points(provider: DemoProvider, game: DemoGame, now: datetime) -> dict[str, tuple[float, float]]:
    """Per book: (home spread point, total point) in the odds reply at `now`."""
    event = events_at(provider, now)[game.id]
    found = {}
    for book in event["bookmakers"]:
        markets = {m["key"]: m["outcomes"] for m in book["markets"]}
        home = next(o for o in markets["spreads"] if o["name"] == game.home_team)["point"]
        found[book["key"]] = (home, markets["totals"][0]["point"])
    return found


def books(provider: DemoProvider, game: DemoGame, now: datetime) -> list[dict[str, Any]]:
    return list(events_at(provider, now)[game.id]["bookmakers"])


def test_lines_hold_until_the_morning_then_close_moved(provider: DemoProvider) -> None:
    moved = games = 0
    for day in DAYS:
        for game in provider.games_on(day):
            games += 1
            opening = books(provider, game, at_et(day, 5, 59))
            # Before the day's moves begin, lines are the opening ones, prices included.
            assert books(provider, game, at_et(day - timedelta(days=1), 12)) == opening
            before = points(provider, game, at_et(day, 5, 59))
            close = points(provider, game, game.commence_time - timedelta(minutes=5))
            assert close.keys() == before.keys()
            # Every book has made the whole move by the close: one move per game, but for a
            # book's line pinned at a bound (a spread of 1 or 14 points, a total of 205/245).
            spread_moves = {
                close[b][0] - before[b][0]
                for b in close
                if {abs(close[b][0]), abs(before[b][0])}.isdisjoint((1, 14))
            }
            total_moves = {
                close[b][1] - before[b][1]
                for b in close
                if {close[b][1], before[b][1]}.isdisjoint((205, 245))
            }
            assert len(spread_moves) <= 1 and len(total_moves) <= 1
            assert all(abs(move) <= 1.5 and move * 2 == int(move * 2) for move in spread_moves)
            assert all(abs(move) <= 2 for move in total_moves)
            moved += any(close[b][0] != before[b][0] for b in close)
    assert moved >= 0.8 * games


def test_lines_move_in_steps_through_the_day(provider: DemoProvider) -> None:
    day = DAYS[2]
    for game in provider.games_on(day):
        now, seen = at_et(day, 6), []
        while now < game.commence_time:
            for book in books(provider, game, now):
                check_book(book, game.home_team)  # plausible at every moment
                stamp = datetime.fromisoformat(book["last_update"])
                assert now - MOVE_BUCKET < stamp <= now
            seen.append(points(provider, game, now))
            now += MOVE_BUCKET
        for book in seen[0]:
            path = [moment[book][0] for moment in seen]
            steps = [b - a for a, b in itertools.pairwise(path) if b != a]
            # One direction all day, half a point or more at a time.
            assert all(step > 0 for step in steps) or all(step < 0 for step in steps)
            assert all(abs(step) >= 0.5 for step in steps)


def test_the_quarter_hour_decides_the_prices(provider: DemoProvider) -> None:
    day = DAYS[3]
    noon = at_et(day, 12, 0)
    payload = provider.odds_payload(SPORT, MARKETS, noon)
    assert payload == provider.odds_payload(SPORT, MARKETS, noon + timedelta(minutes=14))
    later = provider.odds_payload(SPORT, MARKETS, noon + timedelta(minutes=15))
    assert later != payload  # the juice is re-drawn each bucket
    assert [e["id"] for e in later] == [e["id"] for e in payload]
    assert parse_odds(later, noon).issues == []


def test_live_scores_grow_with_the_clock_and_end_final(provider: DemoProvider) -> None:
    day = DAYS[1]
    game = provider.games_on(day)[-1]  # the last tip-off of the day

    def live(now: datetime) -> dict[str, Any] | None:
        found = [e for e in provider.scores_payload(SPORT, None, now) if e["id"] == game.id]
        return found[0] if found else None

    def totals(event: dict[str, Any]) -> tuple[int, int]:
        by_name = {s["name"]: int(s["score"]) for s in event["scores"]}
        return by_name[game.home_team], by_name[game.away_team]

    upcoming = live(game.commence_time - timedelta(minutes=1))
    assert upcoming is not None
    assert (upcoming["completed"], upcoming["scores"], upcoming["last_update"]) == (
        False,
        None,
        None,
    )
    path = []
    for minutes in (20, 60, 100, 140):
        event = live(game.commence_time + timedelta(minutes=minutes))
        assert event is not None and event["completed"] is False
        path.append(totals(event))
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(path))
    assert sum(path[0]) < sum(path[-1]) < game.home_score + game.away_score
    ended = game.commence_time + game.length
    final = live(ended + timedelta(minutes=10))
    assert final is not None and final["completed"] is True
    assert totals(final) == (game.home_score, game.away_score)
    assert live(ended + LIVE_FINAL_WINDOW) is None  # gone from the live reply...
    with_days = provider.scores_payload(SPORT, 1, ended + LIVE_FINAL_WINDOW)
    assert any(e["id"] == game.id and e["completed"] for e in with_days)  # ...kept with daysFrom


def test_the_live_call_through_the_real_client(provider: DemoProvider) -> None:
    day = DAYS[4]
    evening = at_et(day, 21, 0)
    with OddsApiClient(
        "http://demo.invalid", "demo", transport=demo_transport(provider, lambda: evening)
    ) as client:
        parsed = parse_scores(client.get_scores(SPORT, None))
    assert parsed.issues == []
    in_play = [r for r in parsed.scores if not r.completed and r.home_score is not None]
    started = [
        g for g in provider.games_on(day) if g.has_started(evening) and not g.is_final(evening)
    ]
    assert in_play and {r.id for r in in_play} == {g.id for g in started}
