"""Request dependencies, declared once as typed aliases: a session, the clock, the player.

Routes take `SessionDep`, `NowDep`, `CurrentUser`... and never build any of these themselves,
so tests swap the clock (`app.state.clock` or `app.dependency_overrides[get_clock]`) without
touching a route.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import throttle
from pickvs.domain.clock import Clock, SystemClock
from pickvs.models import User
from pickvs.services import auth
from pickvs.services.picks import PickPolicy

_SYSTEM_CLOCK = SystemClock()

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="Bearer",
    description="The token returned by `POST /auth/register` or `POST /auth/login`.",
)


def get_session() -> Iterator[Session]:
    """One unit of work per request: commit when the route succeeds, roll back when it raises."""
    with session_scope() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a 201 means "saved".
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_clock(request: Request) -> Clock:
    """`app.state.clock` when a test (or an embedding app) set one, else the system clock."""
    return getattr(request.app.state, "clock", None) or _SYSTEM_CLOCK


ClockDep = Annotated[Clock, Depends(get_clock)]


def get_now(clock: ClockDep) -> datetime:
    """One instant per request, shared by the token check and the route."""
    return clock.now()


NowDep = Annotated[datetime, Depends(get_now)]


def get_policy() -> PickPolicy:
    """The operator's pick settings, read per request (the one place a PickPolicy is built)."""
    return PickPolicy(lock_minutes=settings.lock_minutes, bookmakers=tuple(settings.bookmakers))


PolicyDep = Annotated[PickPolicy, Depends(get_policy)]


def client_key(request: Request) -> str | None:
    """The caller's address for log-in throttling: the socket's peer, or with
    `PICKVS_TRUSTED_PROXY_HOPS` set, the address the outermost trusted proxy saw (the same rule
    as the pages', `throttle.client_address`)."""
    return throttle.client_address(
        request.client.host if request.client else None,
        ",".join(request.headers.getlist("x-forwarded-for")),
        settings.trusted_proxy_hops,
    )


ClientKey = Annotated[str | None, Depends(client_key)]

Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def bearer_token(credentials: Credentials) -> str | None:
    """The bearer token as sent (None without one); checked by the service that uses it."""
    return credentials.credentials if credentials else None


BearerToken = Annotated[str | None, Depends(bearer_token)]


def get_current_user(session: SessionDep, token: BearerToken, now: NowDep) -> User:
    """The player whose live session the token names (401 when it names none)."""
    return auth.current_user(session, token, now)


def get_optional_user(session: SessionDep, credentials: Credentials, now: NowDep) -> User | None:
    """Anonymous without a bearer token; a token that is sent must be valid (else 401)."""
    if credentials is None:
        return None
    return auth.current_user(session, credentials.credentials, now)


CurrentUser = Annotated[User, Depends(get_current_user)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
