"""`/`: the slate, the games of today and the next two slate days, to pick against the lines."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.game_card import game_card
from pickvs.pages.layout import loading, page_layout
from pickvs.state.nav import NavState
from pickvs.state.slate import SlateState
from pickvs.state.slate_views import DayView


class Countdown(rx.Component):
    """Time left before `until` (ISO 8601) in words, re-read every second in the browser: a
    small React component of our own (assets/countdown.jsx), not `rx.moment` and moment.js."""

    library = "$/public/countdown.jsx"
    tag = "Countdown"
    until: rx.Var[str]


def countdown() -> rx.Component:
    """Time left before the soonest open game locks, counted down in the browser."""
    return rx.cond(
        SlateState.next_lock_at != "",
        rx.hstack(
            rx.icon("timer", size=18, aria_hidden="true", color=rx.color("orange", 10)),
            rx.el.p(
                Countdown.create(until=SlateState.next_lock_at),
                rx.el.span(" · at ", SlateState.next_lock_tip),
                id="next-lock",
                aria_live="polite",
                aria_atomic="true",
                style={"margin": 0},
            ),
            spacing="2",
            align="center",
        ),
        rx.text("No open games to lock.", id="next-lock", size="2", color_scheme="gray"),
    )


def _day(day: DayView) -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(day.heading, as_="h2", size="4"),
            rx.grid(
                rx.foreach(day.cards, game_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        aria_label=day.heading,
        width="100%",
    )


def _slate() -> rx.Component:
    return rx.cond(
        SlateState.days.length() > 0,
        rx.vstack(rx.foreach(SlateState.days, _day), spacing="6", width="100%"),
        rx.callout(
            "No games on the slate yet — lines arrive every morning.",
            icon="calendar-clock",
            color_scheme="gray",
            id="slate-empty",
            width="100%",
        ),
    )


def slate_page() -> rx.Component:
    return page_layout(
        rx.flex(
            rx.vstack(
                rx.text(
                    "Tap a price to pick it, and tap your pick again to withdraw it. ",
                    SlateState.lock_rule,
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(
                    NavState.unpicked > 0,
                    rx.text(NavState.unpicked_label, size="2", weight="medium", id="unpicked"),
                ),
                spacing="1",
            ),
            rx.hstack(
                countdown(),
                rx.icon_button(
                    rx.icon("refresh-cw", size=16, aria_hidden="true"),
                    on_click=SlateState.load,
                    variant="ghost",
                    color_scheme="gray",
                    size="2",
                    aria_label="Refresh the slate",
                    title="Refresh the slate",
                ),
                spacing="3",
                align="center",
            ),
            direction=rx.breakpoints(initial="column", md="row"),
            justify="between",
            align=rx.breakpoints(initial="start", md="center"),
            gap="3",
            width="100%",
        ),
        rx.cond(
            SlateState.loaded,
            _slate(),
            loading(),
        ),
        title="Today's slate",
        requires="login",
    )
