"""The quota ledger: credits spent this month, refusals before a call, the provider's word."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from pickvs.models import ApiCall
from pickvs.services import ledger
from tests.services.builders import utc

NOW = utc("2026-11-22T12:00")
H = timedelta(hours=1)


def call(session: Session, at: datetime, **fields: object) -> ApiCall:
    values: dict[str, object] = {
        "source": "live",
        "endpoint": "/v4/sports/basketball_nba/odds",
        "outcome": "ok",
        "estimated_cost": 3,
    }
    values.update(fields)
    return ledger.record_call(session, ApiCall(at=at, **values))  # type: ignore[arg-type]


def test_credits_used_prefers_the_providers_x_requests_last(session: Session) -> None:
    assert ledger.credits_used(session, NOW) == 0
    call(session, utc("2026-11-02T10:00"), credits_last=3, estimated_cost=3)
    call(
        session, utc("2026-11-03T10:00"), credits_last=1, estimated_cost=2
    )  # charged less than feared
    call(
        session, utc("2026-11-04T10:00"), credits_last=None, estimated_cost=2
    )  # no header: estimate
    call(
        session, utc("2026-11-05T10:00"), outcome="error", status_code=500, credits_last=None
    )  # nothing known charged
    call(session, utc("2026-11-06T10:00"), outcome="error", status_code=422, credits_last=0)
    call(session, utc("2026-11-07T10:00"), outcome="refused", credits_last=None)
    call(session, utc("2026-11-08T10:00"), source="demo", credits_last=3)  # demo costs nothing
    call(session, utc("2026-10-31T23:59"), credits_last=3)  # last month
    call(session, utc("2026-12-01T00:00"), credits_last=3)  # next month
    # November: 3 + 1 + 2 = 6. Each month counts its own calls only.
    assert ledger.credits_used(session, NOW) == 6
    assert ledger.credits_used(session, utc("2026-11-30T23:59:59")) == 6
    assert ledger.credits_used(session, utc("2026-10-31T12:00")) == 3
    assert ledger.credits_used(session, utc("2026-12-15T00:00")) == 3


def test_refusal_at_the_budget(session: Session) -> None:
    call(session, utc("2026-11-02T10:00"), credits_last=3)
    call(session, utc("2026-11-03T10:00"), credits_last=5)
    assert ledger.refusal_reason(session, 2, NOW, monthly_budget=10) is None  # 8 + 2 = 10: allowed
    reason = ledger.refusal_reason(session, 3, NOW, monthly_budget=10)
    assert reason is not None and "8 of 10" in reason
    # A new month starts from zero.
    assert ledger.refusal_reason(session, 3, utc("2026-12-01T00:00"), monthly_budget=10) is None


def test_provider_remaining_is_the_latest_this_month(session: Session) -> None:
    assert ledger.provider_remaining(session, NOW) is None
    call(session, utc("2026-10-30T10:00"), credits_remaining=7)
    assert ledger.provider_remaining(session, NOW) is None  # last month's figure is stale
    call(session, utc("2026-11-02T10:00"), credits_remaining=497)
    call(session, utc("2026-11-04T10:00"), credits_remaining=2)
    call(session, utc("2026-11-05T10:00"), outcome="error", credits_remaining=None)
    assert ledger.provider_remaining(session, NOW) == 2
    # The provider says 2 left: a 3-credit call is refused even within our own budget.
    reason = ledger.refusal_reason(session, 3, NOW, monthly_budget=500)
    assert reason is not None and "2 left" in reason
    assert ledger.refusal_reason(session, 2, NOW, monthly_budget=500) is None


def test_out_of_usage_credits_blocks_the_rest_of_the_month_only(session: Session) -> None:
    call(
        session,
        utc("2026-11-10T10:00"),
        outcome="error",
        status_code=401,
        error_code="OUT_OF_USAGE_CREDITS",
        credits_last=None,
    )
    assert ledger.quota_exhausted(session, NOW)
    for now in (NOW, utc("2026-11-30T23:59")):
        reason = ledger.refusal_reason(session, 1, now, monthly_budget=500)
        assert reason is not None and "OUT_OF_USAGE_CREDITS" in reason
    december = utc("2026-12-01T00:00")
    assert not ledger.quota_exhausted(session, december)
    assert ledger.refusal_reason(session, 1, december, monthly_budget=500) is None
    # The demo source never exhausts anything.
    call(
        session,
        utc("2026-12-02T10:00"),
        source="demo",
        outcome="error",
        error_code="OUT_OF_USAGE_CREDITS",
    )
    assert not ledger.quota_exhausted(session, utc("2026-12-03T00:00"))


def test_a_later_reply_with_credits_left_lifts_the_block_the_same_day(session: Session) -> None:
    """The owner upgrades the plan the afternoon the quota ran out: the next reply showing
    credits left (the free schedule look-up) lifts the block; a reply with 0 or no count does
    not; a new OUT_OF_USAGE_CREDITS blocks again."""
    out = utc("2026-11-10T10:00")
    call(
        session,
        out,
        outcome="error",
        status_code=401,
        error_code="OUT_OF_USAGE_CREDITS",
        credits_remaining=0,
    )
    events = "/v4/sports/basketball_nba/events"
    call(session, out + H, endpoint=events, estimated_cost=0, credits_remaining=0)
    call(session, out + 2 * H, endpoint=events, estimated_cost=0, credits_remaining=None)
    assert ledger.exhausted_since(session, NOW) == out
    assert ledger.summary(session, NOW, 500).exhausted_at == out
    reason = ledger.refusal_reason(session, 3, NOW, monthly_budget=500)
    assert reason is not None and "OUT_OF_USAGE_CREDITS" in reason
    # 14:00: the plan is upgraded; the next look-up reads 19,997 left.
    call(session, out + 4 * H, endpoint=events, estimated_cost=0, credits_remaining=19997)
    assert not ledger.quota_exhausted(session, NOW)
    assert ledger.summary(session, NOW, 500).exhausted_at is None
    assert ledger.refusal_reason(session, 3, NOW, monthly_budget=500) is None
    # Run dry again: blocked again, by the newer answer.
    again = out + 30 * H
    call(session, again, outcome="error", status_code=401, error_code="OUT_OF_USAGE_CREDITS")
    assert ledger.exhausted_since(session, NOW) == again


def test_calls_in_the_same_instant_are_taken_in_the_order_made(session: Session) -> None:
    """A frozen clock (or a fast job) writes several rows at one `at`: the id decides."""
    call(session, NOW, credits_remaining=5)
    call(session, NOW, outcome="error", error_code="OUT_OF_USAGE_CREDITS")
    assert ledger.quota_exhausted(session, NOW)
    call(session, NOW, credits_remaining=5)
    assert not ledger.quota_exhausted(session, NOW)


def test_summary(session: Session) -> None:
    for day in range(1, 13):
        call(
            session,
            utc(f"2026-11-{day:02d}T10:00"),
            credits_last=3,
            credits_remaining=500 - 3 * day,
        )
    summary = ledger.summary(session, NOW, monthly_budget=30, last=5)
    assert (summary.budget, summary.used, summary.remaining) == (30, 36, 0)  # never negative
    assert summary.provider_remaining == 464
    assert summary.exhausted is False
    assert summary.month_start == utc("2026-11-01T00:00")
    assert [c.at.day for c in summary.last_calls] == [12, 11, 10, 9, 8]
