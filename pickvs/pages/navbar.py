"""The navigation bar: wordmark, page links (Admin for admins only), account controls and the
light/dark switch. It wraps rather than collapses: below 48em (768 px) the page links take a
row of their own, so nothing hides behind a menu on a phone.

It is on every page and drawn before the event socket connects, so it is plain elements with
Radix's classes (pickvs/pages/radix.py), not nested themed components: its links are React
Router's own `Link` (client-side navigation, as `rx.link` renders an internal href).
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from pickvs.pages.radix import LINK, ROW, accent, gray
from pickvs.state import AppState, routes
from pickvs.state.auth import AuthState
from pickvs.state.nav import NavState

APP_NAME = "PickVs"
NAV_LINKS = (
    ("Slate", routes.SLATE),
    ("My picks", routes.PICKS),
    ("Leagues", routes.LEAGUES),
)


def nav_link(label: str, href: str) -> rx.Component:
    path = AppState.router.url.path
    current = (path == href) | (path == href.rstrip("/") + "/")  # a direct load adds a slash
    return ReactRouterLink.create(
        label,
        to=href,
        class_name=rx.cond(current, f"{LINK} nav-link", f"{LINK} rt-high-contrast nav-link"),
        custom_attrs=accent(rx.cond(current, "orange", "gray")),
        aria_current=rx.cond(current, "page", "false"),
    )


def unpicked_badge() -> rx.Component:
    """How many of today's games the player has not picked yet, beside the Slate link."""
    return rx.cond(
        NavState.unpicked > 0,
        rx.el.span(
            NavState.unpicked,
            class_name="standing",
            title=NavState.unpicked_label,
            aria_label=NavState.unpicked_label,
            id="nav-unpicked",
        ),
    )


def _wordmark() -> rx.Component:
    return ReactRouterLink.create(
        rx.el.img(src="/favicon.svg", alt="", class_name="wordmark-logo"),
        rx.el.span(APP_NAME, class_name="rt-Text rt-r-size-5 rt-r-weight-bold rt-r-lt-both"),
        to=routes.SLATE,
        class_name="rt-Text rt-reset rt-Link rt-underline-none rt-high-contrast nav-link wordmark",
        custom_attrs=gray(),
        id="wordmark",
    )


def _account() -> rx.Component:
    """The player's name and Log out; else Log in and Sign up, once the backend has said so
    (before the first hydration the compiled page knows nobody: no flash of "Log in")."""
    return rx.cond(
        AuthState.is_authenticated,
        rx.el.div(
            ReactRouterLink.create(
                rx.icon("circle-user-round", size=18, aria_hidden="true", class_name="nav-icon"),
                # A 20-character name fits beside the other controls, even on a phone.
                rx.el.span(AuthState.username, class_name="nav-username-text"),
                to="/u/" + AuthState.username,
                class_name=f"{LINK} rt-high-contrast nav-link nav-username",
                custom_attrs=gray(),
                id="nav-username",
            ),
            rx.el.button(
                rx.icon("log-out", size=16, aria_hidden="true"),
                # On a phone the icon alone; the button keeps its name through aria-label.
                rx.el.span("Log out", class_name="logout-label"),
                on_click=AuthState.logout,
                type="button",
                aria_label="Log out",
                title="Log out",
                id="logout",
                class_name="rt-reset rt-BaseButton rt-r-size-2 rt-variant-soft rt-high-contrast "
                "rt-Button",
                custom_attrs=gray(),
            ),
            class_name=f"{ROW} rt-r-gap-3",
        ),
        rx.el.div(
            ReactRouterLink.create(
                "Log in",
                to=routes.LOGIN,
                class_name=f"{LINK} rt-high-contrast nav-link",
                custom_attrs=gray(),
            ),
            ReactRouterLink.create(
                "Sign up",
                to=routes.SIGNUP,
                class_name="rt-reset rt-BaseButton rt-r-size-2 rt-variant-solid rt-Button",
            ),
            class_name=rx.cond(
                AuthState.is_hydrated, f"{ROW} rt-r-gap-3", f"{ROW} rt-r-gap-3 nav-pending"
            ),
        ),
    )


def navbar() -> rx.Component:
    """Wordmark, the page links and the account controls. Below 48em (768 px) the page links
    wrap onto a second row of their own, so nothing hides behind a menu on a phone (the
    layout is `.navbar-*` in pickvs.css)."""
    links = rx.el.nav(
        rx.el.div(
            *(
                rx.el.div(nav_link(label, href), unpicked_badge(), class_name=f"{ROW} rt-r-gap-1")
                if href == routes.SLATE
                else nav_link(label, href)
                for label, href in NAV_LINKS
            ),
            rx.cond(AppState.public_board, nav_link("Leaderboard", routes.LEADERBOARD)),
            rx.cond(AuthState.is_admin, nav_link("Admin", routes.ADMIN)),
            class_name=f"{ROW} rt-r-gap-4 sm:rt-r-gap-5",
        ),
        aria_label="Main",
        class_name="navbar-links",
    )
    return rx.el.header(
        rx.el.div(
            _wordmark(),
            links,
            rx.el.div(
                _account(),
                rx.color_mode.button(
                    variant="ghost",
                    size="2",
                    color_scheme="gray",
                    aria_label="Switch between light and dark mode",
                    title="Light or dark mode",
                    id="color-mode",
                ),
                class_name=f"{ROW} rt-r-gap-3 navbar-end",
            ),
            class_name="rt-Flex rt-r-ai-center rt-r-fw-wrap navbar-row",
        ),
        id="navbar",
        class_name="navbar",
    )
