"""Sign-up and log-in answer with a bearer token naming a new session; log-out ends sessions."""

from __future__ import annotations

from fastapi import APIRouter, status

from pickvs.api.deps import BearerToken, ClientKey, NowDep, SessionDep
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
    return TokenOut(token=auth.create_token(session, user, now))


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
    """A throttled attempt (README, "Log-in throttling") is a 429 with `Retry-After` seconds."""
    user = auth.login(session, body.login_name(), body.password, client, now)
    return TokenOut(token=auth.create_token(session, user, now))


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    summary="Log out: end this token's session",
    operation_id="logout",
    responses=error_responses({401: "The token is missing, invalid, expired or already ended."}),
)
def logout(session: SessionDep, token: BearerToken, now: NowDep) -> None:
    """The token stops working at once, wherever a copy of it is; 401 if it already had."""
    auth.end_session(session, token, now)


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    summary="Log out everywhere: end every session of this player",
    operation_id="logout_all",
    responses=error_responses({401: "The token is missing, invalid, expired or already ended."}),
)
def logout_all(session: SessionDep, token: BearerToken, now: NowDep) -> None:
    """Every token of the player stops working, this one included."""
    auth.end_all_sessions(session, token, now)
