"""The live-players benchmark's simulated tab against the real production build: it logs in
through the hydrate, loads the slate, and its picks come back as updates that show them.

Cheap (a few seconds on the suite's shared server), so the benchmark's protocol client cannot
drift from what Reflex's frontend sends without a red test.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from bench import live
from pickvs import db
from pickvs.config import settings
from pickvs.services import auth
from tests.browser.conftest import RunningApp
from tests.services.builders import PASSWORD, Book, make_game

pytestmark = pytest.mark.browser


def test_a_simulated_player_picks_over_the_event_socket(
    pickvs_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tokens signed with the server's own key, kept in its data directory.
    monkeypatch.setattr(settings, "data_dir", pickvs_app.data_dir)
    monkeypatch.setattr(settings, "secret_key", None)
    name, now = f"bench{uuid.uuid4().hex[:8]}", datetime.now(UTC)
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            make_game(session, f"bs-{name}", now + timedelta(hours=2), Book(),
                      fetched_at=now - timedelta(minutes=5))  # fmt: skip
            user = auth.register(session, f"{name}@example.com", name, PASSWORD, now)
            token = auth.create_token(session, user, now)
            session.commit()
    finally:
        engine.dispose()
    port = int(pickvs_app.url.rsplit(":", 1)[1])

    # A thread of its own: the session's Playwright already runs an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(live.drive, port, [token], 3.0, 7).result(timeout=60)

    assert result.connected == 1
    assert dict(result.errors) == {}
    assert len(result.latencies_ms) >= 1  # each tap came back showing the pick (or its absence)
