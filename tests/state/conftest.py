"""Reflex state handlers, called directly under pytest: no browser, no event loop, a real database.

How to unit-test a state handler in Reflex 0.10
-----------------------------------------------
A state never lives alone: inherited fields (`token`) and computed vars (`is_authenticated`)
are stored on the ancestor instance that declares them. So build the whole tree from the root
`rx.State` and take the substate out of it -- `make_state(MyState)` does exactly that:

    def test_something(make_state, engine):
        state = make_state(LoginState, url="/login?next=/picks", client_ip="203.0.113.7")
        events = run(state.submit({"login": "ann", "password": "..."}))   # call the handler
        assert state.error_message == ""                              # read vars back
        assert redirect_target(events) == "/picks"                    # inspect returned events

* Handlers are called on the instance with their real arguments; `run(...)` awaits an async
  one (a plain call gives its result unchanged). What they return (an `EventSpec`, a list of
  them, or None) is what the browser would be told to do; the helpers below read redirects,
  focus and set-value events out of that.
* `state.router` is set from `url` (a path is enough) and `client_ip`; `navigate(state, url)`
  moves the same tab elsewhere, as a client-side link would.
* Cached computed vars recompute when the vars they depend on change, as in the app.
* The database is the shared `engine` fixture (SQLite and PostgreSQL); handlers open their own
  `pickvs.db.session_scope()` on it. The injected clock (`pickvs.state.clock`) is the test's
  `clock` (a FixedClock): advance it to expire tokens.
* `State(_reflex_internal_init=True)` is how the framework itself builds states; outside pytest
  Reflex refuses direct instantiation, so keep this to tests.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import pytest
import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData

from pickvs import db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import User
from pickvs.services import auth
from pickvs.state import clock as state_clock

StateT = TypeVar("StateT", bound=rx.State)
ORIGIN = "http://localhost:3000"


@pytest.fixture(autouse=True)
def auth_settings(fast_bcrypt: None, signing_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cost-4 bcrypt, a fixed signing key (both from tests/conftest.py) and the default 7-day
    tokens."""
    monkeypatch.setattr(settings, "token_days", 7)


@pytest.fixture(autouse=True)
def injected_clock(clock: FixedClock) -> Iterator[FixedClock]:
    """State handlers read `pickvs.state.clock.now()`: point it at the test's FixedClock."""
    previous = state_clock.set_clock(clock)
    yield clock
    state_clock.set_clock(previous)


def navigate(state: rx.State, url: str, client_ip: str | None = None) -> None:
    """Put the tab on `url` (a path, or a full URL), as the browser's router data would."""
    root = state._get_root_state()
    session = root.router.session
    if client_ip is not None:
        session = SessionData(client_token="test-tab", client_ip=client_ip, session_id="sid")
    full_url = url if "://" in url else f"{ORIGIN}{url}"
    root.router = RouterData(session=session, url=ReflexURL(full_url))


@pytest.fixture
def make_state() -> Callable[..., Any]:
    """`make_state(StateClass, url="/", client_ip="127.0.0.1")`: a fresh browser tab's state
    tree, returning its `StateClass` instance."""

    def make(state_cls: type[StateT], url: str = "/", client_ip: str = "127.0.0.1") -> StateT:
        root = rx.State(_reflex_internal_init=True)
        navigate(root, url, client_ip=client_ip)
        path = state_cls.get_full_name().split(".")[1:]  # the root's own name comes first
        state = root.get_substate(path) if path else root
        assert isinstance(state, state_cls)
        return state

    return make


def issue_token(user: User, now: datetime) -> str:
    """A token for `user` (attached or not) naming a new session, committed at once."""
    with db.session_scope() as session:
        return auth.create_token(session, user, now)


# --- running handlers and reading the events they returned -----------------------------------


def run(result: Any) -> Any:
    """The result of a handler call: async handlers (`async def submit`) are run to the end."""
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _events(result: Any) -> list[rx.event.EventSpec]:
    if result is None:
        return []
    if isinstance(result, Iterable) and not isinstance(result, rx.event.EventSpec):
        return [event for item in result for event in _events(item)]
    return [result]


def _args(event: rx.event.EventSpec) -> dict[str, Any]:
    return {str(name): value._decode() for name, value in event.args}


def events_named(result: Any, name: str) -> list[dict[str, Any]]:
    """The arguments of each returned event of one kind: "redirect", "set_focus", "set_value"."""
    return [
        _args(event)
        for event in _events(result)
        if event.handler.fn.__qualname__.lstrip("_") == name
    ]


def redirect_target(result: Any) -> str | None:
    """The path a handler's result redirects to (None when it does not redirect)."""
    redirects = events_named(result, "redirect")
    assert len(redirects) <= 1, redirects
    return redirects[0]["path"] if redirects else None


def focused(result: Any) -> list[str]:
    """The ids of the inputs the result moves focus to."""
    return [args["ref"].removeprefix("ref_") for args in events_named(result, "set_focus")]
