"""The Reflex app: the pages, the JSON API mounted into the same backend, and the scheduler.

`reflex run` imports this module (Reflex expects `{app_name}/{app_name}.py`). One process serves
everything: the compiled pages, Reflex's event socket, the FastAPI app from `pickvs.api` and the
APScheduler jobs from `pickvs.jobs.scheduler`, started and stopped with the backend's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import reflex as rx
from reflex.utils import prerequisites
from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pickvs import db, migrations, preflight
from pickvs.api import create_app, security
from pickvs.config import settings, settings_error
from pickvs.jobs import scheduler
from pickvs.logs import configure_from_settings
from pickvs.pages.admin import admin_page
from pickvs.pages.game import game_page
from pickvs.pages.layout import DESCRIPTION, page_title
from pickvs.pages.leaderboard import leaderboard_page
from pickvs.pages.leagues import join_page, league_page, league_title, leagues_page
from pickvs.pages.login import login_page, signup_page
from pickvs.pages.not_found import not_found_page
from pickvs.pages.picks import picks_page
from pickvs.pages.profile import profile_page, profile_title
from pickvs.pages.slate import slate_page
from pickvs.state import routes
from pickvs.state.admin import AdminState
from pickvs.state.auth import AuthState
from pickvs.state.game import GameState
from pickvs.state.leaderboard import LeaderboardState
from pickvs.state.leagues import JoinState, LeaguesState, LeagueState
from pickvs.state.login import LoginState
from pickvs.state.nav import NavState
from pickvs.state.picks import MyPicksState
from pickvs.state.profile import ProfileState
from pickvs.state.signup import SignupState
from pickvs.state.slate import SlateState

# At import, so every backend worker (which imports this module) logs the same way: stdout,
# one line per event, JSON with PICKVS_LOG_FORMAT=json.
configure_from_settings()
log = logging.getLogger("pickvs.app")


def _stop(reason: str) -> None:
    """One logged line, then exit 1: a configuration error is not a bug, so no traceback."""
    log.critical("start-up check failed: %s", reason)
    raise SystemExit(1)


# Settings that did not validate stop the import itself: building the app (its pages' initial
# state) already reads them, before any lifespan runs.
if settings_error:
    _stop(settings_error)


def _prepare_database() -> None:
    """Check the configuration, then migrate (idempotent, serialised across workers) so no
    request meets an old schema. A bad configuration stops the backend with one logged line
    (`pickvs db upgrade`, run first by start.sh and the container, prints the same line)."""
    try:
        preflight.require(settings)
    except preflight.ConfigurationError as exc:
        log.critical("start-up check failed: %s", exc)
        # Any exception raised here, SystemExit included, reaches Starlette's lifespan, which
        # hands the server a full traceback to print. Nothing has started yet (no scheduler,
        # no connections), so the worker leaves at once; the server then stops (granian shuts
        # down on an unexpected worker exit).
        logging.shutdown()
        os._exit(1)
    migrations.upgrade()


def app_address() -> str:
    """Where players open PickVs: `PICKVS_PUBLIC_URL` when set (behind a proxy the port this
    process serves on is not the players' address), else Reflex's deploy URL,
    `http://localhost:<port>` unless set (REFLEX_DEPLOY_URL), the port this start serves on
    (`--frontend-port`, PICKVS_PORT)."""
    if settings.public_url:
        return settings.public_url
    return str(get_config().deploy_url or "").rstrip("/") or "http://localhost:3000"


def database_label(url: str) -> str:
    """The database URL as it may be printed: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable DATABASE_URL)"


def log_ready() -> None:
    """The one start-up summary: what a person starting PickVs needs, in one line, once the
    database is migrated and the scheduler runs (each backend worker logs its own)."""
    mode = (
        "demo data (no ODDS_API_KEY)"
        if settings.demo_mode
        else f"live odds from The Odds API ({', '.join(settings.sports)})"
    )
    log.info(
        "PickVs is ready at %s · %s · database %s · %s",
        app_address(),
        mode,
        database_label(settings.resolved_database_url),
        scheduler.describe_next_runs(),
    )


@contextlib.asynccontextmanager
async def scheduler_lifespan() -> AsyncIterator[None]:
    """Run the daily jobs for as long as the backend serves requests.

    Start and stop run in a thread: start-up may catch up a missed run, and shutdown waits for a
    running job, neither of which may block the event loop that serves pages. The scheduler
    itself honours PICKVS_SCHEDULER=false. Stopping (SIGTERM) then closes the database pool, so
    SQLite folds its write-ahead log back into the one database file a backup copies.
    """
    await asyncio.to_thread(_prepare_database)
    await asyncio.to_thread(scheduler.start_background)
    log_ready()
    try:
        yield
    finally:
        await asyncio.to_thread(scheduler.stop)
        db.get_engine().dispose()


def built_pages_dir() -> Path | None:
    """Where this process serves the compiled pages from (as Reflex's frontend mount does), or
    None when it serves none (`--env dev`: Vite serves them on another port)."""
    if not environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.get():
        return None
    frontend_path = get_config().frontend_path.strip("/")
    return prerequisites.get_web_dir() / constants.Dirs.STATIC / frontend_path


# The JSON API, and as Reflex's outer app the security headers of everything served
# (pickvs/api/security.py): pages, assets, the event socket's handshake, the API, /health.
api_app = create_app(pages_dir=built_pages_dir)

app = rx.App(
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    stylesheets=["/pickvs.css"],
    # The FastAPI app becomes the outer ASGI app: requests its routes do not match fall through
    # to Reflex (event socket, /ping, the compiled pages). Its own lifespan would not run here,
    # which is why the scheduler hangs off Reflex's.
    api_transformer=api_app,
)
app.register_lifespan_task(scheduler_lifespan)
# The event socket: Reflex hands rxconfig's origin list to Socket.IO, where an empty list turns
# the handshake's Origin check off. Accept the app's own host and the configured origins only.
if app.sio is not None:
    app.sio.eio.cors_allowed_origins = functools.partial(
        security.socket_origin_allowed, also=tuple(get_config().cors_allowed_origins)
    )

# Pages. A guarded page pairs `page_layout(..., requires="login"|"admin")` with the matching
# on_load guard here; every handler behind it still re-checks the player (`AuthState._player`).
# No route may be one the JSON API owns (/health, /auth/*, /api/*, /docs, /openapi.json).
PAGE_META = {"description": DESCRIPTION, "image": "/favicon.svg"}
# Each visit to a form starts without the message a previous submit left in the tab's state.
app.add_page(
    login_page,
    route=routes.LOGIN,
    title=page_title("Log in"),
    on_load=LoginState.clear_error,
    **PAGE_META,
)
app.add_page(
    signup_page,
    route=routes.SIGNUP,
    title=page_title("Sign up"),
    on_load=SignupState.clear_error,
    **PAGE_META,
)

# --- slate and my picks -----------------------------------------------------------------------

app.add_page(
    slate_page,
    route=routes.SLATE,
    title=page_title(),
    # The slate's load is its own login guard (one event on the page most loads land on), and
    # it counts unpicked games too.
    on_load=SlateState.load,
    **PAGE_META,
)
app.add_page(
    picks_page,
    route=routes.PICKS,
    title=page_title("My picks"),
    on_load=[AuthState.require_login, MyPicksState.load, NavState.refresh],
    **PAGE_META,
)
app.add_page(
    game_page,
    route=routes.GAME_PATTERN,
    title=page_title("Game"),
    on_load=[AuthState.require_login, GameState.load, NavState.refresh],
    **PAGE_META,
)

# --- leaderboard and profiles -----------------------------------------------------------------

app.add_page(
    leaderboard_page,
    route=routes.LEADERBOARD,
    title=page_title("Leaderboard"),
    on_load=[LeaderboardState.load, NavState.refresh],
    **PAGE_META,
)
app.add_page(
    profile_page,
    route=routes.PROFILE_PATTERN,
    title=profile_title(),
    on_load=[ProfileState.load, NavState.refresh],
    **PAGE_META,
)

# --- leagues ----------------------------------------------------------------------------------

app.add_page(
    leagues_page,
    route=routes.LEAGUES,
    title=page_title("Leagues"),
    on_load=[AuthState.require_login, LeaguesState.load, NavState.refresh],
    **PAGE_META,
)
app.add_page(
    league_page,
    route=routes.LEAGUE_PATTERN,
    title=league_title(),
    on_load=[AuthState.require_login, LeagueState.load, NavState.refresh],
    **PAGE_META,
)
# Public: an invite link shows the league's name; logged out, it offers log in or sign up.
app.add_page(
    join_page,
    route=routes.JOIN_PATTERN,
    title=page_title("Join a league"),
    on_load=JoinState.load,
    **PAGE_META,
)

# --- admin ------------------------------------------------------------------------------------

app.add_page(
    admin_page,
    route=routes.ADMIN,
    title=page_title("Admin"),
    on_load=[AuthState.require_admin, AdminState.load, NavState.refresh],
    **PAGE_META,
)

# Reflex's custom 404 (route "404"): every unknown address, and /404 itself.
app.add_page(not_found_page, route="404", title=page_title("Not found"), **PAGE_META)
