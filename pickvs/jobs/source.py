"""Where odds come from: The Odds API with a key, the offline demo league without one."""

from __future__ import annotations

from collections.abc import Callable

from pickvs.config import settings
from pickvs.domain.clock import Clock
from pickvs.odds.client import CallResult, OddsApiClient
from pickvs.odds.demo import DemoProvider, demo_transport

DEMO_BASE_URL = "http://demo.pickvs.invalid"


def source_label() -> str:
    return "demo" if settings.demo_mode else "live"


def make_client(clock: Clock, on_call: Callable[[CallResult], None] | None) -> OddsApiClient:
    """The same client and parser serve both sources; only the transport differs."""
    if settings.demo_mode:
        return OddsApiClient(
            DEMO_BASE_URL,
            "demo",
            transport=demo_transport(DemoProvider(), clock.now),
            on_call=on_call,
        )
    return OddsApiClient(
        settings.odds_api_base_url,
        settings.odds_api_key or "",
        timeout=settings.http_timeout_seconds,
        on_call=on_call,
    )
