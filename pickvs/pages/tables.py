"""Pieces the pages' tables share: the screen-reader caption, the columns that show only on
wider screens (or only on a phone), and the colour of a units figure."""

from __future__ import annotations

import reflex as rx

WIDE = rx.breakpoints(initial="none", sm="table-cell")  # a column hidden on a phone
NARROW = rx.breakpoints(initial="block", sm="none")  # its figure, shown in another cell instead


def table_caption(text: str | rx.Var) -> rx.Component:
    """The table's accessible name, read by screen readers only (the page already says it)."""
    return rx.el.caption(
        text,
        position="absolute",
        width="1px",
        height="1px",
        overflow="hidden",
        clip="rect(0 0 0 0)",
        white_space="nowrap",
    )


def figure_color(tone_var: rx.Var, *more: tuple[str, str]) -> rx.Var:
    """A win-green or loss-red figure; a level one stays gray (`more`: other tones' colours)."""
    return rx.match(tone_var, ("up", "grass"), ("down", "red"), *more, "gray")
