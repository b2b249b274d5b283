"""The board pieces the public leaderboard (`/leaderboard`) and a league's page share: the
period tabs, a ranked player's row, and the "Not yet ranked" table. Both pages rank players the
same way and browser tests find their rows by the same classes and data attributes, so the rows
are built once here; each page adds its own figure columns (the leaderboard shows wagered units,
a league does not).

A row's `line` is the state's formatted row (`BoardLine` or `StandingLine`): both have rank,
username, href, units, tone, roi, adjusted_roi, record, streak, last10, clv, clv_tone and
is_me. Every board shows the players' average closing-line value (CLV) the same way: a column
on wider screens, and after the form under the name on a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx

from pickvs.pages.tables import (
    NARROW,
    WIDE,
    Row,
    clv_cell,
    data_table,
    right,
    table_header,
    units_cell,
)

CLV_TITLE = (
    "Average closing-line value of the player's picks in the period: the fair closing chance "
    "of each side picked minus the chance its price implied, in percentage points"
)


def period_control(labels: Mapping[str, str], value: rx.Var, on_change: Any) -> rx.Component:
    """The period tabs (all time, season, ...): `labels` maps each period to its tab's text."""
    return rx.segmented_control.root(
        *(rx.segmented_control.item(label, value=period) for period, label in labels.items()),
        value=value,
        on_change=on_change,
        aria_label="Period",
        id="period",
        size=rx.breakpoints(initial="1", sm="2"),
    )


def player_name(line: rx.Var, **link_props) -> rx.Component:
    """The player's name, linked to their profile, with a "You" badge on the viewer's own row."""
    return rx.hstack(
        rx.link(line.username, href=line.href, weight="medium", **link_props),
        rx.cond(line.is_me, rx.badge("You", size="1", variant="solid")),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def player_cell(line: rx.Var, *under: rx.Component) -> rx.Component:
    """The player column of a board: the name, then `under` it (form, or picks still needed)."""
    return rx.table.cell(
        player_name(line, high_contrast=True, overflow_wrap="anywhere"),
        *under,
        class_name="player",
    )


def form_line(line: rx.Var) -> rx.Component:
    """Record, streak and last ten under the name on a phone, where their columns are hidden."""
    return rx.text(
        line.record,
        " · ",
        line.streak,
        " · last 10 ",
        line.last10,
        " · CLV ",
        line.clv,
        size="1",
        color_scheme="gray",
        display=NARROW,
    )


def ranked_row(line: rx.Var, *figures: rx.Component, **props) -> rx.Component:
    """A ranked player's row: rank, player (form under it on a phone), units, then the page's
    `figures`; the viewer's own row is tinted. `props` go on the row."""
    return rx.table.row(
        rx.table.row_header_cell(rx.text(line.rank, weight="bold"), class_name="rank"),
        player_cell(line, form_line(line)),
        units_cell(line, bold=True, class_name="units"),
        *figures,
        background_color=rx.cond(line.is_me, rx.color("accent", 3), "transparent"),
        data_username=line.username,
        **props,
    )


def clv_header(**props) -> rx.Component:
    """The CLV column's heading (wider screens; a phone shows it under the name)."""
    return right("CLV", display=WIDE, title=CLV_TITLE, white_space="nowrap", **props)


def clv_figure(line: rx.Var) -> rx.Component:
    """The player's average CLV on a board ("+1.2 pp", "—" with none yet)."""
    return clv_cell(line.clv, line.clv_tone, display=WIDE)


def board_header(*figures: rx.Component) -> rx.Component:
    """The ranked table's header: rank, player, then the page's figure headings."""
    return table_header(rx.table.column_header_cell("Rank", width="4em"), "Player", *figures)


def ranked_table(
    caption: str | rx.Var, header: rx.Component, rows: rx.Var, row: Row, table_id: str
) -> rx.Component:
    """The ranked players, in a framed table that grows with the screen."""
    return data_table(
        caption,
        header,
        rows,
        row,
        table_id,
        variant="surface",
        size=rx.breakpoints(initial="1", sm="2"),
    )


def unranked_table(rows: rx.Var, row: Row, **roi_props) -> rx.Component:
    """The "Not yet ranked" table (player, W-L-P, units, ROI): players short of the minimum
    graded picks. `roi_props` go on the ROI heading (a league hides it on a phone)."""
    return data_table(
        "Not yet ranked",
        table_header("Player", right("W-L-P"), right("Units"), right("ROI", **roi_props)),
        rows,
        row,
        "not-ranked",
    )
