"""Building test data through the services the app itself uses: players sign up through the
API, games and odds arrive as parsed feed records through `ingest.apply_odds`, and results
through `admin.settle`."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from starlette.types import ASGIApp

from pickvs.db import session_scope
from pickvs.domain.clock import FixedClock
from pickvs.models import Pick
from pickvs.odds.records import EventRecord, LineRecord, ParsedOdds
from pickvs.services import admin, ingest

PASSWORD = "correct-horse-battery"
SPORT = "basketball_nba"

BOS, NYK = "Boston Celtics", "New York Knicks"
LAL, GSW = "Los Angeles Lakers", "Golden State Warriors"


# --- players ------------------------------------------------------------------------------


def register(client: Any, username: str, password: str = PASSWORD) -> str:
    response = client.post(
        "/auth/register",
        json={"email": f"{username}@example.com", "username": username, "password": password},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def login(client: Any, username: str, password: str = PASSWORD) -> str:
    response = client.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def pick(client: Any, token: str, *items: tuple[str, str, str]) -> httpx.Response:
    body = [{"game_id": g, "market": m, "selection": s} for g, m, s in items]
    return client.post("/api/picks", json=body, headers=bearer(token))


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """An error is JSON with a one-line `detail`, at the expected status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert "\n" not in body["detail"]
    return body


# --- games and lines ----------------------------------------------------------------------


def _line(book: str, market: str, side: str, outcome: str, price: int, point: float | None):
    return LineRecord(
        bookmaker=book,
        market=market,
        side=side,
        outcome=outcome,
        price=price,
        point=point,
        last_update=None,
    )


def book_lines(
    book: str,
    home: str,
    away: str,
    h2h: tuple[int, int] | None = None,
    spread: tuple[float, int, int] | None = None,
    total: tuple[float, int, int] | None = None,
) -> list[LineRecord]:
    """One book's markets: h2h (home, away), spread (home point, home, away), total (pt, o, u)."""
    lines = []
    if h2h:
        lines += [
            _line(book, "h2h", "home", home, h2h[0], None),
            _line(book, "h2h", "away", away, h2h[1], None),
        ]
    if spread:
        point, home_price, away_price = spread
        lines += [
            _line(book, "spreads", "home", home, home_price, point),
            _line(book, "spreads", "away", away, away_price, -point),
        ]
    if total:
        point, over, under = total
        lines += [
            _line(book, "totals", "over", "Over", over, point),
            _line(book, "totals", "under", "Under", under, point),
        ]
    return lines


def event(
    game_id: str, home: str, away: str, commence: datetime, lines: list[LineRecord]
) -> EventRecord:
    return EventRecord(
        id=game_id,
        sport=SPORT,
        commence_time=commence,
        home_team=home,
        away_team=away,
        lines=tuple(lines),
    )


def celtics_lines() -> list[LineRecord]:
    """Knicks at Celtics: DraftKings (the default reference), FanDuel and BetMGM."""
    return (
        book_lines("draftkings", BOS, NYK, (-180, 150), (-10.0, -110, -110), (210.0, -110, -110))
        + book_lines("fanduel", BOS, NYK, (-175, 155), (-9.5, -115, -105), (211.5, -108, -112))
        + book_lines("betmgm", BOS, NYK, (-170, 140))
    )


def lakers_lines() -> list[LineRecord]:
    return book_lines("draftkings", LAL, GSW, (-170, 150), (-4.5, -110, -110), (225.5, -110, -110))


def ingest_events(at: datetime, *events: EventRecord) -> None:
    with session_scope() as session:
        ingest.apply_odds(session, ParsedOdds(events=list(events), issues=[]), at)


def celtics_game(clock: FixedClock, game_id: str = "g-bos", hours: float = 8) -> datetime:
    """Ingest Knicks at Celtics tipping `hours` after now; returns its tip-off."""
    commence = clock.now() + timedelta(hours=hours)
    ingest_events(clock.now(), event(game_id, BOS, NYK, commence, celtics_lines()))
    return commence


def lakers_game(clock: FixedClock, game_id: str = "g-lal", hours: float = 9) -> datetime:
    commence = clock.now() + timedelta(hours=hours)
    ingest_events(clock.now(), event(game_id, LAL, GSW, commence, lakers_lines()))
    return commence


def settle(game_id: str, home_score: int, away_score: int, now: datetime) -> None:
    with session_scope() as session:
        admin.settle(session, game_id, home_score, away_score, by="admin", now=now)


def pick_rows() -> list[Pick]:
    with session_scope() as session:
        return list(session.execute(select(Pick).order_by(Pick.id)).scalars())


@contextlib.contextmanager
def serve(asgi_app: ASGIApp) -> Iterator[str]:
    """`asgi_app` under a real uvicorn on a free loopback port, in a thread: real HTTP, real
    connections in parallel (TestClient runs one request at a time)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(asgi_app, log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
