"""Leagues over the JSON API, on SQLite and PostgreSQL: the whole flow with a board worked out by
hand, every refusal (401/403/404/409/422), and CSV exports that never show another player's
pick on a game that has not locked."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import httpx
import pytest

from pickvs.domain.clock import FixedClock
from tests.api.helpers import (
    BOS,
    GSW,
    LAL,
    NYK,
    assert_error,
    bearer,
    book_lines,
    celtics_game,
    event,
    ingest_events,
    lakers_game,
    pick,
    register,
    settle,
)

# -160 pays 0.625 and +400 pays 4.0: BOS -180 (0.556) and LAL -170 (0.588) are outside.
RULES = {
    "name": "Office",
    "description": "Work pool",
    "markets": ["h2h", "spreads"],
    "shortest_price": -160,
    "longest_price": 400,
    "daily_cap": 2,
    "min_ranked": 1,
    "ranking": "units",
}


def create(client: Any, token: str, **body: Any) -> dict[str, Any]:
    response = client.post("/api/leagues", json={**RULES, **body}, headers=bearer(token))
    assert response.status_code == 201, response.text
    return dict(response.json())


def join(client: Any, token: str, code: str) -> Any:
    return client.post("/api/leagues/join", json={"code": code}, headers=bearer(token))


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_whole_flow_and_the_board_by_hand(client, clock: FixedClock) -> None:
    """Both games tip this afternoon in New York (15:00 and 16:00 EST): one slate day.

    ann: BOS -10 spread (push, 0), NYK +150 (loss, -1), Over 210 (total: not counted, market).
      -1 over 2, 0-1-1; ROI -0.5; adjusted (-1 - 1.35) / 32 = -0.0734375; streak L1.
    bob, in the order made: BOS -180 (win, not counted: price), GSW +150 (win, +1.5), LAL -4.5
      (loss, -1), NYK +10 (push; third of the day: not counted, daily_cap).
      0.5 over 2, 1-1-0; ROI 0.25; adjusted (0.5 - 1.35) / 32 = -0.0265625; streak L1.
    """
    ann = register(client, "ann")
    bob = register(client, "bob")
    league = create(client, ann)
    assert league["is_owner"] and league["owner"] == "ann" and league["members"] == 1
    assert league["settings"] == {
        k: v for k, v in RULES.items() if k not in ("name", "description")
    }
    code = league["invite_code"]
    assert len(code) == 10
    typed = f"{code[:5].lower()}-{code[5:]}"
    joined = join(client, bob, typed)
    assert joined.status_code == 200, joined.text
    assert (joined.json()["is_owner"], joined.json()["invite_code"]) == (False, None)
    lid = league["id"]
    assert [
        m["username"] for m in client.get(f"/api/leagues/{lid}/members", headers=bearer(bob)).json()
    ] == ["ann", "bob"]

    tip = celtics_game(clock, hours=8)  # 20:00 UTC
    lakers_game(clock, hours=9)
    for token, items in (
        (ann, [("g-bos", "spreads", BOS), ("g-bos", "h2h", NYK), ("g-lal", "totals", "over")]),
        (
            bob,
            [
                ("g-bos", "h2h", BOS),
                ("g-lal", "h2h", GSW),
                ("g-lal", "spreads", LAL),
                ("g-bos", "spreads", NYK),
            ],
        ),
    ):
        for item in items:
            clock.advance(minutes=1)  # the daily cap goes by the order picks were made
            assert pick(client, token, item).status_code == 201

    # Before the games lock, bob sees his own picks only, in the list and in the CSV.
    seen = client.get(f"/api/leagues/{lid}/picks", headers=bearer(bob)).json()
    assert {p["username"] for p in seen} == {"bob"} and len(seen) == 4
    early_csv = client.get(f"/api/leagues/{lid}/picks.csv", headers=bearer(bob))
    assert {r["username"] for r in read_csv(early_csv.text)} == {"bob"}

    clock.set(tip + timedelta(hours=4))
    settle("g-bos", 110, 100, clock.now())  # BOS by 10: the -10 spread pushes
    settle("g-lal", 100, 105, clock.now())  # GSW win, 205 total (under)

    board = client.get(f"/api/leagues/{lid}/board?period=week", headers=bearer(ann)).json()

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 7)

    assert [
        (
            b["rank"],
            b["ranked"],
            b["username"],
            r(b["total_units"]),
            b["total_wagered"],
            r(b["roi"]),
            r(b["adjusted_roi"]),
            (b["wins"], b["losses"], b["pushes"]),
            b["streak"],
            b["last10"],
        )
        for b in board
    ] == [
        (1, True, "bob", 0.5, 2.0, 0.25, -0.0265625, (1, 1, 0), "L1", "1-1-0"),
        (2, True, "ann", -1.0, 2.0, -0.5, -0.0734375, (0, 1, 1), "L1", "0-1-1"),
    ]
    for period in ("month", "season", "all"):
        again = client.get(f"/api/leagues/{lid}/board?period={period}", headers=bearer(bob)).json()
        assert again == board

    seen = client.get(f"/api/leagues/{lid}/picks", headers=bearer(bob)).json()
    marks = {
        (p["username"], p["game_id"], p["market"]): (p["counted"], p["not_counted_reason"])
        for p in seen
    }
    assert marks == {
        ("ann", "g-bos", "spreads"): (True, None),
        ("ann", "g-bos", "h2h"): (True, None),
        ("ann", "g-lal", "totals"): (False, "market"),
        ("bob", "g-bos", "h2h"): (False, "price"),
        ("bob", "g-lal", "h2h"): (True, None),
        ("bob", "g-lal", "spreads"): (True, None),
        ("bob", "g-bos", "spreads"): (False, "daily_cap"),
    }
    assert seen[0]["game_id"] == "g-lal" and seen[0]["matchup"] == f"{GSW} @ {LAL}"

    summary = client.get("/api/leagues", headers=bearer(bob)).json()
    assert [(s["name"], s["my_rank"], s["my_ranked"], s["members"]) for s in summary] == [
        ("Office", 1, True, 2)
    ]

    exported = client.get(f"/api/leagues/{lid}/picks.csv", headers=bearer(ann))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = read_csv(exported.text)
    assert len(rows) == 7
    price_out = next(
        row
        for row in rows
        if (row["username"], row["market"]) == ("bob", "h2h") and row["game_id"] == "g-bos"
    )
    assert (price_out["counted"], price_out["not_counted_reason"], price_out["price"]) == (
        "false",
        "price",
        "-180",
    )
    assert price_out["tip_off"] == "2026-11-22T15:00:00-05:00"


def test_my_csv_and_the_league_csv_never_show_anothers_open_pick(client, clock: FixedClock) -> None:
    ann, bob = register(client, "ann"), register(client, "bob")
    league = create(client, ann)
    join(client, bob, league["invite_code"])
    celtics_game(clock, hours=1)
    lakers_game(clock, hours=9)
    assert pick(client, ann, ("g-bos", "h2h", BOS), ("g-lal", "h2h", LAL)).status_code == 201
    assert pick(client, bob, ("g-bos", "h2h", NYK), ("g-lal", "h2h", GSW)).status_code == 201
    clock.advance(hours=2)  # g-bos has locked, g-lal has not
    mine = client.get("/api/picks/me.csv", headers=bearer(bob))
    assert mine.status_code == 200 and mine.headers["content-type"].startswith("text/csv")
    assert [(r["username"], r["game_id"]) for r in read_csv(mine.text)] == [
        ("bob", "g-bos"),
        ("bob", "g-lal"),
    ]
    rows = read_csv(client.get(f"/api/leagues/{league['id']}/picks.csv", headers=bearer(bob)).text)
    assert sorted((r["username"], r["game_id"]) for r in rows) == [
        ("ann", "g-bos"),
        ("bob", "g-bos"),
        ("bob", "g-lal"),
    ]
    listed = client.get(f"/api/leagues/{league['id']}/picks", headers=bearer(bob)).json()
    assert ("ann", "g-lal") not in {(p["username"], p["game_id"]) for p in listed}
    assert_error(client.get("/api/picks/me.csv"), 401)
    assert_error(client.delete("/api/picks/me.csv", headers=bearer(bob)), 405)


def test_csv_quoting_and_the_formula_guard(client, clock: FixedClock) -> None:
    """A team named by the feed as a formula is written with a leading ', a name holding a
    comma and quotes is quoted with the quotes doubled (RFC 4180); numbers stay numbers."""
    home, away = 'Team "Quoted", Inc', '=HYPERLINK("http://x")'
    commence = clock.now() + timedelta(hours=2)
    ingest_events(
        clock.now(),
        event(
            "g-odd",
            home,
            away,
            commence,
            book_lines("draftkings", home, away, (-120, 110), (-1.5, -110, -110)),
        ),
    )
    ann = register(client, "ann")
    assert (
        pick(client, ann, ("g-odd", "h2h", "away"), ("g-odd", "spreads", "home")).status_code == 201
    )
    text = client.get("/api/picks/me.csv", headers=bearer(ann)).text
    assert text.endswith("\r\n") and "\r\n" in text
    assert '"Team ""Quoted"", Inc"' in text
    rows = read_csv(text)
    h2h = next(r for r in rows if r["market"] == "h2h")
    spread = next(r for r in rows if r["market"] == "spreads")
    assert h2h["selection"] == "'" + away
    assert h2h["matchup"] == f"'{away} @ {home}"
    assert (h2h["price"], spread["price"], spread["point"]) == ("110", "-110", "-1.5")
    assert spread["selection"] == home


def test_refusals(client, clock: FixedClock) -> None:
    ann, bob, cyd = register(client, "ann"), register(client, "bob"), register(client, "cyd")
    league = create(client, ann)
    lid, code = league["id"], league["invite_code"]
    assert_error(client.get("/api/leagues"), 401)
    assert_error(client.post("/api/leagues", json=RULES), 401)
    assert_error(client.get(f"/api/leagues/{lid}/board"), 401)
    assert join(client, bob, code).status_code == 200
    # 409: a second membership; the owner leaving others behind.
    assert_error(join(client, bob, code), 409)
    assert_error(
        client.post(f"/api/leagues/{lid}/join", json={"code": code}, headers=bearer(bob)), 409
    )
    left = assert_error(client.post(f"/api/leagues/{lid}/leave", headers=bearer(ann)), 409)
    assert left["detail"] == "Hand the league to another member first."
    # 403: not a member, not the owner.
    for path in ("", "/members", "/board", "/picks", "/picks.csv"):
        assert_error(client.get(f"/api/leagues/{lid}{path}", headers=bearer(cyd)), 403)
    assert_error(
        client.patch(f"/api/leagues/{lid}", json={"name": "Mine"}, headers=bearer(bob)), 403
    )
    assert_error(client.post(f"/api/leagues/{lid}/code", headers=bearer(bob)), 403)
    assert_error(client.delete(f"/api/leagues/{lid}/members/ann", headers=bearer(bob)), 403)
    assert_error(
        client.post(f"/api/leagues/{lid}/owner", json={"username": "bob"}, headers=bearer(bob)), 403
    )
    assert_error(client.post(f"/api/leagues/{lid}/leave", headers=bearer(cyd)), 403)
    # 404: unknown league, wrong code (the same answer whichever), unknown member.
    assert_error(client.get(f"/api/leagues/{lid + 999}", headers=bearer(ann)), 404)
    wrong = assert_error(join(client, cyd, "AAAAAAAAAA"), 404)
    elsewhere = assert_error(
        client.post(f"/api/leagues/{lid + 999}/join", json={"code": code}, headers=bearer(cyd)), 404
    )
    assert wrong["detail"] == elsewhere["detail"]
    assert_error(client.delete(f"/api/leagues/{lid}/members/cyd", headers=bearer(ann)), 404)
    assert (
        "not a member"
        in assert_error(
            client.post(f"/api/leagues/{lid}/owner", json={"username": "cyd"}, headers=bearer(ann)),
            404,
        )["detail"]
    )
    # 422: the owner removing themself; bad settings name the field; a bad period.
    assert_error(client.delete(f"/api/leagues/{lid}/members/ann", headers=bearer(ann)), 422)
    assert_error(client.get(f"/api/leagues/{lid}/board?period=year", headers=bearer(ann)), 422)
    # An id that names no league is the same 404 as any unknown league, however absurd.
    for absurd in ("0", "-1", str(2**31), str(10**30)):
        for path in (f"/api/leagues/{absurd}", f"/api/leagues/{absurd}/board"):
            assert assert_error(client.get(path, headers=bearer(ann)), 404) == {
                "detail": "No such league."
            }
        joined = client.post(
            f"/api/leagues/{absurd}/join", json={"code": "ABCD"}, headers=bearer(ann)
        )
        assert assert_error(joined, 404)["detail"].startswith("No league has that invite code")
    assert_error(client.get("/api/leagues/join", headers=bearer(ann)), 405)
    for method, path, allow in (
        ("PUT", "/api/leagues", "GET, POST"),
        ("OPTIONS", "/api/leagues", "GET, POST"),
        ("DELETE", f"/api/leagues/{lid}", "GET, PATCH"),
        ("PUT", "/api/leagues/join", "POST"),
        ("PUT", f"/api/leagues/{lid}/board", "GET"),
    ):
        refused = client.request(method, path, headers=bearer(ann))
        assert (refused.status_code, refused.headers["allow"]) == (405, allow), (method, path)
    # Rotating: the old code fails, the new one works.
    new = client.post(f"/api/leagues/{lid}/code", headers=bearer(ann)).json()["invite_code"]
    assert new != code
    assert_error(join(client, cyd, code), 404)
    assert join(client, cyd, new).status_code == 200
    # Removing and handing over.
    assert client.delete(f"/api/leagues/{lid}/members/CYD", headers=bearer(ann)).status_code == 204
    assert_error(client.get(f"/api/leagues/{lid}", headers=bearer(cyd)), 403)
    handed = client.post(f"/api/leagues/{lid}/owner", json={"username": "bob"}, headers=bearer(ann))
    assert handed.status_code == 200 and handed.json()["owner"] == "bob"
    assert handed.json()["invite_code"] is None
    assert client.post(f"/api/leagues/{lid}/leave", headers=bearer(ann)).status_code == 204
    assert client.post(f"/api/leagues/{lid}/leave", headers=bearer(bob)).status_code == 204
    assert_error(client.get(f"/api/leagues/{lid}", headers=bearer(bob)), 404)  # it went


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"name": "a\tb"}, "name"),
        ({"description": "d" * 501}, "description"),
        ({"markets": []}, "markets"),
        ({"markets": ["moneyline"]}, "markets"),
        ({"shortest_price": 50}, "shortest_price"),
        ({"shortest_price": "-300"}, "shortest_price"),
        ({"longest_price": 10001}, "longest_price"),
        ({"shortest_price": 400, "longest_price": -300}, "longest_price"),
        ({"daily_cap": 0}, "daily_cap"),
        ({"daily_cap": 51}, "daily_cap"),
        ({"min_ranked": 1001}, "min_ranked"),
        ({"min_ranked": None}, "min_ranked"),
        ({"ranking": "luck"}, "ranking"),
    ],
)
def test_bad_settings_are_422_naming_the_field(client, body: dict[str, Any], field: str) -> None:
    ann = register(client, "ann")
    response = client.post("/api/leagues", json={**RULES, **body}, headers=bearer(ann))
    assert assert_error(response, 422)["field"] == field
    assert client.get("/api/leagues", headers=bearer(ann)).json() == []


def test_patch_changes_only_what_is_sent(client) -> None:
    ann = register(client, "ann")
    lid = create(client, ann)["id"]
    changed = client.patch(
        f"/api/leagues/{lid}",
        json={"name": "  Renamed ", "daily_cap": None, "ranking": "adjusted_roi"},
        headers=bearer(ann),
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["description"]) == ("Renamed", "Work pool")
    assert body["settings"]["daily_cap"] is None and body["settings"]["ranking"] == "adjusted_roi"
    assert body["settings"]["shortest_price"] == -160  # untouched
    for bad, field in (({"name": None}, "name"), ({"shortest_price": 500}, "shortest_price")):
        response = client.patch(f"/api/leagues/{lid}", json=bad, headers=bearer(ann))
        assert assert_error(response, 422)["field"] == field
    unchanged = client.get(f"/api/leagues/{lid}", headers=bearer(ann)).json()
    assert unchanged == body
    assert client.patch(f"/api/leagues/{lid}", json={}, headers=bearer(ann)).json() == body


def test_over_real_http(server_url: str, clock: FixedClock) -> None:
    """The same routes served by uvicorn on loopback: create, join, board, CSV download."""
    with httpx.Client(base_url=server_url, timeout=30) as http:
        ann, bob = register(http, "ann"), register(http, "bob")
        league = create(http, ann)
        assert join(http, bob, league["invite_code"]).status_code == 200
        board = http.get(f"/api/leagues/{league['id']}/board", headers=bearer(bob))
        assert [(r["username"], r["rank"], r["ranked"]) for r in board.json()] == [
            ("ann", None, False),
            ("bob", None, False),
        ]
        exported = http.get(f"/api/leagues/{league['id']}/picks.csv", headers=bearer(ann))
        assert exported.status_code == 200
        assert exported.headers["content-type"] == "text/csv; charset=utf-8"
        assert exported.text == (
            "tip_off,game_id,matchup,username,market,selection,bookmaker,price,point,status,"
            "result_units,counted,not_counted_reason,clv\r\n"
        )
        assert_error(http.get(f"/api/leagues/{league['id']}/picks.csv"), 401)
