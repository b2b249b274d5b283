"""`/health`: database, scheduler, last job runs, credits; 503 (still JSON) without a database."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from pickvs import db, migrations
from pickvs.api import create_app
from pickvs.domain.clock import FixedClock
from pickvs.models import ApiCall
from pickvs.services import jobruns, ledger
from tests.api.conftest import TestClient
from tests.api.helpers import assert_error


def test_health_reports_every_part(client, engine: Engine) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "database", "scheduler", "jobs", "credits", "demo"}
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["backend"] == engine.dialect.name
    assert body["database"]["revision"] == migrations.head_revision()
    assert body["scheduler"]["running"] is False
    assert body["jobs"] == {}
    assert body["credits"] == {
        "budget": 500,
        "used": 0,
        "remaining": 500,
        "provider_remaining": None,
        "exhausted": False,
    }
    assert body["demo"] is True


def test_health_shows_last_runs_and_credits_spent(client, clock: FixedClock) -> None:
    start = clock.now() - timedelta(hours=2)
    with db.session_scope() as session:
        odds = jobruns.claim_run(session, "fetch-odds", "schedule", start, slot=start)
        assert odds is not None
        ledger.record_call(
            session,
            ApiCall(
                job_run_id=odds.id,
                at=start,
                source="live",
                endpoint="/v4/sports/basketball_nba/odds",
                outcome="ok",
                status_code=200,
                estimated_cost=3,
                credits_last=3,
                credits_remaining=420,
            ),
        )
        jobruns.finish_run(session, odds, "ok", start + timedelta(seconds=4))
        results = jobruns.claim_run(session, "process-results", "schedule", clock.now())
        assert results is not None
        jobruns.finish_run(session, results, "failed", clock.now(), error="provider said 500")

    body = client.get("/health").json()
    assert body["status"] == "degraded"  # the last results run failed
    assert body["jobs"]["fetch-odds"] == {
        "outcome": "ok",
        "started_at": "2026-11-22T10:00:00Z",
        "finished_at": "2026-11-22T10:00:04Z",
        "error": None,
    }
    assert body["jobs"]["process-results"]["outcome"] == "failed"
    assert body["jobs"]["process-results"]["error"] == "provider said 500"
    assert body["credits"]["used"] == 3
    assert body["credits"]["remaining"] == 497
    assert body["credits"]["provider_remaining"] == 420


def test_health_passes_the_scheduler_status_through(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub = types.ModuleType("pickvs.jobs.scheduler")
    stub.status = lambda: {  # type: ignore[attr-defined]
        "running": True,
        "jobs": [{"id": "fetch-odds", "next_run_time": "2026-11-23T10:00:00+00:00"}],
    }
    monkeypatch.setitem(sys.modules, "pickvs.jobs.scheduler", stub)
    import pickvs.jobs

    monkeypatch.setattr(pickvs.jobs, "scheduler", stub, raising=False)
    body = client.get("/health").json()
    assert body["scheduler"]["running"] is True
    assert body["scheduler"]["jobs"][0]["id"] == "fetch-odds"


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    """The process engine points at a port where nothing listens."""
    dead = db.make_engine("postgresql://pickvs@127.0.0.1:1/pickvs")
    monkeypatch.setattr(db, "_engine", dead)
    yield create_app()
    dead.dispose()


def test_health_is_503_json_when_the_database_does_not_answer(no_database: FastAPI) -> None:
    with TestClient(no_database) as client:
        response = client.get("/health")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "degraded"
        assert body["database"]["ok"] is False
        assert body["database"]["backend"] == "postgresql"
        assert body["jobs"] == {} and body["credits"] is None
        # Every other route says so too, as JSON.
        assert "database" in assert_error(client.get("/api/leaderboard"), 503)["detail"]


def test_health_of_an_unmigrated_database_is_200_degraded(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setattr(db, "_engine", empty)
    with TestClient(create_app()) as client:
        response = client.get("/health")
    empty.dispose()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True and body["database"]["revision"] is None
    assert body["database"]["head"] == migrations.head_revision()
