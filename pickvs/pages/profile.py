"""`/u/<username>` (public): a player's record, rank, units over time, split by market, and the
recent picks the viewer may see. An unknown name shows the not-found view.

This is the only module that uses `rx.recharts`, so the chart library stays off other pages.
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.layout import (
    loading,
    muted,
    name_heading,
    not_found_view,
    page_layout,
    page_title,
    section,
)
from pickvs.pages.pager import pager
from pickvs.pages.tables import (
    NARROW,
    WIDE,
    clv_cell,
    data_table,
    figure_color,
    game_cell,
    my_leagues_section,
    pick_text,
    result_cell,
    right,
    table_header,
    units_cell,
)
from pickvs.state.profile import PickLine, ProfileState, RecordLine

AXIS_TICK = {"fill": rx.color("gray", 11), "fontSize": 12}


def profile_title() -> rx.Var:
    """The browser tab's title: the player's name once known."""
    return rx.cond(ProfileState.found, ProfileState.player_name + " · PickVs", page_title("Player"))


CLV_TITLE = (
    "Closing-line value: the fair closing chance of the side picked minus the chance the "
    "price taken implied, in percentage points"
)
BEAT_TITLE = "Share of picks with a closing line whose price beat it (CLV above zero)"


def stat(label: str, value: rx.Var, slot: str, **text_props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray", weight="medium"),
            rx.text(value, size=rx.breakpoints(initial="5", sm="6"), weight="bold", **text_props),
            spacing="1",
        ),
        id=f"stat-{slot}",
    )


def stats() -> rx.Component:
    overall = ProfileState.overall
    return rx.grid(
        stat("Record (W-L-P)", overall.record, "record"),
        stat("Units", overall.units, "units", color_scheme=figure_color(overall.tone)),
        stat("ROI", overall.roi, "roi"),
        stat("Streak", ProfileState.streak, "streak"),
        stat("Last 10 (W-L-P)", ProfileState.last10, "last10"),
        rx.cond(ProfileState.public_rank, stat("Rank, all time", ProfileState.rank, "rank")),
        stat(
            "Average CLV",
            ProfileState.clv_average,
            "clv",
            color_scheme=figure_color(ProfileState.clv_tone),
            title=CLV_TITLE,
        ),
        stat("Beat the close", ProfileState.clv_beat, "beat-close", title=BEAT_TITLE),
        columns=rx.breakpoints(initial="2", sm="3", md="4"),
        spacing="3",
        width="100%",
    )


def units_chart() -> rx.Component:
    chart = rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke=rx.color("gray", 5)),
        rx.recharts.reference_line(y=0, stroke=rx.color("gray", 8)),
        rx.recharts.line(
            data_key="units",
            name="Units",
            type_="monotone",
            stroke_width=2,
            is_animation_active=False,
        ),
        rx.recharts.x_axis(
            data_key="day",
            tick=AXIS_TICK,
            label={
                "value": "Day",
                "position": "insideBottom",
                "offset": -2,
                "fill": rx.color("gray", 11),
            },
            height=44,
        ),
        rx.recharts.y_axis(
            tick=AXIS_TICK,
            label={
                "value": "Units",
                "angle": -90,
                "position": "insideLeft",
                "fill": rx.color("gray", 11),
            },
            # Always show the zero line: a slide from +6u to +5u is still a winning record.
            domain=[
                rx.Var("(low) => Math.floor(Math.min(0, low))"),
                rx.Var("(high) => Math.ceil(Math.max(0, high))"),
            ],
            width=56,
        ),
        rx.recharts.graphing_tooltip(),
        data=ProfileState.chart,
        height=260,
        width="100%",
        margin={"top": 8, "right": 16, "bottom": 4, "left": 0},
    )
    return section(
        "Units over time",
        rx.cond(
            ProfileState.chart.length() > 0,
            # Charts read badly with a screen reader: one image with the summary as its name.
            rx.box(
                chart,
                role="img",
                aria_label=ProfileState.chart_summary,
                width="100%",
                id="units-chart",
            ),
        ),
        rx.text(ProfileState.chart_summary, size="2", color_scheme="gray", id="chart-summary"),
        grid_column=rx.breakpoints(initial="auto", md="span 2"),
    )


def market_row(line: RecordLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(line.label),
        rx.table.cell(line.record, text_align="right"),
        units_cell(line),
        rx.table.cell(line.roi, text_align="right", white_space="nowrap"),
    )


def market_split() -> rx.Component:
    return section(
        "By market",
        data_table(
            "Record by market",
            table_header("Market", right("W-L-P"), right("Units"), right("ROI")),
            ProfileState.markets,
            market_row,
            "market-split",
        ),
    )


def pick_row(line: PickLine) -> rx.Component:
    return rx.table.row(
        game_cell(line.matchup, line.day),
        rx.table.cell(
            *pick_text(line),
            # On a phone the CLV column is hidden: the figure goes under the pick.
            rx.cond(
                line.clv != "—",
                rx.text("CLV ", line.clv, size="1", color_scheme="gray", display=NARROW),
            ),
        ),
        result_cell(line.status, line, display=NARROW),
        rx.table.cell(line.units, text_align="right", white_space="nowrap", display=WIDE),
        clv_cell(line.clv, line.clv_tone, display=WIDE),
    )


def picks_pager() -> rx.Component:
    return pager(
        f"Page {ProfileState.picks_page} of {ProfileState.picks_pages}",
        on_prev=ProfileState.turn_picks(-1),
        on_next=ProfileState.turn_picks(1),
        has_prev=ProfileState.picks_page > 1,
        has_next=ProfileState.picks_page < ProfileState.picks_pages,
        words=("Newer", "Older"),
        labels=("Newer picks", "Older picks"),
        ids=("newer-picks", "picks-page-label", "older-picks"),
        landmark="Recent picks pages",
    )


def recent_picks() -> rx.Component:
    return section(
        "Recent picks",
        rx.cond(
            ProfileState.picks_total > 0,
            rx.vstack(
                data_table(
                    "Recent picks",
                    table_header(
                        "Game",
                        "Pick",
                        "Result",
                        right("Units", display=WIDE),
                        right("CLV", display=WIDE, title=CLV_TITLE),
                    ),
                    ProfileState.picks,
                    pick_row,
                    "recent-picks",
                ),
                rx.cond(ProfileState.picks_pages > 1, picks_pager()),
                spacing="3",
                width="100%",
            ),
            muted("No picks to show yet. Picks appear here once their games lock.", id="no-picks"),
        ),
    )


def player() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            name_heading(ProfileState.player_name),
            rx.text("Joined ", ProfileState.joined, size="2", color_scheme="gray", id="joined"),
            spacing="1",
        ),
        stats(),
        rx.grid(
            units_chart(),
            market_split(),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        recent_picks(),
        rx.cond(ProfileState.own, my_leagues_panel()),
        rx.cond(ProfileState.own, sessions_panel()),
        spacing="5",
        width="100%",
        id="profile",
    )


def account_button(
    icon: str, label: str, on_click: rx.EventHandler, button_id: str, **props
) -> rx.Component:
    """One of the own-profile panels' actions: a soft button with its icon, as wide as its
    text."""
    return rx.button(
        rx.icon(icon, size=16, aria_hidden="true"),
        label,
        on_click=on_click,
        variant="soft",
        size="2",
        id=button_id,
        width="fit-content",
        **props,
    )


def league_row(league: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(league["name"], href=league["href"])),
        rx.table.cell(league["members"], white_space="nowrap"),
        rx.table.cell(league["rank"], text_align="right", white_space="nowrap"),
    )


def my_leagues_panel() -> rx.Component:
    """On one's own profile: each league with one's rank there, and every pick as CSV."""
    return my_leagues_section(
        ProfileState.leagues,
        league_row,
        "profile-leagues",
        muted("You are in no league yet. ", rx.link("Start or join one", href="/leagues"), "."),
        account_button(
            "download", "Download my picks (CSV)", ProfileState.download_picks, "download-my-picks"
        ),
    )


def sessions_panel() -> rx.Component:
    """On one's own profile: end every log-in, on every device (a lost phone, a shared PC)."""
    return section(
        "Sessions",
        muted(
            "Log out of PickVs on every device and browser where you are logged in, this one "
            "included."
        ),
        account_button(
            "log-out",
            "Log out everywhere",
            ProfileState.logout_everywhere,
            "logout-everywhere",
            color_scheme="red",
        ),
    )


def profile_page() -> rx.Component:
    return page_layout(
        rx.cond(
            ProfileState.loaded,
            rx.cond(ProfileState.found, player(), not_found_view()),
            loading("4em"),
        )
    )
