"""Form pieces for states that mix in `pickvs.state.forms.FormErrors`.

`form_field` renders a labelled input whose `id` and form `name` are both `name`, so the state's
`rx.set_focus(name)` and `error_field == name` find it; the validation message sits right under
it and is tied to the input with `aria-describedby` / `aria-invalid`.
"""

from __future__ import annotations

import reflex as rx


def form_field(
    label: str,
    name: str,
    state: type[rx.State],
    *,
    type: str = "text",
    auto_complete: str,
    hint: str | None = None,
    required: bool = True,
    **input_props,
) -> rx.Component:
    error_id, hint_id = f"{name}-error", f"{name}-hint"
    has_error = state.error_field == name  # type: ignore[attr-defined]
    described_by = f"{hint_id} {error_id}" if hint else error_id
    return rx.flex(
        rx.text(label, as_="label", size="2", weight="medium", custom_attrs={"htmlFor": name}),
        rx.input(
            id=name,
            name=name,
            type=type,
            auto_complete=auto_complete,
            size="3",
            required=required,
            color_scheme=rx.cond(has_error, "red", "gray"),
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=described_by,
            **input_props,
        ),
        *([rx.text(hint, id=hint_id, size="1", color_scheme="gray")] if hint else []),
        rx.text(
            rx.cond(has_error, state.error_message, ""),  # type: ignore[attr-defined]
            id=error_id,
            size="2",
            color_scheme="red",
            aria_live="polite",
        ),
        direction="column",
        spacing="1",
        width="100%",
    )


def auth_form(
    form_id: str, submit_label: str, on_submit: rx.EventHandler, *fields: rx.Component
) -> rx.Component:
    """The fields and the submit button, as wide as the card.

    The form is a child of the card's column, which aligns its children to the start: without
    its own width it shrinks to its widest content (the log-in form, with no long hint, came
    out half the card's width). `no_validate`: every problem, a blank field included, comes
    back from the state beside its field, replacing the last one, instead of in the browser's
    passing bubble while an older message of ours still stood beside another field.
    """
    return rx.el.form(
        rx.vstack(
            *fields,
            rx.button(submit_label, type="submit", size="3", width="100%", margin_top="0.5em"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        id=form_id,
        no_validate=True,
        width="100%",
    )


def auth_card(heading: str, lead: str, *children: rx.Component) -> rx.Component:
    """The narrow card the log-in and sign-up forms sit in."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(heading, as_="h1", size=rx.breakpoints(initial="6", sm="7")),
                rx.text(lead, color_scheme="gray", size="2"),
                *children,
                spacing="4",
                width="100%",
            ),
            size=rx.breakpoints(initial="2", sm="4"),
            width="100%",
            max_width="26rem",
        ),
        width="100%",
        padding_top=rx.breakpoints(initial="0", sm="2em"),
    )
