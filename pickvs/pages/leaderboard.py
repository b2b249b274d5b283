"""`/leaderboard` (public): everyone ranked by units, all time / this season / this month / this
week, then the players not yet ranked (short of `PICKVS_MIN_RANKED_PICKS` graded picks). With
`PICKVS_PUBLIC_BOARD=false` the page says the public leaderboard is off.

The period and page live in the address (`?period=month&page=2`), so the controls navigate and
the state's on_load reads the board back. On a phone the wagered column goes and the record
moves under the player's name, so the table fits 375 px without sideways scrolling.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import page_layout
from pickvs.pages.pager import pager
from pickvs.pages.tables import NARROW, WIDE, figure_color, table_caption
from pickvs.state.leaderboard import PERIOD_LABELS, BoardLine, LeaderboardState

FIGURE = rx.breakpoints(initial="auto", sm="6em", md="7em")  # the numeric columns
ADJUSTED = "Sample-adjusted ROI: ROI pulled toward -4.5% with the weight of 30 picks"


def period_control() -> rx.Component:
    return rx.segmented_control.root(
        *(rx.segmented_control.item(label, value=value) for value, label in PERIOD_LABELS.items()),
        value=LeaderboardState.period,
        on_change=LeaderboardState.set_period,
        aria_label="Period",
        id="period",
        size=rx.breakpoints(initial="1", sm="2"),
    )


def board_pager() -> rx.Component:
    return pager(
        LeaderboardState.page_label,
        on_prev=LeaderboardState.prev_page,
        on_next=LeaderboardState.next_page,
        has_prev=LeaderboardState.has_prev,
        has_next=LeaderboardState.has_next,
        ids=("prev-page", "page-label", "next-page"),
        landmark="Leaderboard pages",
    )


def header() -> rx.Component:
    return rx.table.header(
        rx.table.row(
            rx.table.column_header_cell("Rank", width="4em"),
            rx.table.column_header_cell("Player"),
            rx.table.column_header_cell("Units", text_align="right", width=FIGURE),
            rx.table.column_header_cell("Wagered", text_align="right", display=WIDE, width=FIGURE),
            rx.table.column_header_cell("ROI", text_align="right", width=FIGURE),
            rx.table.column_header_cell(
                "Adj. ROI", text_align="right", display=WIDE, width=FIGURE, title=ADJUSTED
            ),
            rx.table.column_header_cell("W-L-P", text_align="right", display=WIDE, width=FIGURE),
            rx.table.column_header_cell("Streak", text_align="right", display=WIDE),
            rx.table.column_header_cell("Last 10", text_align="right", display=WIDE),
        )
    )


def board_row(line: BoardLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(line.rank, weight="bold"), class_name="rank"),
        rx.table.cell(
            rx.hstack(
                rx.link(
                    line.username,
                    href=line.href,
                    weight="medium",
                    high_contrast=True,
                    overflow_wrap="anywhere",
                ),
                rx.cond(line.is_me, rx.badge("You", size="1", variant="solid")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(
                line.record,
                " · ",
                line.streak,
                " · last 10 ",
                line.last10,
                size="1",
                color_scheme="gray",
                display=NARROW,
            ),
            class_name="player",
        ),
        rx.table.cell(
            rx.text(line.units, color_scheme=figure_color(line.tone), weight="medium"),
            text_align="right",
            white_space="nowrap",
            class_name="units",
        ),
        rx.table.cell(line.wagered, text_align="right", display=WIDE, class_name="wagered"),
        rx.table.cell(line.roi, text_align="right", white_space="nowrap", class_name="roi"),
        rx.table.cell(
            line.adjusted_roi,
            text_align="right",
            white_space="nowrap",
            display=WIDE,
            class_name="adjusted-roi",
        ),
        rx.table.cell(
            line.record,
            text_align="right",
            white_space="nowrap",
            display=WIDE,
            class_name="record",
        ),
        rx.table.cell(line.streak, text_align="right", display=WIDE, class_name="streak"),
        rx.table.cell(
            line.last10,
            text_align="right",
            white_space="nowrap",
            display=WIDE,
            class_name="last10",
        ),
        background_color=rx.cond(line.is_me, rx.color("accent", 3), "transparent"),
        aria_current=rx.cond(line.is_me, "true", "false"),
        data_username=line.username,
    )


def unranked_row(line: BoardLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.link(line.username, href=line.href, weight="medium", overflow_wrap="anywhere"),
                rx.cond(line.is_me, rx.badge("You", size="1", variant="solid")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            class_name="player",
        ),
        rx.table.cell(line.record, text_align="right", class_name="record"),
        rx.table.cell(
            rx.text(line.units, color_scheme=figure_color(line.tone)),
            text_align="right",
            white_space="nowrap",
            class_name="units",
        ),
        rx.table.cell(line.roi, text_align="right", white_space="nowrap", class_name="roi"),
        data_username=line.username,
    )


def unranked() -> rx.Component:
    return rx.cond(
        LeaderboardState.unranked_rows.length() > 0,
        rx.vstack(
            rx.heading("Not yet ranked", as_="h2", size="4"),
            rx.text(LeaderboardState.unranked_text, size="2", color_scheme="gray"),
            rx.table.root(
                table_caption("Not yet ranked"),
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Player"),
                        rx.table.column_header_cell("W-L-P", text_align="right"),
                        rx.table.column_header_cell("Units", text_align="right"),
                        rx.table.column_header_cell("ROI", text_align="right"),
                    )
                ),
                rx.table.body(rx.foreach(LeaderboardState.unranked_rows, unranked_row)),
                size="1",
                width="100%",
                id="not-ranked",
            ),
            spacing="2",
            width="100%",
        ),
    )


def board() -> rx.Component:
    return rx.cond(
        LeaderboardState.total > 0,
        rx.vstack(
            rx.cond(
                LeaderboardState.rows.length() > 0,
                rx.table.root(
                    table_caption("Leaderboard"),
                    header(),
                    rx.table.body(rx.foreach(LeaderboardState.rows, board_row)),
                    variant="surface",
                    size=rx.breakpoints(initial="1", sm="2"),
                    width="100%",
                    id="leaderboard",
                ),
            ),
            unranked(),
            board_pager(),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            LeaderboardState.empty_text,
            icon="trophy",
            color_scheme="gray",
            id="leaderboard-empty",
            width="100%",
        ),
    )


def turned_off() -> rx.Component:
    return rx.callout(
        "The public leaderboard is turned off on this instance. Your leagues have their own "
        "boards.",
        icon="eye-off",
        color_scheme="gray",
        id="leaderboard-off",
        width="100%",
    )


def on_board() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(
                "Ranked by units won at a 1-unit stake; ties share a rank. ROI is units won per "
                "unit wagered; adjusted ROI pulls it toward -4.5% (a -110 line's house edge) "
                "with the weight of 30 picks. Streak and last 10 are current form.",
                size="2",
                color_scheme="gray",
            ),
            period_control(),
            direction=rx.breakpoints(initial="column", md="row"),
            justify="between",
            align=rx.breakpoints(initial="stretch", md="center"),
            spacing="3",
            width="100%",
        ),
        board(),
        spacing="5",
        width="100%",
    )


def leaderboard_page() -> rx.Component:
    return page_layout(
        rx.cond(
            LeaderboardState.loaded,
            rx.cond(LeaderboardState.off, turned_off(), on_board()),
            rx.center(
                rx.spinner(size="3"), padding_y="3em", aria_busy="true", aria_label="Loading"
            ),
        ),
        title="Leaderboard",
    )
