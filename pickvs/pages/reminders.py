"""The daily reminder form: on the league page for its owner, on the admin page for the instance.

Layout only: the values and messages come from `pickvs.state.reminders`. The form loads its
state when it appears (`on_mount`) and is drawn once loaded, so its inputs start from the
saved values.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.forms import form_field
from pickvs.pages.layout import loading, muted, section
from pickvs.state.reminders import (
    FORMAT,
    FORMAT_LABELS,
    MINUTES,
    URL,
    InstanceReminderState,
    LeagueReminderState,
)

ReminderState = type[LeagueReminderState] | type[InstanceReminderState]


def _format_select(state: ReminderState) -> rx.Component:
    return rx.flex(
        rx.text("Format", as_="label", size="2", weight="medium", custom_attrs={"htmlFor": FORMAT}),
        rx.el.select(
            *(rx.el.option(label, value=value) for value, label in FORMAT_LABELS.items()),
            id=FORMAT,
            name=FORMAT,
            default_value=state.format,
            class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
        ),
        rx.text(
            rx.cond(state.error_field == FORMAT, state.error_message, ""),
            id=f"{FORMAT}-error",
            size="2",
            color_scheme="red",
            aria_live="polite",
        ),
        direction="column",
        spacing="1",
    )


def _form(state: ReminderState, form_id: str) -> rx.Component:
    return rx.el.form(
        rx.vstack(
            form_field(
                "Webhook URL",
                URL,
                state,
                type="url",
                auto_complete="off",
                hint="A Discord or Slack incoming webhook, or an ntfy topic (https://ntfy.sh/…). "
                "Blank turns the reminder off.",
                required=False,
                default_value=state.url,
            ),
            rx.grid(
                _format_select(state),
                form_field(
                    "Minutes before the first lock",
                    MINUTES,
                    state,
                    auto_complete="off",
                    hint="0 to 720.",
                    required=False,
                    default_value=state.minutes,
                    input_mode="numeric",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.hstack(
                rx.button("Save reminder", type="submit"),
                rx.cond(
                    state.url != "",
                    rx.fragment(
                        rx.button(
                            "Send a test post",
                            type="button",
                            variant="soft",
                            on_click=state.send_test,
                        ),
                        rx.button(
                            "Turn off",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=state.turn_off,
                        ),
                    ),
                ),
                spacing="3",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=state.save,
        id=form_id,
        no_validate=True,
        width="100%",
    )


def reminder_section(state: ReminderState, key: str, lead: str) -> rx.Component:
    """The form with what is set now, the last post's outcome and the last action's notice."""
    return rx.box(
        section(
            "Daily reminder",
            muted(lead),
            rx.cond(
                state.loaded,
                rx.cond(
                    state.allowed,
                    rx.vstack(
                        rx.text(state.summary, size="2", id=f"{key}-summary"),
                        rx.cond(state.last_post != "", muted(state.last_post, id=f"{key}-last")),
                        _form(state, f"{key}-form"),
                        spacing="3",
                        width="100%",
                    ),
                ),
                loading("1em"),
            ),
            rx.cond(
                state.notice != "",
                rx.callout(state.notice, icon="info", size="1", role="status", id=f"{key}-notice"),
            ),
        ),
        on_mount=state.load,
        width="100%",
        id=key,
    )


def league_reminder() -> rx.Component:
    """The league page's owner tool."""
    return reminder_section(
        LeagueReminderState,
        "league-reminder",
        "Once a day, before the first game locks, post the names of members who have not "
        "picked yet to your group chat. Off unless you add a webhook.",
    )


def instance_reminder() -> rx.Component:
    """The admin page's form for every player who picked in the last two weeks."""
    return reminder_section(
        InstanceReminderState,
        "instance-reminder",
        "Once a day, before the first game locks, post the names of the players who picked in "
        "the last 14 days and have not picked today. Off unless you add a webhook.",
    )
