"""Making, changing, withdrawing and listing picks; all-or-nothing batches; hostile bodies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pickvs.domain.clock import FixedClock
from tests.api.helpers import (
    BOS,
    GSW,
    NYK,
    assert_error,
    bearer,
    celtics_game,
    event,
    ingest_events,
    lakers_game,
    pick,
    pick_rows,
    register,
    settle,
)


def test_picks_are_taken_at_the_servers_line_whatever_the_client_sends(
    client, clock: FixedClock
) -> None:
    celtics_game(clock)
    token = register(client, "ann")
    body = [
        {"game_id": "g-bos", "market": "h2h", "selection": BOS, "price": 10000, "point": 99},
        {"game_id": "g-bos", "market": "spreads", "selection": "away", "bookmaker": "mybook"},
        {"game_id": "g-bos", "market": "totals", "selection": "UNDER", "to_win": 50},
    ]
    response = client.post("/api/picks", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    created = response.json()
    assert [
        (p["market"], p["selection"], p["bookmaker"], p["price"], p["point"]) for p in created
    ] == [
        ("h2h", BOS, "draftkings", -180, None),
        ("spreads", NYK, "draftkings", -110, 10.0),
        ("totals", "Under", "draftkings", -110, 210.0),
    ]
    assert created[0]["to_win"] == pytest.approx(100 / 180)
    assert all(p["status"] == "pending" and p["id"] for p in created)
    stored = pick_rows()
    assert [(p.price, p.point, p.bookmaker) for p in stored] == [
        (-180, None, "draftkings"),
        (-110, 10.0, "draftkings"),
        (-110, 210.0, "draftkings"),
    ]


def test_one_bad_item_saves_nothing_and_each_error_names_its_index(
    client, clock: FixedClock
) -> None:
    celtics_game(clock)
    token = register(client, "ann")
    response = pick(
        client,
        token,
        ("g-bos", "h2h", BOS),
        ("g-bos", "spreads", "Lakers"),
        ("no-such-game", "h2h", BOS),
        ("g-bos", "moneyline", BOS),
    )
    body = assert_error(response, 422)
    assert body["detail"].startswith("No picks were saved.")
    assert [(e["index"], e["status"]) for e in body["errors"]] == [(1, 422), (2, 404), (3, 422)]
    assert "no-such-game" in body["errors"][1]["detail"]
    assert pick_rows() == []
    assert client.get("/api/picks/me", headers=bearer(token)).json() == []


def test_single_failures_keep_their_own_status(client, clock: FixedClock) -> None:
    commence = celtics_game(clock)
    token = register(client, "ann")
    assert_error(pick(client, token, ("nope", "h2h", BOS)), 404)
    assert pick(client, token, ("g-bos", "h2h", BOS)).status_code == 201
    again = assert_error(pick(client, token, ("g-bos", "h2h", "home")), 409)
    assert again["errors"] == [{"index": 0, "detail": again["errors"][0]["detail"], "status": 409}]
    twice = pick(client, token, ("g-bos", "totals", "over"), ("g-bos", "totals", "under"))
    assert assert_error(twice, 409)["errors"][0]["index"] == 1
    clock.set(commence + timedelta(seconds=1))
    assert "locked" in assert_error(pick(client, token, ("g-bos", "spreads", BOS)), 409)["detail"]
    assert len(pick_rows()) == 1


def test_naming_the_other_side_changes_the_pick(client, clock: FixedClock) -> None:
    celtics_game(clock)
    token = register(client, "ann")
    [first] = pick(client, token, ("g-bos", "h2h", BOS)).json()
    clock.advance(minutes=30)
    response = pick(client, token, ("g-bos", "h2h", NYK))
    assert response.status_code == 201
    [changed] = response.json()
    assert changed["id"] == first["id"]
    assert (changed["selection"], changed["price"], changed["to_win"]) == (NYK, 150, 1.5)
    assert changed["updated_at"] > first["updated_at"]
    assert [(p.selection, p.side) for p in pick_rows()] == [(NYK, "away")]


def test_a_game_without_that_market_is_409(client, clock: FixedClock) -> None:
    lakers_game(clock)
    token = register(client, "ann")
    assert pick(client, token, ("g-lal", "h2h", GSW)).status_code == 201
    commence = clock.now() + timedelta(hours=5)
    ingest_events(clock.now(), event("bare", BOS, NYK, commence, []))
    assert (
        "no moneyline line"
        in assert_error(pick(client, token, ("bare", "h2h", BOS)), 409)["detail"]
    )


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b'{"game_id": "g-bos", "market": "h2h", "selection": "home"}', "application/json"),
        (b'["g-bos"]', "application/json"),
        (b"[{}]", "application/json"),
        (b'[{"game_id": 123, "market": "h2h", "selection": "home"}]', "application/json"),
        (
            b'[{"game_id": 123456789012345678901234567890, "market": "h2h", "selection": "home"}]',
            "application/json",
        ),
        (b'[{"game_id": "g-bos", "market": ["h2h"], "selection": "home"}]', "application/json"),
        (b'[{"game_id": "g\\u0000", "market": "h2h", "selection": "home"}]', "application/json"),
        (b'[{"game_id": "g-bos", "market": "h2h", "selection": null}]', "application/json"),
        (b"[]", "application/json"),
        (b'[{"game_id": "g-bos", "market": "h2h", "selection": "home"}]', "text/plain"),
        (b'[{"game_id": "g-bos", "market": "h2h", "selection": "home"}]', None),
        (
            b"[" + b'{"game_id": "g", "market": "h2h", "selection": "x"},' * 60 + b"{}]",
            "application/json",
        ),
    ],
)
def test_malformed_bodies_are_4xx_json_never_500(client, clock, content, content_type) -> None:
    celtics_game(clock)
    token = register(client, "ann")
    headers = bearer(token) | ({"Content-Type": content_type} if content_type else {})
    response = client.post("/api/picks", content=content, headers=headers)
    assert_error(response, 422)
    assert pick_rows() == []


def test_validation_errors_name_the_item_and_field(client) -> None:
    token = register(client, "ann")
    body = [{"game_id": "g", "market": "h2h", "selection": "home"}, {"game_id": "g"}]
    response = client.post("/api/picks", json=body, headers=bearer(token))
    error = assert_error(response, 422)
    assert error["detail"].startswith("item 1, market: Field required")
    assert {(e["index"], e["field"]) for e in error["errors"]} == {(1, "market"), (1, "selection")}


def test_oversized_body_is_413_json(client) -> None:
    token = register(client, "ann")
    body = [{"game_id": "g" * 60, "market": "h2h", "selection": "x" * 90}] * 2000
    assert_error(client.post("/api/picks", json=body, headers=bearer(token)), 413)


def test_withdraw_own_open_pick_only(client, clock: FixedClock) -> None:
    commence = celtics_game(clock)
    ann, bob = register(client, "ann"), register(client, "bob")
    ann_h2h, ann_total = pick(
        client, ann, ("g-bos", "h2h", BOS), ("g-bos", "totals", "over")
    ).json()

    assert_error(client.delete(f"/api/picks/{ann_h2h['id']}", headers=bearer(bob)), 404)
    assert_error(client.delete(f"/api/picks/{ann_h2h['id']}"), 401)
    response = client.delete(f"/api/picks/{ann_h2h['id']}", headers=bearer(ann))
    assert response.status_code == 204 and response.content == b""
    assert_error(client.delete(f"/api/picks/{ann_h2h['id']}", headers=bearer(ann)), 404)
    assert [p.id for p in pick_rows()] == [ann_total["id"]]

    clock.set(commence)
    late = client.delete(f"/api/picks/{ann_total['id']}", headers=bearer(ann))
    assert "locked" in assert_error(late, 409)["detail"]
    assert len(pick_rows()) == 1


@pytest.mark.parametrize("pick_id", ["abc", "0", "-1", "1.5", str(2**63), "9" * 40])
def test_withdraw_with_a_bad_id_is_422(client, pick_id) -> None:
    token = register(client, "ann")
    body = assert_error(client.delete(f"/api/picks/{pick_id}", headers=bearer(token)), 422)
    assert body["field"] == "pick_id"


def test_my_picks_lists_line_taken_status_and_result(client, clock: FixedClock) -> None:
    bos_tip = celtics_game(clock, hours=2)
    lakers_game(clock, hours=26)
    ann, bob = register(client, "ann"), register(client, "bob")
    pick(client, ann, ("g-bos", "h2h", BOS), ("g-bos", "spreads", BOS), ("g-lal", "h2h", GSW))
    pick(client, bob, ("g-bos", "h2h", NYK))
    clock.set(bos_tip + timedelta(hours=3))
    settle("g-bos", 110, 100, clock.now())

    mine = client.get("/api/picks/me", headers=bearer(ann)).json()
    # Newest game first: the Lakers game tips a day after the Celtics game.
    assert (mine[0]["game"]["id"], mine[0]["market"]) == ("g-lal", "h2h")
    by_market = {(p["game_id"], p["market"]): p for p in mine}
    moneyline = by_market[("g-bos", "h2h")]
    assert (moneyline["bookmaker"], moneyline["price"], moneyline["point"]) == (
        "draftkings",
        -180,
        None,
    )
    assert moneyline["status"] == "win"
    assert round(moneyline["result_units"], 4) == 0.5556
    assert moneyline["graded_at"] == "2026-11-22T17:00:00Z"
    assert moneyline["game"] == {
        "id": "g-bos",
        "sport": "basketball_nba",
        "home_team": BOS,
        "away_team": NYK,
        "commence_time": "2026-11-22T14:00:00Z",
        "status": "final",
        "home_score": 110,
        "away_score": 100,
    }
    spread = by_market[("g-bos", "spreads")]
    assert (spread["status"], spread["result_units"], spread["point"]) == ("push", 0.0, -10.0)
    assert by_market[("g-lal", "h2h")]["status"] == "pending"
    assert by_market[("g-lal", "h2h")]["result_units"] is None

    def listed(query: str) -> list[tuple[str, str]]:
        rows = client.get(f"/api/picks/me?{query}", headers=bearer(ann)).json()
        return [(p["game_id"], p["market"]) for p in rows]

    assert listed("status=pending") == [("g-lal", "h2h")]
    assert sorted(listed("status=graded")) == [("g-bos", "h2h"), ("g-bos", "spreads")]
    assert len(listed("limit=1")) == 1
    assert len(listed("limit=2&offset=2")) == 1
    assert listed("offset=3") == []
    for bad in ("status=won", "limit=0", "limit=201", "offset=-1", "limit=abc"):
        assert_error(client.get(f"/api/picks/me?{bad}", headers=bearer(ann)), 422)
    [bobs] = client.get("/api/picks/me", headers=bearer(bob)).json()
    assert (bobs["selection"], bobs["status"], bobs["result_units"]) == (NYK, "loss", -1.0)
