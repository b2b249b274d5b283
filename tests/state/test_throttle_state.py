"""The log-in page's throttling: the tab's address is found by the JSON API's rule, from the
socket's peer and its upgrade request's X-Forwarded-For, as Reflex 0.10 records them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reflex.istate.data import HeaderData, ReflexURL, RouterData, SessionData
from sqlalchemy.engine import Engine

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.state.login import LoginState, client_address
from pickvs.state.signup import SignupState
from tests.state.conftest import ORIGIN, run

PASSWORD = "correct horse battery"
PROXY = "10.0.0.2"
MakeState = Callable[..., Any]


def router(peer: str, forwarded_for: str | None = None) -> RouterData:
    """What Reflex builds for a socket: the peer in `client_ip` and as the `asgi-scope-client`
    header, beside the upgrade request's own headers."""
    headers = {"asgi-scope-client": peer}
    if forwarded_for is not None:
        headers["x-forwarded-for"] = forwarded_for
    return RouterData(
        session=SessionData(client_token="tab", client_ip=peer, session_id="sid"),
        headers=HeaderData.from_router_data({"headers": headers}),
        url=ReflexURL(f"{ORIGIN}/login"),
    )


def login_tab(make_state: MakeState, peer: str, forwarded_for: str | None = None) -> LoginState:
    state = make_state(LoginState, url="/login")
    state._get_root_state().router = router(peer, forwarded_for)
    return state


def sign_up(make_state: MakeState, username: str) -> None:
    state = make_state(SignupState, url="/signup")
    run(
        state.submit(
            {"email": f"{username}@example.com", "username": username, "password": PASSWORD}
        )
    )
    assert state.error_message == ""


@pytest.mark.parametrize(
    ("hops", "forwarded_for", "expected"),
    [
        (0, "198.51.100.1", PROXY),  # no trusted proxy: the header is the client's to forge
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, None, PROXY),
        (2, "198.51.100.1, 10.0.0.9", "198.51.100.1"),
    ],
)
def test_the_tab_address_follows_the_api_rule(
    hops: int, forwarded_for: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "trusted_proxy_hops", hops)
    assert client_address(router(PROXY, forwarded_for)) == expected


def test_behind_one_trusted_hop_a_friends_typos_stop_only_that_friend(
    make_state: MakeState, engine: Engine, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "trusted_proxy_hops", 1)
    sign_up(make_state, "ann")
    friend_a = login_tab(make_state, PROXY, "198.51.100.1")
    for _ in range(5):
        run(friend_a.submit({"login": "ann", "password": "not the password"}))
        assert friend_a.error_message == "Wrong username/email or password."

    friend_b = login_tab(make_state, PROXY, "198.51.100.2")
    run(friend_b.submit({"login": "ann", "password": PASSWORD}))
    assert friend_b.is_authenticated and friend_b.error_message == ""

    run(friend_a.submit({"login": "ann", "password": PASSWORD}))
    assert friend_a.error_message == "Too many failed log-ins; wait 1 minute and try again."
    assert not friend_a.is_authenticated

    clock.advance(minutes=1)
    run(friend_a.submit({"login": "ann", "password": PASSWORD}))
    assert friend_a.is_authenticated


def test_without_a_trusted_hop_the_pages_ignore_the_header(
    make_state: MakeState, engine: Engine
) -> None:
    sign_up(make_state, "ann")
    for n in range(5):
        tab = login_tab(make_state, "203.0.113.7", f"192.0.2.{n}")
        run(tab.submit({"login": "ann", "password": "not the password"}))
    tab = login_tab(make_state, "203.0.113.7", "192.0.2.99")
    run(tab.submit({"login": "ann", "password": PASSWORD}))
    assert tab.error_message.startswith("Too many failed log-ins")
