"""League rules: which of a player's picks count in a league, and what a league may be set to.

A pick belongs to its player and counts in every league the player is a member of, when it
meets that league's rules, checked in this order (the first that fails is the reason):

1. `market`: its market is one the league counts;
2. `price`: what it pays is inside the league's price window, both ends included
   (`win_units(shortest) <= win_units(price) <= win_units(longest)`; -300 pays 0.333 and +400
   pays 4.0, so -300 and +400 are in, -350 and +450 out);
3. `daily_cap`: of the player's picks passing 1 and 2 that are not void, on the games of one
   slate day, ordered by (created_at, id), the first N count.

Written once here: the league board, the league's pick list and its CSV all call
`count_picks`.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from pickvs.domain.markets import MARKETS
from pickvs.domain.odds import is_valid_price, win_units
from pickvs.domain.slate import slate_day
from pickvs.domain.standings import RANKINGS

NAME_MAX_CHARS = 60
DESCRIPTION_MAX_CHARS = 500
DAILY_CAP_MAX = 50
MIN_RANKED_MAX = 1000
DEFAULT_MIN_RANKED = 20
DEFAULT_RANKING = "units"
# No 0/O or 1/I: a code read aloud or copied by hand cannot be mistyped into another.
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 10

# Why a pick is not counted, in the order the rules are checked.
MARKET, PRICE, DAILY_CAP = "market", "price", "daily_cap"
REASONS = (MARKET, PRICE, DAILY_CAP)
REASON_LABELS = {MARKET: "market", PRICE: "price window", DAILY_CAP: "daily cap"}
VOID = "void"


class SettingsError(ValueError):
    """A league setting out of bounds; `field` names it and the message says what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LeagueRules:
    """What decides whether a pick counts in a league (None: no limit)."""

    markets: tuple[str, ...] = MARKETS
    shortest_price: int | None = None
    longest_price: int | None = None
    daily_cap: int | None = None


class CountablePick(NamedTuple):
    """What the rules read of a pick: its player, market, price, status, when it was made and
    when its game tips (the slate day). A tuple: a board reads thousands of them per call."""

    id: int
    user_id: int
    market: str
    price: int
    status: str
    created_at: datetime
    commence_time: datetime


def price_in_window(price: int, shortest: int | None, longest: int | None) -> bool:
    """Whether a price pays within [what `shortest` pays, what `longest` pays], ends included."""
    return _pays_within(win_units(price), _pays(shortest), _pays(longest))


def _pays(price: int | None) -> float | None:
    return None if price is None else win_units(price)


def _pays_within(pays: float, low: float | None, high: float | None) -> bool:
    return (low is None or pays >= low) and (high is None or pays <= high)


def first_failing_rule(market: str, price: int, rules: LeagueRules) -> str | None:
    """`market` or `price` when the pick fails that rule (the daily cap needs its day)."""
    if market not in rules.markets:
        return MARKET
    if not price_in_window(price, rules.shortest_price, rules.longest_price):
        return PRICE
    return None


def count_picks(
    picks: Iterable[CountablePick], rules: LeagueRules, tz: ZoneInfo
) -> dict[int, str | None]:
    """Each pick's id -> None when it counts, else the first rule it fails.

    A void pick that passes the market and price rules is None too (it counts nowhere anyway,
    being refunded) but takes no place under the daily cap; nor does a pick failing rule 1 or 2.
    The picks may be several players': the cap is per player and slate day (tip-off date in
    `tz`, never UTC). The same rules as `first_failing_rule`, with what a price pays and a
    tip-off's slate day worked out once each: a league's board runs this over thousands of
    picks on a few hundred games at a few dozen prices.
    """
    markets = frozenset(rules.markets)
    low, high = _pays(rules.shortest_price), _pays(rules.longest_price)
    cap = rules.daily_cap
    in_window: dict[int, bool] = {}
    day_of: dict[datetime, date] = {}
    reasons: dict[int, str | None] = {}
    days: dict[tuple[int, date], list[CountablePick]] = defaultdict(list)
    for pick in picks:
        if pick.market not in markets:
            reasons[pick.id] = MARKET
            continue
        inside = in_window.get(pick.price)
        if inside is None:
            inside = in_window[pick.price] = _pays_within(win_units(pick.price), low, high)
        if not inside:
            reasons[pick.id] = PRICE
            continue
        reasons[pick.id] = None
        if cap is not None and pick.status != VOID:
            day = day_of.get(pick.commence_time)
            if day is None:
                day = day_of[pick.commence_time] = slate_day(pick.commence_time, tz)
            days[(pick.user_id, day)].append(pick)
    for day_picks in days.values():
        if cap is not None and len(day_picks) > cap:
            day_picks.sort(key=lambda pick: (pick.created_at, pick.id))
            for extra in day_picks[cap:]:
                reasons[extra.id] = DAILY_CAP
    return reasons


# --- settings -----------------------------------------------------------------------------


def _has_control(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def clean_name(name: object) -> str:
    """The name as stored: stripped, 1-60 characters, no control characters."""
    if not isinstance(name, str):
        raise SettingsError("name", "Name must be text.")
    name = name.strip()
    if not name:
        raise SettingsError("name", "Name cannot be empty.")
    if len(name) > NAME_MAX_CHARS:
        raise SettingsError("name", f"Name must be at most {NAME_MAX_CHARS} characters.")
    if _has_control(name):
        raise SettingsError("name", "Name cannot contain control characters.")
    return name


def clean_description(description: object) -> str:
    """The description as stored: stripped, at most 500 characters; line breaks and tabs are
    the only control characters kept."""
    if description is None:
        return ""
    if not isinstance(description, str):
        raise SettingsError("description", "Description must be text.")
    description = description.strip()
    if len(description) > DESCRIPTION_MAX_CHARS:
        raise SettingsError(
            "description", f"Description must be at most {DESCRIPTION_MAX_CHARS} characters."
        )
    if _has_control(description, allowed="\t\n\r"):
        raise SettingsError("description", "Description cannot contain control characters.")
    return description


def clean_markets(markets: object) -> tuple[str, ...]:
    """A non-empty subset of h2h/spreads/totals, from a list or `a,b` text, in MARKETS order."""
    if isinstance(markets, str):
        wanted = [part.strip() for part in markets.split(",") if part.strip()]
    elif isinstance(markets, Sequence):
        wanted = list(markets)
    else:
        raise SettingsError("markets", "Markets must be a list of h2h, spreads and totals.")
    unknown = [m for m in wanted if m not in MARKETS]
    if unknown:
        raise SettingsError(
            "markets", f"Markets must be among {', '.join(MARKETS)} (not {unknown[0]!r})."
        )
    if not wanted:
        raise SettingsError("markets", "Count at least one market.")
    return tuple(m for m in MARKETS if m in wanted)


def _price(field: str, price: object) -> int | None:
    if price is None:
        return None
    if not is_valid_price(price):
        raise SettingsError(
            field, f"{field} must be an American price (-10000 to -100 or +100 to +10000)."
        )
    return price  # type: ignore[return-value]


def _bounded(field: str, value: object, low: int, high: int, nullable: bool) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        empty = " or empty for no cap" if nullable else ""
        raise SettingsError(field, f"{field} must be a whole number from {low} to {high}{empty}.")
    return value


@dataclass(frozen=True)
class Settings:
    """A league's checked settings (the rules, plus how its board ranks)."""

    markets: tuple[str, ...] = MARKETS
    shortest_price: int | None = None
    longest_price: int | None = None
    daily_cap: int | None = None
    min_ranked: int = DEFAULT_MIN_RANKED
    ranking: str = DEFAULT_RANKING

    def rules(self) -> LeagueRules:
        return LeagueRules(self.markets, self.shortest_price, self.longest_price, self.daily_cap)


SETTING_FIELDS = tuple(Settings.__dataclass_fields__)


def check_settings(values: dict[str, Any], base: Settings | None = None) -> Settings:
    """`base` (the defaults when None) with `values` applied, every field checked; the first
    problem raises SettingsError naming its field. Unknown keys are refused too."""
    base = base or Settings()
    unknown = sorted(set(values) - set(SETTING_FIELDS))
    if unknown:
        raise SettingsError(unknown[0], f"{unknown[0]} is not a league setting.")
    merged = {name: values.get(name, getattr(base, name)) for name in SETTING_FIELDS}
    ranking = merged["ranking"]
    if ranking not in RANKINGS:
        raise SettingsError("ranking", f"ranking must be one of {', '.join(RANKINGS)}.")
    settings = Settings(
        markets=clean_markets(merged["markets"]),
        shortest_price=_price("shortest_price", merged["shortest_price"]),
        longest_price=_price("longest_price", merged["longest_price"]),
        daily_cap=_bounded("daily_cap", merged["daily_cap"], 1, DAILY_CAP_MAX, nullable=True),
        min_ranked=_bounded("min_ranked", merged["min_ranked"], 0, MIN_RANKED_MAX, False),  # type: ignore[arg-type]
        ranking=ranking,
    )
    shortest, longest = settings.shortest_price, settings.longest_price
    if shortest is not None and longest is not None and win_units(shortest) > win_units(longest):
        field = "longest_price" if "longest_price" in values else "shortest_price"
        raise SettingsError(
            field,
            "shortest_price must pay no more than longest_price "
            f"({shortest:+d} pays more than {longest:+d}).",
        )
    return settings


# --- invite codes -------------------------------------------------------------------------


def new_invite_code(choice: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def normalise_code(code: str) -> str:
    """A code as typed or pasted: case ignored, spaces and dashes dropped ("abcd-efgh 23")."""
    return "".join(ch for ch in code if ch not in " -\t").upper()
