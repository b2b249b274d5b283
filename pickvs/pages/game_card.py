"""One game of the slate: teams, tip-off, a pick button per side of each market, and, once the
game has locked, everyone's picks on it.

The buttons sit in a four-column grid, the way a sportsbook lays out a game: a row per team
(away first), a column per market; the total's Over shares the away row and its Under the home
row. Each button is a toggle (`aria-pressed`) named in full ("Pick Boston Celtics moneyline
-180"); pressing the player's own pick again withdraws it. The buttons are plain elements styled
by pickvs.css with Radix's colour tokens (see `_side_button`).
"""

from __future__ import annotations

import reflex as rx

from pickvs.state.slate import SlateState
from pickvs.state.slate_views import (
    CardView,
    MarketView,
    PublicPickView,
    SideView,
    StandingView,
)

GRID_COLUMNS = "minmax(4.5rem, 1.2fr) repeat(3, minmax(0, 1fr))"


def _side_button(card: CardView, market: MarketView, side: SideView) -> rx.Component:
    """A plain <button> styled in pickvs.css (`.pick`), not a Radix Button: a slate draws six
    per game, and plain elements render several times faster than themed components do."""
    # The player's pick on this side, from the state's small `picked` map (undefined: none).
    pick_id = SlateState.picked[side.key].to(int)
    return rx.el.div(
        rx.el.button(
            rx.el.span(side.main, class_name="pick-main"),
            rx.cond(side.sub != "", rx.el.span(side.sub, class_name="pick-sub")),
            on_click=SlateState.choose(card.id, market.market, side.selection, pick_id),
            disabled=~card.is_open,
            aria_pressed=rx.cond(pick_id > 0, "true", "false"),
            aria_label=side.label,
            type="button",
            class_name="pick",
        ),
        rx.cond(side.best != "", rx.el.span(side.best, class_name="pick-best")),
        class_name="pick-cell",
    )


def _cell(card: CardView, market: MarketView, index: int) -> rx.Component:
    return rx.cond(
        market.has_line,
        _side_button(card, market, market.sides[index]),
        rx.center(
            rx.text("No line", size="1", color_scheme="gray"),
            min_height="2.75rem",
            width="100%",
            border=f"1px dashed {rx.color('gray', 6)}",
            border_radius="var(--radius-2)",
        ),
    )


def _team(name: str) -> rx.Component:
    return rx.text(name, size="2", weight="medium", min_width="0", align_self="center")


def _odds_grid(card: CardView) -> rx.Component:
    header = rx.text("", aria_hidden="true")
    labels = rx.foreach(
        card.markets,
        lambda m: rx.text(m.label, size="1", color_scheme="gray", align="center", weight="medium"),
    )
    away_row = rx.foreach(card.markets, lambda m: _cell(card, m, 0))
    home_row = rx.foreach(card.markets, lambda m: _cell(card, m, 1))
    return rx.grid(
        header,
        labels,
        _team(card.away),
        away_row,
        _team(card.home),
        home_row,
        grid_template_columns=GRID_COLUMNS,
        column_gap=rx.breakpoints(initial="0.4rem", sm="0.6rem"),
        row_gap="0.5rem",
        width="100%",
    )


def public_pick(pick: PublicPickView) -> rx.Component:
    """One player's pick on a locked game (the slate card and the game page)."""
    return rx.el.li(
        rx.text(
            rx.text.strong(pick.username),
            " · ",
            pick.market,
            ": ",
            pick.selection,
            rx.cond(pick.clv != "", rx.el.span(" · CLV ", pick.clv)),
            size="2",
        ),
    )


def _standing(pick: StandingView) -> rx.Component:
    """One of the player's picks on a locked game and how it stands (plain elements, styled by
    pickvs.css `.standing-*`: a slate draws many)."""
    return rx.el.li(
        pick.text,
        rx.cond(
            pick.label != "",
            rx.el.span(pick.label, class_name="standing standing-" + pick.standing),
        ),
    )


def _live(card: CardView) -> rx.Component:
    """A locked card's score (live or final) and the player's picks on it as they stand."""
    return rx.el.div(
        rx.cond(
            card.score != "",
            rx.el.p(
                rx.el.strong(card.score_label),
                " · ",
                card.score,
                class_name="card-score",
                aria_live="polite",
            ),
            rx.cond(card.in_play, rx.el.p("In play · no score yet", class_name="card-score")),
        ),
        rx.cond(
            card.mine.length() > 0,
            rx.el.ul(rx.foreach(card.mine, _standing), class_name="card-mine"),
        ),
        id="live-" + card.id,
    )


def _everyone(card: CardView) -> rx.Component:
    """Everyone's picks on a locked game (the state holds none for an open one)."""
    return rx.vstack(
        rx.heading("Everyone's picks", as_="h4", size="2"),
        rx.cond(
            card.picks.length() > 0,
            rx.el.ul(rx.foreach(card.picks, public_pick), class_name="public-picks"),
            rx.text("Nobody picked this game.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        padding_top="0.75rem",
        border_top=f"1px solid {rx.color('gray', 5)}",
    )


def _notice(card: CardView) -> rx.Component:
    """The outcome of the player's last action on this card, announced to screen readers."""
    mine = SlateState.notice_game == card.id
    return rx.text(
        rx.cond(mine, SlateState.notice, ""),
        role="status",
        aria_live="polite",
        size="2",
        color_scheme=rx.cond(SlateState.notice_is_error, "red", "grass"),
        weight="medium",
        id="notice-" + card.id,
    )


def game_card(card: CardView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(card.tip, size="2", color_scheme="gray", weight="medium"),
                rx.cond(
                    card.is_open,
                    rx.fragment(),
                    rx.badge(
                        rx.icon("lock", size=12, aria_hidden="true"),
                        "Locked",
                        color_scheme="gray",
                        variant="soft",
                    ),
                ),
                justify="between",
                align="center",
                width="100%",
            ),
            rx.heading(
                rx.el.a(card.matchup, href=card.href, class_name="card-link"),
                as_="h3",
                size="3",
                weight="bold",
            ),
            rx.cond(card.is_open, rx.fragment(), _live(card)),
            rx.cond(
                card.has_lines,
                _odds_grid(card),
                rx.text("No lines for this game.", size="2", color_scheme="gray"),
            ),
            rx.vstack(
                rx.el.p(
                    card.books,
                    rx.cond(card.lines_from != "", rx.el.span(" · ", card.lines_from)),
                    class_name="card-meta",
                    id="lines-from-" + card.id,
                ),
                rx.cond(
                    card.moves != "",
                    rx.el.p(card.moves, class_name="card-meta", id="moves-" + card.id),
                ),
                _notice(card),
                spacing="1",
                width="100%",
            ),
            rx.cond(card.is_open, rx.fragment(), _everyone(card)),
            spacing="3",
            width="100%",
        ),
        id="game-" + card.id,
        aria_label=card.matchup,
        role="group",
        size=rx.breakpoints(initial="2", sm="3"),
        width="100%",
        min_width="0",
    )
