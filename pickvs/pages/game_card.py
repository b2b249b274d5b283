"""One game of the slate: teams, tip-off, a pick button per side of each market, and, once the
game has locked, everyone's picks on it.

The buttons sit in a four-column grid, the way a sportsbook lays out a game: a row per team
(away first), a column per market; the total's Over shares the away row and its Under the home
row. Each button is a toggle (`aria-pressed`) named in full ("Pick Boston Celtics moneyline
-180"); pressing the player's own pick again withdraws it.

A slate draws a dozen cards or more, so a card is plain elements carrying Radix Themes' own
classes (`rt-Card`, `rt-Text`, ...; the theme's stylesheet styles them as the components would)
and a few rules of pickvs.css, not nested Radix components: the same look for a fraction of the
rendering work a cold load waits for (`python -m bench page`).
"""

from __future__ import annotations

import reflex as rx

from pickvs.pages.radix import COLUMN, ROW, accent, gray
from pickvs.state.slate import SlateState
from pickvs.state.slate_views import (
    CardView,
    MarketView,
    PublicPickView,
    SideView,
    StandingView,
)


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


def _text(*children: object, size: str, muted: bool = False, **props: object) -> rx.Component:
    """Radix's <Text> as a plain <p>: `rt-Text` at `size`, medium weight, gray if asked."""
    extra = props.pop("class_name", "")
    if muted:
        props["custom_attrs"] = gray()
    return rx.el.p(
        *children,
        class_name=f"rt-Text rt-r-size-{size} rt-r-weight-medium {extra}".strip(),
        **props,
    )


def _cell(card: CardView, market: MarketView, index: int) -> rx.Component:
    return rx.cond(
        market.has_line,
        _side_button(card, market, market.sides[index]),
        rx.el.div(
            rx.el.p("No line", class_name="rt-Text rt-r-size-1", custom_attrs=gray()),
            class_name="no-line",
        ),
    )


def _odds_grid(card: CardView) -> rx.Component:
    header = rx.el.p(aria_hidden="true", class_name="rt-Text")
    labels = rx.foreach(
        card.markets, lambda m: _text(m.label, size="1", muted=True, class_name="rt-r-ta-center")
    )
    away_row = rx.foreach(card.markets, lambda m: _cell(card, m, 0))
    home_row = rx.foreach(card.markets, lambda m: _cell(card, m, 1))
    return rx.el.div(
        header,
        labels,
        _text(card.away, size="2", class_name="card-team"),
        away_row,
        _text(card.home, size="2", class_name="card-team"),
        home_row,
        class_name="rt-Grid odds-grid",
    )


def public_pick(pick: PublicPickView) -> rx.Component:
    """One player's pick on a locked game (the slate card and the game page)."""
    return rx.el.li(
        rx.el.p(
            rx.el.strong(pick.username, class_name="rt-Strong"),
            " · ",
            pick.market,
            ": ",
            pick.selection,
            rx.cond(pick.clv != "", rx.el.span(" · CLV ", pick.clv)),
            class_name="rt-Text rt-r-size-2",
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
    return rx.el.div(
        rx.el.h4("Everyone's picks", class_name="rt-Heading rt-r-size-2"),
        rx.cond(
            card.picks.length() > 0,
            rx.el.ul(rx.foreach(card.picks, public_pick), class_name="public-picks"),
            rx.el.p(
                "Nobody picked this game.", class_name="rt-Text rt-r-size-2", custom_attrs=gray()
            ),
        ),
        class_name=f"{COLUMN} rt-r-gap-2 card-everyone",
    )


def _notice(card: CardView) -> rx.Component:
    """The outcome of the player's last action on this card, announced to screen readers."""
    mine = SlateState.notice_game == card.id
    return rx.el.p(
        rx.cond(mine, SlateState.notice, ""),
        role="status",
        aria_live="polite",
        class_name="rt-Text rt-r-size-2 rt-r-weight-medium",
        custom_attrs=accent(rx.cond(SlateState.notice_is_error, "red", "grass")),
        id="notice-" + card.id,
    )


def _locked_badge() -> rx.Component:
    return rx.el.span(
        rx.icon("lock", size=12, aria_hidden="true"),
        "Locked",
        class_name="rt-reset rt-Badge rt-r-size-1 rt-variant-soft",
        custom_attrs=gray(),
    )


def game_card(card: CardView) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.div(
                _text(card.tip, size="2", muted=True),
                rx.cond(card.is_open, rx.fragment(), _locked_badge()),
                class_name=f"{ROW} rt-r-jc-space-between rt-r-gap-3 card-row",
            ),
            rx.el.h3(
                rx.el.a(card.matchup, href=card.href, class_name="card-link"),
                class_name="rt-Heading rt-r-size-3 rt-r-weight-bold",
            ),
            rx.cond(card.is_open, rx.fragment(), _live(card)),
            rx.cond(
                card.has_lines,
                _odds_grid(card),
                rx.el.p(
                    "No lines for this game.", class_name="rt-Text rt-r-size-2", custom_attrs=gray()
                ),
            ),
            rx.el.div(
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
                class_name=f"{COLUMN} rt-r-gap-1 card-row",
            ),
            rx.cond(card.is_open, rx.fragment(), _everyone(card)),
            class_name=f"{COLUMN} rt-r-gap-3 card-row",
        ),
        id="game-" + card.id,
        aria_label=card.matchup,
        role="group",
        class_name="rt-reset rt-BaseCard rt-Card rt-r-size-2 sm:rt-r-size-3 rt-variant-surface "
        "game-card",
    )
