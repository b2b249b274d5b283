"""What the slate and my-picks pages show, built from the read models of `pickvs.services`.

Plain strings and flags, formatted here once (American prices, points, tip-off in the league's
time zone) so the pages only lay them out. Other players' picks enter a `CardView` only from
`SlatePage.locked_picks`, which holds games that have locked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pickvs.config import settings
from pickvs.domain.display import book_name, format_point, format_price, matchup
from pickvs.domain.markets import AWAY, H2H, HOME, MARKET_LABELS, MARKETS, OVER, TOTALS, UNDER
from pickvs.domain.slate import tz_abbreviation
from pickvs.services.lines import Quote
from pickvs.services.picks import PublicPick
from pickvs.services.slate import GameCard, SlatePage


def tip_time(moment: datetime) -> str:
    """`7:30 PM EST`, in the league's time zone."""
    local = moment.astimezone(settings.tz)
    return f"{local:%I:%M %p}".lstrip("0") + " " + tz_abbreviation(moment, settings.tz)


def day_heading(day: date) -> str:
    return f"{day:%A, %b} {day.day}"


def line_text(market: str, point: float | None, price: int) -> str:
    """The line a selection is (or was) taken at: `-180`, `-4.5 -110`, `227.5 -108`."""
    if market == H2H:
        return format_price(price)
    return f"{format_point(point, signed=market != TOTALS)} {format_price(price)}"


@dataclass(frozen=True)
class SideView:
    selection: str  # what the pick names: a team, Over or Under
    main: str  # the big figure on the button: price, spread point, or O/U total
    sub: str  # the price under a point ("" for a moneyline)
    best: str  # "best +160 FanDuel" when another book pays more, else ""
    label: str  # the button's accessible name
    key: str  # `side_key(...)`: where `SlateState.picked` holds the player's pick on this side


@dataclass(frozen=True)
class MarketView:
    market: str
    label: str
    has_line: bool
    sides: list[SideView]  # always two: away then home, or over then under


@dataclass(frozen=True)
class PublicPickView:
    username: str
    market: str
    selection: str


@dataclass(frozen=True)
class CardView:
    id: str
    matchup: str
    away: str
    home: str
    tip: str
    is_open: bool
    has_lines: bool
    books: str  # which book the lines come from
    markets: list[MarketView]
    picks: list[PublicPickView]  # everyone's picks, only once the game has locked


@dataclass(frozen=True)
class DayView:
    heading: str
    cards: list[CardView]


NO_SIDE = SideView("", "", "", "", "", "")


def side_key(game_id: str, market: str, side: str) -> str:
    """`<game id>/<market>/<side>`: names one pick button, in `SideView.key` and in the state's
    `picked` map, so a pick changes that small map and not the whole slate."""
    return f"{game_id}/{market}/{side}"


def picked_sides(cards: Iterable[GameCard]) -> dict[str, int]:
    """The player's picks on these cards: side key -> pick id."""
    return {
        side_key(card.game.id, market, pick.side): pick.id or 0
        for card in cards
        for market, pick in card.my_picks.items()
    }


def _side(market: str, quote: Quote, best: Quote | None, game) -> SideView:  # type: ignore[no-untyped-def]
    selection = {HOME: game.home_team, AWAY: game.away_team, OVER: "Over", UNDER: "Under"}
    name = selection[quote.side]
    line = line_text(market, quote.point, quote.price)
    main, _, sub = line.partition(" ")
    if market == TOTALS:
        main = f"{name[0]} {main}"
    better = best is not None and (best.price, best.point) != (quote.price, quote.point)
    best_text = ""
    if better and best is not None:
        point = "" if market == H2H else format_point(best.point, market != TOTALS) + " "
        best_text = f"best {point}{format_price(best.price)} {book_name(best.bookmaker)}"
    label = f"Pick {name} {MARKET_LABELS[market].lower()} {line}"
    return SideView(name, main, sub, best_text, label, side_key(game.id, market, quote.side))


def _card(card: GameCard, shown: list[PublicPick]) -> CardView:
    game, markets = card.game, []
    for market in MARKETS:
        line = card.lines.get(market)
        order = (OVER, UNDER) if market == TOTALS else (AWAY, HOME)
        sides = [
            _side(market, line.reference[side], line.best.get(side), game)
            if line is not None
            else NO_SIDE
            for side in order
        ]
        markets.append(MarketView(market, MARKET_LABELS[market], line is not None, sides))
    books = sorted(
        {book_name(q.bookmaker) for m in card.lines.values() for q in m.reference.values()}
    )
    return CardView(
        id=game.id,
        matchup=matchup(away=game.away_team, home=game.home_team),
        away=game.away_team,
        home=game.home_team,
        tip=tip_time(game.commence_time),
        is_open=card.is_open,
        has_lines=bool(card.lines),
        books=f"Lines: {', '.join(books)}" if books else "",
        markets=markets,
        picks=[
            PublicPickView(
                p.username,
                MARKET_LABELS.get(p.pick.market, p.pick.market),
                f"{p.pick.selection} {line_text(p.pick.market, p.pick.point, p.pick.price)}",
            )
            for p in shown
        ],
    )


def slate_days(page: SlatePage) -> list[DayView]:
    """The page's cards by slate day, each locked card with everyone's picks on it."""
    return [
        DayView(
            day_heading(day.day),
            [_card(card, page.locked_picks.get(card.game.id, [])) for card in day.cards],
        )
        for day in page.days
    ]
