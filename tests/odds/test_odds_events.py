"""The free schedule look-up (`/v4/sports/{sport}/events`) and the odds call's commence window:
client against the fake over loopback HTTP, the parser, and the demo source's answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from pickvs.domain.slate import slate_day
from pickvs.odds import CallResult, DemoProvider, OddsApiClient, parse_events, parse_odds
from pickvs.odds.demo import EVENTS_DAYS, LEAGUE_TZ, demo_answer
from tests.fake_provider import FakeOddsApi, MonthSchedule
from tests.odds.conftest import API_KEY, NOW

EVENTS_PATH = "/v4/sports/basketball_nba/events"
MARKETS = ("h2h", "spreads", "totals")
FROM, TO = datetime(2026, 11, 22, 17, 0, tzinfo=UTC), datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------ client


def test_events_call_sends_the_window_and_costs_nothing(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    payload = client.get_events("basketball_nba", FROM, TO)
    assert fake_api.requests == [
        (
            EVENTS_PATH,
            {
                "apiKey": API_KEY,
                "dateFormat": "iso",
                "commenceTimeFrom": "2026-11-22T17:00:00Z",
                "commenceTimeTo": "2026-11-25T05:00:00Z",
            },
        )
    ]
    parsed = parse_events(payload)
    assert parsed.events and not parsed.issues
    assert all(FROM <= event.commence_time <= TO for event in parsed.events)
    (call,) = calls
    assert (call.endpoint, call.outcome, call.status_code) == (EVENTS_PATH, "ok", 200)
    assert (call.credits_last, call.credits_used, call.credits_remaining) == (0, 0, 500)


def test_odds_call_is_narrowed_to_the_window_at_the_same_cost(
    client: OddsApiClient, fake_api: FakeOddsApi, calls: list[CallResult]
) -> None:
    wide = parse_odds(client.get_odds("basketball_nba", MARKETS, ["us"]), NOW).events
    narrow_to = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # end of today's slate in New York
    narrow = parse_odds(
        client.get_odds(
            "basketball_nba", MARKETS, ["us"], commence_from=NOW, commence_to=narrow_to
        ),
        NOW,
    ).events
    _, query = fake_api.requests[1]
    assert (query["commenceTimeFrom"], query["commenceTimeTo"]) == (
        "2026-11-22T17:00:00Z",
        "2026-11-23T05:00:00Z",
    )
    assert narrow and len(narrow) < len(wide)
    assert all(NOW <= event.commence_time <= narrow_to for event in narrow)
    assert [c.credits_last for c in calls] == [3, 3]


def test_an_offset_window_is_sent_in_the_providers_z_form(
    client: OddsApiClient, fake_api: FakeOddsApi
) -> None:
    eastern = datetime(2026, 11, 22, 12, 0, 0, 500_000, tzinfo=LEAGUE_TZ)  # 17:00:00.5 UTC
    client.get_events("basketball_nba", commence_from=eastern)
    _, query = fake_api.requests[0]
    assert query["commenceTimeFrom"] == "2026-11-22T17:00:00Z" and "commenceTimeTo" not in query


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 11, 22, 12), None, "naive datetime"),
        (TO, FROM, "commence window is empty"),
        (FROM, FROM, "commence window is empty"),
    ],
)
def test_a_bad_window_is_refused_before_any_call(
    client: OddsApiClient,
    fake_api: FakeOddsApi,
    start: datetime,
    end: datetime | None,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        client.get_events("basketball_nba", start, end)
    with pytest.raises(ValueError, match=message):
        client.get_odds("basketball_nba", MARKETS, ["us"], commence_from=start, commence_to=end)
    assert fake_api.requests == []


def test_sports_list_is_free_too(fake_api: FakeOddsApi) -> None:
    response = httpx.get(f"{fake_api.base_url}/v4/sports", params={"apiKey": API_KEY})
    assert response.status_code == 200
    assert [sport["key"] for sport in response.json()] == ["basketball_nba"]
    assert response.headers["x-requests-last"] == "0"


# ------------------------------------------------------------------------------ parser


def test_parse_events_keeps_sound_events_and_notes_the_rest() -> None:
    good = {
        "id": "e912304de2b2ce35b473ce2ecd3d1502",
        "sport_key": "basketball_nba",
        "sport_title": "NBA",
        "commence_time": "2026-11-23T00:40:00Z",
        "home_team": "Boston Celtics",
        "away_team": "Milwaukee Bucks",
    }
    parsed = parse_events(
        [
            good,
            {**good, "id": "572d984e132eddaac3da93e5db332e7e", "commence_time": "tonight"},
            {**good, "id": "19434a586e3723c55cd3d028b90eb112", "away_team": "Boston Celtics"},
            dict(good),  # listed twice
            "not an event",
        ]
    )
    ((event),) = parsed.events
    assert (event.id, event.commence_time, event.home_team, event.away_team) == (
        good["id"],
        datetime(2026, 11, 23, 0, 40, tzinfo=UTC),
        "Boston Celtics",
        "Milwaukee Bucks",
    )
    reasons = sorted(issue.reason for issue in parsed.issues)
    assert len(reasons) == 4
    assert any("commence_time" in reason for reason in reasons)
    assert any("same team" in reason for reason in reasons)
    assert any("listed twice" in reason for reason in reasons)
    assert parse_events([]).events == []


# ------------------------------------------------------------------------------ demo source


def test_demo_events_are_the_schedule_without_lines_or_scores() -> None:
    provider = DemoProvider(2026)
    status, events = demo_answer(provider, "GET", EVENTS_PATH, {"apiKey": "k"}, NOW)
    assert status == 200 and isinstance(events, list) and events
    assert all(
        set(event) == {"id", "sport_key", "sport_title", "commence_time", "home_team", "away_team"}
        for event in events
    )
    days = {slate_day(parse_events([e]).events[0].commence_time, LEAGUE_TZ) for e in events}
    today = slate_day(NOW, LEAGUE_TZ)
    # Further ahead than the three slate days of odds, and nothing already final.
    assert max(days) == today + timedelta(days=EVENTS_DAYS - 1)
    assert min(days) >= today - timedelta(days=1)
    odds_ids = {event["id"] for event in provider.odds_payload("basketball_nba", MARKETS, NOW)}
    assert odds_ids <= {event["id"] for event in events}


def test_demo_events_and_odds_honour_the_commence_window() -> None:
    provider = DemoProvider(2026)
    query = {
        "apiKey": "k",
        "commenceTimeFrom": "2026-11-22T17:00:00Z",
        "commenceTimeTo": "2026-11-23T05:00:00Z",
    }
    _, events = demo_answer(provider, "GET", EVENTS_PATH, query, NOW)
    status, odds = demo_answer(
        provider,
        "GET",
        "/v4/sports/basketball_nba/odds",
        {**query, "regions": "us", "markets": "h2h"},
        NOW,
    )
    assert status == 200
    expected = sorted(
        game.id for game in provider.games_on(date(2026, 11, 22)) if game.commence_time >= FROM
    )
    assert sorted(e["id"] for e in events) == expected == sorted(e["id"] for e in odds)


def test_slate_sizes_give_off_days_and_short_slates() -> None:
    provider = DemoProvider(2026, slate_sizes=lambda day: 0 if day.day % 2 else 3)
    assert provider.games_on(date(2026, 11, 21)) == ()
    assert len(provider.games_on(date(2026, 11, 22))) == 3
    with pytest.raises(ValueError, match="0 to 15 games"):
        DemoProvider(2026, slate_sizes=lambda day: 16).games_on(date(2026, 11, 22))


def test_fake_month_has_short_slates_off_days_and_a_five_day_break() -> None:
    month = MonthSchedule.seeded(date(2027, 3, 1), days=31, seed=20261202)
    sizes = [month.games_on(day) for day in month.month]
    assert month.seeded(date(2027, 3, 1), days=31, seed=20261202) == month  # seeded: repeatable
    playing = [n for n in sizes if n]
    assert all(3 <= n <= 12 for n in playing) and min(playing) < 5
    runs, current = [], 0
    for n in sizes:
        current = current + 1 if n == 0 else 0
        runs.append(current)
    assert max(runs) == 5  # the break
    single = [
        i
        for i, n in enumerate(sizes)
        if n == 0 and runs[i] == 1 and (i + 1 == len(sizes) or sizes[i + 1] > 0)
    ]
    assert len(single) >= 2  # and some single off days
    assert sizes[0] > 0 and sizes[-1] > 0
