"""How figures read to players: units, ROI and records, the same on every page."""

from __future__ import annotations

from pickvs.domain.odds import format_point, format_price

__all__ = [
    "BOOKMAKER_TITLES",
    "book_name",
    "format_point",
    "format_price",
    "format_record",
    "format_roi",
    "format_units",
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
