"""What the slate and my-picks pages show, built from the read models of `pickvs.services`.

Plain strings and flags, formatted here once (American prices, points, tip-off in the league's
time zone) so the pages only lay them out. Other players' picks enter a `CardView` only from
`SlatePage.locked_picks`, which holds games that have locked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from pickvs.config import settings
from pickvs.domain import clv as clv_rules
from pickvs.domain.display import book_name, format_point, format_price, matchup
from pickvs.domain.grading import live_standing
from pickvs.domain.markets import AWAY, H2H, HOME, MARKET_LABELS, MARKETS, OVER, TOTALS, UNDER
from pickvs.domain.slate import tz_abbreviation
from pickvs.models import Game, GameStatus, Pick, PickStatus
from pickvs.services.game_page import lines_from_text
from pickvs.services.lines import Quote, nickname
from pickvs.services.picks import PublicPick
from pickvs.services.slate import GameCard, SlatePage
from pickvs.state import routes


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
    clv: str = ""  # "+2.3 pp" once the pick's closing-line value is stored, else ""


@dataclass(frozen=True)
class StandingView:
    """One of the player's own picks on a locked game, and how it stands."""

    text: str  # "Spread: Boston Celtics -4.5 -110"
    standing: str  # winning / losing / pushing (in play), win / loss / push / void, or ""
    label: str  # "Winning", "Win", ... ("" when there is no score yet)


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
    href: str = ""  # the game's page
    lines_from: str = ""  # "lines from 6:42 pm"
    moves: str = ""  # "Spread Celtics -3.5 → -5 · Total 227.5 → 230", "" when nothing moved
    in_play: bool = False
    score_label: str = ""  # Live / Final / "" (not started, or no score yet)
    score: str = ""  # "Bucks 54, Celtics 60"
    mine: list[StandingView] = field(default_factory=list)  # the player's, once locked


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


def format_clv(clv: float | None) -> str:
    """`domain.clv.format_clv`, blank rather than a dash where a card or row has none yet."""
    return "" if clv is None else clv_rules.format_clv(clv)


def shown_score(game: Game) -> tuple[int, int] | None:
    """(home, away): the final score once settled, else the latest live score, else None."""
    if game.status == GameStatus.FINAL and game.home_score is not None:
        return game.home_score, game.away_score or 0
    if game.live_home_score is not None and game.live_away_score is not None:
        return game.live_home_score, game.live_away_score
    return None


def score_text(game: Game) -> tuple[str, str]:
    """(label, score): ("Final", "Bucks 104, Celtics 112"), ("Live", ...), or ("", "")."""
    score = shown_score(game)
    if score is None:
        return "", ""
    home, away = score
    label = "Final" if game.status == GameStatus.FINAL else "Live"
    return label, f"{nickname(game.away_team)} {away}, {nickname(game.home_team)} {home}"


STANDING_LABELS = {
    "winning": "Winning",
    "losing": "Losing",
    "pushing": "Pushing",
    PickStatus.WIN: "Win",
    PickStatus.LOSS: "Loss",
    PickStatus.PUSH: "Push",
    PickStatus.VOID: "Void",
}


def standing(pick: Pick, game: Game) -> str:
    """A graded pick's result; a pending one's standing on the score shown (`live_standing`,
    the grading margin); "" with no score yet."""
    if pick.status != PickStatus.PENDING:
        return pick.status
    score = shown_score(game)
    if score is None:
        return ""
    return live_standing(pick.market, pick.side, pick.point, *score) or ""


def standing_view(pick: Pick, game: Game) -> StandingView:
    market = MARKET_LABELS.get(pick.market, pick.market)
    line = line_text(pick.market, pick.point, pick.price)
    now = standing(pick, game)
    return StandingView(f"{market}: {pick.selection} {line}", now, STANDING_LABELS.get(now, ""))


def public_pick_view(shown: PublicPick) -> PublicPickView:
    pick = shown.pick
    return PublicPickView(
        shown.username,
        MARKET_LABELS.get(pick.market, pick.market),
        f"{pick.selection} {line_text(pick.market, pick.point, pick.price)}",
        format_clv(pick.clv),
    )


def _card(card: GameCard, shown: list[PublicPick], now: datetime) -> CardView:
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
    label, score = score_text(game) if not card.is_open else ("", "")
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
        picks=[public_pick_view(p) for p in shown],
        href=routes.game(game.id),
        lines_from=lines_from_text(card.fetched.latest if card.fetched else None, now, settings.tz),
        moves=" · ".join(move.text(game.home_team) for move in card.moves),
        in_play=card.in_play,
        score_label=label,
        score=score,
        mine=[] if card.is_open else [standing_view(p, game) for p in _in_order(card.my_picks)],
    )


def _in_order(picks: dict[str, Pick]) -> list[Pick]:
    return [picks[market] for market in MARKETS if market in picks]


def slate_days(page: SlatePage, now: datetime) -> list[DayView]:
    """The page's cards by slate day, each locked card with everyone's picks on it."""
    return [
        DayView(
            day_heading(day.day),
            [_card(card, page.locked_picks.get(card.game.id, []), now) for card in day.cards],
        )
        for day in page.days
    ]
