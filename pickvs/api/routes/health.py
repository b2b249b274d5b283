"""Liveness and readiness for operators and uptime checks."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from pickvs.api import probes
from pickvs.api.deps import NowDep
from pickvs.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Database, scheduler, last job runs and credits",
    responses={503: {"model": HealthOut, "description": "The database does not answer."}},
)
def health(response: Response, now: NowDep) -> HealthOut:
    """200 whenever the database answers (`status` is `degraded` when the schema is behind,
    a job's last run failed or the credits are exhausted); 503 when it does not."""
    report = probes.health_report(now)
    if not report.database.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report
