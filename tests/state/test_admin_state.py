"""The admin page's state: every handler refuses anyone but an admin (checked afresh each time),
and for an admin it settles, voids, runs jobs and reads the ledger through the services."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import ApiCall, Game, JobRun, Pick, User
from pickvs.services import admin, auth, jobruns
from pickvs.services.users import get_by_username
from pickvs.state.admin import AdminState
from tests.services.builders import make_game, make_picks, make_user, utc
from tests.state.conftest import events_named, redirect_target, run

MakeState = Callable[..., Any]
TIP = utc("2026-11-22T00:10")  # started: the clock reads 12:00 UTC that day
LATER = utc("2026-11-23T00:10")  # tomorrow's game, not started
NOW = utc("2026-11-22T12:00")
SPREAD_WIN = 100 / 110  # Celtics -4.5 at -110, won 110-102


@pytest.fixture
def league(engine: Engine) -> None:
    """An admin "boss", a player "bob" with two picks on the started game g1, and g2 tomorrow."""
    signed_up = TIP - timedelta(days=1)
    with db.session_scope() as session:
        make_user(session, "boss", signed_up)
        admin.make_admin(session, "boss")
        bob = make_user(session, "bob", signed_up)
        make_game(session, "g1", TIP)
        make_game(session, "g2", LATER, fetched_at=TIP - timedelta(days=1))
        make_picks(
            session,
            bob,
            TIP - timedelta(hours=2),
            ("g1", "h2h", "Milwaukee Bucks"),  # +150, loses 110-102: -1
            ("g1", "spreads", "Boston Celtics"),  # -4.5 at -110, covers 110-102: +100/110
        )


def as_player(make_state: MakeState, username: str | None) -> AdminState:
    """The admin page's state in a tab logged in as `username` (None: a visitor)."""
    state = make_state(AdminState, url="/admin")
    if username is not None:
        with db.session_scope() as session:
            user = get_by_username(session, username)
            assert user is not None
            state.token = auth.create_token(session, user, NOW)
    return state


def drain(events: AsyncIterator[Any]) -> list[Any]:
    """Run an async generator handler (`run_job`) to the end; what it yielded."""

    async def collect() -> list[Any]:
        return [event async for event in events]

    return asyncio.run(collect())


def focused_by_id(result: Any) -> list[str]:
    """The inputs a result focuses by element id (the settle form's, drawn once per row)."""
    scripts = [args["javascript_code"] for args in events_named(result, "call_script")]
    return [
        match for s in scripts for match in re.findall(r"getElementById\('(\w+)'\)\?\.focus", s)
    ]


def game(game_id: str) -> Game:
    with db.session_scope() as session:
        found = session.get(Game, game_id)
        assert found is not None
        return found


def picks_of(username: str) -> dict[str, tuple[str, float | None]]:
    with db.session_scope() as session:
        user = get_by_username(session, username)
        rows = session.execute(select(Pick).where(Pick.user_id == user.id)).scalars()  # type: ignore[union-attr]
        return {pick.market: (pick.status, pick.result_units) for pick in rows}


def job_runs() -> int:
    with db.session_scope() as session:
        return int(session.execute(select(func.count(JobRun.id))).scalar_one())


def all_handlers(state: AdminState) -> dict[str, Callable[[], Any]]:
    return {
        "load": lambda: run(state.load()),
        "turn": lambda: run(state.turn("runs", True)),
        "open_settle": lambda: run(state.open_settle("settle:g1", True)),
        "settle": lambda: run(state.settle({"home_score": "110", "away_score": "102"})),
        "void": lambda: run(state.void("g1")),
        "run_job": lambda: drain(state.run_job("grade")),
    }


def assert_nothing_changed() -> None:
    g1 = game("g1")
    assert (g1.status, g1.settled_at, g1.home_score) == ("scheduled", None, None)
    assert picks_of("bob") == {"h2h": ("pending", None), "spreads": ("pending", None)}
    assert job_runs() == 0


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("handler", ["load", "turn", "open_settle", "settle", "void", "run_job"])
def test_a_player_who_is_not_an_admin_is_refused_and_nothing_changes(
    make_state: MakeState, league: None, handler: str
) -> None:
    state = as_player(make_state, "bob")
    state.settle_key = "settle:g1"  # as if the form were open: settle still refuses

    events = all_handlers(state)[handler]()

    assert redirect_target(events) == "/404"
    assert_nothing_changed()
    assert state.rows["runs"] == state.rows["settle"] == [] and state.credits == {}
    assert state.token  # still logged in: only this page is refused


@pytest.mark.parametrize("handler", ["load", "turn", "open_settle", "settle", "void", "run_job"])
def test_a_visitor_is_sent_to_log_in(make_state: MakeState, league: None, handler: str) -> None:
    state = as_player(make_state, None)
    state.settle_key = "settle:g1"

    events = all_handlers(state)[handler]()

    assert redirect_target(events) == "/login?next=/admin"
    assert_nothing_changed()


def test_an_admin_demoted_after_loading_is_refused_next_time_and_the_page_is_wiped(
    make_state: MakeState, league: None
) -> None:
    state = as_player(make_state, "boss")
    run(state.load())
    assert [row["id"] for row in state.rows["settle"]] == ["g1"]
    with db.session_scope() as session:
        boss = get_by_username(session, "boss")
        assert boss is not None
        boss.is_admin = False
    state.settle_key = "settle:g1"

    events = run(state.settle({"home_score": "110", "away_score": "102"}))

    assert redirect_target(events) == "/404"
    assert_nothing_changed()
    assert state.rows["settle"] == [] and state.settle_key == ""


# --- an admin ------------------------------------------------------------------------------


def test_load_shows_the_games_to_settle_and_recent_games_with_pick_counts(
    make_state: MakeState, league: None
) -> None:
    state = as_player(make_state, "boss")

    assert run(state.load()) is None

    [g1] = state.rows["settle"]
    assert g1["matchup"] == "Milwaukee Bucks @ Boston Celtics"  # the one name, away @ home
    assert g1["id"] == "g1"  # the provider's id, which `pickvs settle` takes
    assert (g1["picks"], g1["status"], g1["score"]) == ("2 (2 pending)", "scheduled", "")
    assert g1["tip"] == "Nov 21, 7:10 PM"  # league time, America/New_York
    # Waiting for a result before the game to come, and only the actions that apply.
    assert [(row["id"], row["settle"], row["void"]) for row in state.rows["games"]] == [
        ("g1", "yes", "yes"),
        ("g2", "", "yes"),  # tomorrow's game cannot be settled
    ]
    assert state.pages["settle"] == "1\N{EN DASH}1 of 1"
    assert state.rows["runs"] == [] and state.pages["runs"] == ""


def test_settling_regrades_the_picks_and_says_so(make_state: MakeState, league: None) -> None:
    state = as_player(make_state, "boss")
    run(state.load())
    run(state.open_settle("settle:g1", True))
    assert state.settle_key == "settle:g1"

    events = run(state.settle({"home_score": "110", "away_score": " 102 "}))

    assert events is None and state.error_message == ""
    assert state.notice == "Settled Milwaukee Bucks @ Boston Celtics 102-110: 2 picks graded"
    assert state.settle_key == ""  # the form closes
    g1 = game("g1")
    assert (g1.status, g1.home_score, g1.away_score, g1.settled_by) == (
        "final",
        110,
        102,
        "admin:boss",
    )
    graded = picks_of("bob")
    assert graded["h2h"] == ("loss", -1.0)
    assert graded["spreads"][0] == "win"
    assert graded["spreads"][1] == pytest.approx(SPREAD_WIN)
    with db.session_scope() as session:
        bob = get_by_username(session, "bob")
        assert bob is not None
        assert (bob.wins, bob.losses, bob.total_wagered) == (1, 1, 2.0)
        assert bob.total_units == pytest.approx(SPREAD_WIN - 1)
    assert state.rows["settle"] == []  # nothing left to settle
    final = state.rows["games"][0]
    assert (final["id"], final["score"], final["by"]) == ("g1", "102-110", "boss")
    assert (final["settle"], final["void"]) == ("", "yes")  # final: no Settle any more


def test_voiding_refunds_every_pick(make_state: MakeState, league: None) -> None:
    state = as_player(make_state, "boss")
    run(state.load())

    assert run(state.void("g1")) is None

    assert state.notice == "Voided Milwaukee Bucks @ Boston Celtics: 2 picks refunded"
    assert [(row["id"], row["settle"], row["void"]) for row in state.rows["games"]] == [
        ("g1", "yes", ""),  # void already; it can still be settled if it was played
        ("g2", "", "yes"),
    ]
    assert not state.notice_failed
    assert (game("g1").status, game("g1").settled_by) == ("cancelled", "admin:boss")
    assert picks_of("bob") == {"h2h": ("void", 0.0), "spreads": ("void", 0.0)}
    with db.session_scope() as session:
        bob = get_by_username(session, "bob")
        assert bob is not None
        assert (bob.total_units, bob.total_wagered, bob.roi) == (0.0, 0.0, None)


def test_voiding_an_unknown_game_says_so(make_state: MakeState, league: None) -> None:
    state = as_player(make_state, "boss")

    run(state.void("nope"))

    assert (state.notice, state.notice_failed) == ("No game with id 'nope'.", True)


@pytest.mark.parametrize(
    ("game_id", "home", "away", "field", "message"),
    [
        ("g1", "-3", "102", "home_score", "The home score must be a whole number from 0 to 400."),
        ("g1", "110", "1.5", "away_score", "The away score must be a whole number from 0 to 400."),
        ("g1", "110", "", "away_score", "The away score must be a whole number from 0 to 400."),
        ("g2", "110", "102", "away_score", "This game has not started yet; void it instead"),
        ("g1", "117", "117", "away_score", "NBA games cannot end tied (117-117); enter the"),
    ],
)
def test_a_bad_score_is_shown_beside_its_field_and_changes_nothing(
    make_state: MakeState,
    league: None,
    game_id: str,
    home: str,
    away: str,
    field: str,
    message: str,
) -> None:
    state = as_player(make_state, "boss")
    run(state.load())
    run(state.open_settle(f"games:{game_id}", True))

    events = run(state.settle({"home_score": home, "away_score": away}))

    assert state.error_field == field
    assert state.error_message.startswith(message)
    assert focused_by_id(events) == [field]
    assert state.settle_key == f"games:{game_id}"  # the form stays open
    assert_nothing_changed()
    assert (game("g2").status, game("g2").settled_at) == ("scheduled", None)


def test_run_grade_now_records_a_manual_run_and_shows_it(
    make_state: MakeState, league: None, clock: FixedClock
) -> None:
    state = as_player(make_state, "boss")
    run(state.load())

    events = drain(state.run_job("grade"))

    assert redirect_target(events) is None
    assert state.running == ""
    with db.session_scope() as session:
        [job] = session.execute(select(JobRun)).scalars()
        assert (job.job, job.trigger, job.outcome) == ("grade", "manual", "ok")
    assert state.job_outcome == "ok"
    assert state.job_notice.startswith("grade: ok. 0 pick(s) graded")
    [row] = state.rows["runs"]
    assert (row["job"], row["trigger"], row["outcome"], row["duration"]) == (
        "grade",
        "manual",
        "ok",
        "0 ms",
    )


def test_an_unknown_job_is_not_run(make_state: MakeState, league: None) -> None:
    state = as_player(make_state, "boss")

    drain(state.run_job("drop-tables"))

    assert job_runs() == 0 and state.job_notice == ""


def test_job_runs_are_paged_newest_first(make_state: MakeState, league: None) -> None:
    with db.session_scope() as session:
        for minute in range(12):
            jobruns.claim_run(session, "grade", "schedule", NOW - timedelta(minutes=minute))
    state = as_player(make_state, "boss")
    run(state.load())
    assert len(state.rows["runs"]) == 10 and state.pages["runs"] == "1\N{EN DASH}10 of 12"
    assert (state.has_prev["runs"], state.has_next["runs"]) == (False, True)
    assert state.rows["runs"][0]["started"] == "Nov 22, 7:00 AM"
    assert state.rows["runs"][0]["duration"] == "—"  # still running

    run(state.turn("runs", True))

    assert [row["started"] for row in state.rows["runs"]] == ["Nov 22, 6:50 AM", "Nov 22, 6:49 AM"]
    assert state.pages["runs"] == "11\N{EN DASH}12 of 12"
    assert (state.has_prev["runs"], state.has_next["runs"]) == (True, False)
    run(state.turn("runs", True))  # past the end: stays on the last page
    assert state.pages["runs"] == "11\N{EN DASH}12 of 12"
    run(state.turn("runs", False))
    assert state.pages["runs"] == "1\N{EN DASH}10 of 12"


def test_the_credit_figures_match_the_ledger(
    make_state: MakeState, league: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "monthly_credits", 500)
    live = {"source": "live", "endpoint": "/v4/sports/basketball_nba/odds"}
    with db.session_scope() as session:
        session.add_all(
            [
                # Last month: counts nowhere this month.
                ApiCall(at=utc("2026-10-31T23:00"), outcome="ok", credits_last=3, **live),
                ApiCall(
                    at=utc("2026-11-20T10:00"),
                    outcome="ok",
                    status_code=200,
                    credits_last=3,
                    credits_remaining=497,
                    **live,
                ),
                # No charge header: the estimate counts.
                ApiCall(at=utc("2026-11-21T10:00"), outcome="ok", estimated_cost=2, **live),
                ApiCall(
                    at=utc("2026-11-22T10:00"),
                    outcome="error",
                    status_code=401,
                    estimated_cost=3,
                    error_code="OUT_OF_USAGE_CREDITS",
                    message="Usage quota has been reached.",
                    credits_remaining=0,
                    **live,
                ),
                # Demo calls cost nothing.
                ApiCall(at=utc("2026-11-22T11:00"), source="demo", endpoint="/demo", outcome="ok"),
            ]
        )
    state = as_player(make_state, "boss")

    run(state.load())

    assert state.credits == {
        "used": "5",
        "remaining": "495",
        "budget": "500",
        "provider": "0",
        "month": "November 2026",
    }
    assert state.credits_percent == 1 and state.exhausted
    calls = state.rows["calls"]
    assert [(c["source"], c["credits"], c["outcome"], c["status"]) for c in calls[:4]] == [
        ("demo", "0", "ok", "—"),
        ("live", "—", "error", "401"),
        ("live", "~2", "ok", "—"),
        ("live", "3", "ok", "200"),
    ]
    assert calls[1]["error"] == "OUT_OF_USAGE_CREDITS Usage quota has been reached."
    assert state.pages["calls"] == "1\N{EN DASH}5 of 5"


def test_a_tab_with_a_deleted_account_is_sent_to_log_in(
    make_state: MakeState, league: None
) -> None:
    state = as_player(make_state, "boss")
    with db.session_scope() as session:
        boss = get_by_username(session, "boss")
        session.delete(boss)

    events = run(state.load())

    assert redirect_target(events) == "/login?next=/admin"
    assert state.token == ""
    with db.session_scope() as session:
        assert session.execute(select(func.count(User.id))).scalar_one() == 1
