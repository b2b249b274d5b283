"""The navigation bar: wordmark, page links (Admin for admins only), account controls and the
light/dark switch. It wraps rather than collapses: below 48em (768 px) the page links take a
row of their own, so nothing hides behind a menu on a phone.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from pickvs.state import AppState, routes
from pickvs.state.auth import AuthState
from pickvs.state.nav import NavState

APP_NAME = "PickVs"
NAV_LINKS = (
    ("Slate", routes.SLATE),
    ("My picks", routes.PICKS),
    ("Leagues", routes.LEAGUES),
)


def button_link(label: str, href: str, **props) -> rx.Component:
    """A link that looks like a button (one element, one tab stop, client-side navigation)."""
    return rx.button(ReactRouterLink.create(label, to=href), as_child=True, **props)


def nav_link(label: str, href: str) -> rx.Component:
    path = AppState.router.url.path
    current = (path == href) | (path == href.rstrip("/") + "/")  # a direct load adds a slash
    return rx.link(
        label,
        href=href,
        size="2",
        weight="medium",
        color_scheme=rx.cond(current, "orange", "gray"),
        high_contrast=~current,
        underline="hover",
        aria_current=rx.cond(current, "page", "false"),
        padding_y="0.25em",
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
    return rx.link(
        rx.hstack(
            rx.image(src="/favicon.svg", width="1.5em", height="1.5em", alt=""),
            rx.text(APP_NAME, size="5", weight="bold", trim="both"),
            spacing="2",
            align="center",
        ),
        href=routes.SLATE,
        color_scheme="gray",
        high_contrast=True,
        underline="none",
        id="wordmark",
    )


def _account() -> rx.Component:
    """The player's name and Log out; else Log in and Sign up, once the backend has said so
    (before the first hydration the compiled page knows nobody: no flash of "Log in")."""
    return rx.cond(
        AuthState.is_authenticated,
        rx.hstack(
            rx.link(
                rx.icon("circle-user-round", size=18, aria_hidden="true", flex_shrink="0"),
                rx.el.span(
                    AuthState.username,
                    white_space="nowrap",
                    overflow="hidden",
                    text_overflow="ellipsis",
                ),
                href="/u/" + AuthState.username,
                size="2",
                weight="medium",
                color_scheme="gray",
                high_contrast=True,
                underline="hover",
                display="inline-flex",
                align_items="center",
                gap="0.35em",
                min_width="0",
                # A 20-character name fits beside the other controls, even on a phone.
                max_width=rx.breakpoints(initial="8rem", xs="14rem"),
                id="nav-username",
            ),
            rx.button(
                rx.icon("log-out", size=16, aria_hidden="true"),
                # On a phone the icon alone; the button keeps its name through aria-label.
                rx.el.span("Log out", display=rx.breakpoints(initial="none", xs="inline")),
                on_click=AuthState.logout,
                variant="soft",
                color_scheme="gray",
                high_contrast=True,
                size="2",
                aria_label="Log out",
                title="Log out",
                id="logout",
            ),
            spacing="3",
            align="center",
        ),
        rx.hstack(
            rx.link(
                "Log in",
                href=routes.LOGIN,
                size="2",
                weight="medium",
                color_scheme="gray",
                high_contrast=True,
                underline="hover",
            ),
            button_link("Sign up", routes.SIGNUP, size="2"),
            spacing="3",
            align="center",
            visibility=rx.cond(AuthState.is_hydrated, "visible", "hidden"),
        ),
    )


def navbar() -> rx.Component:
    """Wordmark, the page links and the account controls. Below 48em (768 px) the page links
    wrap onto a second row of their own, so nothing hides behind a menu on a phone."""
    links = rx.el.nav(
        rx.hstack(
            *(
                rx.hstack(nav_link(label, href), unpicked_badge(), spacing="1", align="center")
                if href == routes.SLATE
                else nav_link(label, href)
                for label, href in NAV_LINKS
            ),
            rx.cond(AppState.public_board, nav_link("Leaderboard", routes.LEADERBOARD)),
            rx.cond(AuthState.is_admin, nav_link("Admin", routes.ADMIN)),
            spacing=rx.breakpoints(initial="4", sm="5"),
            align="center",
        ),
        aria_label="Main",
        order=rx.breakpoints(initial="3", sm="0"),
        width=rx.breakpoints(initial="100%", sm="auto"),
        margin_left=rx.breakpoints(initial="0", sm="1.5em"),
    )
    return rx.el.header(
        rx.flex(
            _wordmark(),
            links,
            rx.hstack(
                _account(),
                rx.color_mode.button(
                    variant="ghost",
                    size="2",
                    color_scheme="gray",
                    aria_label="Switch between light and dark mode",
                    title="Light or dark mode",
                    id="color-mode",
                ),
                spacing="3",
                align="center",
                margin_left="auto",
            ),
            wrap="wrap",
            align="center",
            column_gap="1em",
            row_gap="0.75em",
            max_width="72rem",
            margin_x="auto",
            padding_x=rx.breakpoints(initial="1rem", md="1.5rem"),
            padding_y="0.75rem",
        ),
        id="navbar",
        position="sticky",
        top="0",
        z_index="10",
        background_color=rx.color("gray", 1),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )
