"""Reflex build and server configuration for PickVs.

Every option can be overridden from the environment with a `REFLEX_` prefix (for example
`REFLEX_API_URL=https://picks.example.com` behind a reverse proxy).
"""

import reflex as rx
from reflex.plugins import RadixThemesPlugin, SitemapPlugin

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
    # Radix Themes (the components the pages use), declared here as Reflex 0.10 asks.
    plugins=[
        RadixThemesPlugin(
            theme=rx.theme(appearance="inherit", accent_color="orange", radius="medium")
        )
    ],
    # A sitemap is pointless for a private league, and leaving the default-on plugin implicit
    # prints a warning on every run.
    disable_plugins=[SitemapPlugin],
)
