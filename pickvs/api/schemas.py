"""Request and response bodies. Inputs and outputs are separate models, and no output model has
a field for a password hash or an email, so neither can leak through a response.

Input strings are bounded and may not contain NUL (PostgreSQL refuses it in text, which would
surface as a 500). The OpenAPI document states every rule an input must meet (lengths, patterns,
enums, list sizes) exactly as the server applies it, so a request the document calls valid is
never refused as invalid: where pydantic would phrase a rule badly, the rule is declared with
`JsonSchema` and enforced by the domain's own check, whose message reaches the player.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import CoreSchema

from pickvs.domain import accounts
from pickvs.domain.clv import shown_clv
from pickvs.domain.markets import MARKETS
from pickvs.models import Game, Pick
from pickvs.services.errors import InvalidInput
from pickvs.services.lines import Quote
from pickvs.services.picks import MAX_BATCH, PickRequest, PickView, PublicPick
from pickvs.services.slate import GameCard, MarketLine

MAX_BODY_BYTES = 256 * 1024
MAX_ID = 2**63 - 1  # pick ids are BIGINT; a larger number must be a 422, not a driver error
# A realistic provider event id, used as the documented example of a game id (the contract
# test seeds a game with it, so the documented example request really makes a pick).
EXAMPLE_GAME_ID = "e912304de2b2ab35602a8b5d7d3a1a37"


class JsonSchema:
    """Annotation adding keywords to a type's JSON Schema without pydantic enforcing them:
    for rules a validator below (or the service) already enforces with a message a player can
    act on, so the document states the rule and the message stays the domain's."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(self.keywords)
        return schema


# Patterns are read by three regex engines (ECMA in JSON Schema, Python here, Rust in
# validators) whose `\s` differ: Python counts \x1c-\x1f and \x85 as whitespace, ECMA counts
# \ufeff. Every class below names those characters itself, so all three read it alike.
NO_NUL_PATTERN = r"^[^\x00]*$"
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f-\x9f\ufeff]+"
# The domain's EMAIL_RE, minus C1 controls and the BOM (which no real address holds).
EMAIL_PATTERN = rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"
USERNAME_PATTERN = rf"^{accounts.USERNAME_RE.pattern}$"
# Somewhere a character that is whitespace to no engine: a password is not only spaces.
NOT_BLANK_PATTERN = r"[^\s\x1c-\x1f\x85\ufeff]"
PASSWORD_MIN_CHARS = accounts.PASSWORD_MIN_CHARS
EMAIL_MAX_CHARS = 254
_EMAIL = re.compile(EMAIL_PATTERN)
_NOT_BLANK = re.compile(NOT_BLANK_PATTERN)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _email(value: str) -> str:
    # Outside the contract's pattern: the domain's message for an invalid address.
    problem = accounts.email_problem(value if _EMAIL.fullmatch(value) else "")
    if problem:
        raise ValueError(problem)
    return value


def _username(value: str) -> str:
    problem = accounts.username_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _new_password(value: str) -> str:
    """The domain's rule (bcrypt's 72 bytes among it, which JSON Schema cannot state), then the
    document's: not only whitespace to any regex engine (JSON Schema's `\\S` and Python's
    `str.strip` disagree on a few characters)."""
    problem = accounts.password_problem(value)
    if not problem and not _NOT_BLANK.search(value):
        problem = "Password cannot be only spaces."
    if problem:
        raise ValueError(problem)
    return value


NoNul = JsonSchema(pattern=NO_NUL_PATTERN)
# As typed: the API does not trim (a name or address with spaces around it is refused).
Email = Annotated[
    str,
    StringConstraints(max_length=EMAIL_MAX_CHARS),
    AfterValidator(_no_nul),
    AfterValidator(_email),
    JsonSchema(pattern=EMAIL_PATTERN),
]
Username = Annotated[
    str,
    AfterValidator(_username),
    JsonSchema(minLength=3, maxLength=20, pattern=USERNAME_PATTERN),
]
NewPassword = Annotated[
    str,
    AfterValidator(_new_password),
    JsonSchema(
        minLength=PASSWORD_MIN_CHARS,
        maxLength=accounts.PASSWORD_MAX_BYTES,
        pattern=NOT_BLANK_PATTERN,
        format="password",
    ),
]
# The longest valid login is an email (254); longer would overflow the throttle's key column.
LoginName = Annotated[str, StringConstraints(max_length=254), AfterValidator(_no_nul), NoNul]
Password = Annotated[str, StringConstraints(max_length=1024), JsonSchema(format="password")]
GameId = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_no_nul), NoNul
]


class ErrorItem(BaseModel):
    index: int | None = Field(default=None, description="Position in the submitted list.")
    field: str | None = None
    detail: str
    status: int | None = None


class ErrorOut(BaseModel):
    """Every error response: `detail` is one line a person can act on."""

    detail: str
    field: str | None = Field(default=None, description="The input field at fault, if one.")
    errors: list[ErrorItem] | None = Field(
        default=None, description="Per-item problems (pick batches, request validation)."
    )


# --- auth ---------------------------------------------------------------------------------


class RegisterIn(BaseModel):
    email: Email = Field(examples=["ann@example.com"], description="At most 254 characters.")
    username: Username = Field(
        examples=["ann"], description="3-20 characters: letters A-Z, digits or underscores."
    )
    password: NewPassword = Field(
        examples=["correct horse battery"],
        description="8 to 72 characters, not only spaces, and at most 72 bytes in UTF-8 "
        "(bcrypt's limit; a longer one is refused with 422, never truncated).",
    )


# Name the account by one of these: at least one must be a non-empty string.
LOGIN_NAMES = ("login", "username", "email")


class LoginIn(BaseModel):
    """Name the account by `username`, `email` or `login` (either of the two); the first
    non-empty one is used."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
                for name in LOGIN_NAMES
            ]
        }
    )

    login: LoginName | None = None
    username: LoginName | None = Field(default=None, examples=["ann"])
    email: LoginName | None = None
    password: Password = Field(examples=["correct horse battery"])

    def login_name(self) -> str:
        name = self.login or self.username or self.email
        if not name:
            raise InvalidInput("Send your username or email.", field="username")
        return name


class TokenOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    token_type: Literal["bearer"] = "bearer"


# --- games and picks ----------------------------------------------------------------------


class PickIn(BaseModel):
    """One pick to make or change. The line comes from the server: a `price` or `point` sent
    here is ignored, as is any other extra field."""

    model_config = ConfigDict(extra="ignore")

    game_id: GameId = Field(examples=[EXAMPLE_GAME_ID], description="The provider's event id.")
    market: Annotated[
        str,
        StringConstraints(max_length=32),
        AfterValidator(_no_nul),
        JsonSchema(enum=list(MARKETS)),
    ] = Field(examples=["h2h"], description="h2h (moneyline), spreads or totals")
    selection: Annotated[
        str,
        StringConstraints(max_length=100),
        AfterValidator(_no_nul),
        JsonSchema(minLength=1, pattern=NO_NUL_PATTERN),
    ] = Field(
        examples=["Boston Celtics"],
        description="A team of that game or `home`/`away`; Over or Under for totals. "
        "One that names no side of the game is refused with 422.",
    )

    def request(self) -> PickRequest:
        return PickRequest(game_id=self.game_id, market=self.market, selection=self.selection)


# A submission: 1 to MAX_BATCH picks (the service refuses other sizes, with its own message).
PickBatch = Annotated[list[PickIn], JsonSchema(minItems=1, maxItems=MAX_BATCH)]


CLV_TEXT = (
    "Closing-line value in percentage points: the no-vig closing probability of the picked "
    "side minus the probability the price taken implies (a moved spread or total converted "
    "with a normal model of the margin or total). Null until the game locks with a closing "
    "line, and for void picks."
)


class ClosingLineOut(BaseModel):
    """The closing line of a pick's side (the last fetched before its game locked) and its CLV:
    all null until then."""

    close_bookmaker: str | None = Field(
        default=None, description="The book the closing line was read at."
    )
    close_price: int | None = Field(default=None, description="The picked side's closing price.")
    close_point: float | None = Field(default=None, description="Its closing point (not h2h).")
    clv: float | None = Field(default=None, description=CLV_TEXT)


class PickOut(ClosingLineOut):
    """A pick and the line it was taken at."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    game_id: str
    market: str
    side: str
    selection: str
    bookmaker: str
    price: int
    point: float | None
    to_win: float = Field(description="Units a win pays on the 1-unit stake.")
    status: str
    result_units: float | None
    created_at: datetime
    updated_at: datetime
    graded_at: datetime | None

    @model_validator(mode="after")
    def _no_clv_when_void(self) -> PickOut:
        self.clv = shown_clv(self.status, self.clv)
        return self


class GameOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    sport: str
    home_team: str
    away_team: str
    commence_time: datetime
    status: str
    home_score: int | None
    away_score: int | None


class MyPickOut(PickOut):
    game: GameOut

    @classmethod
    def of(cls, view: PickView) -> MyPickOut:
        pick = PickOut.model_validate(view.pick).model_dump()
        return cls(**pick, game=GameOut.model_validate(view.game))


class GamePickOut(ClosingLineOut):
    """Another player's pick, shown once the game has locked."""

    username: str
    market: str
    selection: str
    bookmaker: str
    price: int
    point: float | None
    status: str
    result_units: float | None

    @classmethod
    def of(cls, row: PublicPick) -> GamePickOut:
        p: Pick = row.pick
        return cls(
            username=row.username,
            market=p.market,
            selection=p.selection,
            bookmaker=p.bookmaker,
            price=p.price,
            point=p.point,
            status=p.status,
            result_units=p.result_units,
            close_bookmaker=p.close_bookmaker,
            close_price=p.close_price,
            close_point=p.close_point,
            clv=shown_clv(p.status, p.clv),
        )


class SideQuoteOut(BaseModel):
    name: str
    price: int
    point: float | None


class BestQuoteOut(SideQuoteOut):
    bookmaker: str


class MarketLineOut(BaseModel):
    market: str
    bookmaker: str = Field(description="The reference book: the line a pick is taken at.")
    sides: dict[str, SideQuoteOut] = Field(description="home/away or over/under")
    best: dict[str, BestQuoteOut] = Field(description="Best price per side across books.")

    @classmethod
    def of(cls, line: MarketLine) -> MarketLineOut:
        books = {q.bookmaker for q in line.reference.values()}
        return cls(
            market=line.market,
            bookmaker=books.pop(),
            sides={side: _side(q) for side, q in line.reference.items()},
            best={
                side: BestQuoteOut(bookmaker=q.bookmaker, **_side(q).model_dump())
                for side, q in line.best.items()
            },
        )


def _side(quote: Quote) -> SideQuoteOut:
    return SideQuoteOut(name=quote.name, price=quote.price, point=quote.point)


class GameCardOut(BaseModel):
    id: str
    sport: str
    home_team: str
    away_team: str
    commence_time: datetime
    status: str
    slate_day: date = Field(description="Tip-off date in the league's time zone.")
    lock_at: datetime = Field(description="Picks close at this instant (UTC).")
    lines: dict[str, MarketLineOut] = Field(description="Keyed by market.")
    my_picks: list[PickOut] = Field(description="The caller's picks; empty when anonymous.")

    @classmethod
    def of(cls, card: GameCard) -> GameCardOut:
        game: Game = card.game
        return cls(
            id=game.id,
            sport=game.sport,
            home_team=game.home_team,
            away_team=game.away_team,
            commence_time=game.commence_time,
            status=game.status,
            slate_day=card.slate_day,
            lock_at=card.lock_at,
            lines={market: MarketLineOut.of(line) for market, line in card.lines.items()},
            my_picks=[PickOut.model_validate(p) for p in card.my_picks.values()],
        )


# --- leaderboard --------------------------------------------------------------------------


class LeaderboardRowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rank: int | None = Field(
        description="Players level on units share a rank; null for a player not yet ranked "
        "(fewer graded picks in the period than the instance's minimum), listed after the "
        "ranked players."
    )
    ranked: bool = Field(description="Whether the player has enough graded picks to be ranked.")
    username: str
    total_units: float
    total_wagered: float
    roi: float | None = Field(description="Units per unit wagered; null when nothing wagered.")
    adjusted_roi: float | None = Field(
        description="ROI shrunk toward the house edge by sample size: n/(n+30)·ROI + "
        "30/(n+30)·(-4.5 %) over n picks wagered; null when nothing wagered."
    )
    wins: int
    losses: int
    pushes: int
    streak: str = Field(
        description="Current form, all time (not the period's): W or L and its length, e.g. "
        "`W3`; empty before any win or loss. A push neither extends nor breaks it."
    )
    last10: str = Field(description="Won-lost-pushed over the last ten graded picks, all time.")
    clv: float | None = Field(
        default=None,
        description="Average closing-line value (percentage points) of the player's picks on "
        "the period's games that have one; null when none has.",
    )


# --- health -------------------------------------------------------------------------------
# Two reports: the short one anyone may read (container health checks, uptime monitors) and the
# full one for an admin's bearer token. The short one's fields are a subset of the full one's,
# so a monitor reading `status`, `database.ok` and `scheduler.running` reads either.


class DatabaseState(BaseModel):
    """Whether the database answers (`error`: the exception's class name only, no message)."""

    ok: bool
    backend: str
    error: str | None = None


class DatabaseHealth(DatabaseState):
    """The database state plus the schema revision it is at and the one the code expects."""

    revision: str | None = None
    head: str | None = None


class SchedulerState(BaseModel):
    running: bool


class JobHealth(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    outcome: str
    started_at: datetime
    finished_at: datetime | None
    error: str | None


class CreditsHealth(BaseModel):
    budget: int
    used: int
    remaining: int
    provider_remaining: int | None
    exhausted: bool


class HealthOut(BaseModel):
    """The public report: the status and whether the database and the scheduler run.

    `status` is the same word an admin sees (`degraded` also when a job's last run failed or
    the credits ran out), so a monitor alerts without being told why.
    """

    status: Literal["ok", "degraded"]
    database: DatabaseState
    scheduler: SchedulerState


class HealthReport(BaseModel):
    """The full report, for admins: schema revision, next job times, last runs, credits."""

    status: Literal["ok", "degraded"]
    database: DatabaseHealth
    scheduler: dict[str, object]
    jobs: dict[str, JobHealth]
    credits: CreditsHealth | None
    demo: bool

    def public(self) -> HealthOut:
        """What anyone may see of this report."""
        return HealthOut(
            status=self.status,
            database=DatabaseState(
                ok=self.database.ok, backend=self.database.backend, error=self.database.error
            ),
            scheduler=SchedulerState(running=bool(self.scheduler.get("running"))),
        )
