"""`/game/<id>`: one game's score, the player's picks, every book's lines with the best prices,
the reference line's history as a small inline SVG (plain <svg>/<polyline> elements, drawn from
points the state computed: no chart library, on this page or any other), and everyone's picks
once the game has locked."""

from __future__ import annotations

import reflex as rx

from pickvs.pages.game_card import public_pick
from pickvs.pages.layout import loading, muted, name_heading, page_layout, section
from pickvs.state import routes
from pickvs.state.game import BookRow, GameState, MarketTable, MinePick

STANDING_COLORS = {
    "winning": "grass",
    "win": "grass",
    "losing": "tomato",
    "loss": "tomato",
    "pushing": "gray",
    "push": "gray",
    "void": "gray",
}


def standing_badge(standing: rx.Var, label: rx.Var) -> rx.Component:
    """`Winning` / `Losing` / `Pushing` (or the graded result), coloured; nothing without one."""
    return rx.cond(
        label != "",
        rx.badge(
            label,
            color_scheme=rx.match(standing, *STANDING_COLORS.items(), "amber"),
            variant="soft",
            class_name="pick-standing",
        ),
    )


def _score() -> rx.Component:
    return rx.hstack(
        rx.badge(GameState.status, color_scheme="gray", variant="soft", id="game-status"),
        rx.cond(
            GameState.score != "",
            rx.text(
                rx.text.strong(GameState.score_label),
                " · ",
                GameState.score,
                size="4",
                id="game-score",
                aria_live="polite",
            ),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def _mine(pick: MinePick) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(pick.standing.text, size="2"),
            standing_badge(pick.standing.standing, pick.standing.label),
            rx.cond(
                pick.clv != "",
                rx.text("CLV ", pick.clv, size="2", color_scheme="gray", class_name="pick-clv"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
    )


def _my_picks() -> rx.Component:
    return section(
        "Your picks",
        rx.cond(
            GameState.mine.length() > 0,
            rx.el.ul(rx.foreach(GameState.mine, _mine), id="game-mine", class_name="plain-list"),
            muted(
                "You have not picked this game. ",
                rx.cond(GameState.is_open, rx.link("Pick it on the slate", href=routes.SLATE)),
            ),
        ),
    )


def _cell(text: rx.Var, best: rx.Var) -> rx.Component:
    return rx.table.cell(
        rx.text(text, weight=rx.cond(best, "bold", "regular"), white_space="nowrap"),
        rx.cond(best, rx.el.span(" best", class_name="visually-hidden")),
    )


def _book_row(row: BookRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            row.book,
            rx.cond(row.is_reference, rx.text(" (picks)", as_="span", color_scheme="gray")),
        ),
        _cell(row.first, row.first_best),
        _cell(row.second, row.second_best),
    )


def _chart(market: MarketTable) -> rx.Component:
    """The reference line's steps from the first fetch to now, with dots at both ends."""
    return rx.vstack(
        rx.hstack(
            rx.el.svg(
                rx.el.svg.polyline(
                    points=market.chart_points,
                    fill="none",
                    stroke="var(--orange-9)",
                    stroke_width="2",
                ),
                rx.el.svg.circle(
                    cx=market.chart_first[0].to_string(),
                    cy=market.chart_first[1].to_string(),
                    r="3",
                    fill="var(--gray-9)",
                ),
                rx.el.svg.circle(
                    cx=market.chart_last[0].to_string(),
                    cy=market.chart_last[1].to_string(),
                    r="3",
                    fill="var(--orange-9)",
                ),
                view_box=market.chart_box,
                width="240",
                height="60",
                role="img",
                aria_label=market.chart_caption,
                id="chart-" + market.market,
                class_name="line-chart",
            ),
            rx.vstack(
                rx.text(market.chart_top, size="1", color_scheme="gray"),
                rx.text(market.chart_bottom, size="1", color_scheme="gray"),
                justify="between",
                height="60px",
            ),
            spacing="2",
            align="center",
        ),
        muted(market.chart_caption, size="1"),
        spacing="1",
    )


def _market(market: MarketTable) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(market.label, as_="h2", size="4"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Book"),
                        rx.table.column_header_cell(market.first_side),
                        rx.table.column_header_cell(market.second_side),
                    )
                ),
                rx.table.body(rx.foreach(market.rows, _book_row)),
                size="1",
                width="100%",
                aria_label=market.label + " lines by book",
            ),
            muted(market.best, size="1"),
            rx.cond(market.has_chart, _chart(market)),
            spacing="3",
            width="100%",
        ),
        id="market-" + market.market,
        width="100%",
        min_width="0",
    )


def _everyone() -> rx.Component:
    return section(
        "Everyone's picks",
        rx.cond(
            GameState.is_open,
            muted("Picks stay hidden until the game locks."),
            rx.cond(
                GameState.picks.length() > 0,
                rx.el.ul(rx.foreach(GameState.picks, public_pick), class_name="public-picks"),
                muted("Nobody picked this game."),
            ),
        ),
        id="game-everyone",
    )


def _game() -> rx.Component:
    return rx.vstack(
        name_heading(GameState.matchup),
        muted(GameState.tip),
        _score(),
        rx.cond(
            GameState.lines_from != "",
            muted(
                rx.el.span(GameState.lines_from, id="game-lines-from"),
                rx.cond(GameState.moves != "", rx.el.span(" · ", GameState.moves, id="game-moves")),
            ),
        ),
        _my_picks(),
        rx.cond(
            GameState.markets.length() > 0,
            rx.grid(
                rx.foreach(GameState.markets, _market),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="4",
                width="100%",
            ),
            muted("No lines for this game yet."),
        ),
        _everyone(),
        spacing="4",
        width="100%",
        id="game-page",
    )


def game_page() -> rx.Component:
    return page_layout(
        rx.cond(
            GameState.loaded,
            rx.cond(
                GameState.found,
                _game(),
                rx.callout(
                    GameState.error, icon="circle-alert", color_scheme="gray", id="game-error"
                ),
            ),
            loading(),
        ),
        requires="login",
    )
