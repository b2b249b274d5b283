"""CLV through the API: the additive fields on picks (mine, a game's, a league's), on the
leaderboard's rows and a league board's rows, and the CSV column, once `update_clv` ran."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from pickvs.db import session_scope
from pickvs.domain.clock import FixedClock
from pickvs.services import clv
from tests.api.helpers import (
    BOS,
    NYK,
    bearer,
    book_lines,
    celtics_game,
    event,
    ingest_events,
    pick,
    register,
    settle,
)


@pytest.fixture
def closed_night(client, clock: FixedClock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ann takes the Knicks +10 (-110) and Celtics -180; Bob the Knicks +150. The line then
    moves: the close at DraftKings is Celtics -8 (-110/-110), -200/+170. Priced at tip-off."""
    commence = celtics_game(clock)
    tokens = {"ann": register(client, "ann"), "bob": register(client, "bob")}
    assert pick(client, tokens["ann"], ("g-bos", "spreads", NYK)).status_code == 201
    assert pick(client, tokens["ann"], ("g-bos", "h2h", BOS)).status_code == 201
    assert pick(client, tokens["bob"], ("g-bos", "h2h", NYK)).status_code == 201
    closing = book_lines("draftkings", BOS, NYK, (-200, 170), (-8.0, -110, -110))
    ingest_events(commence - timedelta(minutes=30), event("g-bos", BOS, NYK, commence, closing))
    clock.set(commence + timedelta(minutes=1))
    with session_scope() as session:
        assert clv.update_clv(session, clock.now()) == 3
    return tokens


# Ann's spread: +10 taken, closed +8 at -110/-110: Phi(2/12) - 110/210 = +4.2374 pp
ANN_SPREAD = 4.2374
# Ann's moneyline: -180 taken (0.642857), closed -200/+170: fair 0.642857: 0.0000 pp
ANN_H2H = 0.0
# Bob's moneyline: +150 taken (0.4), closed +170: fair 0.357143: -4.2857 pp
BOB_H2H = -4.2857


@pytest.mark.usefixtures("closed_night")
def test_my_picks_and_a_games_picks_carry_the_closing_line_and_clv(
    client, closed_night: dict[str, str]
) -> None:
    mine = client.get("/api/picks/me", headers=bearer(closed_night["ann"])).json()
    spread = next(p for p in mine if p["market"] == "spreads")
    assert spread["clv"] == pytest.approx(ANN_SPREAD, abs=1e-4)
    assert (spread["close_bookmaker"], spread["close_price"], spread["close_point"]) == (
        "draftkings",
        -110,
        8.0,
    )
    rows = client.get("/api/games/g-bos/picks").json()
    by = {(r["username"], r["market"]): r for r in rows}
    assert by[("bob", "h2h")]["clv"] == pytest.approx(BOB_H2H, abs=1e-4)
    assert by[("bob", "h2h")]["close_price"] == 170
    assert by[("ann", "h2h")]["clv"] == pytest.approx(ANN_H2H, abs=1e-4)


def test_leaderboard_and_league_board_rows_average_clv(
    client, clock: FixedClock, closed_night: dict[str, str]
) -> None:
    settle("g-bos", 110, 100, clock.now())  # Celtics by 10: Ann's Knicks +10 pushes
    board = {r["username"]: r for r in client.get("/api/leaderboard").json()}
    assert board["ann"]["clv"] == pytest.approx((ANN_SPREAD + ANN_H2H) / 2, abs=1e-4)
    assert board["bob"]["clv"] == pytest.approx(BOB_H2H, abs=1e-4)

    ann, bob = bearer(closed_night["ann"]), bearer(closed_night["bob"])
    league = client.post("/api/leagues", json={"name": "Office"}, headers=ann).json()
    code = client.get(f"/api/leagues/{league['id']}", headers=ann).json()["invite_code"]
    assert client.post("/api/leagues/join", json={"code": code}, headers=bob).status_code < 300
    rows = client.get(f"/api/leagues/{league['id']}/board", headers=ann).json()
    by = {r["username"]: r for r in rows}
    assert by["ann"]["clv"] == pytest.approx((ANN_SPREAD + ANN_H2H) / 2, abs=1e-4)
    assert by["bob"]["clv"] == pytest.approx(BOB_H2H, abs=1e-4)

    picks = client.get(f"/api/leagues/{league['id']}/picks", headers=ann).json()
    bobs = next(p for p in picks if p["username"] == "bob")
    assert bobs["clv"] == pytest.approx(BOB_H2H, abs=1e-4)
    assert bobs["close_price"] == 170

    text = client.get("/api/picks/me.csv", headers=ann).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(float(r["clv"]) for r in rows) == pytest.approx(
        sorted([ANN_SPREAD, ANN_H2H]), abs=1e-4
    )
