"""The league pages' state, handlers called directly on SQLite and PostgreSQL: hand-worked
boards under a league's rules, the owner's controls, the join flow, and what never reaches a
player who may not see it (another league's board, an invite code, a pick on an open game).

The league: alice owns "Office" (prices from -300 to +400, ranked from 1 graded pick); bob
joins with the code; carol is in no league.

  g1 (7 pm ET Nov 19, settled Boston 110 - Milwaukee 100; Boston -500 / Milwaukee +400,
      spread Boston -4.5 -110):
    alice  h2h Boston @-500   win  +0.20  NOT counted: -500 pays 0.2 < 0.333 (-300)
    alice  spread Boston -4.5 @-110  win  +0.909091 (110 - 4.5 > 100)
    bob    h2h Milwaukee @+400 loss -1
  g2 (7:40 pm ET Nov 22, still open at the clock's noon UTC): alice h2h Boston @-180, open.

  Board (all time, ranked by units): 1 alice +0.91u on 1, ROI +90.9%, adjusted ROI
  (0.909091 + 30 * -0.045) / 31 = -0.014223 -> -1.4%, 1-0-0, W1, last 10 1-0-0;
  2 bob -1.00u, -100.0%, (-1 - 1.35) / 31 = -0.075806 -> -7.6%, 0-1-0, L1, 0-1-0.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.models import User
from pickvs.services import admin, leagues
from pickvs.state.auth import AuthState
from pickvs.state.leagues import JoinState, LeaguesState, LeagueState, settings_in_words
from tests.services.builders import Book, make_game, make_picks, make_user, utc
from tests.state.conftest import events_named, issue_token, navigate, redirect_target, run

MakeState = Callable[..., Any]
FETCHED = utc("2026-11-18T12:00")
PICKED = utc("2026-11-19T12:00")
G1_TIP = utc("2026-11-20T00:00")
G2_TIP = utc("2026-11-23T00:40")
ORIGIN = "http://localhost:3000"


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    league_id: int
    code: str
    alice_open_pick: int
    alice_priced_out: int


@pytest.fixture
def world(engine: Engine, clock: FixedClock) -> World:
    with db.session_scope() as session:
        make_game(session, "g1", G1_TIP, Book(h2h=(-500, 400)), fetched_at=FETCHED)
        make_game(session, "g2", G2_TIP, Book(), fetched_at=FETCHED)
        users = {name: make_user(session, name, FETCHED) for name in ("alice", "bob", "carol")}
        detail = leagues.create_league(
            session,
            users["alice"].id,
            "Office",
            "Lunch money, no money.",
            settings={"shortest_price": -300, "longest_price": 400, "min_ranked": 1},
            now=FETCHED,
        )
        assert detail.invite_code is not None
        leagues.join_league(session, users["bob"].id, detail.invite_code, FETCHED)
        priced_out, _ = make_picks(
            session,
            users["alice"],
            PICKED,
            ("g1", "h2h", "Boston Celtics"),
            ("g1", "spreads", "Boston Celtics"),
        )
        (open_pick,) = make_picks(session, users["alice"], PICKED, ("g2", "h2h", "Boston Celtics"))
        make_picks(session, users["bob"], PICKED, ("g1", "h2h", "Milwaukee Bucks"))
        admin.settle(session, "g1", 110, 100, by="ref", now=G1_TIP + timedelta(hours=3))
        session.flush()
        return World(users, detail.id, detail.invite_code, open_pick.id or 0, priced_out.id or 0)


def open_league(
    make_state: MakeState, world: World, name: str, clock: FixedClock, query: str = ""
) -> LeagueState:
    state = make_state(LeagueState, url=f"/leagues/{world.league_id}{query}")
    state.token = issue_token(world.users[name], clock.now())
    assert run(state.load()) is None
    assert state.loaded
    return state


def board(state: LeagueState) -> list[tuple[str, ...]]:
    return [
        (r.rank, r.username, r.units, r.roi, r.adjusted_roi, r.record, r.streak, r.last10)
        for r in state.ranked
    ]


def test_a_member_sees_the_hand_worked_board_under_the_leagues_rules(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    state = open_league(make_state, world, "bob", clock)

    assert (state.found, state.name, state.description) == (
        True,
        "Office",
        "Lunch money, no money.",
    )
    assert (state.owner, state.members_count, state.is_owner) == ("alice", "2 members", False)
    assert board(state) == [
        ("1", "alice", "+0.91u", "+90.9%", "-1.4%", "1-0-0", "W1", "1-0-0"),
        ("2", "bob", "-1.00u", "-100.0%", "-7.6%", "0-1-0", "L1", "0-1-0"),
    ]
    assert [r.is_me for r in state.ranked] == [False, True]
    assert state.unranked == []
    assert state.rules == [
        "Markets: moneyline, spread, total",
        "Prices from -300 to +400",
        "Every pick counts (no daily cap)",
        "Ranked from the first graded pick",
        "Ranked by units",
    ]
    assert [(m.username, m.is_owner, m.is_me) for m in state.members] == [
        ("alice", True, False),
        ("bob", False, True),
    ]


def test_the_priced_out_pick_is_marked_and_an_open_game_stays_hidden(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    bob = open_league(make_state, world, "bob", clock)
    assert world.alice_open_pick not in [p.id for p in bob.picks]  # g2 has not locked
    priced_out = next(p for p in bob.picks if p.id == world.alice_priced_out)
    assert (priced_out.counted, priced_out.reason) == (False, "not counted — price window")
    assert (priced_out.selection, priced_out.price, priced_out.result) == (
        "Boston Celtics",
        "-500",
        "Win",
    )
    counted = [(p.username, p.market, p.selection, p.units) for p in bob.picks if p.counted]
    assert sorted(counted) == [
        ("alice", "Spread", "Boston Celtics -4.5", "+0.91u"),
        ("bob", "Moneyline", "Milwaukee Bucks", "-1.00u"),
    ]
    alice = open_league(make_state, world, "alice", clock)
    assert world.alice_open_pick in [p.id for p in alice.picks]  # her own, open
    assert alice.picks[0].result == "Open"  # newest tip first


def test_the_invite_link_reaches_the_owner_only(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    assert alice.is_owner
    assert alice.invite_link == f"{ORIGIN}/join/{world.code}"
    bob = open_league(make_state, world, "bob", clock)
    assert bob.invite_link == ""
    assert world.code not in repr(bob.dict())


def test_a_non_member_gets_the_message_and_nothing_else(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    carol = open_league(make_state, world, "carol", clock)
    assert (carol.loaded, carol.found) == (True, False)
    assert carol.error != ""
    assert (carol.ranked, carol.unranked, carol.picks, carol.members, carol.rules) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert (carol.name, carol.invite_link, carol.current_id) == ("", "", 0)
    assert run(carol.download_csv()) is None  # nothing to download either
    snapshot = repr(carol.dict())
    assert "alice" not in snapshot and world.code not in snapshot

    unknown = make_state(LeagueState, url="/leagues/999999")
    unknown.token = issue_token(world.users["carol"], clock.now())
    run(unknown.load())
    assert (unknown.found, unknown.ranked) == (False, [])
    assert unknown.error != ""


def test_a_member_removed_meanwhile_loses_the_page_on_the_next_action(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    bob = open_league(make_state, world, "bob", clock)
    with db.session_scope() as session:
        leagues.remove_member(session, world.league_id, world.users["alice"].id, "bob")
    run(bob.set_period("week"))
    assert (bob.found, bob.ranked, bob.picks, bob.members) == (False, [], [], [])
    assert bob.error != ""


def test_a_change_of_player_drops_the_league(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    assert alice.invite_link
    alice._sign_in(issue_token(world.users["bob"], clock.now()))  # bob logs in, same tab
    assert (alice.invite_link, alice.ranked, alice.picks, alice.found) == ("", [], [], False)


def test_periods_switch_the_board_and_an_unknown_one_is_all_time(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    state = open_league(make_state, world, "alice", clock, "?period=week")
    # The clock is Sun Nov 22 noon UTC: this week (from Mon Nov 16) holds g1.
    assert state.period == "week"
    assert [r.units for r in state.ranked] == ["+0.91u", "-1.00u"]
    events = run(state.set_period("month"))
    assert state.period == "month"
    assert events is not None
    run(state.set_period("nonsense"))
    assert state.period == "month"
    odd = open_league(make_state, world, "alice", clock, "?period=decade")
    assert odd.period == "all"


def test_members_short_of_the_minimum_are_listed_apart_with_what_they_need(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    run(alice.start_editing())
    assert alice.editing
    form = {
        "name": "Office",
        "description": "",
        "market_h2h": "on",
        "market_spreads": "on",
        "shortest_price": "",
        "longest_price": "",
        "daily_cap": "",
        "min_ranked": "20",
        "ranking": "adjusted_roi",
    }
    assert run(alice.save_settings(form)) is None
    assert (alice.error_message, alice.editing, alice.notice) == ("", False, "Settings saved.")
    assert alice.rules == [
        "Markets: moneyline, spread",
        "Any price counts",
        "Every pick counts (no daily cap)",
        "Ranked after 20 graded picks",
        "Ranked by sample-adjusted ROI",
    ]
    assert alice.ranked == []
    # No price window now: alice's -500 winner counts (+0.2 + 0.909091 = 1.109091 on 2).
    assert [(r.username, r.units, r.record, r.needed) for r in alice.unranked] == [
        ("alice", "+1.11u", "2-0-0", "18 more graded picks to be ranked"),
        ("bob", "-1.00u", "0-1-0", "19 more graded picks to be ranked"),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shortest_price": "minus three hundred"}, "shortest_price"),
        ({"shortest_price": "-50"}, "shortest_price"),  # not an American price
        ({"shortest_price": "+400", "longest_price": "-300"}, "longest_price"),
        ({"daily_cap": "0"}, "daily_cap"),
        ({"min_ranked": ""}, "min_ranked"),
        ({"name": "   "}, "name"),
        ({"market_h2h": "", "market_spreads": "", "market_totals": ""}, "markets"),
    ],
)
def test_a_bad_setting_is_named_beside_its_field_and_nothing_changes(
    make_state: MakeState, world: World, clock: FixedClock, changes: dict[str, str], field: str
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    run(alice.start_editing())
    form = {
        "name": "Office",
        "description": "",
        "market_h2h": "on",
        "market_spreads": "on",
        "market_totals": "on",
        "shortest_price": "-300",
        "longest_price": "+400",
        "daily_cap": "",
        "min_ranked": "1",
        "ranking": "units",
        **changes,
    }
    events = run(alice.save_settings(form))
    assert alice.error_field == field
    assert alice.error_message and "_" not in alice.error_message  # labels, not API names
    assert alice.editing
    assert any(e["ref"] == f"ref_{field}" for e in events_named(events, "set_focus"))
    assert alice.rules[1] == "Prices from -300 to +400"  # all or nothing


def test_only_the_owner_edits_and_bob_cannot_by_calling_the_handler(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    bob = open_league(make_state, world, "bob", clock)
    run(bob.start_editing())
    assert not bob.editing
    run(bob.save_settings({"name": "Mine now", "market_h2h": "on", "min_ranked": "1"}))
    assert bob.error_message  # the service's 403 message
    with db.session_scope() as session:
        assert leagues.league_detail(session, world.league_id, world.users["bob"].id).name == (
            "Office"
        )
    run(bob.rotate_code())
    assert bob.invite_link == "" and bob.notice_tone == "red"


def test_rotating_the_code_makes_the_old_link_fail(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    run(alice.rotate_code())
    new_code = alice.invite_link.rsplit("/", 1)[1]
    assert new_code != world.code and len(new_code) == 10
    assert alice.notice.startswith("New invite link made")

    carol = make_state(JoinState, url=f"/join/{world.code}")
    carol.token = issue_token(world.users["carol"], clock.now())
    run(carol.load())
    assert (carol.league_name, carol.loaded) == ("", True)
    assert "does not work" in carol.error
    assert run(carol.join()) is None
    assert "wrong" in carol.error.lower() or carol.error

    navigate(carol, f"/join/{new_code.lower()}")  # any case
    run(carol.load())
    assert carol.league_name == "Office"
    assert redirect_target(run(carol.join())) == f"/leagues/{world.league_id}"


def test_the_join_page_sends_a_visitor_to_log_in_and_back(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    visitor = make_state(JoinState, url=f"/join/{world.code}")
    run(visitor.load())
    assert (visitor.league_name, visitor.is_authenticated) == ("Office", False)
    assert unquote(visitor.login_href) == f"/login?next=/join/{world.code}"
    assert unquote(visitor.signup_href) == f"/signup?next=/join/{world.code}"
    target = redirect_target(run(visitor.join()))
    assert target is not None and unquote(target) == f"/login?next=/join/{world.code}"

    bob = make_state(JoinState, url=f"/join/{world.code}")
    bob.token = issue_token(world.users["bob"], clock.now())
    run(bob.load())
    assert (bob.league_name, bob.member_href) == ("Office", f"/leagues/{world.league_id}")
    assert run(bob.join()) is None  # a second membership: the service's 409 message
    assert bob.error

    carol = make_state(JoinState, url=f"/join/{world.code}")
    carol.token = issue_token(world.users["carol"], clock.now())
    run(carol.load())
    assert (carol.league_name, carol.member_href, carol.error) == ("Office", "", "")


def test_my_leagues_create_and_join_by_code(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    bob = make_state(LeaguesState, url="/leagues")
    bob.token = issue_token(world.users["bob"], clock.now())
    assert run(bob.load()) is None
    assert [(line.name, line.members, line.rank, line.is_owner) for line in bob.leagues] == [
        ("Office", "2 members", "2nd", False)
    ]
    events = run(bob.create({"name": "", "description": ""}))
    assert (bob.error_field, bob.error_message) == ("name", "Give the league a name.")
    assert events_named(events, "set_focus")
    target = redirect_target(run(bob.create({"name": "Family", "description": "Sundays"})))
    assert target is not None and target.startswith("/leagues/")

    carol = make_state(LeaguesState, url="/leagues")
    carol.token = issue_token(world.users["carol"], clock.now())
    run(carol.load())
    assert carol.leagues == []
    run(carol.join({"code": "NOPE-NOPE-2"}))
    assert carol.error_field == "code" and carol.error_message
    code = "-".join((world.code[:5].lower(), world.code[5:]))  # as typed: any case, dashes
    assert redirect_target(run(carol.join({"code": code}))) == f"/leagues/{world.league_id}"


def test_the_owner_hands_over_removes_and_cannot_leave_first(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice = open_league(make_state, world, "alice", clock)
    assert run(alice.leave()) is None
    assert alice.notice_tone == "red" and "Hand the league" in alice.notice
    run(alice.hand_over("bob"))
    assert (alice.is_owner, alice.invite_link, alice.owner) == (False, "", "bob")
    assert alice.notice == "bob now owns the league."
    assert redirect_target(run(alice.leave())) == "/leagues"

    bob = open_league(make_state, world, "bob", clock)
    assert bob.is_owner and bob.invite_link.startswith(f"{ORIGIN}/join/")
    assert [m.username for m in bob.members] == ["bob"]
    assert [r.username for r in bob.ranked] == ["bob"]  # alice's picks left with her


def test_remove_member(make_state: MakeState, world: World, clock: FixedClock) -> None:
    alice = open_league(make_state, world, "alice", clock)
    run(alice.remove_member("bob"))
    assert [m.username for m in alice.members] == ["alice"]
    assert alice.notice.startswith("bob is no longer a member")
    bob = open_league(make_state, world, "bob", clock)
    assert (bob.found, bob.ranked) == (False, [])


def test_the_csv_download_carries_the_services_text(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    bob = open_league(make_state, world, "bob", clock)
    (download,) = events_named(run(bob.download_csv()), "download")
    url = download["url"]
    assert url.startswith("data:text/csv;base64,")
    text = base64.b64decode(url.split(",", 1)[1]).decode()
    assert text.splitlines()[0].startswith("tip_off,game_id,matchup,username")
    assert "g2" not in text  # alice's open pick is not bob's to see
    assert download["filename"] == f"league-{world.league_id}-picks.csv"


def test_an_expired_token_sends_the_handler_to_log_in(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    state = make_state(LeagueState, url=f"/leagues/{world.league_id}")
    state.token = issue_token(world.users["alice"], clock.now() - timedelta(days=8))
    target = redirect_target(run(state.load()))
    assert target is not None and target.startswith("/login?next=")
    assert (state.found, state.ranked) == (False, [])
    assert isinstance(state.parent_state, AuthState)


def test_settings_in_words_reads_every_variant() -> None:
    rules = leagues.LeagueSettings(
        markets=("totals",),
        shortest_price=None,
        longest_price=250,
        daily_cap=1,
        min_ranked=0,
        ranking="roi",
    )
    assert settings_in_words(rules) == [
        "Markets: total",
        "Prices no longer than +250",
        "First pick per day counts",
        "Ranked from the first graded pick",
        "Ranked by ROI",
    ]
