"""Running a job on demand, from the command line or the admin page: one path for both."""

from __future__ import annotations

from pickvs.domain.clock import Clock
from pickvs.jobs import daily
from pickvs.jobs.runner import run_job
from pickvs.jobs.source import source_label
from pickvs.models import JobRun

MANUAL_JOBS = tuple(daily.JOBS)


def run_now(name: str, clock: Clock, trigger: str = "manual") -> JobRun:
    """Run `name` at once, outside any schedule slot; the run is recorded like any other."""
    if name not in daily.JOBS:
        raise ValueError(f"unknown job {name!r}; choose from {', '.join(MANUAL_JOBS)}")
    run = run_job(name, daily.JOBS[name], clock=clock, source=source_label(), trigger=trigger)
    assert run is not None  # runs without a slot cannot lose a slot claim
    return run
