"""The credit rules in the jobs: no paid call on a day with nothing to fetch, one 3-credit odds
call on a day with games, the free look-up ledgered at 0, and refusals that say why.

A hand-made week on the fake provider (real HTTP), driven by the real cron slots, on both
databases. Mar 1 2027 has 4 games, Mar 2-5 none, Mar 6 six (days after it: 3 to 12 each).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs import cli
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.jobs import daily, scheduler
from pickvs.jobs.manual import run_now
from pickvs.models import ApiCall, Game, JobRun
from pickvs.services import ledger
from tests.fake_provider import FakeOddsApi, MonthSchedule, error_body

FIRST = date(2027, 3, 1)
WEEK = MonthSchedule(
    FIRST,
    6,
    seed=1,
    sizes={FIRST + timedelta(n): size for n, size in enumerate((4, 0, 0, 0, 0, 6))},
)
ET = settings.tz


def league(day: int, hour: int) -> datetime:
    """`hour`:00 New York time on March `day`, 2027, in UTC."""
    return datetime.combine(date(2027, 3, day), time(hour), tzinfo=ET).astimezone(UTC)


@pytest.fixture
def week(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeOddsApi, FixedClock]]:
    clock = FixedClock(league(1, 5))
    with FakeOddsApi(clock=clock, schedule=WEEK) as fake:
        monkeypatch.setattr(settings, "odds_api_key", "test-key-123")
        monkeypatch.setattr(settings, "odds_api_base_url", fake.base_url)
        monkeypatch.setattr(settings, "http_timeout_seconds", 2.0)
        monkeypatch.setattr(settings, "monthly_credits", 500)
        yield fake, clock


def rows(engine: Engine) -> list[ApiCall]:
    with Session(engine) as session:
        return list(session.execute(select(ApiCall).order_by(ApiCall.id)).scalars())


def used(engine: Engine, now: datetime) -> int:
    with Session(engine) as session:
        return ledger.credits_used(session, now)


def scheduled(name: str, clock: FixedClock) -> JobRun:
    run = scheduler.run_scheduled(name, clock)
    assert run is not None
    return run


def test_off_day_makes_no_paid_call_and_the_ledger_shows_the_free_look_up(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock]
) -> None:
    fake, clock = week
    clock.set(league(2, 5))  # Mar 2: no game on the 2nd, 3rd or 4th
    run = scheduled(daily.FETCH_ODDS, clock)
    assert run.outcome == "ok"
    assert run.detail == (
        "basketball_nba: 0 game(s) to tip on today's or the next 2 slate days (free look-up), "
        "no odds call made"
    )
    assert fake.calls("odds") == []
    ((_path, query),) = fake.calls("events")
    # 05:00 EST is 10:00 UTC; Mar 5 begins in New York at 05:00 UTC.
    assert (query["commenceTimeFrom"], query["commenceTimeTo"]) == (
        "2027-03-02T10:00:00Z",
        "2027-03-05T05:00:00Z",
    )
    ((call),) = rows(engine)
    assert (call.endpoint, call.outcome, call.estimated_cost, call.credits_last) == (
        "/v4/sports/basketball_nba/events",
        "ok",
        0,
        0,
    )
    assert call.job_run_id == run.id
    assert used(engine, clock.now()) == 0 == fake.credits_used


def test_game_day_makes_one_odds_call_costing_3(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock]
) -> None:
    fake, clock = week
    run = scheduled(daily.FETCH_ODDS, clock)  # Mar 1, 05:00: four games tonight
    assert run.outcome == "ok", run.error
    assert "4 game(s) to tip" in (run.detail or "") and "4 new game(s)" in (run.detail or "")
    assert len(fake.calls("odds")) == 1
    look_up, call = rows(engine)
    assert look_up.endpoint.endswith("/events") and look_up.credits_last == 0
    assert (call.endpoint, call.estimated_cost, call.credits_last, call.credits_used) == (
        "/v4/sports/basketball_nba/odds",
        3,
        3,
        3,
    )
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Game)).scalar_one() == 4
    assert used(engine, clock.now()) == 3 == fake.credits_used


def test_a_week_day_by_day_spends_only_where_there_is_something_to_fetch(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock]
) -> None:
    fake, clock = week
    paid = []
    for day in range(1, 7):
        before = (len(fake.calls("odds")), len(fake.calls("scores")))
        clock.set(league(day, 5))
        assert scheduled(daily.FETCH_ODDS, clock).outcome == "ok"
        clock.set(league(day, 9))
        assert scheduled(daily.PROCESS_RESULTS, clock).outcome == "ok"
        paid.append((len(fake.calls("odds")) - before[0], len(fake.calls("scores")) - before[1]))
    # (odds, scores) per day: Mar 1 games tonight; Mar 2 settles them; Mar 3 nothing within
    # three slate days; Mar 4-6 see the 6th's games ahead; no scores after the 2nd.
    assert paid == [(1, 0), (0, 1), (0, 0), (1, 0), (1, 0), (1, 0)]
    assert len(fake.calls("events")) == 6
    assert used(engine, clock.now()) == 4 * 3 + 2 == fake.credits_used
    with Session(engine) as session:
        statuses = session.execute(select(Game.status, func.count()).group_by(Game.status)).all()
    assert dict(statuses)["final"] == 4


def test_a_failed_look_up_falls_back_to_the_odds_call(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock]
) -> None:
    fake, clock = week
    clock.set(league(2, 5))
    for _ in range(3):
        fake.enqueue(503, {"message": "Service unavailable"}, call="events")
    run = scheduled(daily.FETCH_ODDS, clock)
    assert run.outcome == "ok"
    assert "schedule look-up failed (Service unavailable (HTTP 503))" in (run.detail or "")
    assert [(c.endpoint.rsplit("/", 1)[1], c.status_code) for c in rows(engine)] == [
        ("events", 503),
        ("events", 503),
        ("events", 503),
        ("odds", 200),
    ]
    # The window has no game, so the provider's answer is an empty list: it costs nothing.
    assert rows(engine)[-1].credits_last == 0 and fake.credits_used == 0


def test_an_unreadable_event_in_the_look_up_means_the_odds_call_is_made(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock]
) -> None:
    fake, clock = week
    clock.set(league(2, 5))
    fake.set_events([{"id": "e912304de2b2ce35b473ce2ecd3d1502", "commence_time": "tonight"}])
    run = scheduled(daily.FETCH_ODDS, clock)
    assert run.outcome == "ok" and "1 unreadable" in (run.detail or "")
    assert len(fake.calls("odds")) == 1


def test_budget_refusal_is_ledgered_and_the_run_says_why(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, clock = week
    monkeypatch.setattr(settings, "monthly_credits", 2)
    run = scheduled(daily.FETCH_ODDS, clock)
    reason = "call would cost 3 credit(s) with 0 of 2 used this month"
    assert (run.outcome, run.error, run.detail) == (
        "refused",
        f"/v4/sports/basketball_nba/odds refused: {reason}",
        "basketball_nba: call refused",
    )
    assert fake.calls("odds") == [] and len(fake.calls("events")) == 1
    refusal = rows(engine)[-1]
    assert (refusal.outcome, refusal.message, refusal.estimated_cost, refusal.status_code) == (
        "refused",
        reason,
        3,
        None,
    )
    assert used(engine, clock.now()) == 0


def test_no_refusal_on_a_day_with_nothing_to_fetch(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake, clock = week
    monkeypatch.setattr(settings, "monthly_credits", 0)
    clock.set(league(3, 5))
    run = scheduled(daily.FETCH_ODDS, clock)
    assert run.outcome == "ok" and "no odds call made" in (run.detail or "")
    assert [c.outcome for c in rows(engine)] == ["ok"]  # the free look-up, nothing refused


def test_a_refused_scores_call_still_grades(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, clock = week
    assert scheduled(daily.FETCH_ODDS, clock).outcome == "ok"  # 3 credits
    monkeypatch.setattr(settings, "monthly_credits", 4)
    clock.set(league(2, 9))
    run = scheduled(daily.PROCESS_RESULTS, clock)
    assert run.outcome == "refused"
    assert run.error == (
        "/v4/sports/basketball_nba/scores refused: "
        "call would cost 2 credit(s) with 3 of 4 used this month"
    )
    assert run.detail == (
        "basketball_nba: call refused; 0 pick(s) graded, totals recomputed for 0 player(s)"
    )
    assert fake.calls("scores") == []
    with Session(engine) as session:
        assert session.execute(select(func.count()).where(Game.status == "final")).scalar_one() == 0


def test_out_of_credits_lifts_the_same_day_once_the_provider_reports_credits_left(
    engine: Engine, week: tuple[FakeOddsApi, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quota runs out at the morning fetch; the owner upgrades the plan that afternoon and
    retries as `pickvs quota` says: the free look-up reads the new count and the paid call goes
    through at once, not next month."""
    fake, clock = week
    monkeypatch.setattr(cli, "clock", clock)
    fake.credits_used = 497  # 3 left by the provider's count: the odds call is allowed...
    fake.enqueue(  # ...but the provider answers that the quota is spent
        401,
        error_body("OUT_OF_USAGE_CREDITS", "Usage quota has been reached"),
        headers={"x-requests-remaining": "0"},
        call="odds",
    )
    assert scheduled(daily.FETCH_ODDS, clock).outcome == "failed"
    fake.credits_used = fake.monthly_credits  # from now on it reports 0 left

    clock.set(league(1, 12))  # noon: still out, so no paid call is made
    held = run_now(daily.FETCH_ODDS, clock, trigger="cli")
    assert held.outcome == "refused" and "OUT_OF_USAGE_CREDITS" in (held.error or "")
    assert len(fake.calls("odds")) == 1
    quota = CliRunner().invoke(cli.main, ["quota"])
    assert quota.exit_code == 0, quota.output
    assert (
        "blocked:    the provider answered OUT_OF_USAGE_CREDITS at Mon Mar 1, 5:00 AM EST"
        in quota.output
    )
    assert "retry now:  after adding credits, run `pickvs fetch-odds`" in quota.output
    assert "provider:   0 credit(s) left, by the provider's last reply" in quota.output

    clock.set(league(1, 14))  # 2 pm: the owner has upgraded to 20,000 credits a month
    fake.monthly_credits = 20_000
    retried = CliRunner().invoke(cli.main, ["fetch-odds"])
    assert retried.exit_code == 0, retried.output
    assert "fetch-odds ok" in retried.output and "4 new game(s)" in retried.output
    assert len(fake.calls("odds")) == 2
    with Session(engine) as session:
        assert not ledger.quota_exhausted(session, clock.now())
    quota = CliRunner().invoke(cli.main, ["quota"])
    assert "blocked:" not in quota.output
    assert "provider:   19497 credit(s) left, by the provider's last reply" in quota.output

    clock.set(league(2, 9))  # the next morning's results are fetched as usual
    assert scheduled(daily.PROCESS_RESULTS, clock).outcome == "ok"
    assert len(fake.calls("scores")) == 1
