"""Sign-up and log-in: both answer with a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, status

from pickvs.api.deps import ClientKey, NowDep, SessionDep
from pickvs.api.schemas import MAX_BODY_BYTES, ErrorOut, LoginIn, RegisterIn, TokenOut
from pickvs.services import auth

router = APIRouter(prefix="/auth", tags=["auth"], max_body_size=MAX_BODY_BYTES)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    summary="Create an account (and log in)",
    responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def register(body: RegisterIn, session: SessionDep, now: NowDep) -> TokenOut:
    """Registering logs the player in: the answer carries a token, like a log-in."""
    user = auth.register(session, body.email, body.username, body.password, now)
    return TokenOut(token=auth.create_token(user, now))


@router.post(
    "/login",
    summary="Log in with username or email",
    responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def login(body: LoginIn, session: SessionDep, client: ClientKey, now: NowDep) -> TokenOut:
    """A throttled attempt (README, "Log-in throttling") is a 429 with `Retry-After` seconds."""
    user = auth.login(session, body.login_name(), body.password, client, now)
    return TokenOut(token=auth.create_token(user, now))
