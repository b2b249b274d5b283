"""Keeping an open page current while its games are in play, without a reload or a JS library.

A page state whose data shows a game in play starts its background `watch` event. The watcher
wakes every `TICK_SECONDS`, and, holding the tab's state like any event, asks the state to
`_tick()`: re-read only if the page's games changed (a cheap fingerprint query first), and say
whether anything on the page is still in play. It stops when nothing is, when the tab closed or
went to another page, or when a newer watcher took over (each load starts one and bumps the
generation in `_watch`). The player is re-verified on every re-read (`_player`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from reflex_base.registry import RegistrationContext

TICK_SECONDS = 20.0
log = logging.getLogger("pickvs.state.live")


class Watched(Protocol):
    """What a watched state provides (besides being a Reflex state)."""

    _watch: int

    def _tick(self) -> bool: ...


async def _connected(token: str) -> bool:
    """Whether the tab behind `token` still has its socket (a closed tab ends its watcher)."""
    try:
        namespace = RegistrationContext.get().app.event_namespace
    except Exception:  # no app registered (handlers called directly under pytest)
        return True
    if namespace is None:
        return True
    return await namespace._token_manager.is_token_connected(token)


async def watch(
    proxy: Any,
    tick_seconds: float = TICK_SECONDS,
    after: Callable[[Any], Awaitable[None]] | None = None,
) -> None:
    """The body of a state's background `watch` event (`proxy` is the task's StateProxy);
    `after(proxy)` runs after each step, still holding the state (to update a sibling)."""
    async with proxy:
        proxy._watch += 1
        generation = proxy._watch
        path = proxy.router.url.path
        token = proxy.router.session.client_token
    while True:
        await asyncio.sleep(tick_seconds)
        if not await _connected(token):
            return
        async with proxy:
            if proxy._watch != generation or proxy.router.url.path != path:
                return  # a newer watcher runs, or the tab is on another page now
            state = proxy.__wrapped__
            try:
                live = await asyncio.to_thread(state._tick)
            except Exception:  # a database hiccup: the next load starts a new watcher
                log.exception("live re-read failed; the page stops updating until reloaded")
                return
            if after is not None:
                await after(proxy)
            if not live:
                return
