"""The one settings object, read from the environment (and a `.env` file).

Every other module imports `settings` from here instead of reading `os.environ`, so the names in
DESIGN.md's "Outside contracts" are declared exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from pickvs.domain.markets import MARKETS
from pickvs.domain.sports import SPORTS, unknown_sports

CommaList = Annotated[list[str], NoDecode]

KNOWN_MARKETS = MARKETS
SECRET_KEY_MIN_BYTES = 32  # HS256's own output length
# scheme://host[:port] as a browser sends it in `Origin` (a bracketed IPv6 host included).
ORIGIN_RE = re.compile(r"https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?")


def _split_commas(value: object) -> object:
    """Accept `a,b , c` from the environment as well as a real list from code."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """PickVs configuration; field names map to the documented environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("data"), validation_alias="PICKVS_DATA_DIR")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    odds_api_key: str | None = Field(default=None, validation_alias="ODDS_API_KEY")
    odds_api_base_url: str = Field(
        default="https://api.the-odds-api.com", validation_alias="ODDS_API_BASE_URL"
    )
    secret_key: str | None = Field(default=None, validation_alias="PICKVS_SECRET_KEY")
    timezone: str = Field(default="America/New_York", validation_alias="PICKVS_TIMEZONE")
    sports: CommaList = Field(default=["basketball_nba"], validation_alias="PICKVS_SPORTS")
    markets: CommaList = Field(default=list(KNOWN_MARKETS), validation_alias="PICKVS_MARKETS")
    regions: CommaList = Field(default=["us"], validation_alias="PICKVS_REGIONS")
    bookmakers: CommaList = Field(
        default=["draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada"],
        validation_alias="PICKVS_BOOKMAKERS",
    )
    lock_minutes: int = Field(default=0, ge=0, le=24 * 60, validation_alias="PICKVS_LOCK_MINUTES")
    odds_cron: str = Field(default="0 5 * * *", validation_alias="PICKVS_ODDS_CRON")
    results_cron: str = Field(default="0 9 * * *", validation_alias="PICKVS_RESULTS_CRON")
    monthly_credits: int = Field(default=500, ge=0, validation_alias="PICKVS_MONTHLY_CREDITS")
    # The credit planner (odds refreshes before tip-offs and locks, live scores) on top of the
    # two daily jobs; false keeps the seed's two fixed jobs exactly.
    planner: bool = Field(default=True, validation_alias="PICKVS_PLANNER")
    token_days: int = Field(default=7, ge=1, validation_alias="PICKVS_TOKEN_DAYS")
    scheduler_enabled: bool = Field(
        default=True, validation_alias=AliasChoices("PICKVS_SCHEDULER", "PICKVS_SCHEDULER_ENABLED")
    )
    http_timeout_seconds: float = Field(default=15.0, gt=0, validation_alias="PICKVS_HTTP_TIMEOUT")
    log_format: Literal["text", "json"] = Field(
        default="text", validation_alias="PICKVS_LOG_FORMAT"
    )
    # How many reverse proxies in front of the app append to X-Forwarded-For: the client is the
    # address the outermost of them saw. 0 trusts no header (the socket's peer is the client).
    trusted_proxy_hops: int = Field(
        default=0, ge=0, le=10, validation_alias="PICKVS_TRUSTED_PROXY_HOPS"
    )
    # The address players use (e.g. https://picks.example.com); https turns on HSTS.
    public_url: str | None = Field(default=None, validation_alias="PICKVS_PUBLIC_URL")
    # Other origins (scheme://host[:port]) whose pages may call the API and event socket with
    # the browser's credentials; empty: only the app's own origin, which needs no CORS.
    cors_origins: CommaList = Field(default=[], validation_alias="PICKVS_CORS_ORIGINS")
    # Swagger UI and ReDoc at /docs and /redoc (served from this app, never a CDN).
    api_docs: bool = Field(default=False, validation_alias="PICKVS_API_DOCS")
    # The public leaderboard (page, API and the profile's public rank); false for an instance
    # shared by several private groups, each with its own leagues.
    public_board: bool = Field(default=True, validation_alias="PICKVS_PUBLIC_BOARD")
    # Graded picks (win, loss or push) in a period before a player is ranked on the public
    # board; below it they are listed apart as "not yet ranked", with their record.
    min_ranked_picks: int = Field(
        default=10, ge=0, le=100_000, validation_alias="PICKVS_MIN_RANKED_PICKS"
    )

    @field_validator("sports", "markets", "regions", "bookmakers", "cors_origins", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("markets")
    @classmethod
    def _known_markets(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in KNOWN_MARKETS]
        if unknown:
            raise ValueError(f"unknown market(s) {unknown}; choose from {list(KNOWN_MARKETS)}")
        return value

    @field_validator("sports")
    @classmethod
    def _known_sports(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(f"name at least one sport; choose from {list(SPORTS)}")
        unknown = unknown_sports(value)
        if unknown:
            raise ValueError(f"unknown sport(s) {unknown}; choose from {list(SPORTS)}")
        return value

    @field_validator("odds_cron", "results_cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        """The scheduler builds its triggers at start: a typo here would only fail then."""
        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a crontab line ({value!r}: {exc})") from None
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_secret_key(cls, value: str | None) -> str | None:
        """HS256 with a short key can be brute-forced offline from any one token; empty means
        "generate one" (as when unset)."""
        if not value:
            return None
        if len(value.strip().encode()) < SECRET_KEY_MIN_BYTES:  # 32 spaces are no key
            raise ValueError(
                f"must be at least {SECRET_KEY_MIN_BYTES} bytes; make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) address ({value!r}); e.g. https://picks.example.com")
        return value.rstrip("/")

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        """An origin is scheme://host[:port] exactly as a browser sends it: no path, no `*`."""
        origins = [origin.rstrip("/") for origin in value]
        bad = [o for o in origins if not ORIGIN_RE.fullmatch(o)]
        if bad:
            raise ValueError(
                f"not an origin {bad}; list scheme://host[:port] values, e.g. https://a.example"
            )
        return origins

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def demo_mode(self) -> bool:
        """No key means the offline demo source: the app must work on a fresh machine."""
        return not self.odds_api_key

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'pickvs.db').as_posix()}"


class SettingsError(Exception):
    """The environment does not make a valid configuration; `str()` is one line for an operator."""


def describe(error: ValidationError) -> str:
    """One line naming each bad setting by its environment variable, never echoing its value.

    Pydantic's own text spans several lines and repeats the input, which may be a secret; our
    validators put the (non-secret) offending value into their message where it helps.
    """
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]) or "settings"
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{name}: {message}")
    return "; ".join(parts)


def load_settings() -> Settings:
    """Build settings from the environment, turning a validation failure into one line."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


class UnusableSettings:
    """Stands in for `settings` when the environment is invalid.

    Importing PickVs must not fail (the CLI has to print its one line, `--help` must work), but
    nothing may run on guessed defaults either: every attribute read raises the same one-line
    `SettingsError`, which the CLI prints and the app's start-up check reports.
    """

    def __init__(self, message: str) -> None:
        self._message = message

    def __getattr__(self, name: str) -> Any:
        raise SettingsError(self._message)


def _load_or_defer() -> tuple[Settings, str | None]:
    try:
        return load_settings(), None
    except SettingsError as exc:
        return cast(Settings, UnusableSettings(str(exc))), str(exc)


settings, settings_error = _load_or_defer()
