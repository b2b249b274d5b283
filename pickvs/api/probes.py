"""What `/health` reports: the database, the scheduler, the last job runs and the credits.

It reads through the same services as everything else, but with its own sessions: a health
check must answer (503, still JSON) when the database does not. Anyone gets the short report
(status, database, scheduler running); the job runs, their errors and the credit figures go
only to a caller whose bearer token is an admin's (`report_for`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pickvs import db, migrations
from pickvs.api.schemas import CreditsHealth, DatabaseHealth, HealthOut, HealthReport, JobHealth
from pickvs.config import settings
from pickvs.services import auth, jobruns, ledger
from pickvs.services.errors import ServiceError

log = logging.getLogger("pickvs.api")

FAILED = "failed"


def report_for(token: str | None, now: datetime) -> HealthReport | HealthOut:
    """The full report for an admin's token, the short one for anyone else.

    A missing, invalid, expired or non-admin token is not an error here (a health check never
    answers 401): it just gets the short report. The token is only looked at when the database
    answers, since checking it needs the database.
    """
    report = health_report(now)
    if token and report.database.ok and is_admin_token(token, now):
        return report
    return report.public()


def is_admin_token(token: str, now: datetime) -> bool:
    """Does `token` verify as an admin's, right now? False for every other answer."""
    try:
        with db.session_scope() as session:
            return auth.current_user(session, token, now).is_admin
    except (ServiceError, SQLAlchemyError):
        return False


def health_report(now: datetime) -> HealthReport:
    """The full report (what admins see)."""
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
    return HealthReport(
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
