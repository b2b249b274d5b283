"""Who is logged in: the browser's token, the verified player, and the page guards.

`AuthState` owns the token (kept in the browser's localStorage, shared by every tab) and exposes
the player it names as three cached, backend-verified vars for pages to show. A page guard is
not data protection: every handler that reads or writes a player's data calls
`self._player(session)` itself, in the same unit of work as the data, and returns
`self._relogin()` when it gives None.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from pickvs import db
from pickvs.models import User
from pickvs.services import auth
from pickvs.services.errors import NotAuthenticated
from pickvs.state import AppState, clock, routes


@dataclass(frozen=True)
class Viewer:
    """The verified player behind a token; `user_id` None means nobody is logged in."""

    user_id: int | None = None
    username: str = ""
    is_admin: bool = False


ANONYMOUS = Viewer()


def verify_token(token: str) -> Viewer:
    """Check a token against the database and the injected clock, in a unit of work of its own.

    An empty, expired or forged token, or one naming a deleted account, gives ANONYMOUS.
    """
    if not token:
        return ANONYMOUS  # no database round trip (this also runs when the pages compile)
    try:
        with db.session_scope() as session:
            user = auth.current_user(session, token, clock.now())
            return Viewer(user.id, user.username, user.is_admin)
    except NotAuthenticated:
        return ANONYMOUS


class AuthState(AppState):
    """Base of every state that needs to know the player (login, sign-up, the data pages).

    Page states holding a player's data subclass it: they read `token` and call `_player`
    through inheritance, and `logout` wipes them along with the token.
    """

    # localStorage survives reloads and is shared by tabs; `sync` carries a log-in or log-out
    # in one tab to the others at once.
    token: str = rx.LocalStorage(name="pickvs_token", sync=True)
    # Bumped to make the cached `_viewer` ask the database again with the same token.
    _recheck: int = 0

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

    # --- for substates ---------------------------------------------------------------------

    def _player(self, session: Session) -> User | None:
        """THE check for handlers touching a player's data: verify the token now, on `session`.

        Returns the User, or None after logging the browser out (token expired, forged, or its
        account deleted). On None the handler must stop and `return self._relogin()`.
        """
        try:
            return auth.current_user(session, self.token, clock.now())
        except NotAuthenticated:
            self._sign_out()
            return None

    def _relogin(self) -> rx.event.EventSpec:
        """Send the browser to the log-in page, coming back to this page afterwards."""
        return rx.redirect(routes.with_next(routes.LOGIN, self._current_path()))

    def _sign_in(self, token: str) -> None:
        self.token = token

    def _sign_out(self) -> None:
        """Forget the token and every private value held by AuthState and its substates."""
        state: rx.State = self
        while type(state) is not AuthState:  # reset() only resets the fields a class declares
            assert state.parent_state is not None
            state = state.parent_state
        state.reset()

    def _current_path(self) -> str:
        url = self.router.url
        return f"{url.path or routes.SLATE}{'?' + url.query if url.query else ''}"

    def _verify_now(self) -> Viewer:
        """Re-verify the token (not from the cache); log out when it no longer holds."""
        self._recheck += 1
        if self.token and self._viewer.user_id is None:
            self._sign_out()
        return self._viewer

    # --- event handlers --------------------------------------------------------------------

    @rx.event
    def logout(self) -> rx.event.EventSpec:
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
