"""Liveness and readiness for operators and uptime checks; the details for admins."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from pickvs.api import probes
from pickvs.api.deps import Credentials, NowDep
from pickvs.api.schemas import HealthOut, HealthReport

router = APIRouter(tags=["health"])

DESCRIPTION = """200 whenever the database answers, 503 (still JSON) when it does not.

`status` is `degraded` when the schema is behind, a job's last run failed or the credits are
exhausted. Anyone gets the status, whether the database answers and whether the scheduler runs
(the container's health check needs no token). With an admin's bearer token the report adds
the schema revision, the next job times, each job's last run with its error, the month's
credits and whether the league runs on demo data; any other token gets the short report."""


@router.get(
    "/health",
    summary="Status, database and scheduler; job runs and credits for admins",
    description=DESCRIPTION,
    response_model=HealthReport | HealthOut,
    responses={503: {"model": HealthOut, "description": "The database does not answer."}},
)
def health(response: Response, now: NowDep, credentials: Credentials) -> HealthReport | HealthOut:
    report = probes.report_for(credentials.credentials if credentials else None, now)
    if not report.database.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report
