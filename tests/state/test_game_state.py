"""The game page's state, the slate card's additions and the navbar's count, handlers called
directly: lines by book with the best price and the chart, the player's picks and how they
stand on a live score, everyone's picks only once locked (never in the state before), the
re-read while in play (`_tick`) and its end, a change of player, and an unknown game."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.models import Game, Pick
from pickvs.services import admin, auth, clv
from pickvs.state.game import GameState, game_id_from_path
from pickvs.state.nav import NavState
from pickvs.state.picks import MyPicksState
from pickvs.state.slate import SlateState
from pickvs.state.slate_views import CardView, format_clv
from tests.services.builders import Book, add_lines, make_game, make_picks, make_user, utc
from tests.state.conftest import redirect_target, run

MakeState = Callable[..., Any]
NOW = utc("2026-11-22T12:00")  # the clock fixture's start: 7 am EST
OPEN = utc("2026-11-22T10:00")  # 5 am EST
LATER = utc("2026-11-22T11:30")  # 6:30 am EST
TIP = utc("2026-11-23T00:30")  # 7:30 pm EST
AWAY, HOME = "Milwaukee Bucks", "Boston Celtics"
M, A = "\N{MINUS SIGN}", "\N{RIGHTWARDS ARROW}"


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    """g1 tonight, its spread moved -3.5 -> -5 at DraftKings, FanDuel pays +175 on the Bucks;
    alice picked the Celtics -3.5 before the move, bob the Bucks moneyline after it. g2 tonight,
    nobody picked it."""
    with db.session_scope() as session:
        game = make_game(session, "g1", TIP, Book(spreads=(-3.5, -110, -110)), fetched_at=OPEN)
        alice, bob = make_user(session, "alice", OPEN), make_user(session, "bob", OPEN)
        make_picks(session, alice, OPEN, ("g1", "spreads", HOME))
        add_lines(
            session,
            game,
            LATER,
            Book(spreads=(-5.0, -110, -110)),
            Book("fanduel", h2h=(-210, 175), spreads=(-5.5, -105, -115), totals=None),
        )
        make_game(session, "g2", TIP + timedelta(hours=1), Book(), fetched_at=OPEN)
        make_picks(session, bob, LATER, ("g1", "h2h", AWAY))
        return {u.username: auth.create_token(session, u, NOW) for u in (alice, bob)}


def game_state(make_state: MakeState, token: str, game_id: str = "g1") -> tuple[GameState, Any]:
    state = make_state(GameState, url=f"/game/{game_id}")
    state.token = token
    return state, run(state.load())


def sent(state: Any) -> str:
    """Everything the browser would receive from the whole tab's state, as JSON."""
    return json.dumps(state._get_root_state().dict(), default=str)


def set_live(home: int, away: int, at_minutes: int) -> None:
    with db.session_scope() as session:
        game = session.get(Game, "g1")
        assert game is not None
        game.live_home_score, game.live_away_score = home, away
        game.live_at = TIP + timedelta(minutes=at_minutes)


def test_an_open_game_shows_every_book_the_chart_and_only_my_pick(
    make_state: MakeState, tokens: dict[str, str]
) -> None:
    state, events = game_state(make_state, tokens["alice"])

    assert events is None  # not in play: no watcher
    assert (state.found, state.matchup, state.is_open) == (True, f"{AWAY} @ {HOME}", True)
    assert state.tip == "Sun Nov 22 · 7:30 PM EST"
    assert state.status == "Open · picks close 7:30 PM EST"
    assert (state.lines_from, state.moves) == (
        "lines from 6:30 am",
        f"Spread Celtics {M}3.5 {A} {M}5",
    )
    tables = {t.market: t for t in state.markets}
    assert list(tables) == ["h2h", "spreads", "totals"]
    h2h = tables["h2h"]
    assert (h2h.first_side, h2h.second_side) == (AWAY, HOME)
    rows = [
        (r.book, r.first, r.second, r.first_best, r.second_best, r.is_reference) for r in h2h.rows
    ]
    assert rows == [
        ("DraftKings", "+150", "-180", False, True, True),
        ("FanDuel", "+175", "-210", True, False, False),
    ]
    assert h2h.best == f"Best: {AWAY} +175 FanDuel · {HOME} -180 DraftKings"
    spread = tables["spreads"]
    assert spread.has_chart and spread.chart_box == "0 0 240 60"
    # two fetches 1.5 h apart, drawn to now (2 h after the first): the step at 3/4 of the way
    assert spread.chart_points == "6,6 177,6 177,54 234,54"
    assert (spread.chart_top, spread.chart_bottom) == (f"{M}3.5", f"{M}5")
    assert spread.chart_caption == (
        f"DraftKings, {HOME}: {M}3.5 at 5:00 AM EST, {M}5 now (2 fetches)"
    )
    mine = [(p.standing.text, p.standing.label, p.clv) for p in state.mine]
    assert mine == [(f"Spread: {HOME} -3.5 -110", "", "")]
    assert state.picks == []
    assert "bob" not in sent(state)  # bob's open pick never reaches alice's browser


def test_locked_and_in_play_the_score_standings_and_everyones_picks_update_on_tick(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    clock.set(TIP + timedelta(minutes=40))
    set_live(60, 54, at_minutes=39)
    state, events = game_state(make_state, tokens["alice"])

    assert events == GameState.watch  # in play: the page re-reads itself
    assert (state.status, state.score_label, state.score) == (
        "In play",
        "Live",
        "Bucks 54, Celtics 60",
    )
    # her Celtics -3.5 (the line has moved to -5 since): 60 - 3.5 = 56.5 > 54, winning
    assert [(p.standing.label, p.standing.standing) for p in state.mine] == [("Winning", "winning")]
    assert sorted((p.username, p.market, p.selection) for p in state.picks) == [
        ("alice", "Spread", f"{HOME} -3.5 -110"),
        ("bob", "Moneyline", f"{AWAY} +150"),
    ]

    assert state._tick() is True  # nothing changed: still in play
    state._clean()
    assert state._tick() is True
    assert state.dirty_vars == set()  # an unchanged game sends nothing

    set_live(61, 58, at_minutes=45)  # 61 - 3.5 = 57.5 < 58: losing now
    assert state._tick() is True
    assert state.score == "Bucks 58, Celtics 61"
    assert [p.standing.label for p in state.mine] == ["Losing"]
    assert "score" in state.dirty_vars and "markets" not in state.dirty_vars

    clock.set(TIP + timedelta(hours=3))
    with db.session_scope() as session:
        admin.settle(session, "g1", 110, 100, "ref", clock.now())
    assert state._tick() is False  # final: the watcher stops
    assert (state.status, state.score_label, state.score) == (
        "Final",
        "Final",
        "Bucks 100, Celtics 110",
    )
    assert [p.standing.label for p in state.mine] == ["Win"]


def test_an_open_page_watches_from_a_quarter_hour_before_the_lock_and_shows_clv_once_stored(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    """A page left open across tip-off goes live by itself, and the CLV the job stores after
    the lock (often after the page saw the lock) reaches it on the next tick."""
    clock.set(TIP - timedelta(minutes=16))
    state, events = game_state(make_state, tokens["alice"])
    assert events is None  # open, locking in more than a quarter hour: no watcher yet
    clock.set(TIP - timedelta(minutes=15))
    assert run(state.load()) == GameState.watch
    assert state._tick() is True  # still open, still locking soon
    assert state.picks == [] and "bob" not in sent(state)
    clock.set(TIP)  # the lock passes: the tick re-reads, in play, everyone's picks
    assert state._tick() is True
    assert (state.is_open, state.status) == (False, "In play")
    assert sorted(p.username for p in state.picks) == ["alice", "bob"]
    assert [p.clv for p in state.mine] == [""]
    with db.session_scope() as session:
        clv.update_clv(session, TIP, 0)  # what every job runs after a lock
    assert state._tick() is True
    # Celtics -3.5 at -110, closed -5 -110/-110: Phi(1.5 / 12) - 110/210 = 0.5497 - 0.5238
    assert [p.clv for p in state.mine] == ["+2.6 pp"]


def test_a_change_of_player_drops_the_previous_players_picks(
    make_state: MakeState, tokens: dict[str, str]
) -> None:
    state, _ = game_state(make_state, tokens["alice"])
    assert len(state.mine) == 1
    state.token = tokens["bob"]  # another tab logged bob in
    run(state.load())
    assert [p.standing.text for p in state.mine] == [f"Moneyline: {AWAY} +150"]
    assert "alice" not in sent(state)


def test_an_unknown_game_and_a_forged_token(make_state: MakeState, tokens: dict[str, str]) -> None:
    state, _ = game_state(make_state, tokens["alice"], "nope")
    assert (state.loaded, state.found, state.error) == (
        True,
        False,
        "There is no game at this address.",
    )
    assert game_id_from_path("/game/a%2Fb/") == "a/b"
    assert game_id_from_path("/leagues/3") == ""
    forged, events = game_state(make_state, "not-a-token")
    assert redirect_target(events) == "/login?next=/game/g1"
    assert forged.matchup == ""


def test_the_navbar_counts_todays_unpicked_games(
    make_state: MakeState, tokens: dict[str, str]
) -> None:
    nav = make_state(NavState, url="/")
    nav.token = tokens["alice"]
    run(nav.refresh())
    assert (nav.unpicked, nav.unpicked_label) == (1, "1 game left to pick today")  # g2
    nav.token = tokens["bob"]
    run(nav.refresh())
    assert nav.unpicked == 1

    # The slate counts them with its own read and hands the count to the navbar's state.
    slate = make_state(SlateState, url="/")
    slate.token = tokens["bob"]
    run(slate.load())
    shown = slate._get_root_state().get_substate(NavState.get_full_name().split(".")[1:])
    assert shown.unpicked == 1
    assert run(slate.choose("g2", "h2h", HOME)) is None  # g2's first pick
    assert (shown.unpicked, shown.unpicked_label) == (0, "")
    run(slate.choose("g2", "spreads", HOME))  # not the game's first: no recount needed
    assert shown.unpicked == 0
    # Withdrawing one of the two keeps the game picked; withdrawing the last brings it back,
    # the same count the navbar's own query gives.
    ids = {key.split("/")[1]: pid for key, pid in slate.picked.items() if key.startswith("g2/")}
    run(slate.choose("g2", "spreads", HOME, ids["spreads"]))
    assert shown.unpicked == 0
    run(slate.choose("g2", "h2h", HOME, ids["h2h"]))
    assert (shown.unpicked, shown.unpicked_label) == (1, "1 game left to pick today")
    run(nav.refresh())
    assert nav.unpicked == 1

    # Another player in the same tab: bob's unpicked games go with the rest of his slate.
    slate.token = tokens["alice"]
    slate._get_root_state().get_delta()  # the end of the event that brought the token
    assert (slate._unpicked_ids, slate._today_ids, slate.loaded) == ([], [], False)
    run(slate.load())
    assert slate._unpicked_ids == ["g2"]  # alice picked g1 only


def card(state: SlateState, game_id: str) -> CardView:
    return next(c for day in state.days for c in day.cards if c.id == game_id)


def test_slate_cards_link_their_page_say_line_age_and_moves_and_go_live(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    slate = make_state(SlateState, url="/")
    slate.token = tokens["alice"]
    assert run(slate.load()) is None
    g1 = card(slate, "g1")
    assert (g1.href, g1.lines_from, g1.moves) == (
        "/game/g1",
        "lines from 6:30 am",
        f"Spread Celtics {M}3.5 {A} {M}5",
    )
    assert (g1.score, g1.mine, g1.in_play) == ("", [], False)  # open: no score, no standing
    assert card(slate, "g2").moves == ""

    clock.set(TIP + timedelta(minutes=5))
    set_live(2, 5, at_minutes=4)
    assert run(slate.load()) == SlateState.watch
    g1 = card(slate, "g1")
    assert (g1.in_play, g1.score_label, g1.score) == (True, "Live", "Bucks 5, Celtics 2")
    assert [(m.text, m.label) for m in g1.mine] == [(f"Spread: {HOME} -3.5 -110", "Losing")]
    set_live(8, 5, at_minutes=6)  # 8 - 3.5 = 4.5 < 5: still losing
    assert slate._tick() is True
    assert [m.label for m in card(slate, "g1").mine] == ["Losing"]
    set_live(9, 5, at_minutes=7)  # 9 - 3.5 = 5.5 > 5: winning
    assert slate._tick() is True
    assert [m.label for m in card(slate, "g1").mine] == ["Winning"]
    assert card(slate, "g1").score == "Bucks 5, Celtics 9"


def test_the_slate_watches_from_a_quarter_hour_before_a_lock(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    slate = make_state(SlateState, url="/")
    slate.token = tokens["alice"]
    clock.set(TIP - timedelta(minutes=16))
    assert run(slate.load()) is None
    clock.set(TIP - timedelta(minutes=15))
    assert run(slate.load()) == SlateState.watch
    assert slate._tick() is True  # g1 not locked yet: still worth watching
    clock.set(TIP)  # g1 locks: the fingerprint moves, the slate re-reads, g1 is in play
    assert slate._tick() is True
    g1 = card(slate, "g1")
    assert (g1.is_open, g1.in_play) == (False, True)
    assert [p.username for p in g1.picks] == ["bob", "alice"]  # by market: h2h, spreads


def test_my_picks_show_a_live_score_the_standing_and_clv(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    clock.set(TIP + timedelta(minutes=40))
    set_live(60, 54, at_minutes=39)
    with db.session_scope() as session:
        pick = session.exec(select(Pick).where(Pick.market == "spreads")).one()
        pick.clv = 2.34  # H2's update_clv stores it once the game locks

    state = make_state(MyPicksState, url="/picks")
    state.token = tokens["alice"]
    assert state.load() == MyPicksState.watch  # her pending pick's game is in play
    (row,) = state.rows
    assert (row.href, row.live, row.standing_label, row.clv) == (
        "/game/g1",
        "Live · Bucks 54, Celtics 60",
        "Winning",
        "+2.3 pp",
    )
    set_live(60, 57, at_minutes=45)  # 56.5 < 57
    assert state._tick() is True
    assert (state.rows[0].live, state.rows[0].standing_label) == (
        "Live · Bucks 57, Celtics 60",
        "Losing",
    )
    clock.set(TIP + timedelta(hours=3))
    with db.session_scope() as session:
        admin.settle(session, "g1", 110, 100, "ref", clock.now())
    assert state._tick() is False  # graded: nothing left to watch
    assert (state.rows[0].live, state.rows[0].result, state.rows[0].clv) == ("", "Win", "+2.3 pp")


def test_my_picks_left_open_at_tip_off_go_live_without_a_reload(
    make_state: MakeState, tokens: dict[str, str], clock: FixedClock
) -> None:
    clock.set(TIP - timedelta(minutes=16))
    state = make_state(MyPicksState, url="/picks")
    state.token = tokens["alice"]
    assert state.load() is None  # her pending pick's game locks in more than a quarter hour
    clock.set(TIP - timedelta(minutes=5))
    assert state.load() == MyPicksState.watch
    assert state._tick() is True
    assert (state.rows[0].live, state.rows[0].clv) == ("", "")
    clock.set(TIP)  # the lock: the tick re-reads, in play, no score yet
    assert state._tick() is True
    assert state.rows[0].live == "In play"
    with db.session_scope() as session:
        clv.update_clv(session, TIP, 0)
    assert state._tick() is True
    assert state.rows[0].clv == "+2.6 pp"  # as on the game page


@pytest.mark.parametrize(
    ("clv", "text"), [(None, ""), (2.34, "+2.3 pp"), (-0.76, "-0.8 pp"), (-0.04, "0.0 pp")]
)
def test_clv_reads_in_percentage_points(clv: float | None, text: str) -> None:
    assert format_clv(clv) == text
