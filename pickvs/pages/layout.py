"""The frame of every page: navigation bar, demo banner, and the page's main content.

    def my_page() -> rx.Component:
        return page_layout(rx.text("..."), title="My picks", requires="login")

`requires` hides the content from whoever may not see it ("login": a spinner until the player
is verified; "admin": the not-found view for players who are not admins). It is the visible
half of the guard: register the page with the matching `on_load=AuthState.require_login` (or
`require_admin`), which redirects, and have every handler re-check the player (`_player`).
(The slate's own `SlateState.load` redirects as the guard does, in the same event.)
"""

from __future__ import annotations

from typing import Literal

import reflex as rx

from pickvs.pages.navbar import APP_NAME, navbar
from pickvs.pages.radix import STACK, accent
from pickvs.state import AppState, routes
from pickvs.state.auth import AuthState

Access = Literal["anyone", "login", "admin"]

DESCRIPTION = "Pick today's NBA games against real sportsbook lines and climb the leaderboard."


def page_title(name: str | None = None) -> str:
    """The browser tab's title for a page: `My picks · PickVs`."""
    return f"{name} · {APP_NAME}" if name else APP_NAME


def demo_banner() -> rx.Component:
    """Say plainly that games, lines and scores are generated offline, not real betting data.
    (Radix's Callout as plain elements with its classes: it is drawn before the socket connects.)"""
    return rx.cond(
        AppState.demo_mode,
        rx.el.div(
            rx.el.div(rx.icon("flask-conical"), class_name="rt-CalloutIcon"),
            rx.el.p(
                "Demo league: games, lines and scores are generated offline, not real "
                "sportsbook data. Set ODDS_API_KEY to play on real lines.",
                class_name="rt-Text rt-r-size-2 rt-CalloutText",
            ),
            role="status",
            id="demo-banner",
            class_name="rt-CalloutRoot rt-r-size-1 rt-variant-soft full-width",
            custom_attrs=accent("amber"),
        ),
    )


def not_found_view() -> rx.Component:
    """What a missing page (and an admin page, to a player who is not an admin) shows."""
    return rx.vstack(
        rx.text("404", size="2", weight="medium", color_scheme="gray"),
        rx.heading("Not found", as_="h1", size="7"),
        rx.text("There is no page at this address.", color_scheme="gray"),
        rx.link("Back to the slate", href=routes.SLATE),
        spacing="3",
        padding_y="3em",
        id="not-found",
    )


def section(heading: str, *children: rx.Component, **props) -> rx.Component:
    """A card with its heading (h2): the blocks the league pages and the profile are made of."""
    return rx.card(
        rx.vstack(rx.heading(heading, as_="h2", size="4"), *children, spacing="3", width="100%"),
        width="100%",
        **props,
    )


def name_heading(name: str | rx.Var) -> rx.Component:
    """A page's h1 that is a chosen name (a league's, a player's): long names break anywhere
    rather than push the page wider than a phone."""
    return rx.heading(
        name, as_="h1", size=rx.breakpoints(initial="6", sm="7"), overflow_wrap="anywhere"
    )


def muted(*children, **props) -> rx.Component:
    """Secondary text: small and gray."""
    return rx.text(*children, **{"size": "2", "color_scheme": "gray", **props})


def loading(padding_y: Literal["1em", "3em", "4em"] = "3em") -> rx.Component:
    """The spinner a page shows until its state has loaded (Radix's Spinner, centred, as plain
    elements with its classes: the first thing a cold load draws)."""
    return rx.el.div(
        rx.el.span(
            *(rx.el.span(class_name="rt-SpinnerLeaf") for _ in range(8)),
            class_name="rt-Spinner rt-r-size-3",
        ),
        aria_busy="true",
        aria_label="Loading",
        class_name=f"loading loading-{padding_y}",
    )


def _logged_out() -> rx.Component:
    """A guarded page once the tab knows nobody is logged in here: the log-in page's guard
    redirects on a load, but a log-out in another tab reaches an open page without one."""
    return rx.vstack(
        rx.heading("You are logged out", as_="h1", size="6"),
        rx.text("Log in again to see this page.", color_scheme="gray"),
        rx.link("Log in", href=routes.LOGIN, id="logged-out-login"),
        spacing="3",
        padding_y="3em",
        id="logged-out",
    )


def _checking() -> rx.Component:
    """A spinner until the tab's state has arrived, then the logged-out view (never an endless
    spinner)."""
    return rx.cond(
        rx.State.is_hydrated,
        _logged_out(),
        loading("4em"),
    )


def _guarded(body: rx.Component, requires: Access) -> rx.Component:
    if requires == "login":
        return rx.cond(AuthState.is_authenticated, body, _checking())
    if requires == "admin":
        return rx.cond(
            AuthState.is_admin,
            body,
            rx.cond(AuthState.is_authenticated, not_found_view(), _checking()),
        )
    return body


def page_layout(
    *children: rx.Component, title: str | None = None, requires: Access = "anyone"
) -> rx.Component:
    """Every page: the navbar, the demo banner, then `title` as the page's h1 and `children`."""
    heading = [rx.el.h1(title, class_name="rt-Heading rt-r-size-6 sm:rt-r-size-7")] if title else []
    body = rx.el.div(*heading, *children, class_name=f"{STACK} full-width")
    return rx.el.div(
        rx.el.a("Skip to content", href="#main", id="skip-link", class_name="skip-link"),
        navbar(),
        rx.el.main(
            rx.el.div(demo_banner(), _guarded(body, requires), class_name=f"{STACK} page-main"),
            id="main",
            tab_index=-1,
        ),
        class_name="page",
    )
