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

# Sports whose games are played on until someone leads: a final score that is level is a data
# error there. Every other sport may end tied (the NFL after overtime, soccer, and any sport
# not listed here), so a level score is accepted for them rather than stranding a real result.
NO_TIE_PREFIXES = ("basketball_",)


def unknown_sports(keys: list[str] | tuple[str, ...]) -> list[str]:
    """The keys in `keys` that are not sports PickVs knows, in the order given."""
    return [key for key in keys if key not in SPORT_TITLES]


def sport_title(key: str) -> str:
    """`NBA` for `basketball_nba`; an unknown key is shown as given."""
    return SPORT_TITLES.get(key, key)


def can_end_tied(key: str) -> bool:
    """Whether a game of this sport can finish with the scores level."""
    return not key.startswith(NO_TIE_PREFIXES)
