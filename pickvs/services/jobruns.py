"""Job runs and job leases: one run per scheduled slot, and a job never overlaps itself.

Both are rows in the shared database, so the guarantees hold across threads, workers and
whole replicas, on SQLite and PostgreSQL alike (an advisory lock would not survive Neon's
transaction pooler).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pickvs.models import JobLock, JobRun

LEASE = timedelta(minutes=30)


def claim_run(
    session: Session, job: str, trigger: str, now: datetime, slot: datetime | None = None
) -> JobRun | None:
    """Record a run as started; None if another runner already claimed this slot."""
    run = JobRun(job=job, trigger=trigger, slot=slot, started_at=now, outcome="running")
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    session.commit()
    return run


def finish_run(
    session: Session,
    run: JobRun,
    outcome: str,
    now: datetime,
    detail: str | None = None,
    error: str | None = None,
) -> JobRun:
    run = session.merge(run)
    run.outcome, run.finished_at, run.detail, run.error = outcome, now, detail, error
    session.commit()
    return run


def acquire_lease(session: Session, job: str, holder: str, now: datetime) -> bool:
    """Take the job's lease if it is free or expired (a crashed holder cannot block forever)."""
    try:
        with session.begin_nested():
            session.add(JobLock(job=job, holder=holder, expires_at=now + LEASE))
        session.commit()
        return True
    except IntegrityError:
        pass
    taken = session.execute(
        update(JobLock)
        .where(JobLock.job == job, or_(JobLock.expires_at < now, JobLock.holder == holder))
        .values(holder=holder, expires_at=now + LEASE)
    )
    session.commit()
    return taken.rowcount == 1  # type: ignore[attr-defined]


def release_lease(session: Session, job: str, holder: str) -> None:
    session.execute(delete(JobLock).where(JobLock.job == job, JobLock.holder == holder))
    session.commit()


def last_success(session: Session, job: str) -> JobRun | None:
    stmt = (
        select(JobRun)
        .where(JobRun.job == job, JobRun.outcome == "ok")
        .order_by(JobRun.started_at.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def recent_runs(
    session: Session, limit: int = 20, job: str | None = None, offset: int = 0
) -> list[JobRun]:
    """Newest run first."""
    stmt = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    if job:
        stmt = stmt.where(JobRun.job == job)
    return list(session.execute(stmt.limit(limit).offset(offset)).scalars())


def latest_per_job(session: Session) -> dict[str, JobRun]:
    latest: dict[str, JobRun] = {}
    for run in recent_runs(session, limit=200):
        latest.setdefault(run.job, run)
    return latest
