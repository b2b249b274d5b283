"""The previous/next controls under a paged list, the one way every page draws them
(`leaderboard.board_pager`, `picks._pager`, `profile.picks_pager`, `admin._pager`).

The state gives the status text ("Page 2 of 5"), the two handlers and whether each way is
open (`pickvs.state.paging`). The buttons keep their accessible names (`labels`) whatever shows:
below 30em only their chevrons do. `compact=True` is the admin's small form: where the list is,
then two icon buttons, drawn only when there is more than one page. The ids, names, landmark
and live region are each page's contract with its tests: pass them as they are."""

from __future__ import annotations

from typing import Any

import reflex as rx

WORD_SHOWN = rx.breakpoints(initial="none", xs="inline")  # from 30em; a chevron alone below


def _turn(
    forward: bool,
    word: str,
    label: str,
    on_click: Any,
    enabled: rx.Var,
    element_id: str | None,
    compact: bool,
) -> rx.Component:
    icon = rx.icon("chevron-right" if forward else "chevron-left", size=16, aria_hidden="true")
    props: dict[str, Any] = {
        "on_click": on_click,
        "disabled": ~enabled,
        "aria_label": label,
        "variant": "soft",
        "color_scheme": "gray",
    }
    if element_id:
        props["id"] = element_id
    if compact:
        return rx.icon_button(
            icon, title="Next page" if forward else "Previous page", size="1", **props
        )
    text = rx.el.span(word, display=WORD_SHOWN)
    return rx.button(*((text, icon) if forward else (icon, text)), **props)


def pager(
    status: rx.Var | str,
    *,
    on_prev: Any,
    on_next: Any,
    has_prev: rx.Var,
    has_next: rx.Var,
    words: tuple[str, str] = ("Previous", "Next"),
    labels: tuple[str, str] = ("Previous page", "Next page"),
    ids: tuple[str | None, str | None, str | None] = (None, None, None),
    landmark: str | None = None,
    live: bool = False,
    compact: bool = False,
    **props: Any,
) -> rx.Component:
    """`status` ("Page 2 of 5") between the two buttons; `words` are what the buttons say,
    `labels` their accessible names, `ids` those of (previous, status, next). `landmark` makes
    the pager a navigation landmark of that name; `live` has the status announced."""
    prev_id, status_id, next_id = ids
    prev, next_ = (
        _turn(False, words[0], labels[0], on_prev, has_prev, prev_id, compact),
        _turn(True, words[1], labels[1], on_next, has_next, next_id, compact),
    )
    text_props: dict[str, Any] = {"id": status_id} if status_id else {}
    if live:
        text_props["aria_live"] = "polite"
    if landmark:
        props.update(role="navigation", aria_label=landmark)
    if compact:
        return rx.hstack(
            rx.text(status, size="1", color_scheme="gray", **text_props),
            rx.cond(has_prev | has_next, rx.hstack(prev, next_, spacing="2")),
            justify="between",
            align="center",
            width="100%",
            **props,
        )
    return rx.hstack(
        prev,
        rx.text(status, size="2", color_scheme="gray", **text_props),
        next_,
        spacing="3",
        align="center",
        justify="center",
        width="100%",
        **props,
    )
