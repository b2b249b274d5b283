"""Pieces the pages' tables share: the screen-reader caption, the columns that show only on
wider screens (or only on a phone), the colour of a units figure, the header and body every
list table builds the same way, and the "My leagues" table that /leagues and one's own profile
both show."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from pickvs.pages.layout import section

WIDE = rx.breakpoints(initial="none", sm="table-cell")  # a column hidden on a phone
NARROW = rx.breakpoints(initial="block", sm="none")  # its figure, shown in another cell instead

Row = Callable[[rx.Var], rx.Component]  # one item of a list var -> its table row


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


def right(label: str, **props) -> rx.Component:
    """The heading of a column of figures: right-aligned, like the figures under it."""
    return rx.table.column_header_cell(label, text_align="right", **props)


def table_header(*columns: str | rx.Component) -> rx.Component:
    """A table's one header row; a bare label is a plain (left-aligned) column heading."""
    return rx.table.header(
        rx.table.row(
            *(rx.table.column_header_cell(c) if isinstance(c, str) else c for c in columns)
        )
    )


def data_table(
    caption: str | rx.Var,
    header: rx.Component,
    rows: rx.Var,
    row: Row,
    table_id: str,
    **props,
) -> rx.Component:
    """A captioned, full-width table with a row per item of `rows`: small unless `props` say
    otherwise. One builder, so every list table keeps the same caption and layout."""
    return rx.table.root(
        table_caption(caption),
        header,
        rx.table.body(rx.foreach(rows, row)),
        **{"size": "1", **props},
        width="100%",
        id=table_id,
    )


def figure_cell(value: rx.Var, name: str, **props) -> rx.Component:
    """A right-aligned figure kept on one line; `name` is the class tests find the cell by."""
    return rx.table.cell(value, text_align="right", white_space="nowrap", class_name=name, **props)


def units_cell(line: rx.Var, *, bold: bool = False, **props) -> rx.Component:
    """The row's units figure in its tone's colour (`line` has `units` and `tone`)."""
    text_props = {"weight": "medium"} if bold else {}
    return rx.table.cell(
        rx.text(line.units, color_scheme=figure_color(line.tone), **text_props),
        text_align="right",
        white_space="nowrap",
        **props,
    )


def clv_cell(value: rx.Var, tone_var: rx.Var, **props) -> rx.Component:
    """A closing-line value ("+2.3 pp", "—" before the close) in its tone's colour, right-
    aligned on one line; the class `clv` is how tests find it."""
    return rx.table.cell(
        rx.text(value, color_scheme=figure_color(tone_var)),
        text_align="right",
        white_space="nowrap",
        class_name="clv",
        **props,
    )


def game_cell(matchup: rx.Var, when: rx.Var, **props) -> rx.Component:
    """A pick's game: the matchup, then when it is played under it."""
    return rx.table.cell(
        rx.text(matchup, size="2"), rx.text(when, size="1", color_scheme="gray"), **props
    )


def pick_text(line: rx.Var) -> tuple[rx.Component, rx.Component]:
    """A pick in words: the selection, then its market and price under it."""
    return (
        rx.text(line.selection, size="2", weight="medium"),
        rx.text(line.market, " · ", line.price, size="1", color_scheme="gray"),
    )


def result_cell(status: rx.Var, line: rx.Var, **units_props) -> rx.Component:
    """A pick's result badge (open orange, won green, lost red) with its units under it;
    `units_props` on the units (the profile shows them there on a phone only)."""
    return rx.table.cell(
        rx.badge(status, color_scheme=figure_color(line.tone, ("open", "orange")), variant="soft"),
        rx.text(line.units, size="1", color_scheme="gray", **units_props, margin_top="0.25em"),
        white_space="nowrap",
    )


def my_leagues_section(
    rows: rx.Var, row: Row, table_id: str, empty: rx.Component, *more: rx.Component
) -> rx.Component:
    """The "My leagues" card (league, members, my rank), on /leagues and on one's own profile:
    each page passes its own rows (and row builder), the table's id and what shows when the
    player is in no league; `more` follows the table."""
    return section(
        "My leagues",
        rx.cond(
            rows.length() > 0,
            data_table(
                "My leagues",
                table_header("League", "Members", right("My rank")),
                rows,
                row,
                table_id,
            ),
            empty,
        ),
        *more,
    )
