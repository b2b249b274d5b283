"""The my-picks state: rows with the line taken and results, the summary, filter and paging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.services import admin, auth
from pickvs.state.picks import PAGE_SIZE, MyPicksState
from tests.services.builders import Book, make_game, make_picks, make_user, utc
from tests.state.conftest import redirect_target

MakeState = Callable[..., Any]
NOW = utc("2026-11-22T12:00")
FIRST_TIP = utc("2026-11-22T17:00")  # noon EST; the games tip an hour apart
GAMES = 11  # 33 picks: two pages of 25
GRADED = 4  # games settled: 12 graded picks
AWAY, HOME = "Milwaukee Bucks", "Boston Celtics"


@pytest.fixture
def alice_token(engine: Engine, clock: FixedClock) -> str:
    """Alice picks all three markets of 11 games; the first 4 end 110-100 for the home side."""
    with db.session_scope() as session:
        alice = make_user(session, "alice", NOW)
        make_user(session, "bob", NOW)
        wanted = []
        for index in range(GAMES):
            game_id = f"g{index:02d}"
            tip = FIRST_TIP + timedelta(hours=index)
            make_game(session, game_id, tip, Book(), fetched_at=NOW - timedelta(hours=1))
            wanted += [
                (game_id, "h2h", HOME),
                (game_id, "spreads", HOME),
                (game_id, "totals", "Over"),
            ]
        make_picks(session, alice, NOW, *wanted)
        token = auth.create_token(session, alice, NOW)
    clock.set(FIRST_TIP + timedelta(hours=GRADED + 3))
    with db.session_scope() as session:
        for index in range(GRADED):  # home wins by 10 (covers -4.5); 210 is under 227.5
            admin.settle(session, f"g{index:02d}", 110, 100, "ann", clock.now())
    return token


def my_picks(make_state: MakeState, token: str, watches: bool = True) -> MyPicksState:
    """The page loaded; alice's picks on g04-g06 (tipped within the last 3 hours, not settled)
    are in play, so her page watches them (`watches`)."""
    state = make_state(MyPicksState, url="/picks")
    state.token = token
    assert state.load() == (MyPicksState.watch if watches else None)
    return state


def test_rows_show_the_line_taken_the_result_and_running_units(
    make_state: MakeState, alice_token: str
) -> None:
    state = my_picks(make_state, alice_token)

    assert (state.total, state.pending, len(state.rows)) == (33, 21, PAGE_SIZE)
    assert state.count_text == "33 picks · 21 pending"
    assert (state.page, state.pages, state.has_prev, state.has_next) == (1, 2, False, True)
    newest = state.rows[0]  # newest game first, still pending
    assert (newest.matchup, newest.when) == (f"{AWAY} @ {HOME}", "Sun, Nov 22 · 10:00 PM EST")
    assert (newest.result, newest.status, newest.running) == ("Pending", "pending", "—")
    lines = {(r.market, r.selection, r.line, r.book) for r in state.rows[:3]}
    assert lines == {
        ("Moneyline", HOME, "-180", "DraftKings"),
        ("Spread", HOME, "-4.5 -110", "DraftKings"),
        ("Total", "Over", "227.5 -108", "DraftKings"),
    }
    assert newest.units.startswith("to win +")
    # 4 games x (moneyline -180 wins +0.556, spread -110 wins +0.909, the Over loses 1)
    assert (state.record, state.units, state.wagered, state.roi) == (
        "8-4-0",
        "+1.86u",
        "12.00u",
        "+15.5%",
    )


def test_paging_and_filters(make_state: MakeState, alice_token: str) -> None:
    state = my_picks(make_state, alice_token)
    first_page = [row.id for row in state.rows]

    state.next_page()
    assert (state.page, len(state.rows), state.has_next, state.has_prev) == (2, 8, False, True)
    assert not set(first_page) & {row.id for row in state.rows}
    assert {row.result for row in state.rows} == {"Win", "Loss"}  # the oldest games: graded
    state.next_page()  # past the end: stays on the last page
    assert (state.page, len(state.rows)) == (2, 8)

    state.set_show("pending")
    assert (state.page, state.total, len(state.rows), state.pages) == (1, 21, 21, 1)
    assert state.count_text == "21 picks"
    assert {row.result for row in state.rows} == {"Pending"}

    state.set_show("graded")
    assert (state.total, len(state.rows)) == (12, 12)
    assert {row.result for row in state.rows} == {"Win", "Loss"}
    assert state.rows[-1].running != "—"  # the oldest graded pick starts the running total
    state.prev_page()
    assert state.page == 1

    state.set_show("everything; drop table")  # a tampered value shows all
    assert (state.show, state.total) == ("all", 33)


def test_an_expired_token_goes_to_log_in(
    make_state: MakeState, alice_token: str, clock: FixedClock
) -> None:
    state = my_picks(make_state, alice_token)
    clock.advance(days=8)

    assert redirect_target(state.next_page()) == "/login?next=/picks"
    assert (state.token, state.rows) == ("", [])


def test_a_new_player_has_an_empty_list(make_state: MakeState, alice_token: str) -> None:
    with db.session_scope() as session:
        token = auth.create_token(session, make_user(session, "cyd", NOW), NOW)
    state = my_picks(make_state, token, watches=False)

    assert (state.rows, state.total, state.pages, state.has_next) == ([], 0, 1, False)
    assert (state.record, state.units, state.roi) == ("0-0-0", "0.00u", "—")
