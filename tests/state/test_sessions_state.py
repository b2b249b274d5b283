"""Private state follows the verified player: whatever changes the player, the previous one's
values are dropped before anything reaches the browser.

The tab's state tree is the app's own; the token arrives the ways it does in the app: a log-in
or sign-up handler, Reflex's `update_vars_internal` (another tab's localStorage change), the
hydration snapshot, an expired or logged-out session found by a handler.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken
from reflex.state import UpdateVarsInternalState, _apply_client_storage_vars
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.services import admin, auth
from pickvs.state.admin import AdminState
from pickvs.state.auth import AuthState
from pickvs.state.login import LoginState
from pickvs.state.picks import MyPicksState
from pickvs.state.signup import SignupState
from tests.redis_server import throwaway_redis
from tests.services.builders import PASSWORD, make_game, make_picks, make_user, utc
from tests.state.conftest import issue_token, navigate, run

MakeState = Callable[..., Any]
NOW = utc("2026-11-22T12:00")
TOKEN_KEY = f"{AuthState.get_full_name()}.token"


@pytest.fixture
def league(engine: Engine, clock: FixedClock) -> dict[str, Any]:
    """alice (an admin) with two open picks on tonight's game; bob with none."""
    clock.set(NOW)
    with db.session_scope() as session:
        alice = make_user(session, "alice", NOW)
        admin.make_admin(session, "alice")
        make_user(session, "bob", NOW)
        make_game(session, "g1", NOW + timedelta(hours=7))
        picks = make_picks(
            session, alice, NOW, ("g1", "h2h", "Boston Celtics"), ("g1", "totals", "Over")
        )
        pick_ids = [pick.id for pick in picks]
    return {"pick_ids": pick_ids}


def alice_tab(make_state: MakeState) -> tuple[rx.State, MyPicksState, AdminState]:
    """One tab where alice opened My picks and the admin page."""
    picks = make_state(MyPicksState, url="/picks")
    root = picks._get_root_state()
    run(root.get_substate(LoginState._get_substate_path()[1:]).submit(
        {"login": "alice", "password": PASSWORD}
    ))  # fmt: skip
    assert picks.load() is None and len(picks.rows) == 2
    admin_state = root.get_substate(AdminState._get_substate_path()[1:])
    navigate(root, "/admin")
    assert admin_state.load() is None
    assert admin_state.rows["games"] and admin_state.credits
    assert isinstance(admin_state, AdminState)
    root._clean()  # what the browser already has
    return root, picks, admin_state


def assert_dropped(picks: MyPicksState, admin_state: AdminState) -> None:
    assert (picks.rows, picks.loaded, picks.total) == ([], False, 0)
    assert all(rows == [] for rows in admin_state.rows.values())
    assert (admin_state.credits, admin_state.credits_percent) == ({}, 0)


def delta_of(root: rx.State) -> dict[str, Any]:
    return asyncio.run(root._get_resolved_delta())


def carries_alices_data(payload: dict[str, Any], pick_ids: list[int]) -> bool:
    """Whether a delta or snapshot holds alice's picks or any admin row."""
    picks = payload.get(MyPicksState.get_full_name(), {})
    admin_rows = payload.get(AdminState.get_full_name(), {}).get("rows_rx_state_", {})
    text = json.dumps(picks.get("rows_rx_state_", []), default=str)
    return any(f'"id": {pick_id}' in text for pick_id in pick_ids) or any(admin_rows.values())


def test_logging_in_as_someone_else_in_the_same_tab_drops_the_previous_players_state(
    make_state: MakeState, league: dict[str, Any]
) -> None:
    root, picks, admin_state = alice_tab(make_state)
    login = root.get_substate(LoginState._get_substate_path()[1:])
    navigate(root, "/login")

    run(login.submit({"login": "bob", "password": PASSWORD}))

    assert login.username == "bob"
    assert_dropped(picks, admin_state)
    delta = delta_of(root)  # bob's first update resets what the browser holds of alice's
    assert delta[MyPicksState.get_full_name()]["rows_rx_state_"] == []
    assert not carries_alices_data(delta, league["pick_ids"])


def test_signing_up_in_a_tab_that_held_a_player_drops_their_state(
    make_state: MakeState, league: dict[str, Any]
) -> None:
    root, picks, admin_state = alice_tab(make_state)
    signup = root.get_substate(SignupState._get_substate_path()[1:])

    run(signup.submit({"email": "cyd@example.com", "username": "cyd", "password": PASSWORD}))

    assert signup.username == "cyd"
    assert_dropped(picks, admin_state)


@pytest.mark.parametrize("new_token", ["", "bob"])
def test_a_token_from_another_tab_drops_the_previous_players_state(
    make_state: MakeState, league: dict[str, Any], clock: FixedClock, new_token: str
) -> None:
    """Log-out (token cleared) or another log-in in a second tab reach this tab through
    Reflex's update_vars_internal; the delta that follows resets the admin page it shows."""
    root, picks, admin_state = alice_tab(make_state)
    if new_token:
        with db.session_scope() as session:
            bob = make_user(session, "bobby", NOW)
            new_token = auth.create_token(session, bob, NOW)
    updater = root.get_substate(UpdateVarsInternalState._get_substate_path()[1:])

    run(updater.update_vars_internal({TOKEN_KEY: new_token}))
    delta = delta_of(root)

    assert_dropped(picks, admin_state)
    assert not carries_alices_data(delta, league["pick_ids"])
    assert all(rows == [] for rows in delta[AdminState.get_full_name()]["rows_rx_state_"].values())


def test_a_reconnecting_tab_with_another_players_token_gets_no_previous_state(
    make_state: MakeState, league: dict[str, Any]
) -> None:
    """The full snapshot a (re)connecting tab receives (hydration) follows the token the
    browser sends, not the one the server last saw."""
    root, picks, admin_state = alice_tab(make_state)
    with db.session_scope() as session:
        bob_token = auth.create_token(session, make_user(session, "bobby", NOW), NOW)
    root._reset_client_storage()  # what hydration does first
    asyncio.run(_apply_client_storage_vars(root, {TOKEN_KEY: bob_token}))

    snapshot = root.dict()

    assert not carries_alices_data(snapshot, league["pick_ids"])
    assert_dropped(picks, admin_state)


def test_the_same_player_reconnecting_keeps_their_state(
    make_state: MakeState, league: dict[str, Any]
) -> None:
    root, picks, admin_state = alice_tab(make_state)
    token = picks.token
    root._reset_client_storage()
    asyncio.run(_apply_client_storage_vars(root, {TOKEN_KEY: token}))

    root.dict()

    assert len(picks.rows) == 2 and admin_state.rows["games"]


@pytest.mark.parametrize("ending", ["expired", "logged out everywhere"])
def test_an_ended_session_drops_every_private_state_at_the_next_handler(
    make_state: MakeState, league: dict[str, Any], clock: FixedClock, ending: str
) -> None:
    root, picks, admin_state = alice_tab(make_state)
    if ending == "expired":
        clock.advance(days=8)
    else:
        with db.session_scope() as session:
            auth.end_all_sessions(session, picks.token, clock.now())

    events = picks.set_show("pending")

    assert events is not None  # to the log-in page
    assert picks.token == "" and picks.is_authenticated is False
    assert_dropped(picks, admin_state)
    assert not carries_alices_data(delta_of(root), league["pick_ids"])


def test_page_log_out_ends_the_session_on_the_server(
    make_state: MakeState, league: dict[str, Any], clock: FixedClock
) -> None:
    root, picks, admin_state = alice_tab(make_state)
    token = picks.token
    auth_state = root.get_substate(AuthState._get_substate_path()[1:])

    auth_state.logout()

    assert_dropped(picks, admin_state)
    with db.session_scope() as session, pytest.raises(auth.NotAuthenticated):
        auth.current_user(session, token, clock.now())


# --- several workers: Reflex's Redis state manager ----------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_redis(Path(tmp_path_factory.mktemp("redis"))) as url:
        yield url


async def _event(
    manager: StateManagerRedis,
    client_token: str,
    state_cls: type[rx.State],
    url: str,
    handler: Callable[[Any], Any],
) -> Any:
    """One event as a worker runs it: load only `state_cls`'s part of the tree from Redis,
    run the handler, persist what changed."""
    token = BaseStateToken(ident=client_token, cls=state_cls)
    root = await manager.get_state(token)
    navigate(root, url)
    root.router = root.router.__class__(
        session=root.router.session.__class__(client_token=client_token, client_ip="127.0.0.1"),
        url=root.router.url,
    )
    state = root.get_substate(state_cls._get_substate_path()[1:])
    result = handler(state)
    if asyncio.iscoroutine(result):
        result = await result
    await manager.set_state(token, root)
    return state


def test_on_redis_states_not_loaded_at_the_switch_are_dropped_too(
    league: dict[str, Any], redis_url: str
) -> None:
    """alice's My picks and admin rows sit in Redis; bob logs in through an event that loads
    neither: their Redis copies must be gone, not merely the loaded ones."""
    alice_token = issue_token_for("alice")

    async def scenario() -> tuple[MyPicksState, AdminState, LoginState]:
        manager = StateManagerRedis(redis=Redis.from_url(redis_url))
        tab = "tab-redis-1"
        try:

            def sign_in(state: AuthState) -> None:
                state.token = alice_token

            await _event(manager, tab, MyPicksState, "/picks", sign_in)
            picks = await _event(manager, tab, MyPicksState, "/picks", lambda s: s.load())
            assert len(picks.rows) == 2
            admin_state = await _event(manager, tab, AdminState, "/admin", lambda s: s.load())
            assert admin_state.rows["games"]

            login = await _event(
                manager,
                tab,
                LoginState,
                "/login",
                lambda s: s.submit({"login": "bob", "password": PASSWORD}),
            )
            picks_after = await _event(manager, tab, MyPicksState, "/picks", lambda s: None)
            admin_after = await _event(manager, tab, AdminState, "/admin", lambda s: None)
            return picks_after, admin_after, login
        finally:
            await manager.redis.aclose()

    picks, admin_state, login = asyncio.run(scenario())
    assert login.username == "bob"
    assert_dropped(picks, admin_state)


def issue_token_for(username: str) -> str:
    with db.session_scope() as session:
        from pickvs.services.users import get_by_username

        user = get_by_username(session, username)
        assert user is not None
        return auth.create_token(session, user, NOW)


def test_issue_token_helper_names_a_live_session(league: dict[str, Any]) -> None:
    with db.session_scope() as session:
        from pickvs.services.users import get_by_username

        alice = get_by_username(session, "alice")
    assert alice is not None
    token = issue_token(alice, NOW)
    with db.session_scope() as session:
        assert auth.current_user(session, token, NOW).username == "alice"
