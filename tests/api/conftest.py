"""API fixtures: a fresh app per test on the shared `engine` (SQLite and PostgreSQL), whose
clock is the test's FixedClock, driven through FastAPI's TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from pickvs.api import create_app
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from tests.api.helpers import serve

with warnings.catch_warnings():
    # Starlette nudges towards `httpx2`; PickVs pins httpx, which TestClient still drives.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture(autouse=True)
def api_settings(fast_bcrypt: None, signing_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Known settings whatever the operator's environment or `.env` says; cost-4 bcrypt and a
    fixed signing key come from tests/conftest.py."""
    monkeypatch.setattr(settings, "lock_minutes", 0)
    monkeypatch.setattr(settings, "bookmakers", ["draftkings", "fanduel", "betmgm"])
    monkeypatch.setattr(settings, "timezone", "America/New_York")
    monkeypatch.setattr(settings, "token_days", 7)
    monkeypatch.setattr(settings, "monthly_credits", 500)
    monkeypatch.setattr(settings, "odds_api_key", None)


@pytest.fixture
def app(engine: Engine, clock: FixedClock) -> FastAPI:
    app = create_app()
    app.state.clock = clock
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def other_client(app: FastAPI) -> Iterator[TestClient]:
    """The same app seen from another address (login throttling is per client)."""
    with TestClient(app, client=("203.0.113.9", 50001)) as client:
        yield client


@pytest.fixture
def server_url(app: FastAPI) -> Iterator[str]:
    """The test's app over real HTTP on loopback (see `helpers.serve`)."""
    with serve(app) as url:
        yield url
