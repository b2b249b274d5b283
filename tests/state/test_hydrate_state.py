"""A cold load's hydration, run through Reflex's own `hydrate_and_load`: the slate's data rides
in the tab's first update (the snapshot) for the verified player only, the update that follows it
(the browser's storage replayed) repeats none of it, and the page's on_load then reads nothing
again. The deltas checked are what the event socket carries to the browser."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import jwt
import pytest
import reflex as rx
from reflex_base.event.context import EventContext
from reflex_base.registry import RegistrationContext
from reflex_base.utils.format import json_dumps
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.services import auth
from pickvs.state.auth import AuthState
from pickvs.state.nav import NavState
from pickvs.state.slate import SNAPSHOT_STANDS, SlateState
from tests.services.builders import make_picks
from tests.state import test_slate_state
from tests.state.conftest import navigate, redirect_target, run
from tests.state.test_slate_state import AWAY, HOME, NOW
from tests.statements import statements

league = test_slate_state.league  # the same games and players as the slate's own tests
Delta = dict[str, dict[str, Any]]
SLATE = SlateState.get_full_name()
NAV = NavState.get_full_name()
TOKEN_KEY = f"{AuthState.get_full_name()}.token"


class _Pages:
    """The one thing `hydrate_and_load` asks of the app: the page's on_load events (as
    pickvs.pickvs registers them for these two routes)."""

    def get_load_events(self, path: str) -> list[Any]:
        return {"/": [SlateState.load], "/picks": [AuthState.require_login]}.get(path, [])


def hydrate(root: rx.State, token: str) -> list[Delta]:
    """Run Reflex's `hydrate_and_load` on `root` with `token` in the browser's storage, as a
    (re)connecting tab sends it; returns the updates it sends, in order."""
    sent: list[Delta] = []

    async def emit(_token: str, delta: Delta) -> None:
        sent.append(json.loads(json_dumps(delta)))  # as the event socket serialises it

    async def enqueue(_token: str, *_events: Any) -> None:
        return None

    pages = RegistrationContext.get().fork()
    pages._set_app(_Pages())  # type: ignore[arg-type]
    tab = EventContext(token="tab", state_manager=None, enqueue_impl=enqueue, emit_delta_impl=emit)  # type: ignore[arg-type]

    async def connect() -> None:
        with pages, tab:
            await root.hydrate_and_load(vars={TOKEN_KEY: token})

    asyncio.run(connect())
    return sent


def new_tab(path: str = "/") -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    navigate(root, path)
    return root


def slate_of(root: rx.State) -> SlateState:
    state = root.get_substate(SLATE.split(".")[1:])
    assert isinstance(state, SlateState)
    return state


def cards(delta: Delta) -> list[str]:
    days = delta.get(SLATE, {}).get("days_rx_state_", [])
    return [card["id"] for day in days for card in day["cards"]]


def reads_odds(sql: list[str]) -> bool:
    """Whether any of these statements read the odds table (what a slate read does)."""
    return any(re.search(r"\bodds\b", statement) for statement in sql)


def test_the_first_update_carries_the_slate_and_the_next_repeats_none_of_it(
    league: dict[str, str], engine: Engine
) -> None:
    root = new_tab()
    snapshot, replay = hydrate(root, league["alice"])

    assert cards(snapshot) == ["noon", "tonight", "nolines", "tuesday"]
    assert snapshot[SLATE]["loaded_rx_state_"] is True
    # The replay carries the browser's token and what depends on it, nothing of the slate.
    assert SLATE not in replay and NAV not in replay
    assert replay[AuthState.get_full_name()]["username_rx_state_"] == "alice"
    assert len(json_dumps(replay)) < 1024

    # The page's on_load, next in the chain: no second read, and the navbar gets its count.
    slate = slate_of(root)
    with statements(engine) as run_sql:
        assert run(slate.load()) is None
    assert run_sql == []
    assert slate.get_delta().get(SLATE, {}).get("days_rx_state_") is None  # nothing resent
    assert run(slate.get_state(NavState)).unpicked == 3  # noon, tonight, nolines: today

    # Coming back to the slate later (a link, not a new connection) reads it again.
    with statements(engine) as run_sql:
        run(slate.load())
    assert reads_odds(run_sql)


def test_a_snapshot_whose_on_load_came_late_is_read_again(
    league: dict[str, str], engine: Engine, clock: FixedClock
) -> None:
    """The on_load chain was cut short (the player moved on at once); the tab comes back to
    the slate a minute later: the snapshot's read no longer stands in for its own."""
    root = new_tab()
    hydrate(root, league["alice"])
    clock.advance(seconds=SNAPSHOT_STANDS.total_seconds() + 1)
    with statements(engine) as run_sql:
        assert run(slate_of(root).load()) is None
    assert reads_odds(run_sql)


def test_no_slate_in_the_snapshot_without_a_verified_player(
    league: dict[str, str], engine: Engine
) -> None:
    forged = jwt.encode(
        {"sub": "1", "name": "alice", "exp": 4102444800},
        "not-the-server-key-but-long-enough-for-hs256",
        algorithm="HS256",
    )
    for token in ("", forged):
        root = new_tab()
        sent = hydrate(root, token)
        assert all(cards(delta) == [] for delta in sent)
        assert sent[0].get(SLATE, {}).get("loaded_rx_state_") in (None, False)
        assert "Milwaukee Bucks" not in json.dumps(sent)
        # The on_load then sends the visitor to log in.
        assert redirect_target(run(slate_of(root).load())) == "/login?next=/"


def test_a_reconnect_with_another_players_token_sends_only_theirs(
    league: dict[str, str], engine: Engine
) -> None:
    with db.session_scope() as session:
        alice = auth.current_user(session, league["alice"], NOW)
        (pick,) = make_picks(session, alice, NOW, ("tonight", "h2h", AWAY))
        alice_pick = pick.id
    root = new_tab()
    (snapshot, _) = hydrate(root, league["alice"])
    assert alice_pick in snapshot[SLATE]["picked_rx_state_"].values()

    # The same tab reconnects after bob logged in in another tab: a full snapshot, his slate.
    root.is_hydrated = True
    sent = hydrate(root, league["bob"])
    assert sent[0][SLATE]["picked_rx_state_"] == {}
    assert cards(sent[0]) == ["noon", "tonight", "nolines", "tuesday"]
    assert f'"{alice_pick}"' not in json.dumps(sent) and HOME in json.dumps(sent)


def test_a_change_of_player_drops_the_snapshots_read(
    league: dict[str, str], engine: Engine
) -> None:
    """Bob logs in from another tab between alice's snapshot and her page's on_load: alice's
    slate and the mark that it was just read both go, and bob's on_load reads his own."""
    root = new_tab()
    hydrate(root, league["alice"])
    slate = slate_of(root)
    assert slate._snapshot_at == NOW and slate.days

    slate.token = league["bob"]  # the token another tab stored, as Reflex applies it
    root.get_delta()  # the update carrying it: a change of player resets alice's values
    assert slate._snapshot_at is None and slate.days == [] and slate.picked == {}
    with statements(engine) as run_sql:
        assert run(slate.load()) is None
    assert reads_odds(run_sql)
    assert slate.username == "bob" and slate.days and slate.loaded


@pytest.mark.parametrize("path", ["/picks", "/leaderboard"])
def test_other_pages_snapshots_read_no_slate(
    league: dict[str, str], engine: Engine, path: str
) -> None:
    root = new_tab(path)
    with statements(engine) as run_sql:
        sent = hydrate(root, league["alice"])
    assert all(cards(delta) == [] for delta in sent)
    assert not reads_odds(run_sql)


def test_a_snapshot_outside_hydration_reads_nothing(league: dict[str, str], engine: Engine) -> None:
    """`dict()` is also what a state's repr prints: once the tab is hydrated it loads nothing
    and leaves every pending change to be sent."""
    root = new_tab()
    root.is_hydrated = True
    slate = slate_of(root)
    slate.token = league["alice"]
    slate._follow_viewer()  # alice's tab: her values are kept from here on
    slate.notice = "kept"
    with statements(engine) as run_sql:
        repr(root)
    assert not reads_odds(run_sql)
    assert slate.loaded is False
    assert root.get_delta()[SLATE]["notice_rx_state_"] == "kept"
