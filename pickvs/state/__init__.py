"""Reflex state for PickVs pages.

`AppState` is the root of every PickVs state: the auth state (browser token, current user) and
the page substates will hang off it. Handlers stay thin and call `pickvs.services`.
"""

from __future__ import annotations

import reflex as rx

from pickvs.config import settings


class AppState(rx.State):
    """App-wide values every page may show."""

    @rx.var
    def demo_mode(self) -> bool:
        """Whether the running backend uses the offline demo source (no ODDS_API_KEY).

        A computed var, so the banner follows the server's configuration when the page hydrates
        rather than whatever was true when the frontend was built.
        """
        return settings.demo_mode
