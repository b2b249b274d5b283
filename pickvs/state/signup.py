"""The sign-up form: email, username and password; signing up logs the player in."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from pickvs import db
from pickvs.services import auth
from pickvs.services.errors import ServiceError
from pickvs.state import clock, routes
from pickvs.state.auth import AuthState
from pickvs.state.forms import FormErrors

SIGNUP_FIELDS = ("email", "username", "password")
# A blank field's message, in the form's order: the first blank one is the one shown.
SIGNUP_REQUIRED = {
    "email": "Enter your email address.",
    "username": "Choose a username.",
    "password": "Choose a password.",
}


def sign_up(email: str, username: str, password: str) -> str:
    """Create the account in a unit of work of its own; its first token, or a ServiceError."""
    now = clock.now()
    with db.session_scope() as session:
        player = auth.register(session, email, username, password, now)
        return auth.create_token(session, player, now)


class SignupState(FormErrors, AuthState):
    @rx.var
    def login_href(self) -> str:
        """The log-in link, carrying this page's `next` along."""
        return routes.with_next(routes.LOGIN, self.router.url.query_parameters.get("next"))

    @rx.event
    async def submit(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec]:
        self._clear_error()
        if missing := self._missing(form_data, SIGNUP_REQUIRED):
            return missing
        try:
            token = await asyncio.to_thread(  # bcrypt, off the event loop
                sign_up,
                str(form_data.get("email") or ""),
                str(form_data.get("username") or ""),
                str(form_data.get("password") or ""),
            )
        except ServiceError as exc:
            return self._show_error(exc, "email", SIGNUP_FIELDS)
        self._sign_in(token)
        return [rx.redirect(routes.safe_next(self.router.url.query_parameters.get("next")))]
