"""Closing-line value: how much better than the closing line a pick's price was.

CLV (percentage points) = the no-vig closing probability of the picked side - the implied
probability of the price taken. The closing line is the market's last word before the lock, the
best public estimate of each side's chance, so a player who keeps beating it is picking well
whatever the results say (and one who keeps losing to it is lucky while winning).

- Implied probability of an American price: -110 -> 110/210 = 52.38 %, +150 -> 100/250 = 40 %.
- No-vig: the book's two implied probabilities add up to more than 1 (its margin); each side's
  fair chance is its implied probability divided by their sum (the multiplicative method):
  -110 / -110 -> 50 % each; -180 / +150 -> 64.29 / (64.29 + 40) = 61.64 % and 38.36 %.
- A spread or total whose point moved between the pick and the close is converted with a
  normal model: the closing line says the picked side at the closing point `c` wins with fair
  chance `q`, so the final margin (or total) is taken as normal with standard deviation `sd`,
  centred where that holds; the chance at the pick's point `t` is then
  `Phi(Phi^-1(q) + (t - c) / sd)` for a spread (more points help: +4.5 beats +2.5) and for an
  Under, and `Phi(Phi^-1(q) - (t - c) / sd)` for an Over (a lower total helps).
  The model is continuous, so it has no pushes: landing exactly on a whole-number point has
  probability 0 (real margins are integers and cluster on key numbers; the model ignores both,
  which slightly overstates the value of a half point across a key number and understates it
  elsewhere, and it treats -3 and -3.5 alike apart from the half point itself).

The deviations (NBA):

- Margin against the spread: 12 points. Wayne Winston ("Mathletics"), "Why is the standard
  deviation of NBA margin of victory about 12 points?", https://waynewinston.com/wordpress/p_2333
  : "The standard deviation of the margin of victory relative to the point spread is near 12
  points", with a back-of-the-envelope derivation from field-goal attempts and eFG%.
- Total against the closing total: 17 points. Bet Labs, "A look at NBA team totals",
  https://www.betlabssports.com/blog/a-look-at-nba-team-totals/ : each team's points against
  the team total implied by Pinnacle's closing spread and total have a standard deviation of
  10.6 (visitors) and 10.4 (home). With the margin's 12 (Winston) as the deviation of their
  difference, the deviation of their sum is sqrt(2 * (10.6^2 + 10.4^2) - 12^2) = 17.2,
  taken as 17.

Other sports have no cited figure yet (`point_sd` returns None): their picks still get a CLV
when the point did not move (and always for moneylines), and none when it did.

Everything here is pure: the service (`services.clv`) finds the closing line and stores results.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

from pickvs.domain.grading import VOID
from pickvs.domain.markets import H2H, OVER, SPREADS, TOTALS

NBA_MARGIN_SD = 12.0  # Winston: margin of victory against the spread
NBA_TOTAL_SD = 17.0  # Bet Labs' team totals (10.6, 10.4) with Winston's 12: sqrt(297) = 17.2
POINT_SD: dict[str, dict[str, float]] = {
    "basketball_nba": {SPREADS: NBA_MARGIN_SD, TOTALS: NBA_TOTAL_SD},
}
PLACES = 4  # stored precision of a CLV, in percentage points

_STANDARD = NormalDist()


def implied_probability(price: int) -> float:
    """The chance an American price implies, vig included: -110 -> 0.5238, +150 -> 0.4."""
    if price == 0 or -100 < price < 100:
        raise ValueError(f"not an American price: {price}")
    return 100.0 / (price + 100.0) if price > 0 else -price / (-price + 100.0)


def no_vig(price: int, other_price: int) -> float:
    """The fair chance of the side priced `price`, its book's margin removed multiplicatively
    across the two sides (`other_price` is the other side's price at the same book and fetch)."""
    mine, other = implied_probability(price), implied_probability(other_price)
    return mine / (mine + other)


def point_sd(sport: str, market: str) -> float | None:
    """The standard deviation (points) of the final margin (spreads) or total (totals) around
    the closing point, for sports with a cited figure; None otherwise."""
    return POINT_SD.get(sport, {}).get(market)


def probability_at_point(
    market: str, side: str, fair_at_close: float, close_point: float, point: float, sd: float
) -> float:
    """The chance the picked side wins at `point`, from its fair chance `fair_at_close` at the
    closing point (normal model, see the module's docstring). A spread's point is the picked
    team's (+4.5 for a dog getting 4.5); a total's is the total for Over and Under alike."""
    if not 0.0 < fair_at_close < 1.0:
        raise ValueError(f"a fair chance lies strictly between 0 and 1: {fair_at_close}")
    if sd <= 0:
        raise ValueError(f"a standard deviation is positive: {sd}")
    shift = (point - close_point) / sd
    if market == TOTALS and side == OVER:
        shift = -shift  # an Over wins above the total: a lower total helps it
    return _STANDARD.cdf(_STANDARD.inv_cdf(fair_at_close) + shift)


@dataclass(frozen=True)
class Taken:
    """The pick as made: market, side (home/away/over/under), price and point (None for h2h)."""

    market: str
    side: str
    price: int
    point: float | None


@dataclass(frozen=True)
class Close:
    """The closing line of the pick's market at one book: the picked side's price and point,
    and the other side's price (to remove the vig)."""

    price: int
    other_price: int
    point: float | None


def clv(taken: Taken, close: Close, sd: float | None) -> float | None:
    """The pick's closing-line value in percentage points (+2.35 means 2.35 points better than
    the fair closing chance), rounded to 4 places; None when the point moved and there is no
    deviation to convert it with (`sd` None)."""
    fair = no_vig(close.price, close.other_price)
    moved = (
        taken.market != H2H
        and taken.point is not None
        and close.point is not None
        and taken.point != close.point
    )
    if moved:
        if sd is None:
            return None
        assert taken.point is not None and close.point is not None
        fair = probability_at_point(taken.market, taken.side, fair, close.point, taken.point, sd)
    return round(100.0 * (fair - implied_probability(taken.price)), PLACES)


def shown_clv(status: str, value: float | None) -> float | None:
    """A pick's CLV as shown: none for a void pick (refunded, it counts nowhere), even before
    the next CLV update clears the stored one."""
    return None if status == VOID else value


def beats_close(value: float | None) -> bool:
    """Whether a pick beat the close: a positive CLV (level is not beating it)."""
    return value is not None and value > 0


def format_clv(value: float | None) -> str:
    """ "+2.3 pp", "-0.8 pp", "0.0 pp"; "—" while there is none."""
    if value is None:
        return "—"
    shown = round(value, 1) + 0.0  # folds -0.0
    return f"+{shown:.1f} pp" if shown > 0 else f"{shown:.1f} pp"


def clv_tone(value: float | None) -> str:
    """The colour a CLV figure takes: "up" above zero, "down" below, "level" otherwise."""
    if value is None:
        return "level"
    shown = round(value, 1)
    return "up" if shown > 0 else "down" if shown < 0 else "level"
