"""The log-in form: username or email and password, throttled by the auth service."""

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

LOGIN_FIELDS = ("login", "password")


def log_in(login_name: str, password: str, client: str | None) -> str:
    """Check the credentials in a unit of work of its own; the new token, or a ServiceError."""
    now = clock.now()
    with db.session_scope() as session:
        player = auth.login(session, login_name, password, client, now)
        return auth.create_token(session, player, now)


class LoginState(FormErrors, AuthState):
    @rx.var
    def signup_href(self) -> str:
        """The sign-up link, carrying this page's `next` along."""
        return routes.with_next(routes.SIGNUP, self.router.url.query_parameters.get("next"))

    @rx.event
    async def submit(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec]:
        self._clear_error()
        try:
            # bcrypt takes a quarter second on purpose: off the event loop, which serves
            # every other player's events meanwhile.
            token = await asyncio.to_thread(
                log_in,
                str(form_data.get("login") or ""),
                str(form_data.get("password") or ""),
                self.router.session.client_ip or None,
            )
        except ServiceError as exc:
            # A wrong password or a throttle names no field: it is about the credentials.
            return self._show_error(exc, "password", LOGIN_FIELDS, clear=["password"])
        self._sign_in(token)
        return [rx.redirect(routes.safe_next(self.router.url.query_parameters.get("next")))]
