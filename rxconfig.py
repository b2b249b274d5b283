"""Reflex build and server configuration for PickVs.

Every option can be overridden from the environment with a `REFLEX_` prefix (for example
`REFLEX_API_URL=https://picks.example.com` behind a reverse proxy).
"""

import logging
import os
from typing import Any
from urllib.parse import urlsplit

import reflex as rx
from reflex.plugins import Plugin, RadixThemesPlugin, SitemapPlugin

from pickvs.config import settings, settings_error


def cors_allowed_origins() -> tuple[str, ...]:
    """Origins other than the app's own that may call the backend from a browser.

    Reflex's default is every origin, with credentials. PickVs allows the ones listed in
    PICKVS_CORS_ORIGINS and the frontend's address (`REFLEX_DEPLOY_URL`, default
    http://localhost:3000): in `--env dev` Vite serves the pages there while the backend
    listens on another port; in production it is the app's own origin, which needs no CORS.
    The event socket applies the same list (pickvs/pickvs.py).
    """
    deploy = urlsplit(os.environ.get("REFLEX_DEPLOY_URL") or "http://localhost:3000")
    frontend = [f"{deploy.scheme}://{deploy.netloc}"] if deploy.scheme and deploy.netloc else []
    listed = [] if settings_error else list(settings.cors_origins)
    return tuple(dict.fromkeys([*listed, *frontend]))


# Where Reflex's generated vite.config.js lists its chunk groups (Reflex 0.10's template).
VITE_GROUPS = "codeSplitting: {\n          groups: ["
RADIX_GROUP = '\n            { test: /[\\\\/]node_modules[\\\\/](@radix-ui|radix-ui)[\\\\/]/, name: "radix" },'


class RadixChunkPlugin(Plugin):
    """Build Radix (Themes and the primitives under it) into one chunk.

    Left to itself the bundler splits Radix along the pages that share each part, so the slate's
    cold load fetched 28 files, most of them a few KB of Radix; each costs a request on a cold
    load (`python -m bench page`). One chunk is fetched once and cached for every page. Applied
    through Reflex's own plugin hook that edits a generated file (`add_modify_task`); if a
    Reflex upgrade changes the template, the build goes on without it and says so.
    """

    def pre_compile(self, **context: Any) -> None:
        context["add_modify_task"]("vite.config.js", _radix_chunk)


def _radix_chunk(text: str) -> str:
    if RADIX_GROUP in text:
        return text
    if VITE_GROUPS not in text:
        logging.getLogger("pickvs.build").warning("vite.config.js: no chunk groups; Radix split")
        return text
    return text.replace(VITE_GROUPS, VITE_GROUPS + RADIX_GROUP, 1)


config = rx.Config(
    app_name="pickvs",
    # No `db_url` on purpose: PickVs builds its own engine (pickvs/db.py) from DATABASE_URL and
    # runs its own Alembic scripts; a db_url here would make Reflex run its migration checks too.
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Reflex 0.10 serves the production build and the backend on ONE port, and refuses to start
    # in prod when frontend and backend ports differ. So only the frontend port is pinned: prod
    # serves pages, the event socket and the JSON API on 3000; `--env dev` runs Vite on 3000 and
    # the backend on Reflex's default 8000.
    frontend_port=3000,
    cors_allowed_origins=cors_allowed_origins(),
    # Radix Themes (the components the pages use), declared here as Reflex 0.10 asks.
    plugins=[
        RadixThemesPlugin(
            theme=rx.theme(appearance="inherit", accent_color="orange", radius="medium")
        ),
        RadixChunkPlugin(),
    ],
    # A sitemap is pointless for a private league, and leaving the default-on plugin implicit
    # prints a warning on every run.
    disable_plugins=[SitemapPlugin],
    # Without Redis (one worker) tab state lives in memory, not Reflex's default disk manager:
    # its write queue lists and stats every state file each time a write falls due, about
    # 5 ms of CPU per event at 100 events/s (`python -m bench live`: a no-op event costs
    # 6.4 ms on disk, 1.2 ms in memory). Nothing is lost by it: serve_prebuilt.py already
    # discards states kept on disk by an earlier run, and a reconnecting tab hydrates from
    # its localStorage token and reloads its page. With REFLEX_REDIS_URL, Reflex picks Redis.
    **({} if os.environ.get("REFLEX_REDIS_URL") else {"state_manager_mode": "memory"}),
)
