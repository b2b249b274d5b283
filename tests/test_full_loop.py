"""The whole loop on both databases: fake provider -> fetch-odds -> register -> picks -> scores
-> grade -> leaderboard, with every figure worked out by hand below.

Lines (DraftKings, the reference book):
  Boston -180 / Milwaukee +150; Boston -4.5 (-110) / Milwaukee +4.5 (-110); total 227.5, Over -108 / Under -112
  Lakers +120 / Denver -140;   Lakers +3 (-110) / Denver -3 (-110)
Finals: Boston 115-110 Milwaukee (total 225); Lakers 100-103 Denver.

  ann: Boston ML    win  +100/180 = +0.555556
       Over 227.5   loss -1          (225 < 227.5)
       Lakers +3    push  0          (100 + 3 = 103 = 103)
       -> units -0.444444, wagered 3, ROI -0.148148, 1-1-1
  ben: Milwaukee ML loss -1
       Under 227.5  win  +100/112 = +0.892857
       Denver ML    win  +100/140 = +0.714286
       -> units +0.607143, wagered 3, ROI +0.202381, 2-1-0
  cat: Milwaukee +4.5 loss -1        (110 + 4.5 = 114.5 < 115)
       Lakers ML      loss -1
       -> units -2, wagered 2, ROI -1, 0-2-0
  dan: no picks -> 0 units, nothing wagered, ROI null, not ranked, listed last
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from pickvs.api import create_app
from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain.clock import FixedClock
from pickvs.jobs import daily
from pickvs.jobs.runner import run_job
from pickvs.services import admin
from tests.fake_provider import FakeOddsApi
from tests.jobs import payloads

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TIP = datetime(2026, 11, 23, 0, 40, tzinfo=UTC)
BOS, LAL = payloads.BOS_MIL, payloads.LAL_DEN

PICKS = {
    "ann": [
        (BOS, "h2h", "Boston Celtics"),
        (BOS, "totals", "Over"),
        (LAL, "spreads", "Los Angeles Lakers"),
    ],
    "ben": [
        (BOS, "h2h", "Milwaukee Bucks"),
        (BOS, "totals", "Under"),
        (LAL, "h2h", "Denver Nuggets"),
    ],
    "cat": [(BOS, "spreads", "Milwaukee Bucks"), (LAL, "h2h", "Los Angeles Lakers")],
    "dan": [],
}
EXPECTED = [
    # rank, username, units, wagered, roi, W, L, P
    (1, "ben", 0.607143, 3.0, 0.202381, 2, 1, 0),
    (2, "ann", -0.444444, 3.0, -0.148148, 1, 1, 1),
    (3, "cat", -2.0, 2.0, -1.0, 0, 2, 0),
    (None, "dan", 0.0, 0.0, None, 0, 0, 0),  # nothing wagered: not ranked
]


def board(client: TestClient) -> list[tuple]:
    response = client.get("/api/leaderboard", params={"period": "all"})
    assert response.status_code == 200
    return [
        (
            row["rank"],
            row["username"],
            round(row["total_units"], 6),
            row["total_wagered"],
            None if row["roi"] is None else round(row["roi"], 6),
            row["wins"],
            row["losses"],
            row["pushes"],
        )
        for row in response.json()
    ]


def job(name: str, clock: FixedClock) -> None:
    run = run_job(name, daily.JOBS[name], clock=clock, source="live", trigger="cli")
    assert run is not None and run.outcome == "ok", run and run.error


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOddsApi() as fake:
        for name, value in {
            "odds_api_key": "loop-key",
            "odds_api_base_url": fake.base_url,
            "bookmakers": ["draftkings", "fanduel"],
            "lock_minutes": 0,
            "secret_key": "full-loop-signing-key-0123456789abcdef0123",
            "min_ranked_picks": 2,  # ranked from two graded picks: ann, ben and cat are
        }.items():
            monkeypatch.setattr(settings, name, value)
        yield fake


def test_full_loop_matches_hand_computed_leaderboard(engine: Engine, live: FakeOddsApi) -> None:
    clock = FixedClock(NOW)
    live.set_odds(payloads.odds_payload(TIP, NOW))
    job(daily.FETCH_ODDS, clock)

    app = create_app()
    app.state.clock = clock
    with TestClient(app) as client:
        upcoming = client.get("/api/games/upcoming").json()
        assert {g["id"] for g in upcoming} == {BOS, LAL}

        for name, picks in PICKS.items():
            token = client.post(
                "/auth/register",
                json={
                    "email": f"{name}@example.com",
                    "username": name,
                    "password": "correct horse",
                },
            ).json()["token"]
            if picks:
                body = [
                    {"game_id": g, "market": m, "selection": s, "price": 10000} for g, m, s in picks
                ]
                response = client.post(
                    "/api/picks", json=body, headers={"Authorization": f"Bearer {token}"}
                )
                assert response.status_code == 201, response.text

        # Tip-off passes; the next morning the results job fetches scores and grades.
        clock.set(TIP + timedelta(hours=9))
        live.set_scores(payloads.scores_payload(TIP, bos=115, mil=110, lal=100, den=103))
        job(daily.PROCESS_RESULTS, clock)
        assert board(client) == EXPECTED

        # Grading again changes nothing.
        job(daily.GRADE, clock)
        assert board(client) == EXPECTED

        # A score correction (Lakers actually won 104-103), settled by an admin, fixes everyone:
        # ann's Lakers +3 push becomes a win (+100/110), cat's Lakers ML wins (+1.2),
        # ben's Denver ML now loses.
        clock.advance(hours=1)
        with session_scope() as session:
            admin.settle(session, LAL, 104, 103, by="ops", now=clock.now())
        rows = {r[1]: r for r in board(client)}
        assert rows["ann"][2:] == (
            round(100 / 180 - 1 + 100 / 110, 6),
            3.0,
            round((100 / 180 - 1 + 100 / 110) / 3, 6),
            2,
            1,
            0,
        )
        assert rows["ben"][2:] == (
            round(-1 + 100 / 112 - 1, 6),
            3.0,
            round((-2 + 100 / 112) / 3, 6),
            1,
            2,
            0,
        )
        assert rows["cat"][2:] == (0.2, 2.0, 0.1, 1, 1, 0)
