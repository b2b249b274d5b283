"""`/leaderboard` (public): everyone ranked by units, all time / this season / this month / this
week, then the players not yet ranked (short of `PICKVS_MIN_RANKED_PICKS` graded picks). With
`PICKVS_PUBLIC_BOARD=false` the page says the public leaderboard is off.

The period and page live in the address (`?period=month&page=2`), so the controls navigate and
the state's on_load reads the board back. On a phone the wagered column goes and the record
moves under the player's name, so the table fits 375 px without sideways scrolling.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages import board as boards
from pickvs.pages.layout import loading, page_layout
from pickvs.pages.pager import pager
from pickvs.pages.tables import WIDE, figure_cell, right, units_cell
from pickvs.state.leaderboard import PERIOD_LABELS, BoardLine, LeaderboardState

FIGURE = rx.breakpoints(initial="auto", sm="6em", md="7em")  # the numeric columns
ADJUSTED = "Sample-adjusted ROI: ROI pulled toward -4.5% with the weight of 30 picks"


def period_control() -> rx.Component:
    return boards.period_control(
        PERIOD_LABELS, LeaderboardState.period, LeaderboardState.set_period
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
    return boards.board_header(
        right("Units", width=FIGURE),
        right("Wagered", display=WIDE, width=FIGURE),
        right("ROI", width=FIGURE),
        right("Adj. ROI", display=WIDE, width=FIGURE, title=ADJUSTED),
        right("W-L-P", display=WIDE, width=FIGURE),
        right("Streak", display=WIDE),
        right("Last 10", display=WIDE),
        boards.clv_header(width=FIGURE),
    )


def board_row(line: BoardLine) -> rx.Component:
    return boards.ranked_row(
        line,
        rx.table.cell(line.wagered, text_align="right", display=WIDE, class_name="wagered"),
        figure_cell(line.roi, "roi"),
        figure_cell(line.adjusted_roi, "adjusted-roi", display=WIDE),
        figure_cell(line.record, "record", display=WIDE),
        rx.table.cell(line.streak, text_align="right", display=WIDE, class_name="streak"),
        figure_cell(line.last10, "last10", display=WIDE),
        boards.clv_figure(line),
        aria_current=rx.cond(line.is_me, "true", "false"),
    )


def unranked_row(line: BoardLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            boards.player_name(line, overflow_wrap="anywhere"), class_name="player"
        ),
        rx.table.cell(line.record, text_align="right", class_name="record"),
        units_cell(line, class_name="units"),
        figure_cell(line.roi, "roi"),
        data_username=line.username,
    )


def unranked() -> rx.Component:
    return rx.cond(
        LeaderboardState.unranked_rows.length() > 0,
        rx.vstack(
            rx.heading("Not yet ranked", as_="h2", size="4"),
            rx.text(LeaderboardState.unranked_text, size="2", color_scheme="gray"),
            boards.unranked_table(LeaderboardState.unranked_rows, unranked_row),
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
                boards.ranked_table(
                    "Leaderboard", header(), LeaderboardState.rows, board_row, "leaderboard"
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
                "with the weight of 30 picks. Streak and last 10 are current form. CLV is the "
                "average closing-line value of the period's picks: how much better (in "
                "percentage points) than the fair closing line their prices were.",
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
            loading(),
        ),
        title="Leaderboard",
    )
