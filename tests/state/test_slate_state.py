"""The slate state: bounded days, picks taken at the server's line, changing and withdrawing,
refusals that change nothing, a forged token, and other players' picks hidden until lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.models import Pick, User
from pickvs.services import auth
from pickvs.state.slate import SlateState
from pickvs.state.slate_views import CardView, SideView
from tests.services.builders import Book, make_game, make_picks, make_user, utc
from tests.state.conftest import redirect_target, run

MakeState = Callable[..., Any]
NOW = utc("2026-11-22T12:00")  # the `clock` fixture's start: 7 am ET, Sunday Nov 22
TIPS = {
    "tonight": utc("2026-11-23T00:30"),  # 7:30 pm EST Sunday (UTC date Nov 23)
    "noon": utc("2026-11-22T17:00"),  # noon EST Sunday
    "nolines": utc("2026-11-23T01:00"),  # 8 pm EST Sunday, no total offered
    "tuesday": utc("2026-11-25T03:00"),  # 10 pm EST Tuesday: the third slate day
    "wednesday": utc("2026-11-25T17:00"),  # noon Wednesday: beyond the slate
}
AWAY, HOME = "Milwaukee Bucks", "Boston Celtics"


@pytest.fixture
def league(engine: Engine) -> dict[str, str]:
    """The games, and tokens for alice and bob."""
    with db.session_scope() as session:
        for game_id, tip in TIPS.items():
            books = [Book("draftkings"), Book("fanduel", h2h=(-190, 165))]
            if game_id == "nolines":
                books = [Book("draftkings", totals=None)]
            make_game(session, game_id, tip, *books, fetched_at=NOW - timedelta(hours=2))
        users = {name: make_user(session, name, NOW) for name in ("alice", "bob")}
        return {name: auth.create_token(session, user, NOW) for name, user in users.items()}


def slate_for(make_state: MakeState, token: str) -> SlateState:
    state = make_state(SlateState, url="/")
    state.token = token
    assert run(state.load()) is None
    return state


def card(state: SlateState, game_id: str) -> CardView:
    return next(c for day in state.days for c in day.cards if c.id == game_id)


def side(state: SlateState, game_id: str, market: str, selection: str) -> SideView:
    markets = {m.market: m for m in card(state, game_id).markets}
    return next(s for s in markets[market].sides if s.selection == selection)


def pick_id(state: SlateState, game_id: str, market: str, selection: str) -> int:
    """The player's pick on a side as the button sees it (0: not pressed)."""
    return state.picked.get(side(state, game_id, market, selection).key, 0)


def saved_picks(username: str) -> list[tuple[str, str, str, str, int, float | None]]:
    """What the database holds for a player: game, market, selection and the line taken."""
    with db.session_scope() as session:
        stmt = (
            select(Pick)
            .join(User, User.id == Pick.user_id)
            .where(User.username == username)
            .order_by(Pick.game_id, Pick.market)
        )
        rows = session.execute(stmt).scalars()
        return [(p.game_id, p.market, p.selection, p.bookmaker, p.price, p.point) for p in rows]


def test_load_shows_today_and_the_next_two_slate_days(
    make_state: MakeState, league: dict[str, str]
) -> None:
    state = slate_for(make_state, league["alice"])

    assert [day.heading for day in state.days] == ["Sunday, Nov 22", "Tuesday, Nov 24"]
    assert [[c.id for c in day.cards] for day in state.days] == [
        ["noon", "tonight", "nolines"],
        ["tuesday"],
    ]
    tonight = card(state, "tonight")
    assert (tonight.matchup, tonight.tip, tonight.is_open) == (
        f"{AWAY} @ {HOME}",
        "7:30 PM EST",
        True,
    )
    assert tonight.books == "Lines: DraftKings"
    bucks = side(state, "tonight", "h2h", AWAY)
    assert (bucks.main, bucks.sub, bucks.best, bucks.key) == (
        "+150",
        "",
        "best +165 FanDuel",
        "tonight/h2h/away",
    )
    assert state.picked == {}
    assert bucks.label == "Pick Milwaukee Bucks moneyline +150"
    assert side(state, "tonight", "h2h", HOME).best == ""  # the reference book pays most
    spread = side(state, "tonight", "spreads", HOME)
    assert (spread.main, spread.sub, spread.label) == (
        "-4.5",
        "-110",
        "Pick Boston Celtics spread -4.5 -110",
    )
    over = side(state, "tonight", "totals", "Over")
    assert (over.main, over.sub, over.label) == ("O 227.5", "-108", "Pick Over total 227.5 -108")
    no_total = {m.market: m.has_line for m in card(state, "nolines").markets}
    assert no_total == {"h2h": True, "spreads": True, "totals": False}
    assert state.next_lock_at == "2026-11-22T17:00:00+00:00"
    assert state.next_lock_tip == "12:00 PM EST"
    assert state.loaded


def test_a_pick_is_saved_at_the_servers_line_then_changed_and_withdrawn(
    make_state: MakeState, league: dict[str, str]
) -> None:
    state = slate_for(make_state, league["alice"])

    assert run(state.choose("tonight", "spreads", AWAY)) is None
    assert saved_picks("alice") == [("tonight", "spreads", AWAY, "draftkings", -110, 4.5)]
    assert (state.notice_game, state.notice_is_error) == ("tonight", False)
    assert state.notice == "Picked Milwaukee Bucks spread +4.5 -110 (DraftKings)."
    assert pick_id(state, "tonight", "spreads", AWAY) > 0  # the button shows pressed
    assert pick_id(state, "tonight", "spreads", HOME) == 0

    run(state.choose("tonight", "spreads", HOME))  # the other side changes the pick
    assert saved_picks("alice") == [("tonight", "spreads", HOME, "draftkings", -110, -4.5)]
    assert pick_id(state, "tonight", "spreads", AWAY) == 0
    mine = pick_id(state, "tonight", "spreads", HOME)
    assert mine > 0
    assert state.picked == {"tonight/spreads/home": mine}  # the one pick, nothing stale

    run(state.choose("tonight", "spreads", HOME, mine))  # pressing it again withdraws
    assert saved_picks("alice") == []
    assert state.notice == "Withdrew your spread pick on Boston Celtics."
    assert pick_id(state, "tonight", "spreads", HOME) == 0
    assert state.picked == {}


def test_a_pick_that_goes_through_sends_only_the_picks_and_the_notice(
    make_state: MakeState, league: dict[str, str]
) -> None:
    state = slate_for(make_state, league["alice"])
    state._clean()  # what the page already holds after loading

    run(state.choose("tonight", "h2h", AWAY))

    # (backend vars, named with "_", stay on the server)
    sent = {name for name in state.dirty_vars if not name.startswith("_")}
    assert sent == {"picked", "notice", "notice_game", "notice_is_error"}
    state._clean()
    run(state.choose("missing", "h2h", AWAY))  # a refusal re-reads the whole slate...
    assert "notice" in state.dirty_vars
    # ...and resends only what changed: here nothing on the cards.
    assert not {"days", "picked"} & state.dirty_vars


@pytest.mark.parametrize(
    ("game_id", "market", "selection", "message"),
    [
        ("nolines", "totals", "Over", "There is no total line for this game yet."),
        ("tonight", "h2h", "Los Angeles Lakers", "is not a team in"),
        ("missing", "h2h", AWAY, "No game with id 'missing'."),
    ],
)
def test_a_refused_pick_shows_the_services_message(
    make_state: MakeState,
    league: dict[str, str],
    game_id: str,
    market: str,
    selection: str,
    message: str,
) -> None:
    state = slate_for(make_state, league["alice"])

    run(state.choose(game_id, market, selection))

    assert message in state.notice
    assert (state.notice_game, state.notice_is_error) == (game_id, True)
    assert saved_picks("alice") == []


def test_the_same_side_twice_is_refused_and_nothing_changes(
    make_state: MakeState, league: dict[str, str]
) -> None:
    state = slate_for(make_state, league["alice"])
    run(state.choose("tonight", "h2h", AWAY))
    stale = make_state(SlateState)  # another tab that has not reloaded
    stale.token = league["alice"]

    run(stale.choose("tonight", "h2h", AWAY))

    assert stale.notice == "You already picked Milwaukee Bucks in this market."
    assert saved_picks("alice") == [("tonight", "h2h", AWAY, "draftkings", 150, None)]


def test_after_lock_a_pick_change_or_withdrawal_is_refused(
    make_state: MakeState, league: dict[str, str], clock: FixedClock
) -> None:
    state = slate_for(make_state, league["alice"])
    run(state.choose("noon", "h2h", HOME))
    noon_pick = pick_id(state, "noon", "h2h", HOME)
    before = saved_picks("alice")
    clock.set(TIPS["noon"])  # tip-off: still "scheduled" in the database, but locked

    run(state.choose("noon", "h2h", AWAY))
    assert state.notice == "This game is locked: picks closed at tip-off."
    assert (state.notice_game, state.notice_is_error) == ("noon", True)
    run(state.choose("noon", "totals", "Over"))
    assert state.notice == "This game is locked: picks closed at tip-off."
    run(state.choose("noon", "h2h", HOME, noon_pick))
    assert state.notice == "This game is locked: the pick can no longer be withdrawn."

    assert saved_picks("alice") == before
    assert card(state, "noon").is_open is False  # the reload shows it locked
    assert pick_id(state, "noon", "h2h", HOME) == noon_pick
    assert state.next_lock_at == "2026-11-23T00:30:00+00:00"


def test_a_forged_or_expired_token_goes_to_log_in_and_saves_nothing(
    make_state: MakeState, league: dict[str, str], clock: FixedClock
) -> None:
    state = slate_for(make_state, league["alice"])
    with db.session_scope() as session:
        alice_id = auth.current_user(session, league["alice"], NOW).id
    forged = jwt.encode(
        {"sub": str(alice_id), "name": "alice", "exp": 4102444800},
        "not-the-server-key-but-long-enough-for-hs256",
        algorithm="HS256",
    )
    state.token = forged

    assert redirect_target(run(state.choose("tonight", "h2h", AWAY))) == "/login?next=/"
    assert (state.token, state.days, state.is_authenticated) == ("", [], False)
    assert saved_picks("alice") == []

    state = slate_for(make_state, league["alice"])
    clock.advance(days=8)  # the token expires while the tab stays open
    assert redirect_target(run(state.choose("tonight", "h2h", AWAY))) == "/login?next=/"
    # Token gone: the slate's load is the page's guard, and sends the tab to log in.
    assert redirect_target(run(state.load())) == "/login?next=/"
    assert saved_picks("alice") == []


def test_other_players_picks_stay_out_of_the_state_until_lock(
    make_state: MakeState, league: dict[str, str], clock: FixedClock
) -> None:
    with db.session_scope() as session:
        bob = auth.current_user(session, league["bob"], NOW)
        make_picks(session, bob, NOW, ("noon", "h2h", HOME), ("tonight", "totals", "Under"))
    alice = slate_for(make_state, league["alice"])
    run(alice.choose("tonight", "h2h", AWAY))

    everything = repr(alice.dict())
    assert "Milwaukee Bucks" in everything and "bob" not in everything
    assert all(c.picks == [] for day in alice.days for c in day.cards)

    clock.set(TIPS["noon"])
    run(alice.load())

    shown = [(p.username, p.market, p.selection) for p in card(alice, "noon").picks]
    assert shown == [("bob", "Moneyline", "Boston Celtics -180")]
    assert card(alice, "tonight").picks == []  # still open: bob's Under stays hidden
    assert "Under -112" not in repr(alice.dict())
