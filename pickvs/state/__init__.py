"""Reflex state for PickVs pages: thin handlers that call `pickvs.services`, no SQL, no rules.

    AppState                      (this module) app-wide values: `demo_mode`
    └── AuthState                 (auth.py) `token`, `is_authenticated`, `username`, `is_admin`;
        │                         `logout`, guards `require_login` / `require_admin`;
        │                         for substates: `_player(session)`, `_relogin()`
        ├── LoginState            (login.py)  `submit(form_data)`, `signup_href`
        ├── SignupState           (signup.py) `submit(form_data)`, `login_href`
        └── <your page state>     subclass AuthState when it holds or touches a player's data

A handler that reads or writes a player's data re-verifies the player itself, in the same unit
of work as the data (a page guard is not data protection):

    class MyPicksState(AuthState):
        rows: list[MyPickRow] = []

        @rx.event
        def load(self):
            with db.session_scope() as session:
                player = self._player(session)
                if player is None:
                    return self._relogin()
                self.rows = picks.my_pick_rows(session, player)

Time comes from `pickvs.state.clock.now()` (tests inject a FixedClock), paths from
`pickvs.state.routes`, form errors from the `forms.FormErrors` mixin. Unit tests call handlers
directly: see tests/state/conftest.py.
"""

from __future__ import annotations

import reflex as rx

from pickvs.config import settings


class AppState(rx.State):
    """App-wide values every page may show."""

    @rx.var
    def demo_mode(self) -> bool:
        """Whether the running backend uses the offline demo source (no ODDS_API_KEY).

        A computed var, so the banner follows the server's configuration when the page hydrates
        rather than whatever was true when the frontend was built.
        """
        return settings.demo_mode

    @rx.var
    def public_board(self) -> bool:
        """Whether the public leaderboard is on (`PICKVS_PUBLIC_BOARD`): off, the navbar hides
        its link and the profile shows no public rank."""
        return settings.public_board
