"""The profile page's state: hand-worked figures, rank, chart, split by market, not-found, and
which recent picks each viewer may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.models import User
from pickvs.services import admin
from pickvs.state import profile as profile_state
from pickvs.state.profile import ProfileState, ordinal, username_from_path
from tests.services.builders import Book, make_game, make_picks, make_user, utc
from tests.state.conftest import issue_token, navigate, run

MakeState = Callable[..., Any]
FETCHED = utc("2026-11-18T12:00")  # 7 am ET Nov 18: everyone joins
PICKED = utc("2026-11-19T12:00")  # before every tip below
H = timedelta(hours=1)
TIPS = {
    "g1": utc("2026-11-19T23:00"),  # 6 pm ET Nov 19
    "g2": utc("2026-11-20T04:30"),  # 11:30 pm ET Nov 19
    "g3": utc("2026-11-21T00:30"),  # 7:30 pm ET Nov 20
    "g4": utc("2026-11-21T23:00"),  # voided
    "g5": utc("2026-11-23T00:40"),  # 7:40 pm ET Nov 22: still open at the clock's noon UTC
}


def league(session: Session) -> dict[str, User]:
    """alice: g1 h2h home @-180 wins (+100/180 = +0.555556), g2 h2h away @+150 loses (-1),
    g3 Over 227 @-110 pushes (114 + 113), g4 voided, g5 spread open.
    Units -0.444444 on 3 wagered: ROI -14.8%, 1-1-1. bob wins g2 (+0.555556): rank 1, alice 2nd,
    carol (nothing wagered) 3rd of 3."""
    books = {"g3": Book(totals=(227.0, -110, -110))}
    for game_id, tip in TIPS.items():
        make_game(session, game_id, tip, books.get(game_id, Book()), fetched_at=FETCHED)
    players = {name: make_user(session, name, FETCHED) for name in ("alice", "bob", "carol")}
    make_picks(
        session,
        players["alice"],
        PICKED,
        ("g1", "h2h", "Boston Celtics"),
        ("g2", "h2h", "Milwaukee Bucks"),
        ("g3", "totals", "Over"),
        ("g4", "h2h", "Boston Celtics"),
        ("g5", "spreads", "Boston Celtics"),
    )
    make_picks(session, players["bob"], PICKED, ("g2", "h2h", "Boston Celtics"))
    for game_id, home, away in (("g1", 110, 100), ("g2", 105, 99), ("g3", 114, 113)):
        admin.settle(session, game_id, home, away, by="ref", now=TIPS[game_id] + 3 * H)
    admin.void(session, "g4", by="ref", now=TIPS["g4"] + 3 * H)
    return players


@pytest.fixture(autouse=True)
def ranked_from_the_first_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    """These profiles rank a player from their first graded pick (PICKVS_MIN_RANKED_PICKS=1)."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "min_ranked_picks", 1)


@pytest.fixture
def players(engine: Engine) -> dict[str, User]:
    with db.session_scope() as session:
        built = league(session)
        session.flush()
        return {name: user for name, user in built.items()}


def token_for(user: User, clock: FixedClock) -> str:
    return issue_token(user, clock.now())


def figures(state: ProfileState) -> tuple[str, str, str, str]:
    return (state.overall.record, state.overall.units, state.overall.roi, state.rank)


def open_profile(make_state: MakeState, path: str, token: str = "") -> ProfileState:
    state = make_state(ProfileState, url=path)
    state.token = token
    assert run(state.load()) is None
    assert state.loaded
    return state


def test_profile_shows_hand_worked_figures(make_state: MakeState, players: dict[str, User]) -> None:
    state = open_profile(make_state, "/u/ALICE")  # any case

    assert (state.found, state.player_name) == (True, "alice")
    assert state.joined == "November 18, 2026"
    overall = state.overall
    assert (overall.record, overall.units, overall.roi) == ("1-1-1", "-0.44u", "-14.8%")
    assert (overall.tone, state.rank) == ("down", "2nd of 3")
    assert [(m.label, m.record, m.units, m.roi) for m in state.markets] == [
        ("Moneyline", "1-1-0", "-0.44u", "-22.2%"),  # (0.555556 - 1) / 2
        ("Spread", "0-0-0", "0.00u", "—"),  # only an open pick: nothing wagered
        ("Total", "0-0-1", "0.00u", "0.0%"),  # a push is wagered: 0%, not —
    ]
    # Units at the close of each ET slate day with graded picks (g1 and g2 are both Nov 19).
    assert state.chart == [{"day": "Nov 19", "units": -0.44}, {"day": "Nov 20", "units": -0.44}]
    assert state.chart_summary == (
        "Units over 2 days with graded picks, Nov 19 to Nov 20: -0.44u at the end, "
        "high -0.44u, low -0.44u."
    )


def test_a_player_with_nothing_wagered_has_no_roi(
    make_state: MakeState, players: dict[str, User]
) -> None:
    bob = open_profile(make_state, "/u/bob/")  # a direct load may add a trailing slash
    assert figures(bob) == ("1-0-0", "+0.56u", "+55.6%", "1st of 3")
    carol = open_profile(make_state, "/u/carol")
    assert figures(carol) == ("0-0-0", "0.00u", "—", "—")  # nothing wagered: not ranked
    assert (carol.chart, carol.picks_total, carol.picks) == ([], 0, [])
    assert carol.chart_summary.startswith("No graded picks yet")


@pytest.mark.parametrize("path", ["/u/nobody", "/u/", "/u/al%00ice", "/u/" + "x" * 300])
def test_unknown_player_gives_the_not_found_state(
    make_state: MakeState, players: dict[str, User], path: str
) -> None:
    state = open_profile(make_state, path)
    assert (state.loaded, state.found, state.player_name, state.picks) == (True, False, "", [])


def test_a_known_profile_then_an_unknown_one_forgets_the_first(
    make_state: MakeState, players: dict[str, User]
) -> None:
    state = open_profile(make_state, "/u/alice")
    navigate(state, "/u/nobody")
    run(state.load())
    assert (state.found, state.markets, state.chart, state.picks_total) == (False, [], [], 0)
    assert figures(state) == ("0-0-0", "0.00u", "—", "")


def test_open_picks_are_shown_to_their_owner_only(
    make_state: MakeState, players: dict[str, User], clock: FixedClock
) -> None:
    locked = ["Nov 21", "Nov 20", "Nov 19", "Nov 19"]  # g4, g3, g2, g1: newest game first
    visitor = open_profile(make_state, "/u/alice")
    assert [p.day for p in visitor.picks] == locked
    bob = open_profile(make_state, "/u/alice", token_for(players["bob"], clock))
    assert [p.day for p in bob.picks] == locked
    owner = open_profile(make_state, "/u/alice", token_for(players["alice"], clock))
    assert [p.day for p in owner.picks] == ["Nov 22", *locked]
    assert owner.picks_total == 5
    first = owner.picks[0]
    assert (first.market, first.selection, first.price, first.status, first.units, first.tone) == (
        "Spread",
        "Boston Celtics -4.5",
        "-110",
        "Open",
        "—",
        "open",
    )
    assert first.matchup == "Milwaukee Bucks @ Boston Celtics"
    rows = [(p.market, p.selection, p.price, p.status, p.units) for p in visitor.picks]
    assert rows == [
        ("Moneyline", "Boston Celtics", "-180", "Void", "—"),
        ("Total", "Over 227", "-110", "Push", "0.00u"),
        ("Moneyline", "Milwaukee Bucks", "+150", "Loss", "-1.00u"),
        ("Moneyline", "Boston Celtics", "-180", "Win", "+0.56u"),
    ]


def test_an_expired_token_reads_as_a_visitor_without_a_redirect(
    make_state: MakeState, players: dict[str, User], clock: FixedClock
) -> None:
    token = issue_token(players["alice"], clock.now() - timedelta(days=8))  # 7-day tokens
    state = open_profile(make_state, "/u/alice", token)
    assert state.found and state.picks_total == 4  # the open pick stays hidden
    assert (state.token, state.is_authenticated) == ("", False)


def test_recent_picks_page_through(
    make_state: MakeState,
    players: dict[str, User],
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(profile_state, "PICKS_PAGE", 2)
    state = open_profile(make_state, "/u/alice", token_for(players["alice"], clock))
    assert (state.picks_page, state.picks_pages, state.picks_total) == (1, 3, 5)
    assert [p.status for p in state.picks] == ["Open", "Void"]
    assert run(state.turn_picks(-1)) is None  # nothing newer than page 1
    assert state.picks_page == 1

    assert run(state.turn_picks(1)) is None
    assert run(state.turn_picks(1)) is None
    assert state.picks_page == 3
    assert [p.status for p in state.picks] == ["Win"]  # g1, the oldest
    assert run(state.turn_picks(1)) is None  # past the end: nothing happens
    assert state.picks_page == 3
    run(state.turn_picks(-1))
    assert [p.status for p in state.picks] == ["Push", "Loss"]


def test_paging_after_the_token_expired_shows_the_visitor_view(
    make_state: MakeState, players: dict[str, User], clock: FixedClock
) -> None:
    issued = clock.now() - timedelta(days=7) + timedelta(minutes=1)  # a minute left to live
    state = open_profile(make_state, "/u/alice", issue_token(players["alice"], issued))
    assert state.picks_total == 5
    clock.advance(minutes=2)
    state.picks_pages = 2  # as if there were a second page

    result = run(state.turn_picks(1))

    assert result == ProfileState.load  # signed out: the page loads again as a visitor sees it
    assert (state.token, state.is_authenticated) == ("", False)
    run(state.load())
    assert (state.found, state.picks_total) == (True, 4)


def test_helpers() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
    assert username_from_path("/u/Ann") == "Ann"
    assert username_from_path("/u/Ann/") == "Ann"
    assert username_from_path("/u/a/b") == ""
    assert username_from_path("/leaderboard") == ""
