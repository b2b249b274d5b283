"""How figures and games read to players: units, ROI, records and a game's name, the same on
every page, in the CLI and in the API's messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pickvs.domain.odds import format_point, format_price
from pickvs.domain.slate import tz_abbreviation

__all__ = [
    "BOOKMAKER_TITLES",
    "book_name",
    "format_point",
    "format_price",
    "format_record",
    "format_roi",
    "format_units",
    "league_time",
    "matchup",
    "score_line",
]

# The provider's titles for the US books it lists; anything else is shown from its key.
BOOKMAKER_TITLES = {
    "draftkings": "DraftKings",
    "fanduel": "FanDuel",
    "betmgm": "BetMGM",
    "williamhill_us": "Caesars",
    "betrivers": "BetRivers",
    "bovada": "Bovada",
    "betonlineag": "BetOnline.ag",
    "lowvig": "LowVig.ag",
}


def book_name(key: str) -> str:
    return BOOKMAKER_TITLES.get(key, key.replace("_", " ").title())


def format_units(units: float | None) -> str:
    """Signed, two decimals: +1.56u, -2.00u, 0.00u."""
    if units is None:
        return "—"
    value = round(units, 2) + 0.0  # folds -0.0 into 0.0
    return f"+{value:.2f}u" if value > 0 else f"{value:.2f}u"


def format_roi(roi: float | None) -> str:
    """A percentage with one decimal; an em dash when nothing was wagered (never 0%)."""
    if roi is None:
        return "—"
    value = round(roi * 100, 1) + 0.0
    return f"+{value:.1f}%" if value > 0 else f"{value:.1f}%"


def format_record(wins: int, losses: int, pushes: int) -> str:
    return f"{wins}-{losses}-{pushes}"


def matchup(*, away: str, home: str) -> str:
    """A game's one name: `Detroit Pistons @ Charlotte Hornets`, away team first.

    The form sportsbooks and the slate use. Keyword-only, so a call site cannot swap the teams
    without saying so.
    """
    return f"{away} @ {home}"


def score_line(*, away: int, home: int) -> str:
    """A final score in the order `matchup` names the teams: `104-112` is away 104, home 112."""
    return f"{away}-{home}"


def league_time(moment: datetime, tz: ZoneInfo) -> str:
    """`Sun Nov 22, 7:30 PM EST`: a moment in the league's time zone, labelled with the zone's
    abbreviation so nobody has to guess whether it is UTC."""
    local = moment.astimezone(tz)
    clock = f"{local.hour % 12 or 12}:{local:%M %p}"
    return f"{local:%a %b} {local.day}, {clock} {tz_abbreviation(moment, tz)}"
