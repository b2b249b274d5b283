"""The auth state: sign-up, log-in, the verified player vars, log-out and the page guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
import pytest
import reflex as rx
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.domain.throttle import POLICY
from pickvs.models import User
from pickvs.services import admin
from pickvs.services.users import get_by_username
from pickvs.state import routes
from pickvs.state.auth import AuthState
from pickvs.state.login import LoginState
from pickvs.state.signup import SignupState
from tests.state.conftest import events_named, focused, navigate, redirect_target, run

PASSWORD = "correct horse battery"
MakeState = Callable[..., Any]


def sign_up(make_state: MakeState, username: str = "ann", url: str = "/signup") -> SignupState:
    state = make_state(SignupState, url=url)
    events = run(
        state.submit(
            {"email": f"{username}@example.com", "username": username, "password": PASSWORD}
        )
    )
    assert state.error_message == "", state.error_message
    assert redirect_target(events) is not None
    return state


def make_admin(username: str) -> None:
    with db.session_scope() as session:
        admin.make_admin(session, username)


class AccountEmailState(AuthState):
    """A page state written the way every private page's is: the handler re-verifies."""

    email: str = ""

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            self.email = player.email
        return None


# --- sign-up ------------------------------------------------------------------------------


def test_sign_up_logs_the_player_in_and_goes_to_next(make_state: MakeState, engine: Engine) -> None:
    state = make_state(SignupState, url="/signup?next=/picks")

    events = run(
        state.submit({"email": "Ann@Example.com", "username": "Ann", "password": PASSWORD})
    )

    assert redirect_target(events) == "/picks"
    assert state.token
    assert (state.is_authenticated, state.username, state.is_admin) == (True, "Ann", False)
    assert (state.error_message, state.error_field) == ("", "")


def test_taken_username_is_shown_at_the_username_field(
    make_state: MakeState, engine: Engine
) -> None:
    sign_up(make_state, "ann")
    state = make_state(SignupState)

    events = run(
        state.submit({"email": "other@example.com", "username": "ANN", "password": PASSWORD})
    )

    assert (state.error_field, state.error_message) == ("username", "That username is taken.")
    assert focused(events) == ["username"]
    assert redirect_target(events) is None
    assert (state.token, state.is_authenticated) == ("", False)


def test_a_73_byte_password_is_refused_at_the_password_field(
    make_state: MakeState, engine: Engine
) -> None:
    state = make_state(SignupState)

    events = run(
        state.submit({"email": "bo@example.com", "username": "bob", "password": "é" * 36 + "x"})
    )

    assert state.error_field == "password"
    assert state.error_message == "Password must be at most 72 bytes."
    assert focused(events) == ["password"]
    assert state.token == ""


def test_bad_email_and_missing_fields_name_their_field(
    make_state: MakeState, engine: Engine
) -> None:
    state = make_state(SignupState)

    run(state.submit({"email": "not-an-email", "username": "bob", "password": PASSWORD}))
    assert state.error_field == "email"

    run(state.submit({}))  # a tampered form: nothing submitted at all
    assert state.error_field == "email"
    assert state.token == ""


# --- log-in -------------------------------------------------------------------------------


@pytest.mark.parametrize("login_name", ["ann", "ANN@example.com"])
def test_log_in_with_username_or_email(
    make_state: MakeState, engine: Engine, login_name: str
) -> None:
    sign_up(make_state, "ann")
    state = make_state(LoginState, url="/login?next=/leaderboard")

    events = run(state.submit({"login": login_name, "password": PASSWORD}))

    assert redirect_target(events) == "/leaderboard"
    assert (state.is_authenticated, state.username) == (True, "ann")


@pytest.mark.parametrize(
    "next_param", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/login"]
)
def test_next_must_be_a_local_page(make_state: MakeState, engine: Engine, next_param: str) -> None:
    sign_up(make_state, "ann")
    state = make_state(LoginState)
    navigate(state, f"/login?next={next_param}")

    events = run(state.submit({"login": "ann", "password": PASSWORD}))

    assert redirect_target(events) == "/"


def test_wrong_password_is_shown_at_the_password_field(
    make_state: MakeState, engine: Engine
) -> None:
    sign_up(make_state, "ann")
    state = make_state(LoginState)

    events = run(state.submit({"login": "ann", "password": "not the password"}))

    assert state.error_field == "password"
    assert state.error_message == "Wrong username/email or password."
    assert events_named(events, "set_value") == [{"ref": "ref_password", "value": ""}]
    assert focused(events) == ["password"]
    assert (state.token, state.is_authenticated) == ("", False)

    # The next attempt starts clean.
    run(state.submit({"login": "ann", "password": PASSWORD}))
    assert (state.error_message, state.error_field, state.is_authenticated) == ("", "", True)


def test_log_in_is_throttled_after_five_failures(
    make_state: MakeState, engine: Engine, clock: FixedClock
) -> None:
    sign_up(make_state, "ann")
    state = make_state(LoginState)
    for _ in range(5):
        run(state.submit({"login": "ann", "password": "not the password"}))
        assert state.error_message == "Wrong username/email or password."

    run(state.submit({"login": "ann", "password": PASSWORD}))  # even the right password waits
    assert state.error_message == "Too many failed log-ins; wait 1 minute and try again."
    assert state.error_field == "password"
    assert state.token == ""

    clock.advance(minutes=1)
    run(state.submit({"login": "ann", "password": PASSWORD}))
    assert state.is_authenticated


def test_throttling_counts_per_client_address(make_state: MakeState, engine: Engine) -> None:
    sign_up(make_state, "ann")
    attacker = make_state(LoginState, client_ip="198.51.100.7")
    for n in range(POLICY.client_budget):
        run(attacker.submit({"login": f"name{n}", "password": "guess guess"}))

    run(attacker.submit({"login": "ann", "password": PASSWORD}))
    assert attacker.error_message.startswith("Too many failed log-ins")

    elsewhere = make_state(LoginState, client_ip="203.0.113.9")
    run(elsewhere.submit({"login": "ann", "password": PASSWORD}))
    assert elsewhere.is_authenticated


# --- the verified player ------------------------------------------------------------------


def test_an_expired_token_reads_as_logged_out(
    make_state: MakeState, engine: Engine, clock: FixedClock
) -> None:
    state = sign_up(make_state, "ann")
    token = state.token
    clock.advance(days=8)

    # A new tab (or a reload) holding the old token sees logged-out values...
    tab = make_state(AuthState)
    tab.token = token
    assert (tab.is_authenticated, tab.username, tab.is_admin) == (False, "", False)

    # ...and the open tab's guard re-verifies, forgets the token and sends it to log in.
    events = state.require_login()
    assert redirect_target(events) == "/login?next=/"
    assert (state.token, state.is_authenticated, state.username) == ("", False, "")


def test_a_forged_token_reads_as_logged_out(make_state: MakeState, engine: Engine) -> None:
    sign_up(make_state, "ann")
    with db.session_scope() as session:
        ann = get_by_username(session, "ann")
        assert ann is not None
        claims = {"sub": str(ann.id), "name": "ann", "exp": 4102444800}
    forged = jwt.encode(claims, "not-the-server-key-but-long-enough-for-hs256", algorithm="HS256")
    state = make_state(AuthState)

    for token in (forged, "garbage", forged + "x"):
        state.token = token
        assert (state.is_authenticated, state.username) == (False, "")


def test_a_deleted_account_logs_out_at_the_next_check(
    make_state: MakeState, engine: Engine
) -> None:
    state = sign_up(make_state, "ann")
    login = make_state(LoginState)  # any substate reaches the player through `_player`
    login.token = state.token
    with db.session_scope() as session:
        session.delete(get_by_username(session, "ann"))

    with db.session_scope() as session:
        assert login._player(session) is None
    assert (login.token, login.is_authenticated) == ("", False)
    assert redirect_target(login._relogin()) == "/login?next=/"


def test_player_is_verified_in_the_handlers_own_session(
    make_state: MakeState, engine: Engine
) -> None:
    sign_up(make_state, "ann")
    login = make_state(LoginState, url="/picks?day=2")
    run(login.submit({"login": "ann", "password": PASSWORD}))

    with db.session_scope() as session:
        player = login._player(session)
        assert isinstance(player, User) and player.username == "ann"
        assert player in session

    login.token = ""
    with db.session_scope() as session:
        assert login._player(session) is None
    assert redirect_target(login._relogin()) == "/login?next=/picks%3Fday%3D2"


def test_a_page_handler_re_verifies_the_player(
    make_state: MakeState, engine: Engine, clock: FixedClock
) -> None:
    token = sign_up(make_state, "ann").token
    page = make_state(AccountEmailState, url="/account")
    page.token = token

    assert page.load() is None
    assert page.email == "ann@example.com"

    clock.advance(days=8)  # the token expires while the tab stays open
    events = page.load()

    assert redirect_target(events) == "/login?next=/account"
    assert (page.token, page.email, page.is_authenticated) == ("", "", False)


def test_logout_clears_the_token_and_private_state(make_state: MakeState, engine: Engine) -> None:
    sign_up(make_state, "ann")
    login = make_state(LoginState)
    run(login.submit({"login": "ann", "password": "not the password"}))
    run(login.submit({"login": "ann", "password": PASSWORD}))
    login.error_message = "left over"
    auth_state = login.parent_state
    assert isinstance(auth_state, AuthState)

    events = auth_state.logout()

    assert redirect_target(events) == routes.LOGIN
    assert (auth_state.token, auth_state.is_authenticated, auth_state.username) == ("", False, "")
    assert login.error_message == ""


# --- guards -------------------------------------------------------------------------------


def test_require_login_sends_visitors_to_log_in_with_next(
    make_state: MakeState, engine: Engine
) -> None:
    state = make_state(AuthState, url="/picks?day=2025-01-02")

    assert redirect_target(state.require_login()) == "/login?next=/picks%3Fday%3D2025-01-02"

    navigate(state, "/")
    assert redirect_target(state.require_login()) == "/login?next=/"


def test_require_login_lets_players_through(make_state: MakeState, engine: Engine) -> None:
    token = sign_up(make_state, "ann").token
    state = make_state(AuthState, url="/picks")
    state.token = token

    assert state.require_login() is None
    assert state.is_authenticated


def test_require_admin_refuses_visitors_and_players(make_state: MakeState, engine: Engine) -> None:
    token = sign_up(make_state, "ann").token
    state = make_state(AuthState, url="/admin")

    assert redirect_target(state.require_admin()) == "/login?next=/admin"

    state.token = token
    assert redirect_target(state.require_admin()) == routes.NOT_FOUND
    assert state.is_authenticated and not state.is_admin  # still logged in, just not allowed


def test_require_admin_admits_admins_and_sees_the_flag_change(
    make_state: MakeState, engine: Engine
) -> None:
    state = make_state(AuthState, url="/admin")
    state.token = sign_up(make_state, "ann").token
    assert state.is_admin is False

    make_admin("ann")  # e.g. `pickvs make-admin ann` while the tab is open

    assert state.require_admin() is None  # the guard re-verifies, not the cached value
    assert state.is_admin is True


def test_links_between_the_forms_carry_next(make_state: MakeState, engine: Engine) -> None:
    assert make_state(LoginState, url="/login").signup_href == "/signup"
    assert make_state(LoginState, url="/login?next=/picks").signup_href == "/signup?next=/picks"
    assert make_state(SignupState, url="/signup?next=//evil").login_href == "/login?next=/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, "/"),
        ("", "/"),
        ("/picks", "/picks"),
        ("/u/ann?tab=2", "/u/ann?tab=2"),
        ("picks", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/picks", "/"),
        ("/picks\r\nLocation: x", "/"),
        ("/signup", "/"),
        ("/login/?next=/x", "/"),
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert routes.safe_next(target) == expected
