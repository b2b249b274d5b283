"""Hand-built provider payloads in the exact shapes of odds-api.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

BOS_MIL = "e912304de2b2ce35b473ce2ecd3d1502"
LAL_DEN = "572d984e132eddaac3da93e5db332e7e"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def book(
    key: str,
    home: str,
    away: str,
    *,
    h2h: tuple[int, int],
    spread: tuple[float, int, int],
    total: tuple[float, int, int],
    stamp: str,
) -> dict[str, Any]:
    """One bookmaker quoting all three markets; spread point is the home team's."""
    point, home_price, away_price = spread
    total_point, over, under = total
    return {
        "key": key,
        "title": key.title(),
        "last_update": stamp,
        "markets": [
            {
                "key": "h2h",
                "last_update": stamp,
                "outcomes": [{"name": home, "price": h2h[0]}, {"name": away, "price": h2h[1]}],
            },
            {
                "key": "spreads",
                "last_update": stamp,
                "outcomes": [
                    {"name": home, "price": home_price, "point": point},
                    {"name": away, "price": away_price, "point": -point},
                ],
            },
            {
                "key": "totals",
                "last_update": stamp,
                "outcomes": [
                    {"name": "Over", "price": over, "point": total_point},
                    {"name": "Under", "price": under, "point": total_point},
                ],
            },
        ],
    }


def odds_payload(commence: datetime, fetched: datetime) -> list[dict[str, Any]]:
    """Two games: Boston -180 / Milwaukee +150, Boston -4.5, total 227.5; Denver at LA."""
    stamp = iso(fetched)
    return [
        {
            "id": BOS_MIL,
            "sport_key": "basketball_nba",
            "sport_title": "NBA",
            "commence_time": iso(commence),
            "home_team": "Boston Celtics",
            "away_team": "Milwaukee Bucks",
            "bookmakers": [
                book(
                    "draftkings",
                    "Boston Celtics",
                    "Milwaukee Bucks",
                    h2h=(-180, 150),
                    spread=(-4.5, -110, -110),
                    total=(227.5, -108, -112),
                    stamp=stamp,
                ),
                book(
                    "fanduel",
                    "Boston Celtics",
                    "Milwaukee Bucks",
                    h2h=(-175, 155),
                    spread=(-4.5, -112, -108),
                    total=(228.0, -110, -110),
                    stamp=stamp,
                ),
            ],
        },
        {
            "id": LAL_DEN,
            "sport_key": "basketball_nba",
            "sport_title": "NBA",
            "commence_time": iso(commence),
            "home_team": "Los Angeles Lakers",
            "away_team": "Denver Nuggets",
            "bookmakers": [
                book(
                    "draftkings",
                    "Los Angeles Lakers",
                    "Denver Nuggets",
                    h2h=(120, -140),
                    spread=(3.0, -110, -110),
                    total=(231.0, -110, -110),
                    stamp=stamp,
                ),
            ],
        },
    ]


def scores_payload(
    commence: datetime, *, bos: int, mil: int, lal: int, den: int, completed: bool = True
) -> list[dict[str, Any]]:
    """Scores listed away team first, to prove matching is by name and not by position."""

    def game(gid: str, home: str, away: str, hs: int, as_: int) -> dict[str, Any]:
        return {
            "id": gid,
            "sport_key": "basketball_nba",
            "sport_title": "NBA",
            "commence_time": iso(commence),
            "completed": completed,
            "home_team": home,
            "away_team": away,
            "scores": [{"name": away, "score": str(as_)}, {"name": home, "score": str(hs)}],
            "last_update": iso(commence),
        }

    return [
        game(BOS_MIL, "Boston Celtics", "Milwaukee Bucks", bos, mil),
        game(LAL_DEN, "Los Angeles Lakers", "Denver Nuggets", lal, den),
    ]
