"""`/`: the slate, the games of today and the next two slate days, to pick against the lines."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.game_card import game_card
from pickvs.pages.layout import loading, page_layout
from pickvs.pages.radix import COLUMN, ROW, gray
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
        rx.el.div(
            rx.icon("timer", size=18, aria_hidden="true", class_name="next-lock-icon"),
            rx.el.p(
                Countdown.create(until=SlateState.next_lock_at),
                rx.el.span(" · at ", SlateState.next_lock_tip),
                id="next-lock",
                aria_live="polite",
                aria_atomic="true",
                class_name="flush",
            ),
            class_name=f"{ROW} rt-r-gap-2",
        ),
        rx.el.p(
            "No open games to lock.",
            id="next-lock",
            class_name="rt-Text rt-r-size-2",
            custom_attrs=gray(),
        ),
    )


def _day(day: DayView) -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.h2(day.heading, class_name="rt-Heading rt-r-size-4"),
            rx.el.div(
                rx.foreach(day.cards, game_card),
                class_name="rt-Grid rt-r-gtc-1 md:rt-r-gtc-2 rt-r-gap-4 full-width",
            ),
            class_name=f"{COLUMN} rt-r-gap-3 full-width",
        ),
        aria_label=day.heading,
        class_name="full-width",
    )


def _slate() -> rx.Component:
    return rx.cond(
        SlateState.days.length() > 0,
        rx.el.div(rx.foreach(SlateState.days, _day), class_name=f"{COLUMN} rt-r-gap-6 full-width"),
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
        rx.el.div(
            rx.el.div(
                rx.el.p(
                    "Tap a price to pick it, and tap your pick again to withdraw it. ",
                    SlateState.lock_rule,
                    class_name="rt-Text rt-r-size-2",
                    custom_attrs=gray(),
                ),
                rx.cond(
                    NavState.unpicked > 0,
                    rx.el.p(
                        NavState.unpicked_label,
                        class_name="rt-Text rt-r-size-2 rt-r-weight-medium",
                        id="unpicked",
                    ),
                ),
                class_name=f"{COLUMN} rt-r-gap-1",
            ),
            rx.el.div(
                countdown(),
                rx.el.button(
                    rx.icon("refresh-cw", size=24, aria_hidden="true"),
                    on_click=SlateState.load,
                    type="button",
                    aria_label="Refresh the slate",
                    title="Refresh the slate",
                    class_name="rt-reset rt-BaseButton rt-r-size-2 rt-variant-ghost rt-IconButton "
                    "icon-button",
                    custom_attrs=gray(),
                ),
                class_name=f"{ROW} rt-r-gap-3",
            ),
            # Radix's responsive classes: a column on a phone, one row from 1024 px.
            class_name="rt-Flex rt-r-fd-column md:rt-r-fd-row rt-r-ai-start md:rt-r-ai-center "
            "rt-r-jc-space-between rt-r-gap-3 full-width",
        ),
        rx.cond(
            SlateState.loaded,
            _slate(),
            loading(),
        ),
        title="Today's slate",
        requires="login",
    )
