"""Job runs and leases: one run per slot and one holder per job, across sessions (replicas)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.models import JobLock
from pickvs.services import jobruns
from tests.services.builders import utc

NOW = utc("2026-11-22T10:00")
SLOT = utc("2026-11-22T10:00")


def test_a_slot_is_claimed_once(engine: Engine) -> None:
    with Session(engine) as first, Session(engine) as second:
        run = jobruns.claim_run(first, "fetch-odds", "schedule", NOW, slot=SLOT)
        assert run is not None and run.id is not None
        assert jobruns.claim_run(second, "fetch-odds", "schedule", NOW, slot=SLOT) is None
        # The losing session is still usable.
        other = jobruns.claim_run(second, "process-results", "schedule", NOW, slot=SLOT)
        assert other is not None
        # Another slot, or a manual run without a slot, is a new run.
        assert jobruns.claim_run(
            second, "fetch-odds", "schedule", NOW, slot=SLOT + timedelta(days=1)
        )
        assert jobruns.claim_run(second, "fetch-odds", "manual", NOW)
        assert jobruns.claim_run(second, "fetch-odds", "manual", NOW)


def test_finish_run_and_queries(session: Session) -> None:
    first = jobruns.claim_run(session, "fetch-odds", "schedule", NOW, slot=SLOT)
    assert first is not None
    jobruns.finish_run(session, first, "ok", NOW + timedelta(seconds=5), detail="3 new game(s)")
    failed = jobruns.claim_run(session, "fetch-odds", "manual", NOW + timedelta(hours=1))
    assert failed is not None
    jobruns.finish_run(session, failed, "failed", NOW + timedelta(hours=1), error="boom")
    results = jobruns.claim_run(session, "process-results", "schedule", NOW + timedelta(hours=2))
    assert results is not None
    last = jobruns.last_success(session, "fetch-odds")
    assert last is not None and (last.id, last.detail, last.finished_at) == (
        first.id,
        "3 new game(s)",
        NOW + timedelta(seconds=5),
    )
    assert jobruns.last_success(session, "grade") is None
    assert [r.id for r in jobruns.recent_runs(session, job="fetch-odds")] == [failed.id, first.id]
    latest = jobruns.latest_per_job(session)
    assert {job: run.outcome for job, run in latest.items()} == {
        "fetch-odds": "failed",
        "process-results": "running",
    }


def test_a_lease_is_exclusive_until_released_or_expired(engine: Engine) -> None:
    with Session(engine) as a, Session(engine) as b:
        assert jobruns.acquire_lease(a, "fetch-odds", "worker-a", NOW)
        assert not jobruns.acquire_lease(b, "fetch-odds", "worker-b", NOW + timedelta(minutes=1))
        assert jobruns.acquire_lease(b, "grade", "worker-b", NOW)  # another job is independent
        # The holder may renew its own lease.
        assert jobruns.acquire_lease(a, "fetch-odds", "worker-a", NOW + timedelta(minutes=20))
        assert not jobruns.acquire_lease(b, "fetch-odds", "worker-b", NOW + timedelta(minutes=45))
        # Releasing by someone else does nothing; by the holder frees it.
        jobruns.release_lease(b, "fetch-odds", "worker-b")
        assert not jobruns.acquire_lease(b, "fetch-odds", "worker-b", NOW + timedelta(minutes=46))
        jobruns.release_lease(a, "fetch-odds", "worker-a")
        assert jobruns.acquire_lease(b, "fetch-odds", "worker-b", NOW + timedelta(minutes=47))


def test_an_expired_lease_can_be_taken(engine: Engine) -> None:
    with Session(engine) as a, Session(engine) as b:
        assert jobruns.acquire_lease(a, "fetch-odds", "crashed", NOW)
        expiry = NOW + jobruns.LEASE
        assert not jobruns.acquire_lease(b, "fetch-odds", "worker-b", expiry)  # not yet past it
        assert jobruns.acquire_lease(b, "fetch-odds", "worker-b", expiry + timedelta(seconds=1))
        lock = b.get(JobLock, "fetch-odds")
        assert lock is not None and lock.holder == "worker-b"
        assert lock.expires_at == expiry + timedelta(seconds=1) + jobruns.LEASE
        # The crashed holder coming back does not get it back, nor can it release it.
        jobruns.release_lease(a, "fetch-odds", "crashed")
        assert not jobruns.acquire_lease(a, "fetch-odds", "crashed", expiry + timedelta(minutes=1))
