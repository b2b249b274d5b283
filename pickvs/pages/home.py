"""The home page: a placeholder until the slate, picks and leaderboard pages land."""

from __future__ import annotations

import reflex as rx

from pickvs.state import AppState

TITLE = "PickVs"
DESCRIPTION = "Pick today's NBA games against real sportsbook lines and climb the leaderboard."


def demo_banner() -> rx.Component:
    """Say plainly that games, lines and scores are generated offline, not real betting data."""
    return rx.cond(
        AppState.demo_mode,
        rx.callout(
            "Demo league: games, lines and scores are generated offline, not real sportsbook "
            "data. Set ODDS_API_KEY to play on real lines.",
            icon="flask-conical",
            color_scheme="amber",
            role="status",
            id="demo-banner",
            width="100%",
        ),
    )


def home() -> rx.Component:
    return rx.container(
        rx.vstack(
            demo_banner(),
            rx.heading(TITLE, as_="h1", size="9"),
            rx.text(DESCRIPTION, size="4"),
            spacing="5",
            padding_y="2em",
        ),
        size="2",
    )
