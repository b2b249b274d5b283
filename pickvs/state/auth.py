"""Who is logged in: the browser's token, the verified player, and the page guards.

`AuthState` owns the token (kept in the browser's localStorage, shared by every tab) and exposes
the player it names as three cached, backend-verified vars for pages to show. A page guard is
not data protection: every handler that reads or writes a player's data calls
`self._player(session)` itself, in the same unit of work as the data, and returns
`self._relogin()` when it gives None.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

import reflex as rx
from reflex.state import _override_base_method  # Reflex's own mark for a sanctioned override
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from pickvs import db
from pickvs.models import User
from pickvs.services import auth
from pickvs.services.errors import NotAuthenticated
from pickvs.state import AppState, clock, routes

Delta = dict[str, dict[str, Any]]
log = logging.getLogger("pickvs.state.auth")


def _mark_touched(state: rx.State) -> None:
    """Make the state manager store `state` and its substates at the end of the event."""
    state._was_touched = True
    for substate in state.substates.values():
        _mark_touched(substate)


@dataclass(frozen=True)
class Viewer:
    """The verified player behind a token; `user_id` None means nobody is logged in.

    `session_id` names the log-in (a new one at every log-in), "" for nobody: private state is
    kept for one session id at a time.
    """

    user_id: int | None = None
    username: str = ""
    is_admin: bool = False
    session_id: str = ""


ANONYMOUS = Viewer()


def verify_token(token: str) -> Viewer:
    """Check a token against the database and the injected clock, in a unit of work of its own.

    An empty, expired, forged or logged-out token, or one naming a deleted account, gives
    ANONYMOUS.
    """
    if not token:
        return ANONYMOUS  # no database round trip (this also runs when the pages compile)
    try:
        with db.session_scope() as session:
            user, session_id = auth.current_session(session, token, clock.now())
            return Viewer(user.id, user.username, user.is_admin, session_id)
    except NotAuthenticated:
        return ANONYMOUS


def end_session(token: str) -> None:
    """Log out on the server, in a unit of work of its own: a copy of the token stops working.

    A token that no longer names a live session has nothing left to end.
    """
    if not token:
        return
    try:
        with db.session_scope() as session:
            auth.end_session(session, token, clock.now())
    except NotAuthenticated:
        pass
    except SQLAlchemyError:  # the browser forgets the token all the same
        log.warning("could not end the session on the server (database unavailable)")


class AuthState(AppState):
    """Base of every state that needs to know the player (login, sign-up, the data pages).

    Page states holding a player's data subclass it: they read `token` and call `_player`
    through inheritance.

    Private state follows the verified player: `_owner` is the session its substates' values
    were loaded for, and whenever the verified session differs -- a log-in or sign-up here, a
    token arriving from or cleared by another tab (applied by Reflex itself on hydration and
    on `update_vars_internal`), an expired or revoked token found by `_player` or a guard --
    every substate is reset before anything else is read or sent (`_follow_viewer`). The
    check runs on every event that changes this state (`get_delta`), on the full snapshot a
    (re)connecting tab receives (`dict`), and in `_player` and the guards.

    That snapshot also carries the data of the page the tab is on, for the verified player
    (a substate's `_snapshot_route` and `_snapshot_load`): a cold load of the slate shows its
    cards with the first update instead of three steps later.
    """

    # localStorage survives reloads and is shared by tabs; `sync` carries a log-in or log-out
    # in one tab to the others at once.
    token: str = rx.LocalStorage(name="pickvs_token", sync=True)
    # Bumped to make the cached `_viewer` ask the database again with the same token.
    _recheck: int = 0
    # The session id the substates' private values belong to ("" for nobody).
    _owner: str = ""
    # False in a substate that holds nothing about its viewer (kept when the player changes).
    _private: ClassVar[bool] = True
    # The route whose page data this substate loads into the tab's snapshot (`_snapshot_load`).
    _snapshot_route: ClassVar[str | None] = None

    @rx.var(deps=["token", "_recheck"], auto_deps=False)
    def _viewer(self) -> Viewer:
        """Cached: recomputed when the token changes (log-in, log-out, another tab, each page
        load's hydration, `_player` signing out) and when a guard re-verifies (`_recheck`)."""
        return verify_token(self.token)

    @rx.var
    def is_authenticated(self) -> bool:
        return self._viewer.user_id is not None

    @rx.var
    def username(self) -> str:
        return self._viewer.username

    @rx.var
    def is_admin(self) -> bool:
        return self._viewer.is_admin

    # --- keeping private state with its player ----------------------------------------------

    @_override_base_method
    def get_delta(self) -> Delta:
        """Every delta leaving this state first drops private values of a previous player
        (a token set by another tab, or by this tab's hydration, reaches the state here)."""
        if type(self) is AuthState:
            self._follow_viewer()
        return super().get_delta()

    @_override_base_method
    def dict(self, include_computed: bool = True, initial: bool = False, **kwargs: Any) -> Any:
        """The full snapshot a (re)connecting tab receives holds no previous player's values,
        and already the data of the page it is on (`_snapshot_route`)."""
        if type(self) is not AuthState or not include_computed or initial:
            return super().dict(include_computed=include_computed, initial=initial, **kwargs)
        self._follow_viewer()
        if not self._hydrating():  # a snapshot for another purpose (a repr, say)
            return super().dict(include_computed=include_computed, initial=initial, **kwargs)
        self._load_for_snapshot()
        snapshot = super().dict(include_computed=include_computed, initial=initial, **kwargs)
        # Every value is in the snapshot. Left marked as changed, the reset's and the page
        # data's values would all be sent again in the update Reflex sends right after it
        # (the browser's storage values replayed through `get_delta`).
        self._clean()
        return snapshot

    def _hydrating(self) -> bool:
        """Reflex clears `is_hydrated` before it takes the snapshot of a tab it hydrates, and
        sets it once the page's on_load events have run."""
        return not self._get_root_state().is_hydrated  # type: ignore[attr-defined]

    def _load_for_snapshot(self) -> None:
        """A tab being hydrated for a player gets its page's data in the snapshot: a cold load
        then shows it with the first update, instead of after the on_load step. The substate
        loads it itself (`_snapshot_load`), checking the player as every handler does."""
        if self._viewer.user_id is None:
            return
        path = self.router.url.path or routes.SLATE
        for substate in self.substates.values():
            if isinstance(substate, AuthState) and substate._snapshot_route == path:
                substate._snapshot_load()

    def _auth_state(self) -> AuthState:
        state: rx.State = self
        while type(state) is not AuthState:  # the instance holding AuthState's own fields
            assert state.parent_state is not None
            state = state.parent_state
        assert isinstance(state, AuthState)
        return state

    def _follow_viewer(self, session_id: str | None = None) -> None:
        """Reset every substate if its values were loaded for another session than the
        verified one (`session_id`, else the cached `_viewer`'s)."""
        owner = self._auth_state()
        current = owner._viewer.session_id if session_id is None else session_id
        if current != owner._owner:
            owner._drop_private()
            owner._owner = current

    def _drop_private(self) -> None:
        """Reset every substate of AuthState to its defaults, loaded or not.

        With the Redis state manager an event loads only some substates; one that is not
        loaded gets a default instance in its place, marked changed, so the end of this event
        overwrites what Redis holds for it. Resetting marks every value dirty, so the browser
        gets the defaults too (it may hold another page's private values).
        """
        for cls in type(self).get_substates():
            if not cls._private:
                continue
            substate = self.substates.get(cls.get_name())
            if substate is None:  # not loaded: replace what the state manager stores
                substate = cls(parent_state=self, _reflex_internal_init=True)
                self.substates[cls.get_name()] = substate
                _mark_touched(substate)
            substate.reset()

    # --- for substates ---------------------------------------------------------------------

    def _snapshot_load(self) -> None:
        """Load the data of the page at `_snapshot_route` into a hydrating tab's snapshot
        (`dict`); its on_load handler should then not read it again."""

    def _player(self, session: Session) -> User | None:
        """THE check for handlers touching a player's data: verify the token now, on `session`.

        Returns the User, or None after logging the browser out (token expired, forged, logged
        out, or its account deleted). On None the handler must stop and `return
        self._relogin()`. A player other than the one this tab's private values belong to gets
        them reset first.
        """
        try:
            user, session_id = auth.current_session(session, self.token, clock.now())
        except NotAuthenticated:
            self._sign_out()
            return None
        self._follow_viewer(session_id)
        return user

    def _relogin(self) -> rx.event.EventSpec:
        """Send the browser to the log-in page, coming back to this page afterwards."""
        return rx.redirect(routes.with_next(routes.LOGIN, self._current_path()))

    def _sign_in(self, token: str) -> None:
        """Hold a new token: the previous player's private values go at once."""
        owner = self._auth_state()
        owner.token = token
        owner._follow_viewer()

    def _sign_out(self) -> None:
        """Forget the token and every private value held by AuthState's substates."""
        owner = self._auth_state()
        owner.token = ""
        owner._drop_private()
        owner._owner = ""

    def _current_path(self) -> str:
        url = self.router.url
        return f"{url.path or routes.SLATE}{'?' + url.query if url.query else ''}"

    def _verify_now(self) -> Viewer:
        """Re-verify the token (not from the cache); log out when it no longer holds."""
        owner = self._auth_state()
        owner._recheck += 1
        if owner.token and owner._viewer.user_id is None:
            owner._sign_out()
        owner._follow_viewer()
        return owner._viewer

    # --- event handlers --------------------------------------------------------------------

    @rx.event
    def logout(self) -> rx.event.EventSpec:
        """End this session on the server, then forget it here (other tabs follow)."""
        end_session(self.token)
        self._sign_out()
        return rx.redirect(routes.LOGIN)

    @rx.event
    def require_login(self) -> rx.event.EventSpec | None:
        """on_load guard: a logged-out visitor goes to `/login?next=<this page>`."""
        if self._verify_now().user_id is None:
            return rx.redirect(routes.with_next(routes.LOGIN, self._current_path()), replace=True)
        return None

    @rx.event
    def require_admin(self) -> rx.event.EventSpec | None:
        """on_load guard for admin pages: log in first; a player who is not an admin gets the
        not-found page, so the admin pages do not announce themselves."""
        viewer = self._verify_now()
        if viewer.user_id is None:
            return rx.redirect(routes.with_next(routes.LOGIN, self._current_path()), replace=True)
        if not viewer.is_admin:
            return rx.redirect(routes.NOT_FOUND, replace=True)
        return None
