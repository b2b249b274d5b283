"""The one settings object, read from the environment (and a `.env` file).

Every other module imports `settings` from here instead of reading `os.environ`, so the names in
DESIGN.md's "Outside contracts" are declared exactly once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]

KNOWN_MARKETS = ("h2h", "spreads", "totals")


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
    token_days: int = Field(default=7, ge=1, validation_alias="PICKVS_TOKEN_DAYS")
    scheduler_enabled: bool = Field(
        default=True, validation_alias=AliasChoices("PICKVS_SCHEDULER", "PICKVS_SCHEDULER_ENABLED")
    )
    http_timeout_seconds: float = Field(default=15.0, gt=0, validation_alias="PICKVS_HTTP_TIMEOUT")

    @field_validator("sports", "markets", "regions", "bookmakers", mode="before")
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


settings = Settings()
