"""Sign-up and log-in: both answer with a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, status

from pickvs.api.deps import ClientKey, NowDep, SessionDep
from pickvs.api.openapi import error_responses
from pickvs.api.schemas import MAX_BODY_BYTES, LoginIn, RegisterIn, TokenOut
from pickvs.services import auth

router = APIRouter(prefix="/auth", tags=["auth"], max_body_size=MAX_BODY_BYTES)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    summary="Create an account (and log in)",
    operation_id="register",
    responses=error_responses({409: "That username or email is taken."}),
)
def register(body: RegisterIn, session: SessionDep, now: NowDep) -> TokenOut:
    """Registering logs the player in: the answer carries a token, like a log-in."""
    user = auth.register(session, body.email, body.username, body.password, now)
    return TokenOut(token=auth.create_token(user, now))


@router.post(
    "/login",
    summary="Log in with username or email",
    operation_id="login",
    responses=error_responses(
        {
            401: "Wrong username/email or password.",
            429: "Too many failed log-ins: wait `Retry-After` seconds.",
        }
    ),
)
def login(body: LoginIn, session: SessionDep, client: ClientKey, now: NowDep) -> TokenOut:
    """Five failed attempts in 15 minutes, per account or per client, mean a 429 until then."""
    user = auth.login(session, body.login_name(), body.password, client, now)
    return TokenOut(token=auth.create_token(user, now))
