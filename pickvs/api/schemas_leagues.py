"""Request and response bodies of the league routes (`routes/leagues.py`).

As in `schemas.py`, the document states each input rule exactly as the server applies it, so a
request the document calls valid is refused only for a reason no schema can state: a price
window whose shortest end pays more than its longest (the fields' descriptions say so), a code
that opens no league, an owner removing themself.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from pickvs.api.schemas import NO_NUL_PATTERN, ClosingLineOut, JsonSchema, Username
from pickvs.domain import leagues as rules
from pickvs.domain import reminders
from pickvs.domain.markets import MARKETS
from pickvs.domain.odds import MAX_ABS_PRICE
from pickvs.domain.reminders import ReminderSettings
from pickvs.domain.standings import RANKINGS
from pickvs.services.leagues import (
    LeagueBoardRow,
    LeagueDetail,
    LeaguePickRow,
    LeagueSummary,
    MemberRow,
)

# No control character anywhere, and somewhere a character that is whitespace to no regex
# engine (ECMA, Python and Rust disagree on a few: see schemas.py): the name is not blank.
_NO_CONTROL = r"\x00-\x1f\x7f-\x9f"
NAME_PATTERN = rf"^[^{_NO_CONTROL}]*[^\s{_NO_CONTROL}\ufeff][^{_NO_CONTROL}]*$"
# Line breaks and tabs are the only control characters a description may hold.
DESCRIPTION_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
CODE_MAX_CHARS = 64
_NAME = re.compile(NAME_PATTERN)


def _name(value: str) -> str:
    """The domain's rule (and message), then the document's (not blank to any engine)."""
    try:
        rules.clean_name(value)
    except rules.SettingsError as exc:
        raise ValueError(exc.message) from None
    if not _NAME.fullmatch(value):
        raise ValueError("Name needs a visible character.")
    return value


def _description(value: str) -> str:
    try:
        rules.clean_description(value)
    except rules.SettingsError as exc:
        raise ValueError(exc.message) from None
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


LeagueName = Annotated[
    str,
    StringConstraints(max_length=rules.NAME_MAX_CHARS),
    AfterValidator(_name),
    JsonSchema(minLength=1, pattern=NAME_PATTERN),
]
Description = Annotated[
    str,
    StringConstraints(max_length=rules.DESCRIPTION_MAX_CHARS),
    AfterValidator(_description),
    JsonSchema(pattern=DESCRIPTION_PATTERN),
]
Markets = Annotated[
    list[Literal["h2h", "spreads", "totals"]], Field(min_length=1, max_length=len(MARKETS) * 4)
]
_PRICE_RANGES = [
    {"minimum": -MAX_ABS_PRICE, "maximum": -100},
    {"minimum": 100, "maximum": MAX_ABS_PRICE},
]


def _price(value: int) -> int:
    if abs(value) < 100 or abs(value) > MAX_ABS_PRICE:
        raise ValueError(
            f"must be an American price (-{MAX_ABS_PRICE} to -100 or +100 to +{MAX_ABS_PRICE})"
        )
    return value


Price = Annotated[StrictInt, AfterValidator(_price), JsonSchema(anyOf=_PRICE_RANGES)]
DailyCap = Annotated[StrictInt, Field(ge=1, le=rules.DAILY_CAP_MAX)]
MinRanked = Annotated[StrictInt, Field(ge=0, le=rules.MIN_RANKED_MAX)]
Ranking = Literal["units", "roi", "adjusted_roi"]
assert tuple(Ranking.__args__) == RANKINGS  # type: ignore[attr-defined]


def _reminder_url(value: str) -> str:
    """ "" (off) or the domain's URL rule, exactly as the document's pattern states it."""
    if value == "":
        return value
    try:
        checked = reminders.check_url(value)
    except reminders.ReminderError as exc:
        raise ValueError(exc.message) from None
    if checked != value:
        raise ValueError("The webhook URL must not start or end with spaces.")
    return value


REMINDER_URL_PATTERN = f"^$|{reminders.URL_PATTERN}"
ReminderUrl = Annotated[
    str,
    StringConstraints(max_length=reminders.URL_MAX_CHARS),
    AfterValidator(_reminder_url),
    JsonSchema(pattern=REMINDER_URL_PATTERN),
]
ReminderFormat = Literal["json", "ntfy"]
assert tuple(ReminderFormat.__args__) == reminders.FORMATS  # type: ignore[attr-defined]
ReminderMinutes = Annotated[StrictInt, Field(ge=0, le=reminders.MAX_MINUTES)]
REMINDER_URL = (
    "The owner's daily reminder: a webhook (Discord, Slack: format json; ntfy: format ntfy), "
    'http or https, posted once a day naming the members who have not picked. Null or "" '
    "turns it off (the default)."
)
REMINDER_FORMAT = (
    "json: one JSON body with both `content` (Discord) and `text` (Slack); ntfy: plain text "
    "with a Title header. Default json."
)
REMINDER_MINUTES = "How long before the day's first lock it is posted, 0-720. Default 60."


SHORTEST = (
    "The shortest price that counts (e.g. -300); null for no limit. It must pay no more than "
    "`longest_price` (422 otherwise)."
)
LONGEST = (
    "The longest price that counts (e.g. 400 for +400); null for no limit. It must pay at "
    "least what `shortest_price` pays (422 otherwise)."
)
DAILY_CAP = "At most this many counted picks per player and slate day; null for no cap."
MIN_RANKED = "Graded picks a member needs to be ranked; below it, listed as not yet ranked."
RANKING = "What the board ranks by: units, roi, or adjusted_roi (ROI shrunk by sample size)."
MARKETS_TEXT = "The markets whose picks count: h2h (moneyline), spreads, totals."


class LeagueIn(BaseModel):
    """A new league; every setting has a default."""

    name: LeagueName = Field(examples=["Office pool"], description="1-60 characters (trimmed).")
    description: Description = Field(default="", description="At most 500 characters.")
    markets: Markets = Field(default_factory=lambda: list(MARKETS), description=MARKETS_TEXT)
    shortest_price: Price | None = Field(default=None, description=SHORTEST)
    longest_price: Price | None = Field(default=None, description=LONGEST)
    daily_cap: DailyCap | None = Field(default=None, description=DAILY_CAP)
    min_ranked: MinRanked = Field(default=rules.DEFAULT_MIN_RANKED, description=MIN_RANKED)
    ranking: Ranking = Field(default="units", description=RANKING)

    def settings(self) -> dict[str, Any]:
        return self.model_dump(exclude={"name", "description"})


def _no_defaults(schema: dict[str, Any]) -> None:
    """A change names only what it changes: an absent field is left as it is, so no field has
    a default to document (null, where allowed, clears a limit)."""
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class LeaguePatch(BaseModel):
    """Any of the league's name, description and settings; absent fields are left as they are
    and null clears a limit (`shortest_price`, `longest_price`, `daily_cap`)."""

    model_config = ConfigDict(json_schema_extra=_no_defaults)

    name: LeagueName = Field(default=None, description="1-60 characters (trimmed).")  # type: ignore[assignment]
    description: Description = Field(default=None, description="At most 500 characters.")  # type: ignore[assignment]
    markets: Markets = Field(default=None, description=MARKETS_TEXT)  # type: ignore[assignment]
    shortest_price: Price | None = Field(default=None, description=SHORTEST)
    longest_price: Price | None = Field(default=None, description=LONGEST)
    daily_cap: DailyCap | None = Field(default=None, description=DAILY_CAP)
    min_ranked: MinRanked = Field(default=None, description=MIN_RANKED)  # type: ignore[assignment]
    ranking: Ranking = Field(default=None, description=RANKING)  # type: ignore[assignment]
    reminder_url: ReminderUrl | None = Field(default=None, description=REMINDER_URL)
    reminder_format: ReminderFormat = Field(default=None, description=REMINDER_FORMAT)  # type: ignore[assignment]
    reminder_minutes: ReminderMinutes = Field(default=None, description=REMINDER_MINUTES)  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


InviteCode = Annotated[
    str,
    StringConstraints(max_length=CODE_MAX_CHARS),
    AfterValidator(_no_nul),
    JsonSchema(pattern=NO_NUL_PATTERN),
]


class JoinIn(BaseModel):
    code: InviteCode = Field(
        examples=["K7WQ-M3XPRT"],
        description="The invite code; case, spaces and dashes are ignored.",
    )


class OwnerIn(BaseModel):
    username: Username = Field(examples=["bob"], description="A member of the league.")


class SettingsOut(BaseModel):
    markets: list[str]
    shortest_price: int | None
    longest_price: int | None
    daily_cap: int | None
    min_ranked: int
    ranking: str


class ReminderOut(BaseModel):
    url: str
    format: str = Field(description="json or ntfy.")
    minutes: int = Field(description="Minutes before the day's first lock.")

    @classmethod
    def of(cls, reminder: ReminderSettings | None) -> ReminderOut | None:
        if reminder is None:
            return None
        return cls(url=reminder.url, format=reminder.format, minutes=reminder.minutes)


class LeagueOut(BaseModel):
    id: int
    name: str
    description: str
    owner: str | None = Field(description="The owner's username.")
    members: int
    is_owner: bool
    invite_code: str | None = Field(description="The owner's only; null for other members.")
    settings: SettingsOut
    created_at: datetime
    reminder: ReminderOut | None = Field(
        default=None,
        description="The daily reminder, shown to the owner only (a webhook URL is a secret); "
        "null when off, and for other members.",
    )

    @classmethod
    def of(cls, league: LeagueDetail, reminder: ReminderSettings | None = None) -> LeagueOut:
        settings = league.settings
        return cls(
            id=league.id,
            name=league.name,
            description=league.description,
            owner=league.owner,
            members=league.members,
            is_owner=league.is_owner,
            invite_code=league.invite_code,
            settings=SettingsOut(
                markets=list(settings.markets),
                shortest_price=settings.shortest_price,
                longest_price=settings.longest_price,
                daily_cap=settings.daily_cap,
                min_ranked=settings.min_ranked,
                ranking=settings.ranking,
            ),
            created_at=league.created_at,
            reminder=ReminderOut.of(reminder) if league.is_owner else None,
        )


class LeagueSummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    owner: str | None
    members: int
    is_owner: bool
    my_rank: int | None = Field(description="Your rank on the all-time board; null unranked.")
    my_ranked: bool

    @classmethod
    def of(cls, summary: LeagueSummary) -> LeagueSummaryOut:
        return cls.model_validate(summary)


class InviteCodeOut(BaseModel):
    invite_code: str


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    joined_at: datetime
    is_owner: bool

    @classmethod
    def of(cls, row: MemberRow) -> MemberOut:
        return cls.model_validate(row)


class LeagueBoardRowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rank: int | None = Field(description="Null for a member not yet ranked.")
    ranked: bool
    username: str
    total_units: float
    total_wagered: float
    roi: float | None = Field(description="Units per unit wagered; null when nothing wagered.")
    adjusted_roi: float | None = Field(description="n/(n+30)·ROI + 30/(n+30)·(-4.5 %).")
    wins: int
    losses: int
    pushes: int
    streak: str = Field(description='"W3", "L2", or "" before any win or loss (all time).')
    last10: str = Field(description='Wins-losses-pushes of the last ten graded picks: "6-3-1".')
    clv: float | None = Field(
        default=None,
        description="Average closing-line value (percentage points) of the member's picks the "
        "board counts in the period that have one; null when none has.",
    )

    @classmethod
    def of(cls, row: LeagueBoardRow) -> LeagueBoardRowOut:
        return cls.model_validate(row)


class LeaguePickOut(ClosingLineOut):
    model_config = ConfigDict(from_attributes=True)

    pick_id: int
    username: str
    game_id: str
    matchup: str = Field(description="Away @ Home.")
    commence_time: datetime
    market: str
    selection: str
    bookmaker: str
    price: int
    point: float | None
    status: str
    result_units: float | None
    counted: bool = Field(description="Whether the pick counts under this league's rules.")
    not_counted_reason: Literal["market", "price", "daily_cap"] | None = Field(
        description="The first rule a not-counted pick fails; null when counted."
    )

    @classmethod
    def of(cls, row: LeaguePickRow) -> LeaguePickOut:
        return cls.model_validate(row)
