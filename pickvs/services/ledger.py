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


def credits_used(session: Session, now: datetime) -> int:
    """Credits spent this month: the provider's own `x-requests-last`, else our estimate."""
    charged = case(
        (ApiCall.credits_last.is_not(None), ApiCall.credits_last),
        (ApiCall.outcome == "ok", ApiCall.estimated_cost),
        else_=0,
    )
    stmt = select(func.coalesce(func.sum(charged), 0)).where(_live_this_month(now))
    return int(session.execute(stmt).scalar_one())


def provider_remaining(session: Session, now: datetime) -> int | None:
    stmt = (
        select(ApiCall.credits_remaining)
        .where(_live_this_month(now), ApiCall.credits_remaining.is_not(None))
        .order_by(ApiCall.at.desc(), ApiCall.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def quota_exhausted(session: Session, now: datetime) -> bool:
    stmt = select(ApiCall.id).where(
        _live_this_month(now), ApiCall.error_code == QUOTA_EXHAUSTED_CODE
    )
    return session.execute(stmt.limit(1)).first() is not None


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
    calls = session.execute(
        select(ApiCall).order_by(ApiCall.at.desc(), ApiCall.id.desc()).limit(last)
    ).scalars()
    return QuotaSummary(
        budget=monthly_budget,
        used=used,
        remaining=max(0, monthly_budget - used),
        provider_remaining=provider_remaining(session, now),
        exhausted=quota_exhausted(session, now),
        month_start=budget.month_start(now),
        last_calls=list(calls),
    )
