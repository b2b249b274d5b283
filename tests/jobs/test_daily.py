"""fetch-odds and process-results against a fake Odds API over real HTTP, on both databases.

After every fault the database is unchanged or consistent, and the ledger says what happened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.jobs import daily
from pickvs.jobs.runner import run_job
from pickvs.models import ApiCall, DataIssue, Game, JobRun, OddsLine, Pick
from pickvs.services.picks import PickPolicy
from tests.fake_provider import FakeOddsApi
from tests.jobs import payloads
from tests.services.builders import commit_picks

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TIP = datetime(2026, 11, 23, 0, 40, tzinfo=UTC)


def run(name: str, clock: FixedClock) -> JobRun:
    result = run_job(name, daily.JOBS[name], clock=clock, source="live", trigger="cli")
    assert result is not None
    return result


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def calls(engine: Engine, kind: str | None = "odds") -> list[ApiCall]:
    """Ledger rows of one call kind (`odds`, `scores`, `events`), or all of them with None."""
    with Session(engine) as session:
        rows = list(session.execute(select(ApiCall).order_by(ApiCall.id)).scalars())
    return [row for row in rows if kind is None or row.endpoint.endswith(f"/{kind}")]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def test_fetch_odds_stores_games_lines_and_ledger(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    result = run(daily.FETCH_ODDS, clock)
    assert result.outcome == "ok", result.error
    assert "2 new game(s)" in (result.detail or "")
    # 2 books x 3 markets x 2 sides + 1 book x 3 x 2 = 18 lines
    assert count(engine, Game) == 2 and count(engine, OddsLine) == 18
    # First the free schedule look-up, ledgered at 0 credits, then the paid call.
    look_up, call = calls(engine, None)
    assert (look_up.endpoint, look_up.outcome, look_up.credits_last, look_up.estimated_cost) == (
        "/v4/sports/basketball_nba/events",
        "ok",
        0,
        0,
    )
    assert (call.outcome, call.status_code, call.credits_last, call.estimated_cost) == (
        "ok",
        200,
        3,
        3,
    )
    assert call.credits_remaining is not None and call.endpoint == "/v4/sports/basketball_nba/odds"
    assert [path.rsplit("/", 1)[1] for path, _ in fake_api.requests] == ["events", "odds"]
    _path, query = fake_api.requests[1][:2]
    assert query["markets"] == "h2h,spreads,totals" and query["regions"] == "us"
    assert query["oddsFormat"] == "american" and query["apiKey"] == "test-key-123"
    # 12:00 UTC is 07:00 EST; the window ends as Nov 25 begins in New York (05:00 UTC).
    assert (query["commenceTimeFrom"], query["commenceTimeTo"]) == (
        "2026-11-22T12:00:00Z",
        "2026-11-25T05:00:00Z",
    )
    assert "test-key-123" not in (call.message or "") + call.endpoint
    # A second fetch appends history instead of overwriting.
    clock.advance(hours=1)
    assert run(daily.FETCH_ODDS, clock).outcome == "ok"
    assert count(engine, Game) == 2 and count(engine, OddsLine) == 36


def test_transient_errors_are_retried_and_all_attempts_ledgered(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    fake_api.enqueue(502, "<html>bad gateway</html>", raw=True, call="odds")
    fake_api.enqueue(
        429, {"message": "Too many requests", "error_code": "EXCEEDED_FREQ_LIMIT"}, call="odds"
    )
    assert run(daily.FETCH_ODDS, clock).outcome == "ok"
    assert [(c.attempt, c.outcome, c.status_code) for c in calls(engine)] == [
        (1, "error", 502),
        (2, "error", 429),
        (3, "ok", 200),
    ]
    assert count(engine, Game) == 2


@pytest.mark.parametrize(
    ("status", "body", "attempts"),
    [
        (503, {"message": "Service unavailable"}, 3),
        (401, {"message": "API key is not valid", "error_code": "INVALID_KEY"}, 1),
        (422, {"message": "Invalid markets", "error_code": "INVALID_MARKET"}, 1),
        (404, {"message": "Unknown sport", "error_code": "UNKNOWN_SPORT"}, 1),
    ],
)
def test_failures_write_nothing_and_say_why(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock, status: int, body: dict, attempts: int
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    for _ in range(3):
        fake_api.enqueue(status, body, call="odds")
    result = run(daily.FETCH_ODDS, clock)
    assert result.outcome == "failed"
    assert body["message"] in (result.error or "")
    assert count(engine, Game) == 0 and count(engine, OddsLine) == 0
    assert len(fake_api.calls("odds")) == attempts
    assert [c.status_code for c in calls(engine)] == [status] * attempts


def test_timeouts_are_retried_then_fail_cleanly(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    for _ in range(3):
        fake_api.enqueue(200, [], delay=1.5, call="odds")  # beyond the 0.5 s client timeout
    result = run(daily.FETCH_ODDS, clock)
    assert result.outcome == "failed"
    assert [c.error_code for c in calls(engine)] == ["TIMEOUT"] * 3
    assert count(engine, Game) == 0


@pytest.mark.parametrize(
    "raw", ['[{"id": "abc", "home_team": "Boston', "<html>oops</html>", '{"not": "a list"}']
)
def test_malformed_bodies_fail_without_partial_writes(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock, raw: str
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    fake_api.enqueue(200, raw, raw=True, call="odds")
    result = run(daily.FETCH_ODDS, clock)
    assert result.outcome == "failed"
    assert count(engine, Game) == 0 and count(engine, OddsLine) == 0
    assert len(calls(engine)) == 1


def test_bad_rows_are_skipped_and_recorded(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    payload = payloads.odds_payload(TIP, NOW)
    payload[0]["bookmakers"][1]["markets"][0]["outcomes"][0]["price"] = 50  # impossible price
    del payload[1]["bookmakers"][0]["markets"][1]["outcomes"][0]["point"]  # spread without point
    fake_api.set_odds(payload)
    result = run(daily.FETCH_ODDS, clock)
    assert result.outcome == "ok"
    assert count(engine, OddsLine) == 18 - 2 - 2
    with Session(engine) as session:
        issues = session.execute(select(DataIssue.bookmaker, DataIssue.market)).all()
    assert sorted(issues) == [("draftkings", "spreads"), ("fanduel", "h2h")]


def test_out_of_credits_stops_paid_calls_while_the_provider_reports_none_left(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    fake_api.enqueue(
        429,
        {"message": "Usage quota has been reached", "error_code": "OUT_OF_USAGE_CREDITS"},
        call="odds",
    )
    assert run(daily.FETCH_ODDS, clock).outcome == "failed"
    assert len(fake_api.calls("odds")) == 1
    fake_api.credits_used = fake_api.monthly_credits  # its free look-ups now report 0 left
    refused = run(daily.FETCH_ODDS, clock)
    assert refused.outcome == "refused" and "OUT_OF_USAGE_CREDITS" in (refused.error or "")
    assert len(fake_api.calls("odds")) == 1  # no paid call was made
    assert calls(engine)[-1].outcome == "refused"
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    fake_api.credits_used = 0  # the provider's new month
    fake_api.set_odds(payloads.odds_payload(datetime(2026, 12, 2, 0, 40, tzinfo=UTC), clock.now()))
    assert run(daily.FETCH_ODDS, clock).outcome == "ok"
    assert len(fake_api.calls("odds")) == 2


def test_budget_refuses_a_call_that_would_overrun(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "monthly_credits", 5)
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    assert run(daily.FETCH_ODDS, clock).outcome == "ok"  # 3 of 5
    refused = run(daily.FETCH_ODDS, clock)  # 3 more would make 6
    assert refused.outcome == "refused"
    assert "3 of 5 used" in (refused.error or "")
    assert len(fake_api.calls("odds")) == 1
    refusal = calls(engine)[-1]
    assert (refusal.outcome, refusal.estimated_cost, refusal.status_code) == ("refused", 3, None)


def test_results_skip_the_call_when_nothing_has_started(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    run(daily.FETCH_ODDS, clock)
    result = run(daily.PROCESS_RESULTS, clock)
    assert result.outcome == "ok" and "no call made" in (result.detail or "")
    assert fake_api.calls("scores") == []


def test_results_record_scores_and_grade(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    run(daily.FETCH_ODDS, clock)
    commit_picks(
        engine,
        clock.now(),
        (payloads.BOS_MIL, "h2h", "Boston Celtics"),
        (payloads.BOS_MIL, "totals", "Over"),
        (payloads.LAL_DEN, "spreads", "Los Angeles Lakers"),
        policy=PickPolicy(0, ["draftkings"]),
    )
    clock.set(TIP + timedelta(hours=8))
    # BOS 115-110 MIL: -180 wins 100/180; 225 < 227.5 Under, so Over loses.
    # LAL 100-103 DEN: Lakers +3 -> 103 vs 103 push.
    fake_api.set_scores(payloads.scores_payload(TIP, bos=115, mil=110, lal=100, den=103))
    result = run(daily.PROCESS_RESULTS, clock)
    assert result.outcome == "ok", result.error
    path, query = fake_api.requests[-1][:2]
    assert path == "/v4/sports/basketball_nba/scores" and query["daysFrom"] == "1"
    with Session(engine) as session:
        picks = {
            (p.market, p.status, round(p.result_units or 0, 4))
            for p in session.execute(select(Pick)).scalars()
        }
        games = {
            g.id: (g.home_score, g.away_score, g.status)
            for g in session.execute(select(Game)).scalars()
        }
    assert picks == {("h2h", "win", 0.5556), ("totals", "loss", -1.0), ("spreads", "push", 0.0)}
    assert games[payloads.BOS_MIL] == (115, 110, "final")
    assert games[payloads.LAL_DEN] == (100, 103, "final")
    assert calls(engine, "scores")[-1].credits_last == 2


def test_results_failure_keeps_games_unsettled(
    engine: Engine, fake_api: FakeOddsApi, clock: FixedClock
) -> None:
    fake_api.set_odds(payloads.odds_payload(TIP, NOW))
    run(daily.FETCH_ODDS, clock)
    clock.set(TIP + timedelta(hours=8))
    fake_api.enqueue(200, '[{"id": "x", "completed": tr', raw=True, call="scores")
    result = run(daily.PROCESS_RESULTS, clock)
    assert result.outcome == "failed"
    with Session(engine) as session:
        rows = set(session.execute(select(Game.status, Game.home_score, Game.settled_at)).all())
    assert rows == {("scheduled", None, None)}
