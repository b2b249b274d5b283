"""Running a job: claim its slot, hold its lease, record the outcome, never lose the ledger.

Every run leaves a `job_run` row (ok, failed, refused or skipped, with the reason); every
provider call leaves an `api_call` row written in its own transaction, so a job whose data
write rolls back still shows what it spent.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pickvs.db import session_scope
from pickvs.domain.clock import Clock
from pickvs.models import ApiCall, JobRun
from pickvs.odds.client import CallResult
from pickvs.services import jobruns, ledger

log = logging.getLogger("pickvs.jobs")

OK, FAILED, REFUSED, SKIPPED = "ok", "failed", "refused", "skipped"


class JobRefused(Exception):
    """A provider call was refused before it was made (budget, exhausted quota).

    `detail` is what the job still did without the call (other sports, grading), so a refused
    run reports that too.
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


@dataclass
class JobContext:
    """What a job body gets: the clock, its run id and a way to write the ledger."""

    clock: Clock
    run_id: int
    source: str  # "live" or "demo": demo calls cost nothing and never touch the budget

    def now(self) -> datetime:
        return self.clock.now()

    def recorder(self, estimated_cost: int) -> Callable[[CallResult], None]:
        """Ledger callback for one logical call; invoked once per attempt by the client."""

        def record(result: CallResult) -> None:
            with session_scope() as session:
                ledger.record_call(session, _api_call(self, result, estimated_cost))

        return record

    def check_budget(self, endpoint: str, cost: int, monthly_budget: int) -> None:
        """Refuse, and record why, any live call that would overrun the month."""
        if self.source != ledger.LIVE:
            return
        with session_scope() as session:
            reason = ledger.refusal_reason(session, cost, self.now(), monthly_budget)
        if reason is not None:
            self.refuse(endpoint, cost, reason)

    def refuse(self, endpoint: str, cost: int, reason: str) -> None:
        """Ledger a call not made, with why, and stop the job body (a refused run)."""
        with session_scope() as session:
            ledger.record_call(
                session,
                ApiCall(
                    job_run_id=self.run_id,
                    at=self.now(),
                    source=self.source,
                    endpoint=endpoint,
                    outcome="refused",
                    estimated_cost=cost,
                    message=reason,
                ),
            )
        raise JobRefused(f"{endpoint} refused: {reason}")


def _api_call(ctx: JobContext, result: CallResult, estimated_cost: int) -> ApiCall:
    return ApiCall(
        job_run_id=ctx.run_id,
        at=ctx.now(),
        source=ctx.source,
        endpoint=result.endpoint,
        attempt=result.attempt,
        outcome=result.outcome,
        status_code=result.status_code,
        estimated_cost=estimated_cost,
        credits_last=result.credits_last,
        credits_used=result.credits_used,
        credits_remaining=result.credits_remaining,
        duration_ms=result.duration_ms,
        error_code=result.error_code,
        message=(result.message or None) and result.message[:2000],
    )


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


JobBody = Callable[[JobContext], str]


def run_job(
    name: str,
    body: JobBody,
    *,
    clock: Clock,
    source: str,
    trigger: str,
    slot: datetime | None = None,
) -> JobRun | None:
    """Run `body` once; None when another runner already took this slot."""
    with session_scope() as session:
        run = jobruns.claim_run(session, name, trigger, clock.now(), slot)
    if run is None:
        log.info("job %s slot %s already claimed elsewhere", name, slot)
        return None
    holder = _holder()
    with session_scope() as session:
        if not jobruns.acquire_lease(session, name, holder, clock.now()):
            return _finish(run, SKIPPED, clock, detail=f"another {name} run is in progress")
    try:
        detail = body(JobContext(clock=clock, run_id=run.id or 0, source=source))
        return _finish(run, OK, clock, detail=detail)
    except JobRefused as refused:
        log.warning("job %s refused: %s", name, refused)
        return _finish(run, REFUSED, clock, detail=refused.detail, error=str(refused))
    except Exception as exc:
        log.exception("job %s failed", name)
        return _finish(run, FAILED, clock, error=f"{type(exc).__name__}: {exc}")
    finally:
        with session_scope() as session:
            jobruns.release_lease(session, name, holder)


def _finish(
    run: JobRun, outcome: str, clock: Clock, detail: str | None = None, error: str | None = None
) -> JobRun:
    with session_scope() as session:
        finished = jobruns.finish_run(session, run, outcome, clock.now(), detail, error)
    log.info("job %s %s: %s", finished.job, outcome, error or detail)
    return finished
