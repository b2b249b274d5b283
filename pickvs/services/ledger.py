"""The credit ledger: every provider call and refusal, and the month's budget read from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlmodel import Session

from pickvs.domain import budget
from pickvs.models import ApiCall

QUOTA_EXHAUSTED_CODE = "OUT_OF_USAGE_CREDITS"
LIVE = "live"


@dataclass(frozen=True)
class QuotaSummary:
    budget: int
    used: int
    remaining: int
    provider_remaining: int | None
    exhausted: bool
    month_start: datetime
    last_calls: list[ApiCall]
    exhausted_at: datetime | None = None  # the OUT_OF_USAGE_CREDITS answer that still holds


def record_call(session: Session, call: ApiCall) -> ApiCall:
    session.add(call)
    session.flush()
    return call


def _live_this_month(now: datetime) -> ColumnElement[bool]:
    """Live calls of `now`'s calendar month (UTC), and of no later month."""
    return (
        (ApiCall.source == LIVE)
        & (ApiCall.at >= budget.month_start(now))
        & (ApiCall.at < budget.next_month_start(now))
    )


def credits_used(session: Session, now: datetime, before: datetime | None = None) -> int:
    """Credits spent this month: the provider's own `x-requests-last`, else our estimate.

    With `before`, only calls made before that moment (the planner's spend at the start of
    the slate day, which keeps the day's plan still while its own calls are paid for).
    """
    charged = case(
        (ApiCall.credits_last.is_not(None), ApiCall.credits_last),
        (ApiCall.outcome == "ok", ApiCall.estimated_cost),
        else_=0,
    )
    stmt = select(func.coalesce(func.sum(charged), 0)).where(_live_this_month(now))
    if before is not None:
        stmt = stmt.where(ApiCall.at < before)
    return int(session.execute(stmt).scalar_one())


def provider_remaining(session: Session, now: datetime) -> int | None:
    stmt = (
        select(ApiCall.credits_remaining)
        .where(_live_this_month(now), ApiCall.credits_remaining.is_not(None))
        .order_by(ApiCall.at.desc(), ApiCall.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def exhausted_since(session: Session, now: datetime) -> datetime | None:
    """When the provider answered OUT_OF_USAGE_CREDITS this month, if no later answer of its
    has reported credits left; else None (calls may go ahead).

    The block lifts on the provider's own word: an owner who adds credits the same afternoon
    is unblocked by the next call whose `x-requests-remaining` is above 0, the free schedule
    look-up included, instead of waiting for the month to turn.
    """
    hit = _latest_call(session, now, ApiCall.error_code == QUOTA_EXHAUSTED_CODE)
    if hit is None:
        return None
    recovered = _latest_call(session, now, ApiCall.credits_remaining > 0)
    if recovered is not None and _order(recovered) > _order(hit):
        return None
    return hit.at


def quota_exhausted(session: Session, now: datetime) -> bool:
    return exhausted_since(session, now) is not None


def _latest_call(session: Session, now: datetime, condition: ColumnElement[bool]) -> ApiCall | None:
    stmt = (
        select(ApiCall)
        .where(_live_this_month(now), condition)
        .order_by(ApiCall.at.desc(), ApiCall.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalars().first()


def _order(call: ApiCall) -> tuple[datetime, int]:
    """Calls in the order they were made: by time, then by id for calls in the same instant."""
    return call.at, call.id or 0


def refusal_reason(session: Session, cost: int, now: datetime, monthly_budget: int) -> str | None:
    """Why a call costing `cost` must not be made now, or None."""
    return budget.refusal_reason(
        cost,
        credits_used(session, now),
        monthly_budget,
        provider_remaining(session, now),
        quota_exhausted(session, now),
    )


def summary(session: Session, now: datetime, monthly_budget: int, last: int = 10) -> QuotaSummary:
    used = credits_used(session, now)
    blocked_at = exhausted_since(session, now)
    calls = session.execute(
        select(ApiCall).order_by(ApiCall.at.desc(), ApiCall.id.desc()).limit(last)
    ).scalars()
    return QuotaSummary(
        budget=monthly_budget,
        used=used,
        remaining=max(0, monthly_budget - used),
        provider_remaining=provider_remaining(session, now),
        exhausted=blocked_at is not None,
        month_start=budget.month_start(now),
        last_calls=list(calls),
        exhausted_at=blocked_at,
    )
