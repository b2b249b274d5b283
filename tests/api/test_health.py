"""`/health`: status, database and scheduler for anyone; the last job runs, their errors and the
credits only for an admin's bearer token; 503 (still JSON) without a database."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from pickvs import db, migrations
from pickvs.api import create_app, probes
from pickvs.domain.clock import FixedClock
from pickvs.models import ApiCall
from pickvs.services import admin, jobruns, ledger
from tests.api.conftest import TestClient
from tests.api.helpers import assert_error, bearer, register

FULL = {"status", "database", "scheduler", "jobs", "credits", "demo"}


@pytest.fixture
def admin_token(client) -> str:
    """A player made admin the way `pickvs make-admin` does."""
    token = register(client, "adm1")
    with db.session_scope() as session:
        admin.make_admin(session, "adm1")
    return token


def full_report(client, token: str) -> dict:
    response = client.get("/health", headers=bearer(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == FULL
    return body


def record_a_failed_run_and_spent_credits(clock: FixedClock) -> None:
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


def test_anyone_gets_only_status_database_and_scheduler(
    client, engine: Engine, clock: FixedClock
) -> None:
    record_a_failed_run_and_spent_credits(clock)
    player = register(client, "bob")

    for headers in ({}, bearer(player), bearer("not-a-token"), {"Authorization": "Basic Ym9i"}):
        response = client.get("/health", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "status": "degraded",  # the same word an admin sees: the last results run failed
            "database": {"ok": True, "backend": engine.dialect.name, "error": None},
            "scheduler": {"running": False},
        }, headers
        assert "provider said 500" not in response.text and "420" not in response.text


def test_an_admins_token_gets_the_full_report(client, engine: Engine, admin_token: str) -> None:
    body = full_report(client, admin_token)
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


def test_an_admin_sees_last_runs_and_credits_spent(
    client, clock: FixedClock, admin_token: str
) -> None:
    record_a_failed_run_and_spent_credits(clock)

    body = full_report(client, admin_token)
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
    client, monkeypatch: pytest.MonkeyPatch, admin_token: str
) -> None:
    stub = types.ModuleType("pickvs.jobs.scheduler")
    stub.status = lambda: {  # type: ignore[attr-defined]
        "running": True,
        "jobs": [{"id": "fetch-odds", "next_run_time": "2026-11-23T10:00:00+00:00"}],
    }
    monkeypatch.setitem(sys.modules, "pickvs.jobs.scheduler", stub)
    import pickvs.jobs

    monkeypatch.setattr(pickvs.jobs, "scheduler", stub, raising=False)
    body = full_report(client, admin_token)
    assert body["scheduler"]["running"] is True
    assert body["scheduler"]["jobs"][0]["id"] == "fetch-odds"
    # Anyone else learns that it runs, not when the jobs are due.
    assert client.get("/health").json()["scheduler"] == {"running": True}


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
        assert response.json() == {
            "status": "degraded",
            "database": {"ok": False, "backend": "postgresql", "error": "OperationalError"},
            "scheduler": {"running": False},
        }
        # A token cannot be checked without the database: the short report, still 503.
        with_token = client.get("/health", headers=bearer("any.token.here"))
        assert with_token.status_code == 503 and set(with_token.json()) == {
            "status",
            "database",
            "scheduler",
        }
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
    assert set(body) == {"status", "database", "scheduler"}  # no admin can exist here
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    # The full report (what an admin would read) says why: the schema is not there.
    report = probes.health_report(FixedClock().now())
    assert report.database.revision is None
    assert report.database.head == migrations.head_revision()
