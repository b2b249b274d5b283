"""The sport keys PickVs knows, as The Odds API spells them (odds-api.md, "Keys").

Declared once: settings validation and anything that labels a sport read this table, so an
operator's typo (`basketbal_nba`) is refused at start-up instead of costing a 404 from the
provider every morning.
"""

from __future__ import annotations

SPORT_TITLES = {
    "basketball_nba": "NBA",
    "basketball_ncaab": "NCAAB",
    "basketball_wnba": "WNBA",
    "americanfootball_nfl": "NFL",
    "americanfootball_ncaaf": "NCAAF",
    "baseball_mlb": "MLB",
    "icehockey_nhl": "NHL",
}
SPORTS = tuple(SPORT_TITLES)


def unknown_sports(keys: list[str] | tuple[str, ...]) -> list[str]:
    """The keys in `keys` that are not sports PickVs knows, in the order given."""
    return [key for key in keys if key not in SPORT_TITLES]
