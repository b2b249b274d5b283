"""The demo source: deterministic, realistic, in the provider's shapes, and usable through the
real client via its MockTransport.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from pickvs.domain.odds import is_valid_price
from pickvs.domain.slate import slate_day
from pickvs.odds import (
    CallResult,
    DemoProvider,
    OddsApiClient,
    ProviderError,
    demo_schedule,
    demo_transport,
    parse_odds,
    parse_scores,
)
from pickvs.odds.demo import BOOKMAKERS, NBA_TEAMS

REPO_ROOT = Path(__file__).resolve().parents[2]
ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # noon ET, a Sunday
MARKETS = ["h2h", "spreads", "totals"]
DAYS = [date(2026, 10, 20) + timedelta(days=n) for n in range(120)]


@pytest.fixture(scope="module")
def provider() -> DemoProvider:
    return DemoProvider()


def digest(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


# ------------------------------------------------------------------------------ determinism


def test_two_instances_agree_and_another_seed_differs() -> None:
    first, second, other = DemoProvider(), DemoProvider(2026), DemoProvider(7)
    assert first.odds_payload("basketball_nba", MARKETS, NOW) == second.odds_payload(
        "basketball_nba", MARKETS, NOW
    )
    assert first.scores_payload("basketball_nba", 3, NOW) == second.scores_payload(
        "basketball_nba", 3, NOW
    )
    assert first.schedule(DAYS[0], DAYS[-1]) != other.schedule(DAYS[0], DAYS[-1])


def test_another_process_generates_the_same_bytes(provider: DemoProvider) -> None:
    """String seeds and md5 ids do not depend on PYTHONHASHSEED; prove it in a fresh process."""
    code = (
        "import hashlib, json, datetime as d; from pickvs.odds.demo import DemoProvider; "
        "now = d.datetime(2026, 11, 22, 17, tzinfo=d.UTC); p = DemoProvider(); "
        "body = [p.odds_payload('basketball_nba', ['h2h', 'spreads', 'totals'], now), "
        "p.scores_payload('basketball_nba', 3, now)]; "
        "print(hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=True,
    )
    here = [
        provider.odds_payload("basketball_nba", MARKETS, NOW),
        provider.scores_payload("basketball_nba", 3, NOW),
    ]
    assert result.stdout.strip() == digest(here)


def test_now_never_changes_a_game_and_lines_hold_within_a_quarter_hour(
    provider: DemoProvider,
) -> None:
    """`now` filters games and moves lines (see tests/odds/test_odds_demo_moves.py); a game
    itself (id, teams, tip-off) never changes, and two fetches in one bucket agree."""
    morning = provider.odds_payload("basketball_nba", MARKETS, NOW - timedelta(hours=6))
    evening = provider.odds_payload("basketball_nba", MARKETS, NOW + timedelta(hours=6))
    in_both = {e["id"] for e in morning} & {e["id"] for e in evening}
    assert len(in_both) >= 5
    by_id = {e["id"]: e for e in morning}
    for event in evening:
        if event["id"] in in_both:
            game = {k: v for k, v in event.items() if k != "bookmakers"}
            assert game == {k: v for k, v in by_id[event["id"]].items() if k != "bookmakers"}
    bucket_start = datetime(2026, 11, 22, 17, 15, tzinfo=UTC)
    assert provider.odds_payload("basketball_nba", MARKETS, bucket_start) == provider.odds_payload(
        "basketball_nba", MARKETS, bucket_start + timedelta(minutes=14, seconds=59)
    )


def test_final_scores_never_change_once_final(provider: DemoProvider) -> None:
    def finals(now: datetime) -> dict[str, object]:
        payload = provider.scores_payload("basketball_nba", 3, now)
        return {e["id"]: e["scores"] for e in payload if e["completed"]}

    early, later = finals(NOW), finals(NOW + timedelta(days=1))
    assert early and all(later[game] == scores for game, scores in early.items() if game in later)


# ------------------------------------------------------------------------------ realism


def test_slates_have_5_to_12_games_and_each_team_plays_once(provider: DemoProvider) -> None:
    sizes: Counter[int] = Counter()
    for day in DAYS:
        games = provider.games_on(day)
        sizes[len(games)] += 1
        teams = [t for g in games for t in (g.home_team, g.away_team)]
        assert len(teams) == len(set(teams)) and set(teams) <= set(NBA_TEAMS)
    assert min(sizes) == 5 and max(sizes) == 12


def test_tip_offs_are_realistic_eastern_times(provider: DemoProvider) -> None:
    tips = [g.commence_time.astimezone(ET) for day in DAYS for g in provider.games_on(day)]
    assert all(time(12, 0) <= t.time() <= time(22, 30) for t in tips)
    evening = [t for t in tips if t.time() >= time(19, 0)]
    assert len(evening) > 0.8 * len(tips)
    assert {t.date() for t in tips} == set(DAYS)  # every game on its own ET slate day


def test_slate_day_is_decided_in_eastern_time(provider: DemoProvider) -> None:
    day = date(2026, 11, 24)  # standard time: ET is UTC-5
    games = provider.games_on(day)
    late = [g for g in games if g.commence_time.astimezone(ET).time() >= time(19, 30)]
    assert late, "every demo slate has evening games"
    for game in late:
        assert game.commence_time.date() == day + timedelta(days=1)  # next UTC date
        assert slate_day(game.commence_time, ET) == day
    schedule = provider.schedule(day, day)
    assert [e["id"] for e in schedule] == [g.id for g in games]
    assert demo_schedule(day, day) == schedule


def test_game_ids_are_stable_unique_32_char_hex(provider: DemoProvider) -> None:
    ids = [g.id for day in DAYS for g in provider.games_on(day)]
    assert len(ids) == len(set(ids))
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert DemoProvider().games_on(DAYS[3])[0].id == provider.games_on(DAYS[3])[0].id


def test_lines_are_plausible_and_consistent(provider: DemoProvider) -> None:
    for day in DAYS[:30]:
        start = datetime.combine(day, time(0), tzinfo=ET).astimezone(UTC)
        for event in provider.odds_payload("basketball_nba", MARKETS, start):
            if slate_day(datetime.fromisoformat(event["commence_time"]), ET) != day:
                continue
            books = [b["key"] for b in event["bookmakers"]]
            assert 4 <= len(books) <= 6 and set(books) <= set(BOOKMAKERS)
            for book in event["bookmakers"]:
                check_book(book, event["home_team"])


def check_book(book: dict[str, Any], home_team: str) -> None:
    markets = {m["key"]: m["outcomes"] for m in book["markets"]}
    assert list(markets) == MARKETS
    prices = [o["price"] for outcomes in markets.values() for o in outcomes]
    assert all(is_valid_price(p) for p in prices)
    home_spread = next(o for o in markets["spreads"] if o["name"] == home_team)["point"]
    away_spread = next(o for o in markets["spreads"] if o["name"] != home_team)["point"]
    assert home_spread == -away_spread and 1 <= abs(home_spread) <= 14
    assert (home_spread * 2) % 1 == 0
    assert all(-115 <= o["price"] <= -103 for o in markets["spreads"] + markets["totals"])
    over, under = markets["totals"]
    assert over["point"] == under["point"] and 205 <= over["point"] <= 245
    home_h2h = next(o for o in markets["h2h"] if o["name"] == home_team)["price"]
    away_h2h = next(o for o in markets["h2h"] if o["name"] != home_team)["price"]
    # The spread's favourite is the moneyline favourite.
    assert (home_h2h < away_h2h) == (home_spread < 0)


def test_final_scores_are_plausible_and_never_tied(provider: DemoProvider) -> None:
    games = [g for day in DAYS for g in provider.games_on(day)]
    scores = [s for g in games for s in (g.home_score, g.away_score)]
    assert all(90 <= s <= 140 for s in scores)
    assert all(g.home_score != g.away_score for g in games)
    favourite_won = [(g.home_score > g.away_score) == (g.home_spread < 0) for g in games]
    assert 0.6 < sum(favourite_won) / len(games) < 0.85


# ------------------------------------------------------------------------------ payload windows


def commence(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["commence_time"])


def test_odds_are_upcoming_or_in_play_over_three_slate_days(provider: DemoProvider) -> None:
    for hours in range(0, 72, 5):
        now = NOW + timedelta(hours=hours)
        payload = provider.odds_payload("basketball_nba", MARKETS, now)
        parsed = parse_odds(payload, now)
        assert parsed.issues == [] and len(parsed.events) == len(payload)
        today = slate_day(now, ET)
        scores = {e["id"]: e for e in provider.scores_payload("basketball_nba", 1, now)}
        for event in payload:
            started = commence(event)
            assert started > now or (now - started < timedelta(hours=3))
            assert slate_day(started, ET) <= today + timedelta(days=2)
            assert not scores.get(event["id"], {}).get("completed")  # never a finished game
        upcoming_days = {slate_day(commence(e), ET) for e in payload if commence(e) > now}
        assert today + timedelta(days=2) in upcoming_days


def quoted(payload: list[dict[str, Any]], market: str) -> dict[tuple[str, str], object]:
    return {
        (event["id"], book["key"]): m["outcomes"]
        for event in payload
        for book in event["bookmakers"]
        for m in book["markets"]
        if m["key"] == market
    }


def test_only_the_requested_markets_are_quoted_and_they_do_not_change(
    provider: DemoProvider,
) -> None:
    totals_only = provider.odds_payload("basketball_nba", ["totals"], NOW)
    every_market = provider.odds_payload("basketball_nba", MARKETS, NOW)
    markets = {m["key"] for e in totals_only for b in e["bookmakers"] for m in b["markets"]}
    assert markets == {"totals"}
    assert quoted(totals_only, "totals") == quoted(every_market, "totals")
    assert provider.odds_payload("icehockey_nhl", MARKETS, NOW) == []
    with pytest.raises(ValueError):
        provider.odds_payload("basketball_nba", ["h2h_lay"], NOW)


def test_scores_follow_the_clock(provider: DemoProvider) -> None:
    for hours in range(0, 48, 3):
        now = NOW + timedelta(hours=hours)
        payload = provider.scores_payload("basketball_nba", 3, now)
        parsed = parse_scores(payload)
        assert parsed.issues == []
        for event, record in zip(payload, parsed.scores, strict=True):
            age = now - commence(event)
            if record.completed:
                assert age > timedelta(hours=2, minutes=30)
                assert event["last_update"] is not None
            elif age < timedelta(0):
                assert event["scores"] is None and event["last_update"] is None
            else:  # in play
                assert record.home_score is not None and age < timedelta(hours=3)
            assert commence(event) >= now - timedelta(days=3)
            assert all(isinstance(s["score"], str) for s in event["scores"] or [])


def test_scores_without_days_from_are_live_and_upcoming_only(provider: DemoProvider) -> None:
    payload = provider.scores_payload("basketball_nba", None, NOW + timedelta(hours=9))
    assert payload and not any(e["completed"] for e in payload)
    with_days = provider.scores_payload("basketball_nba", 2, NOW + timedelta(hours=9))
    assert any(e["completed"] for e in with_days)


# ------------------------------------------------------------------------------ the transport


def demo_client(provider: DemoProvider, now: datetime) -> OddsApiClient:
    return OddsApiClient(
        "http://demo.invalid", "demo", transport=demo_transport(provider, lambda: now)
    )


def test_the_real_client_runs_unchanged_on_the_demo_transport(provider: DemoProvider) -> None:
    calls: list[CallResult] = []
    with OddsApiClient(
        "http://demo.invalid/",
        "demo",
        transport=demo_transport(provider, lambda: NOW),
        on_call=calls.append,
    ) as client:
        odds = parse_odds(client.get_odds("basketball_nba", MARKETS, ["us"]), NOW)
        scores = parse_scores(client.get_scores("basketball_nba", 3))
    assert odds.events and odds.issues == []
    assert all(e.lines for e in odds.events)
    assert scores.scores and scores.issues == []
    assert [(c.endpoint, c.outcome, c.credits_remaining) for c in calls] == [
        ("/v4/sports/basketball_nba/odds", "ok", None),
        ("/v4/sports/basketball_nba/scores", "ok", None),
    ]


def as_events(payload: object) -> list[dict[str, Any]]:
    assert isinstance(payload, list)
    return payload


def test_the_transport_filters_bookmakers_and_regions(provider: DemoProvider) -> None:
    with demo_client(provider, NOW) as client:
        chosen = as_events(client.get_odds("basketball_nba", MARKETS, ["us"], ["fanduel"]))
        abroad = as_events(client.get_odds("basketball_nba", MARKETS, ["uk"]))
    assert {b["key"] for e in chosen for b in e["bookmakers"]} <= {"fanduel"}
    assert abroad and all(e["bookmakers"] == [] for e in abroad)


def test_the_transport_answers_errors_like_the_provider(provider: DemoProvider) -> None:
    with demo_client(provider, NOW) as client, pytest.raises(ProviderError) as raised:
        client.get_odds("icehockey_nhl", MARKETS, ["us"])
    assert (raised.value.status_code, raised.value.error_code) == (404, "UNKNOWN_SPORT")
    transport = demo_transport(provider, lambda: NOW)
    with httpx.Client(transport=transport, base_url="http://demo.invalid") as raw:
        cases = {
            "/v4/sports/basketball_nba/scores?apiKey=k&daysFrom=5": (
                422,
                "INVALID_SCORES_DAYS_FROM",
            ),
            "/v4/sports/basketball_nba/scores?apiKey=k&daysFrom=x": (
                422,
                "INVALID_SCORES_DAYS_FROM",
            ),
            "/v4/sports/basketball_nba/scores?daysFrom=1": (401, "MISSING_KEY"),
            "/v4/sports/basketball_nba/odds?apiKey=k&markets=h2h": (422, "MISSING_REGION"),
            "/v4/sports/basketball_nba/odds?apiKey=k&regions=us&markets=h2h_lay": (
                422,
                "INVALID_MARKET",
            ),
            "/v4/sports/basketball_nba/odds?apiKey=k&regions=us&oddsFormat=decimal": (
                422,
                "INVALID_ODDS_FORMAT",
            ),
            "/v4/sports/basketball_nba/participants?apiKey=k": (404, "NOT_FOUND"),
            "/v4/sports/basketball_nba/events?apiKey=k&commenceTimeFrom=2026-11-22": (
                422,
                "INVALID_COMMENCE_TIME_FROM",
            ),
            "/v4/sports/basketball_nba/odds?apiKey=k&regions=us"
            "&commenceTimeTo=2026-11-22T12:00:00%2B00:00": (422, "INVALID_COMMENCE_TIME_TO"),
            "/v4/sports/basketball_nba/events": (401, "MISSING_KEY"),
        }
        for url, (status, code) in cases.items():
            response = raw.get(url)
            assert (response.status_code, response.json()["error_code"]) == (status, code), url
