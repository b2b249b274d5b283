"""Markets and sides: which outcome of a market a selection names."""

from __future__ import annotations

from pickvs.domain.display import matchup

H2H = "h2h"
SPREADS = "spreads"
TOTALS = "totals"
MARKETS = (H2H, SPREADS, TOTALS)
MARKET_LABELS = {H2H: "Moneyline", SPREADS: "Spread", TOTALS: "Total"}

HOME, AWAY, OVER, UNDER = "home", "away", "over", "under"
SIDES = (HOME, AWAY, OVER, UNDER)


class SelectionError(ValueError):
    """The selection does not name a side of this market."""


def side_for(market: str, selection: str, home_team: str, away_team: str) -> str:
    """Map what a player picked (a team name, Over/Under, or a side key) to a side.

    Grading keys on the side rather than the name, so a feed that respells a team cannot
    orphan a pick.
    """
    if market not in MARKETS:
        raise SelectionError(f"unknown market {market!r}; use one of {', '.join(MARKETS)}")
    wanted = selection.strip().casefold()
    if market == TOTALS:
        if wanted in (OVER, UNDER):
            return wanted
        raise SelectionError("a total is picked as Over or Under")
    if wanted in (home_team.casefold(), HOME):
        return HOME
    if wanted in (away_team.casefold(), AWAY):
        return AWAY
    game = matchup(away=away_team, home=home_team)
    raise SelectionError(f"{selection!r} is not a team in {game}")


def selection_name(side: str, home_team: str, away_team: str) -> str:
    return {HOME: home_team, AWAY: away_team, OVER: "Over", UNDER: "Under"}[side]


def outcome_side(market: str, outcome_name: str, home_team: str, away_team: str) -> str | None:
    """Which side a provider outcome prices, or None if it names neither team nor Over/Under."""
    try:
        return side_for(market, outcome_name, home_team, away_team)
    except SelectionError:
        return None


def opposite(side: str) -> str:
    return {HOME: AWAY, AWAY: HOME, OVER: UNDER, UNDER: OVER}[side]
