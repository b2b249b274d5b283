"""The sign-up form's password rule: characters counted as typed, whitespace alone refused, the
message shown at the password field, and no account made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.services.users import get_by_username
from pickvs.state.signup import SignupState
from tests.state.conftest import focused, redirect_target, run


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("€€€", "Password must be at least 8 characters."),  # 9 bytes but 3 characters
        (" " * 8, "Password cannot be only spaces."),
    ],
)
def test_the_password_is_refused_at_its_field(
    make_state: Callable[..., Any], engine: Engine, password: str, message: str
) -> None:
    state = make_state(SignupState)

    events = run(state.submit({"email": "bo@example.com", "username": "bob", "password": password}))

    assert (state.error_field, state.error_message) == ("password", message)
    assert focused(events) == ["password"]
    assert redirect_target(events) is None
    assert (state.token, state.is_authenticated) == ("", False)
    with db.session_scope() as session:
        assert get_by_username(session, "bob") is None


def test_eight_euro_signs_are_eight_characters(
    make_state: Callable[..., Any], engine: Engine
) -> None:
    state = make_state(SignupState)

    events = run(state.submit({"email": "bo@example.com", "username": "bob", "password": "€" * 8}))

    assert state.error_message == ""
    assert redirect_target(events) is not None
    assert state.is_authenticated
