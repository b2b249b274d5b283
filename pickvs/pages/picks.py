"""`/picks`: the player's own picks, pending and graded, with the line taken and the running units.

A summary of the graded record on top, a filter, then one page of rows in a table: a column per
field from tablet width up, two columns on a phone (game and pick; result and units), so every
field of a pick shows without sideways scrolling.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import loading, page_layout
from pickvs.pages.pager import pager
from pickvs.state import routes
from pickvs.state.picks import MyPicksState, PickRowView

# From tablet width up every field has its column; below it, the Pick, Line and Book figures
# sit under the game and Units and Running under the result, so the table fits a 375 px phone
# (seven columns need about 830 px).
FULL = rx.breakpoints(initial="none", md="table-cell")
COMPACT = rx.breakpoints(initial="block", md="none")
RESULT_COLORS = {"win": "grass", "loss": "tomato", "push": "gray", "void": "gray"}


def _stat(label: str, value: rx.Var, stat_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray", weight="medium"),
            rx.text(value, size="5", weight="bold", id=stat_id),
            spacing="1",
        ),
        size="1",
        min_width="0",
    )


def summary() -> rx.Component:
    return rx.grid(
        _stat("Record (W-L-P)", MyPicksState.record, "stat-record"),
        _stat("Units", MyPicksState.units, "stat-units"),
        _stat("Wagered", MyPicksState.wagered, "stat-wagered"),
        _stat("ROI", MyPicksState.roi, "stat-roi"),
        columns=rx.breakpoints(initial="2", sm="4"),
        spacing="3",
        width="100%",
        id="picks-summary",
        role="group",
        aria_label="Summary of your graded picks",
    )


def _result(row: PickRowView) -> rx.Component:
    color = rx.match(
        row.status,
        *RESULT_COLORS.items(),
        "amber",
    )
    return rx.badge(
        row.result, color_scheme=color, variant="soft", size="2", class_name="pick-result"
    )


def _field(value: rx.Var, field: str, **props) -> rx.Component:
    """One figure of a pick; its class names the field (`pick-line`), so a test can find the
    copy that shows at the current width."""
    return rx.text(value, size="2", class_name=f"pick-{field}", **props)


def _compact_pick(row: PickRowView) -> rx.Component:
    """On a phone, the Pick, Line and Book columns' figures, under the game."""
    return rx.box(
        rx.text(
            _field(row.selection, "selection", as_="span", weight="medium"),
            " · ",
            _field(row.market, "market", as_="span", color_scheme="gray"),
        ),
        rx.text(
            _field(row.line, "line", as_="span", white_space="nowrap"),
            " · ",
            _field(row.book, "book", as_="span", white_space="nowrap"),
        ),
        display=COMPACT,
        margin_top="0.25em",
    )


def _compact_units(row: PickRowView) -> rx.Component:
    """On a phone, the Units and Running columns' figures, under the result."""
    return rx.box(
        _field(row.units, "units", white_space="nowrap"),
        rx.text(
            "Running ",
            _field(row.running, "running", as_="span"),
            size="1",
            color_scheme="gray",
            white_space="nowrap",
        ),
        display=COMPACT,
        margin_top="0.25em",
    )


def _live(row: PickRowView) -> rx.Component:
    """A pending pick's game in play: the live score and how the pick stands on it."""
    return rx.cond(
        row.live != "",
        rx.el.p(
            row.live,
            rx.cond(
                row.standing_label != "",
                rx.el.span(row.standing_label, class_name="standing standing-" + row.standing),
            ),
            class_name="card-meta pick-live",
            aria_live="polite",
        ),
    )


def _row(row: PickRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.link(
                    _field(row.matchup, "matchup", weight="medium"),
                    href=row.href,
                    color_scheme="gray",
                    high_contrast=True,
                    underline="hover",
                ),
                rx.text(row.when, size="1", color_scheme="gray", class_name="pick-when"),
                _live(row),
                spacing="1",
            ),
            _compact_pick(row),
            min_width=rx.breakpoints(initial="0", md="13rem"),
        ),
        rx.table.cell(
            rx.vstack(
                _field(row.selection, "selection", weight="medium"),
                rx.text(row.market, size="1", color_scheme="gray", class_name="pick-market"),
                spacing="1",
            ),
            min_width="9rem",
            display=FULL,
        ),
        rx.table.cell(_field(row.line, "line", white_space="nowrap"), display=FULL),
        rx.table.cell(_field(row.book, "book", white_space="nowrap"), display=FULL),
        rx.table.cell(
            _result(row),
            rx.cond(
                row.clv != "",
                rx.text("CLV ", row.clv, size="1", color_scheme="gray", class_name="pick-clv"),
            ),
            _compact_units(row),
        ),
        rx.table.cell(
            _field(row.units, "units", white_space="nowrap"), justify="end", display=FULL
        ),
        rx.table.cell(
            _field(row.running, "running", white_space="nowrap"), justify="end", display=FULL
        ),
        id="pick-" + row.id.to_string(),
        align="center",
    )


def _table() -> rx.Component:
    headers = ("Game", "Pick", "Line", "Book", "Result", "Units", "Running")
    always = ("Game", "Result")
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *(
                    rx.table.column_header_cell(
                        name,
                        justify="end" if name in ("Units", "Running") else "start",
                        **({} if name in always else {"display": FULL}),
                    )
                    for name in headers
                )
            ),
        ),
        rx.table.body(rx.foreach(MyPicksState.rows, _row)),
        variant="surface",
        size=rx.breakpoints(initial="1", sm="2"),
        width="100%",
        min_width="0",
        id="my-picks-table",
        aria_label="Your picks",
    )


def _pager() -> rx.Component:
    return pager(
        MyPicksState.page_label,
        on_prev=MyPicksState.prev_page,
        on_next=MyPicksState.next_page,
        has_prev=MyPicksState.has_prev,
        has_next=MyPicksState.has_next,
        ids=(None, "page-status", None),
        live=True,
    )


def _filter() -> rx.Component:
    return rx.hstack(
        rx.segmented_control.root(
            rx.segmented_control.item("All", value="all"),
            rx.segmented_control.item("Pending", value="pending"),
            rx.segmented_control.item("Graded", value="graded"),
            value=MyPicksState.show,
            on_change=MyPicksState.set_show,
            aria_label="Show picks",
            id="picks-filter",
        ),
        rx.text(MyPicksState.count_text, size="2", color_scheme="gray", id="picks-count"),
        spacing="4",
        align="center",
        wrap="wrap",
    )


def _empty() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("list-checks")),
        rx.callout.text(
            "No picks here yet. ",
            rx.link("Pick today's games on the slate", href=routes.SLATE),
            ".",
        ),
        color_scheme="gray",
        id="picks-empty",
        width="100%",
    )


def _list() -> rx.Component:
    return rx.cond(
        MyPicksState.rows.length() > 0,
        rx.vstack(_table(), _pager(), spacing="4", width="100%", min_width="0"),
        _empty(),
    )


def picks_page() -> rx.Component:
    return page_layout(
        summary(),
        _filter(),
        rx.cond(
            MyPicksState.loaded,
            _list(),
            loading(),
        ),
        title="My picks",
        requires="login",
    )
