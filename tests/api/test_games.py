"""The upcoming slate (lines, reference book, best price, lock) and picks revealed at lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from tests.api.helpers import (
    BOS,
    GSW,
    LAL,
    NYK,
    assert_error,
    bearer,
    celtics_game,
    celtics_lines,
    event,
    ingest_events,
    lakers_lines,
    pick,
    register,
)


def test_anonymous_slate_has_reference_line_and_best_price(client, clock: FixedClock) -> None:
    celtics_game(clock, hours=8)  # 2026-11-22 20:00 UTC
    response = client.get("/api/games/upcoming")
    assert response.status_code == 200
    [game] = response.json()
    assert game["id"] == "g-bos"
    assert (game["home_team"], game["away_team"], game["sport"]) == (BOS, NYK, "basketball_nba")
    assert game["commence_time"] == "2026-11-22T20:00:00Z"
    assert game["lock_at"] == "2026-11-22T20:00:00Z"
    assert game["slate_day"] == "2026-11-22"
    assert game["my_picks"] == []

    h2h = game["lines"]["h2h"]
    assert h2h["bookmaker"] == "draftkings"
    assert h2h["sides"]["home"] == {"name": BOS, "price": -180, "point": None}
    assert h2h["sides"]["away"] == {"name": NYK, "price": 150, "point": None}
    assert h2h["best"]["home"] == {"bookmaker": "betmgm", "name": BOS, "price": -170, "point": None}
    assert h2h["best"]["away"]["bookmaker"] == "fanduel" and h2h["best"]["away"]["price"] == 155

    spreads = game["lines"]["spreads"]
    assert spreads["sides"]["home"] == {"name": BOS, "price": -110, "point": -10.0}
    assert spreads["sides"]["away"] == {"name": NYK, "price": -110, "point": 10.0}
    assert spreads["best"]["away"] == {
        "bookmaker": "fanduel",
        "name": NYK,
        "price": -105,
        "point": 9.5,
    }
    totals = game["lines"]["totals"]
    assert totals["sides"]["over"] == {"name": "Over", "price": -110, "point": 210.0}


def test_reference_book_follows_the_configured_priority(
    client, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    celtics_game(clock)
    monkeypatch.setattr(settings, "bookmakers", ["fanduel", "draftkings"])
    [game] = client.get("/api/games/upcoming").json()
    assert game["lines"]["h2h"]["bookmaker"] == "fanduel"
    assert game["lines"]["h2h"]["sides"]["home"]["price"] == -175
    # BetMGM quotes only the moneyline, so it can never be the spread's reference.
    monkeypatch.setattr(settings, "bookmakers", ["betmgm", "fanduel"])
    [game] = client.get("/api/games/upcoming").json()
    assert game["lines"]["h2h"]["bookmaker"] == "betmgm"
    assert game["lines"]["spreads"]["bookmaker"] == "fanduel"

    token = register(client, "ann")
    assert pick(client, token, ("g-bos", "h2h", BOS)).json()[0]["bookmaker"] == "betmgm"


def test_locked_games_leave_the_slate_at_the_lock_second(
    client, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "lock_minutes", 5)
    commence = celtics_game(clock, hours=1)
    lock_at = commence - timedelta(minutes=5)
    token = register(client, "ann")

    clock.set(lock_at - timedelta(seconds=1))
    [game] = client.get("/api/games/upcoming").json()
    assert game["lock_at"] == lock_at.isoformat().replace("+00:00", "Z")
    assert pick(client, token, ("g-bos", "h2h", BOS)).status_code == 201

    clock.set(lock_at)
    assert client.get("/api/games/upcoming").json() == []
    clock.set(lock_at + timedelta(seconds=1))
    assert client.get("/api/games/upcoming").json() == []
    assert "locked" in assert_error(pick(client, token, ("g-bos", "h2h", NYK)), 409)["detail"]


def test_slate_spans_three_league_days_not_utc_days(client, clock: FixedClock) -> None:
    # Now is 2026-11-22 07:00 in New York; the slate runs to 2026-11-25 00:00 New York time.
    late_tonight = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 21:00 on the 22nd in New York
    last_slot = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)  # 23:30 on the 24th
    too_far = datetime(2026, 11, 25, 5, 30, tzinfo=UTC)  # 00:30 on the 25th
    ingest_events(
        clock.now(),
        event("late", BOS, NYK, late_tonight, celtics_lines()),
        event("last", LAL, GSW, last_slot, lakers_lines()),
        event("far", LAL, GSW, too_far, lakers_lines()),
    )
    games = client.get("/api/games/upcoming").json()
    assert [(g["id"], g["slate_day"]) for g in games] == [
        ("late", "2026-11-22"),
        ("last", "2026-11-24"),
    ]


def test_slate_shows_the_callers_own_picks_only(client, clock: FixedClock) -> None:
    celtics_game(clock)
    ann, bob = register(client, "ann"), register(client, "bob")
    pick(client, ann, ("g-bos", "h2h", BOS), ("g-bos", "totals", "over"))
    pick(client, bob, ("g-bos", "h2h", NYK))

    [game] = client.get("/api/games/upcoming", headers=bearer(ann)).json()
    assert sorted((p["market"], p["selection"]) for p in game["my_picks"]) == [
        ("h2h", BOS),
        ("totals", "Over"),
    ]
    [game] = client.get("/api/games/upcoming", headers=bearer(bob)).json()
    assert [(p["selection"], p["price"]) for p in game["my_picks"]] == [(NYK, 150)]
    [game] = client.get("/api/games/upcoming").json()
    assert game["my_picks"] == []
    # A token that is sent must be valid: a stale one is a 401, not a silent anonymous view.
    assert_error(client.get("/api/games/upcoming", headers=bearer("stale")), 401)


def test_everyones_picks_are_hidden_until_lock(client, clock: FixedClock) -> None:
    commence = celtics_game(clock)
    ann, bob = register(client, "ann"), register(client, "Bob")
    pick(client, ann, ("g-bos", "h2h", BOS))
    pick(client, bob, ("g-bos", "h2h", NYK), ("g-bos", "spreads", NYK))

    hidden = client.get("/api/games/g-bos/picks", headers=bearer(ann))
    assert "hidden" in assert_error(hidden, 403)["detail"]

    clock.set(commence)
    response = client.get("/api/games/g-bos/picks")
    assert response.status_code == 200
    rows = response.json()
    assert [(r["username"], r["market"], r["selection"], r["price"], r["point"]) for r in rows] == [
        ("ann", "h2h", BOS, -180, None),
        ("Bob", "h2h", NYK, 150, None),
        ("Bob", "spreads", NYK, -110, 10.0),
    ]
    assert set(rows[0]) == {
        "username",
        "market",
        "selection",
        "bookmaker",
        "price",
        "point",
        "status",
        "result_units",
        "close_bookmaker",
        "close_price",
        "close_point",
        "clv",
    }


def test_picks_of_an_unknown_game_are_404(client) -> None:
    assert "nope" in assert_error(client.get("/api/games/nope/picks"), 404)["detail"]
    assert_error(client.get("/api/games/" + "x" * 65 + "/picks"), 422)
    assert_error(client.get("/api/games/a%00b/picks"), 422)
