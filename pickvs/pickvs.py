"""The Reflex app: the pages, the JSON API mounted into the same backend, and the scheduler.

`reflex run` imports this module (Reflex expects `{app_name}/{app_name}.py`). One process serves
everything: the compiled pages, Reflex's event socket, the FastAPI app from `pickvs.api` and the
APScheduler jobs from `pickvs.jobs.scheduler`, started and stopped with the backend's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import reflex as rx

from pickvs import migrations
from pickvs.api import app as api_app
from pickvs.jobs import scheduler
from pickvs.pages.home import DESCRIPTION, TITLE, home


def _prepare_database() -> None:
    """Migrate (idempotent, serialised across workers) so no request meets an old schema."""
    migrations.upgrade()


@contextlib.asynccontextmanager
async def scheduler_lifespan() -> AsyncIterator[None]:
    """Run the daily jobs for as long as the backend serves requests.

    Start and stop run in a thread: start-up may catch up a missed run, and shutdown waits for a
    running job, neither of which may block the event loop that serves pages. The scheduler
    itself honours PICKVS_SCHEDULER=false.
    """
    await asyncio.to_thread(_prepare_database)
    await asyncio.to_thread(scheduler.start_background)
    try:
        yield
    finally:
        await asyncio.to_thread(scheduler.stop)


app = rx.App(
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    # The FastAPI app becomes the outer ASGI app: requests its routes do not match fall through
    # to Reflex (event socket, /ping, the compiled pages). Its own lifespan would not run here,
    # which is why the scheduler hangs off Reflex's.
    api_transformer=api_app,
)
app.register_lifespan_task(scheduler_lifespan)
app.add_page(home, route="/", title=TITLE, description=DESCRIPTION, image="/favicon.svg")
