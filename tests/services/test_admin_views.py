"""Admin read models: job runs, the credit ledger, games to settle, recent games, data issues.
Every list is ordered, paged, and has a count equal to the unpaged list's length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from pickvs.models import ApiCall
from pickvs.odds.records import IssueRecord
from pickvs.services import admin, admin_views, jobruns, ledger
from tests.services.builders import (
    ingest_events,
    make_game,
    make_picks,
    make_user,
    reload,
    report_scores,
    score,
    utc,
)

NOW = utc("2026-11-22T12:00")
H = timedelta(hours=1)


def test_job_runs_newest_first_paged_and_counted(session: Session) -> None:
    runs = []
    for n, job in enumerate(["fetch-odds", "process-results", "fetch-odds", "grade"]):
        run = jobruns.claim_run(session, job, "schedule", NOW + n * H, slot=NOW + n * H)
        assert run is not None
        runs.append(run)
    jobruns.finish_run(session, runs[0], "ok", NOW + timedelta(minutes=1), detail="3 new game(s)")
    jobruns.finish_run(session, runs[1], "failed", NOW + H + timedelta(minutes=1), error="boom")
    # Two runs started at the same instant: the later id comes first.
    same = jobruns.claim_run(session, "grade", "manual", NOW + 3 * H)
    assert same is not None
    everything = admin_views.recent_job_runs(session, limit=50)
    assert [r.id for r in everything] == [same.id, runs[3].id, runs[2].id, runs[1].id, runs[0].id]
    assert admin_views.count_job_runs(session) == len(everything) == 5
    page = admin_views.recent_job_runs(session, limit=2, offset=2)
    assert [(r.job, r.outcome) for r in page] == [
        ("fetch-odds", "running"),
        ("process-results", "failed"),
    ]
    assert (page[1].error, page[1].finished_at) == ("boom", NOW + H + timedelta(minutes=1))
    fetches = admin_views.recent_job_runs(session, job="fetch-odds")
    assert [r.id for r in fetches] == [runs[2].id, runs[0].id]
    assert fetches[1].detail == "3 new game(s)"
    assert admin_views.count_job_runs(session, job="fetch-odds") == 2
    # The order is the one jobruns.recent_runs uses.
    assert [r.id for r in jobruns.recent_runs(session, 50)] == [r.id for r in everything]


def test_api_calls_paged_beside_the_summary(session: Session) -> None:
    for n in range(5):
        ledger.record_call(
            session,
            ApiCall(
                at=NOW - n * H,
                source="live",
                endpoint=f"/v4/call{n}",
                outcome="ok",
                estimated_cost=1,
                credits_last=1,
            ),
        )
    calls = admin_views.api_calls(session, limit=50)
    assert [c.endpoint for c in calls] == [f"/v4/call{n}" for n in range(5)]
    assert admin_views.count_api_calls(session) == len(calls) == 5
    assert [c.endpoint for c in admin_views.api_calls(session, limit=2, offset=3)] == [
        "/v4/call3",
        "/v4/call4",
    ]
    assert admin_views.api_calls(session, limit=2, offset=5) == []
    summary = ledger.summary(session, NOW, monthly_budget=500)
    assert (summary.used, summary.remaining) == (5, 495)  # 5 calls x 1 credit


def test_games_to_settle_and_recent_games(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started and unsettled, oldest first: `lagging` (tipped, still scheduled) and `playing`
    (in progress). Not `final`, `voided`, `called` (postponed by the feed) or `tonight`."""
    tips = {
        "final": NOW - 30 * H,
        "lagging": NOW - 20 * H,
        "voided": NOW - 15 * H,
        "playing": NOW - 2 * H,
        "tonight": NOW + 8 * H,
        "tomorrow": NOW + 30 * H,
        "called": NOW - 50 * H,
        "old": NOW - 10 * 24 * H,  # outside recent_games' 3 days, still to settle
    }
    games = {g: make_game(session, g, tip, fetched_at=NOW - 12 * 24 * H) for g, tip in tips.items()}
    alice, bob = make_user(session, "alice", NOW), make_user(session, "bob", NOW)
    for game_id in ("final", "lagging", "voided", "tonight"):
        make_picks(session, alice, tips[game_id] - H, (game_id, "h2h", "Boston Celtics"))
    make_picks(session, bob, tips["lagging"] - H, ("lagging", "totals", "Over"))
    admin.settle(session, "final", 110, 100, by="ref", now=NOW)
    admin.void(session, "voided", by="ref", now=NOW)
    # The scores reply shows `playing` under way and `lagging` without a score; `called` is
    # missing from it 50 h after tip-off, so it is postponed; `old` is outside its 3 days.
    report_scores(
        session,
        NOW,
        score(games["playing"], 50, 48, completed=False),
        score(games["lagging"], None, None, completed=False),
        days_from=3,
    )
    reload(session)
    statuses = {g: games[g].status for g in tips}
    assert (statuses["lagging"], statuses["playing"], statuses["called"], statuses["old"]) == (
        "scheduled",
        "in_progress",
        "postponed",
        "scheduled",
    )

    rows = admin_views.games_to_settle(session, NOW, limit=50)
    assert [(r.game.id, r.picks, r.pending) for r in rows] == [
        ("old", 0, 0),
        ("lagging", 2, 2),  # alice's moneyline and bob's total
        ("playing", 0, 0),
    ]
    assert admin_views.count_games_to_settle(session, NOW) == len(rows) == 3
    assert [r.game.id for r in admin_views.games_to_settle(session, NOW, limit=1, offset=1)] == [
        "lagging"
    ]
    # Recent games in the order an admin works: waiting for a result (oldest first), the
    # other started games (latest first), then the games to come (soonest first).
    recent = admin_views.recent_games(session, NOW, days=3)
    assert [(r.game.id, r.picks, r.pending) for r in recent] == [
        ("lagging", 2, 2),
        ("playing", 0, 0),
        ("voided", 1, 0),
        ("final", 1, 0),
        ("called", 0, 0),
        ("tonight", 1, 1),
        ("tomorrow", 0, 0),
    ]
    assert [r.game.id for r in admin_views.recent_games(session, NOW, limit=2, offset=2)] == [
        "voided",
        "final",
    ]
    # Once settled it leaves the list, and moves among the started games.
    admin.settle(session, "lagging", 100, 101, by="ref", now=NOW)
    assert [r.game.id for r in admin_views.games_to_settle(session, NOW)] == ["old", "playing"]

    recent = admin_views.recent_games(session, NOW, days=3)
    assert [(r.game.id, r.picks, r.pending) for r in recent] == [
        ("playing", 0, 0),
        ("voided", 1, 0),
        ("lagging", 2, 0),
        ("final", 1, 0),
        ("called", 0, 0),
        ("tonight", 1, 1),
        ("tomorrow", 0, 0),
    ]
    assert admin_views.count_recent_games(session, NOW, days=3) == len(recent)
    assert [r.game.id for r in admin_views.recent_games(session, NOW, days=1)] == [
        "playing",
        "voided",
        "lagging",
        "tonight",
    ]
    # The command line's listing: every page, in the same order (pages of 2 here).
    monkeypatch.setattr(admin_views, "MAX_PAGE", 2)
    assert [r.game.id for r in admin_views.all_games(session, NOW)] == [r.game.id for r in recent]
    assert [r.game.id for r in admin_views.all_games(session, NOW, waiting=True)] == [
        "old",
        "playing",
    ]


def test_data_issues_newest_first(session: Session) -> None:
    for n in range(3):
        ingest_events(
            session,
            NOW + n * H,
            issues=(IssueRecord(f"reason {n}", game_id=f"g{n}", bookmaker="fanduel"),),
        )
    issues = admin_views.recent_data_issues(session, limit=50)
    assert [(i.reason, i.game_id, i.bookmaker) for i in issues] == [
        ("reason 2", "g2", "fanduel"),
        ("reason 1", "g1", "fanduel"),
        ("reason 0", "g0", "fanduel"),
    ]
    assert admin_views.count_data_issues(session) == len(issues) == 3
    assert [i.reason for i in admin_views.recent_data_issues(session, limit=1, offset=2)] == [
        "reason 0"
    ]
