"""The account forms' messages: one at a time, beside the field it is about, gone on a reload.

A message belongs to the submit that caused it. The tab's state outlives a reload (and a
later visit), so the pages' on_load (`clear_error`) starts each visit clean; each submit
replaces the message with the next problem, whatever field that one is about; and a blank
field is answered by the form itself, in the same place, without reaching the service (a
blank password is not a guess, so it never counts towards log-in throttling).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs.state.login import LoginState
from pickvs.state.signup import SignupState
from tests.state.conftest import focused, redirect_target, run

PASSWORD = "correct horse battery"
MakeState = Callable[..., Any]


def register(make_state: MakeState, username: str) -> None:
    state = make_state(SignupState)
    run(
        state.submit(
            {"email": f"{username}@example.com", "username": username, "password": PASSWORD}
        )
    )
    assert state.is_authenticated, state.error_message


def shown(state: SignupState | LoginState) -> tuple[str, str]:
    return (state.error_field, state.error_message)


@pytest.mark.parametrize("form", [SignupState, LoginState])
def test_loading_the_page_again_clears_the_message(
    make_state: MakeState, engine: Engine, form: type[SignupState] | type[LoginState]
) -> None:
    register(make_state, "ann")
    state = make_state(form)
    data = (
        {"email": "other@example.com", "username": "ann", "password": PASSWORD}
        if form is SignupState
        else {"login": "ann", "password": "not the password"}
    )
    run(state.submit(data))
    assert state.error_message != ""

    state.clear_error()  # the page's on_load, on a reload or a later visit

    assert shown(state) == ("", "")


def test_a_later_different_problem_replaces_the_first(
    make_state: MakeState, engine: Engine
) -> None:
    register(make_state, "ann")
    state = make_state(SignupState)

    run(state.submit({"email": "bob@example.com", "username": "ann", "password": PASSWORD}))
    assert shown(state) == ("username", "That username is taken.")

    events = run(state.submit({"email": "bob@example.com", "username": "bob", "password": "short"}))
    assert state.error_field == "password"
    assert state.error_message.startswith("Password must be at least 8 characters")
    assert focused(events) == ["password"]

    events = run(state.submit({"email": "", "username": "bob", "password": PASSWORD}))
    assert shown(state) == ("email", "Enter your email address.")
    assert focused(events) == ["email"]

    events = run(
        state.submit({"email": "bob@example.com", "username": "bob", "password": PASSWORD})
    )
    assert shown(state) == ("", "")
    assert redirect_target(events) == "/"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"email": "", "username": "", "password": ""}, ("email", "Enter your email address.")),
        (
            {"email": "bob@example.com", "username": "", "password": ""},
            ("username", "Choose a username."),
        ),
        (
            {"email": "bob@example.com", "username": "bob", "password": ""},
            ("password", "Choose a password."),
        ),
    ],
)
def test_sign_up_names_the_first_blank_field(
    make_state: MakeState, engine: Engine, data: dict[str, str], expected: tuple[str, str]
) -> None:
    state = make_state(SignupState)

    events = run(state.submit(data))

    assert shown(state) == expected
    assert focused(events) == [expected[0]]
    assert (state.token, redirect_target(events)) == ("", None)


def test_blank_log_in_fields_are_named_and_never_count_as_failures(
    make_state: MakeState, engine: Engine
) -> None:
    register(make_state, "ann")
    state = make_state(LoginState)

    events = run(state.submit({"login": "", "password": PASSWORD}))
    assert shown(state) == ("login", "Enter your username or email.")
    assert focused(events) == ["login"]

    # Far more blank passwords than the throttle allows wrong ones: none is a guess.
    for _ in range(8):
        events = run(state.submit({"login": "ann", "password": ""}))
        assert shown(state) == ("password", "Enter your password.")
        assert focused(events) == ["password"]

    events = run(state.submit({"login": "ann", "password": PASSWORD}))
    assert shown(state) == ("", "")
    assert state.is_authenticated
    assert redirect_target(events) == "/"
