"""What `/health` reports: the database, the scheduler, the last job runs and the credits.

It reads through the same services as everything else, but with its own sessions: a health
check must answer (503, still JSON) when the database does not.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache
from typing import Any

from pickvs import db, migrations
from pickvs.api.schemas import CreditsHealth, DatabaseHealth, HealthOut, JobHealth
from pickvs.config import settings
from pickvs.services import jobruns, ledger

log = logging.getLogger("pickvs.api")

FAILED = "failed"


def health_report(now: datetime) -> HealthOut:
    database = check_database()
    jobs: dict[str, JobHealth] = {}
    credits: CreditsHealth | None = None
    if database.ok:
        try:
            with db.session_scope() as session:
                jobs = {
                    name: JobHealth.model_validate(run)
                    for name, run in jobruns.latest_per_job(session).items()
                }
                quota = ledger.summary(session, now, settings.monthly_credits, last=0)
                credits = CreditsHealth(
                    budget=quota.budget,
                    used=quota.used,
                    remaining=quota.remaining,
                    provider_remaining=quota.provider_remaining,
                    exhausted=quota.exhausted,
                )
        except Exception as exc:  # it answered but cannot be read (schema missing?): degraded
            log.warning("health: reading job runs and credits failed", exc_info=exc)
            database = database.model_copy(update={"error": type(exc).__name__})
    healthy = (
        database.ok
        and database.error is None
        and credits is not None
        and database.revision == database.head
        and not any(job.outcome == FAILED for job in jobs.values())
        and not (credits and credits.exhausted)
    )
    return HealthOut(
        status="ok" if healthy else "degraded",
        database=database,
        scheduler=scheduler_status(),
        jobs=jobs,
        credits=credits,
        demo=settings.demo_mode,
    )


def check_database() -> DatabaseHealth:
    """Connect and read the schema revision; any failure is reported, never raised."""
    head = _head_revision()
    try:
        engine = db.get_engine()
    except Exception as exc:
        return DatabaseHealth(ok=False, backend="unknown", head=head, error=type(exc).__name__)
    backend = engine.dialect.name
    try:
        revision = migrations.current_revision(engine)
    except Exception as exc:
        log.warning("health: database check failed", exc_info=exc)
        return DatabaseHealth(ok=False, backend=backend, head=head, error=type(exc).__name__)
    return DatabaseHealth(ok=True, backend=backend, revision=revision, head=head)


@cache
def _head_revision() -> str | None:
    """The scripts on disk do not change while the process runs."""
    return migrations.head_revision()


def scheduler_status() -> dict[str, Any]:
    try:
        from pickvs.jobs import scheduler
    except ImportError:
        return {"running": False}
    return scheduler.status()
