"""Build the FastAPI app: routers, error handlers, security headers, CORS, the OpenAPI
description, and Swagger UI when PICKVS_API_DOCS is on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from pickvs.api import docs, errors, openapi, security
from pickvs.api.routes import auth, games, health, leaderboard, leagues, picks
from pickvs.api.schemas import MAX_BODY_BYTES, ErrorOut
from pickvs.config import settings

DESCRIPTION = """
The JSON API of PickVs, a self-hosted NBA pick'em.

Authenticate with `Authorization: Bearer <token>`, the token coming from `POST /auth/register`
or `POST /auth/login`. Every error is JSON `ErrorOut`: `{"detail": "..."}`, a line a person can
act on, with `field` naming the input at fault and `errors` listing each problem when there are
several. 401 missing, invalid or expired token or wrong password; 403 not allowed (yet), or not
a member or the owner of the league; 404 unknown game, pick, league, member or invite code;
409 locked game, conflicting pick, a second membership or an owner leaving others behind; 413
body too large; 422 invalid input; 429 too many failed log-ins; 503 database unavailable. Each
operation lists the statuses it can answer.

Lines always come from the server's odds: a pick is taken at the reference book's current price.
"""

TAGS = [
    {"name": "auth", "description": "Sign up and log in; both return a bearer token."},
    {"name": "games", "description": "The upcoming slate with lines, and picks after lock."},
    {"name": "picks", "description": "Your picks: make, change, withdraw and list them."},
    {"name": "leaderboard", "description": "Units won and ROI, all time, this month or week."},
    {
        "name": "leagues",
        "description": "Private leagues: invite codes, members, their own rules and boards.",
    },
    {"name": "health", "description": "Status for anyone; job runs and credits for admins."},
]


API_PREFIXES = ("/auth/", "/api/")


class DeclaredBodyLimit:
    """Refuse, as JSON 413, an API request that declares a body larger than MAX_BODY_BYTES.

    The routers' own `max_body_size` still stops a body streamed without a Content-Length
    (Starlette answers that one in plain text). Paths outside the API, which fall through to
    Reflex (uploads among them), are left alone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIXES):
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                body = ErrorOut(detail=f"The request body is over {MAX_BODY_BYTES} bytes.")
                await errors.error_response(413, body)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(pages_dir: Callable[[], Path | None] | None = None) -> FastAPI:
    """A fresh app; `pickvs.api.app` is one, and tests build their own (with their own clock).

    No catch-all route and no lifespan: mounted into Reflex (`api_transformer`), every request
    these routes do not match falls through to Reflex, and Reflex's lifespan runs the scheduler.
    As Reflex's outer app its middleware sees every request, pages and event socket included:
    `pages_dir` (pickvs/pickvs.py passes it) names the built pages, whose inline scripts the
    pages' Content-Security-Policy allows by hash.
    """
    app = FastAPI(
        title="PickVs API",
        summary="Picks on real sportsbook lines, graded from final scores.",
        description=DESCRIPTION,
        version="1.0.0",
        openapi_tags=TAGS,
        docs_url=None,  # FastAPI's would load Swagger UI from a CDN; see pickvs/api/docs.py
        redoc_url=None,
    )
    for module in (auth, games, picks, leaderboard, leagues, health):
        app.include_router(module.router)
    if settings.api_docs:
        docs.install(app)
    errors.install(app)
    openapi.install(app)  # the document says what the API does: statuses, error body, auth
    app.add_middleware(DeclaredBodyLimit)  # inside CORS, so a 413 carries CORS headers too
    origins = security.allowed_origins()
    if origins:
        # Only the origins the operator listed (PICKVS_CORS_ORIGINS); the app's own pages are
        # same-origin and need no CORS. Tokens travel in a header, not a cookie, so no
        # credentials are allowed here either.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    # Outermost, so every answer carries the headers: errors, 413s and CORS preflights too.
    app.add_middleware(security.SecurityHeaders, pages_dir=pages_dir)
    return app
