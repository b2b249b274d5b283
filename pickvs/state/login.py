"""The log-in form: username or email and password, throttled by the auth service."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData

from pickvs import db
from pickvs.config import settings
from pickvs.domain import throttle
from pickvs.services import auth
from pickvs.services.errors import ServiceError
from pickvs.state import clock, routes
from pickvs.state.auth import AuthState
from pickvs.state.forms import FormErrors

LOGIN_FIELDS = ("login", "password")
# A blank field is a typo, not a guess: it is answered here and never counts as a failure.
LOGIN_REQUIRED = {"login": "Enter your username or email.", "password": "Enter your password."}


def log_in(login_name: str, password: str, client: str | None) -> str:
    """Check the credentials in a unit of work of its own; the new token, or a ServiceError."""
    now = clock.now()
    with db.session_scope() as session:
        player = auth.login(session, login_name, password, client, now)
        return auth.create_token(session, player, now)


def client_address(router: RouterData) -> str | None:
    """The tab's address for log-in throttling, by the rule the JSON API uses
    (`throttle.client_address`): the socket's peer, which Reflex keeps as the `asgi-scope-client`
    header, or behind `PICKVS_TRUSTED_PROXY_HOPS` proxies the address the outermost one wrote
    into the socket's upgrade request's X-Forwarded-For."""
    raw = router.headers.raw_headers
    peer = raw.get("asgi-scope-client") or router.session.client_ip
    return throttle.client_address(peer, raw.get("x-forwarded-for"), settings.trusted_proxy_hops)


class LoginState(FormErrors, AuthState):
    @rx.var
    def signup_href(self) -> str:
        """The sign-up link, carrying this page's `next` along."""
        return routes.with_next(routes.SIGNUP, self.router.url.query_parameters.get("next"))

    @rx.event
    async def submit(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec]:
        self._clear_error()
        if missing := self._missing(form_data, LOGIN_REQUIRED):
            return missing
        try:
            # bcrypt takes a quarter second on purpose: off the event loop, which serves
            # every other player's events meanwhile.
            token = await asyncio.to_thread(
                log_in,
                str(form_data.get("login") or ""),
                str(form_data.get("password") or ""),
                client_address(self.router),
            )
        except ServiceError as exc:
            # A wrong password or a throttle names no field: it is about the credentials.
            return self._show_error(exc, "password", LOGIN_FIELDS, clear=["password"])
        self._sign_in(token)
        return [rx.redirect(routes.safe_next(self.router.url.query_parameters.get("next")))]
