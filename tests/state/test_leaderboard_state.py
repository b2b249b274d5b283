"""The leaderboard page's state: 25 rows a page from the address, periods, ROI shown as — for
nothing wagered, and the logged-in player's own row flagged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.models import User
from pickvs.services import admin
from pickvs.state.leaderboard import LeaderboardState, board_href, format_wagered
from tests.services.builders import Book, make_game, make_picks, make_user, utc
from tests.state.conftest import issue_token, navigate, redirect_target, run

MakeState = Callable[..., Any]
JOINED = utc("2026-10-01T12:00")
H = timedelta(hours=1)
# The clock reads noon UTC on Sunday Nov 22 2026: the week began Monday Nov 16 (ET), the month
# on Nov 1.
OLD_TIP = utc("2026-10-20T23:00")  # October: all time only
MONTH_TIP = utc("2026-11-10T23:00")  # this month, not this week
WEEK_TIP = utc("2026-11-19T23:00")  # this week (and month)
IDLE = [f"p{n:02d}" for n in range(28)]  # 28 players who never picked


@pytest.fixture(autouse=True)
def ranked_from_the_first_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    """These boards rank a player from their first graded pick (PICKVS_MIN_RANKED_PICKS=1)."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "min_ranked_picks", 1)


@pytest.fixture
def players(engine: Engine) -> dict[str, User]:
    """30 players. On every game home is -180 (wins pay +0.555556), away +150 (wins pay +1.5).

    ann: OLD home wins (+0.555556), WEEK away loses (-1): all time -0.44u, 1-1-0, ROI -22.2%;
         this week -1.00u, 0-1-0, ROI -100.0%; this month the same as the week.
    bob: OLD away loses (-1), MONTH away wins (+1.5), WEEK home wins (+0.555556):
         all time +1.06u, 2-1-0, ROI +35.2%; this month +2.06u on 2, ROI +102.8%;
         this week +0.56u, 1-0-0, ROI +55.6%.
    p00..p27: nothing wagered: ROI —, ranked after both (rank 3, shared).
    """
    with db.session_scope() as session:
        for game_id, tip in (("old", OLD_TIP), ("month", MONTH_TIP), ("week", WEEK_TIP)):
            make_game(session, game_id, tip, Book(h2h=(-180, 150)), fetched_at=JOINED)
        users = {name: make_user(session, name, JOINED) for name in ("ann", "bob", *IDLE)}
        picked = JOINED + H
        make_picks(
            session,
            users["ann"],
            picked,
            ("old", "h2h", "Boston Celtics"),
            ("week", "h2h", "Milwaukee Bucks"),
        )
        make_picks(
            session,
            users["bob"],
            picked,
            ("old", "h2h", "Milwaukee Bucks"),
            ("month", "h2h", "Milwaukee Bucks"),
            ("week", "h2h", "Boston Celtics"),
        )
        admin.settle(session, "old", 110, 100, by="ref", now=OLD_TIP + 3 * H)  # home wins
        admin.settle(session, "month", 90, 100, by="ref", now=MONTH_TIP + 3 * H)  # away wins
        admin.settle(session, "week", 110, 100, by="ref", now=WEEK_TIP + 3 * H)  # home wins
        return users


def open_board(
    make_state: MakeState, url: str = "/leaderboard", token: str = ""
) -> LeaderboardState:
    state = make_state(LeaderboardState, url=url)
    state.token = token
    assert run(state.load()) is None
    assert state.loaded
    return state


def follow(state: LeaderboardState, result: Any) -> str:
    """Go where a handler's redirect points, as the browser would, and run on_load again."""
    target = redirect_target(result)
    assert target is not None
    navigate(state, target)
    run(state.load())
    return target


def figures(state: LeaderboardState, count: int = 2) -> list[tuple[Any, ...]]:
    return [
        (r.rank, r.username, r.units, r.wagered, r.roi, r.record, r.tone)
        for r in state.rows[:count]
    ]


def test_pages_of_25_from_the_address(make_state: MakeState, players: dict[str, User]) -> None:
    state = open_board(make_state)

    assert (state.period, state.page, state.pages, state.total) == ("all", 1, 2, 30)
    assert (len(state.rows), state.page_label) == (25, "Page 1 of 2")
    assert (state.has_prev, state.has_next) == (False, True)
    assert figures(state) == [
        (1, "bob", "+1.06u", "3u", "+35.2%", "2-1-0", "up"),  # 1.5 + 0.555556 - 1 = 1.055556
        (2, "ann", "-0.44u", "2u", "-22.2%", "1-1-0", "down"),  # (0.555556 - 1) / 2
    ]
    assert state.rows[0].href == "/u/bob"
    assert run(state.prev_page()) is None  # nothing before page 1

    assert follow(state, state.next_page()) == "/leaderboard?page=2"

    assert (state.page, state.has_prev, state.has_next) == (2, True, False)
    assert [r.username for r in state.rows] == IDLE[-5:]  # 26th..30th, by name among equals
    # Nothing wagered: never ranked (rank None), listed after the ranked players.
    assert all((r.rank, r.roi, r.wagered) == (None, "—", "0u") for r in state.rows)
    assert run(state.next_page()) is None  # the last page: next is disabled

    assert follow(state, state.prev_page()) == "/leaderboard"
    assert (state.page, len(state.rows)) == (1, 25)


@pytest.mark.parametrize(
    ("url", "period", "page"),
    [
        ("/leaderboard?page=99", "all", 2),  # past the end: the last page
        ("/leaderboard?page=0", "all", 1),
        ("/leaderboard?page=-1&period=weekly", "all", 1),
        ("/leaderboard?page=1e3", "all", 1),
        ("/leaderboard?period=month&page=2", "month", 1),  # only 2 players this month
    ],
)
def test_odd_addresses_fall_back(
    make_state: MakeState, players: dict[str, User], url: str, period: str, page: int
) -> None:
    state = open_board(make_state, url)
    assert (state.period, state.page) == (period, page)


def test_switching_period(make_state: MakeState, players: dict[str, User]) -> None:
    state = open_board(make_state)

    assert follow(state, state.set_period("week")) == "/leaderboard?period=week"
    assert (state.period, state.total, state.pages, state.has_next) == ("week", 2, 1, False)
    assert figures(state) == [
        (1, "bob", "+0.56u", "1u", "+55.6%", "1-0-0", "up"),
        (2, "ann", "-1.00u", "1u", "-100.0%", "0-1-0", "down"),
    ]

    assert follow(state, state.set_period("month")) == "/leaderboard?period=month"
    assert figures(state) == [
        (1, "bob", "+2.06u", "2u", "+102.8%", "2-0-0", "up"),  # (1.5 + 0.555556) / 2
        (2, "ann", "-1.00u", "1u", "-100.0%", "0-1-0", "down"),
    ]
    assert run(state.set_period("month")) is None  # already there
    assert run(state.set_period("year")) is None  # not a period
    assert run(state.set_period(["week"])) is None  # the control only ever sends one value

    assert follow(state, state.set_period("all")) == "/leaderboard"
    assert (state.period, state.total) == ("all", 30)


def test_helpers() -> None:
    assert (format_wagered(0.0), format_wagered(1204.0), format_wagered(2.5)) == (
        "0u",
        "1,204u",
        "2.50u",
    )


def test_a_new_page_of_a_period_starts_at_page_1() -> None:
    assert board_href("all", 1) == "/leaderboard"
    assert board_href("week", 1) == "/leaderboard?period=week"
    assert board_href("month", 3) == "/leaderboard?period=month&page=3"
    assert board_href("all", 2) == "/leaderboard?page=2"


def test_empty_period(make_state: MakeState, engine: Engine, clock: FixedClock) -> None:
    state = open_board(make_state, "/leaderboard?period=week")
    assert (state.total, state.rows, state.pages, state.page_label) == (0, [], 1, "Page 1 of 1")
    assert state.empty_text == "No graded picks this week yet."


def test_own_row_is_flagged_for_the_logged_in_player_only(
    make_state: MakeState, players: dict[str, User], clock: FixedClock
) -> None:
    token = issue_token(players["ann"], clock.now())
    state = open_board(make_state, token=token)
    assert [r.username for r in state.rows if r.is_me] == ["ann"]

    visitor = open_board(make_state)
    assert not any(r.is_me for r in visitor.rows)
    visitor.token = token  # logging in (here or in another tab) flags the row, no reload
    assert [r.username for r in visitor.rows if r.is_me] == ["ann"]
    visitor.token = ""
    assert not any(r.is_me for r in visitor.rows)
