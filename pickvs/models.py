"""SQLModel tables. Every timestamp is timezone-aware UTC, on SQLite as on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from pickvs.domain import standings


class UTCDateTime(TypeDecorator[datetime]):
    """Store UTC, return aware UTC: SQLite keeps no offset, and naive datetimes cause lock bugs."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def big_id_column() -> Column:  # type: ignore[type-arg]
    """BIGINT on PostgreSQL (a season of odds outgrows INT); SQLite needs INTEGER for rowid."""
    return Column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )


def utc_column(nullable: bool = False, index: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable, index=index)


class GameStatus:
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    FINAL = "final"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class PickStatus:
    PENDING = "pending"
    WIN = "win"
    LOSS = "loss"
    PUSH = "push"
    VOID = "void"


class User(SQLModel, table=True):
    __tablename__ = "user"
    # SQLite would otherwise hand a deleted player's id to the next one (migration 0005).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, unique=True))
    username: str = Field(sa_column=Column(String(20), nullable=False))
    # Lower-cased username: uniqueness "ignoring case" must hold in the database itself.
    username_key: str = Field(sa_column=Column(String(20), nullable=False, unique=True))
    password_hash: str = Field(sa_column=Column(String(100), nullable=False))
    is_admin: bool = Field(default=False, nullable=False)
    created_at: datetime = Field(sa_column=utc_column())
    total_units: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    total_wagered: float = Field(default=0.0, sa_column=Column(Float, nullable=False, default=0.0))
    roi: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    wins: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    losses: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    pushes: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    # Raised by every pick written or withdrawn: a cached league board names the versions of
    # its members' picks, so a change that moves a daily cap can never be served stale.
    picks_version: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, default=0, server_default="0")
    )
    # Current form (`domain.standings.form` over every graded pick, in tip-off order): "W3" /
    # "L2" / "" and the last-ten record "W-L-P", derived when first read after grading changed
    # the player's results (grading only marks it due: `form_due` = its board generation) and
    # kept with the generation it was derived at; fresh while form_generation >= form_due.
    streak: str = Field(
        default="", sa_column=Column(String(8), nullable=False, default="", server_default="")
    )
    last10: str = Field(
        default="0-0-0",
        sa_column=Column(String(8), nullable=False, default="0-0-0", server_default="0-0-0"),
    )
    form_generation: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, default=0, server_default="0")
    )
    form_due: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, default=0, server_default="0")
    )


_players = User.__table__.c  # type: ignore[attr-defined]
# The all-time board's order, so its first page is read from the index rather than sorted.
Index(
    "ix_user_board",
    *standings.board_order(
        _players.total_units, _players.total_wagered, _players.roi, _players.username_key
    ),
)


class Game(SQLModel, table=True):
    __tablename__ = "game"
    __table_args__ = (
        Index("ix_game_commence_time", "commence_time"),
        Index("ix_game_status_commence", "status", "commence_time"),
    )

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    sport: str = Field(sa_column=Column(String(64), nullable=False))
    home_team: str = Field(sa_column=Column(String(100), nullable=False))
    away_team: str = Field(sa_column=Column(String(100), nullable=False))
    commence_time: datetime = Field(sa_column=utc_column())
    status: str = Field(default=GameStatus.SCHEDULED, sa_column=Column(String(16), nullable=False))
    home_score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    away_score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    settled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # "feed" or "admin:<username>": a feed score never overwrites an admin's settlement.
    settled_by: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    last_seen_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The settlement its picks were last graded against (domain.grading.settlement_key).
    graded_result: str | None = Field(default=None, sa_column=Column(String(40), nullable=True))
    # The latest in-play score a live scores call saw (migration 0009). Display only: a final
    # goes to home_score / away_score, and grading never reads these.
    live_home_score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    live_away_score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    live_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class OddsLine(SQLModel, table=True):
    """Append-only line history: the latest row is the current line."""

    __tablename__ = "odds"
    __table_args__ = (
        Index("ix_odds_game_fetched", "game_id", "fetched_at"),
        Index("ix_odds_game_market_book", "game_id", "market", "bookmaker", "fetched_at"),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    game_id: str = Field(
        sa_column=Column(String(64), ForeignKey("game.id", ondelete="CASCADE"), nullable=False)
    )
    bookmaker: str = Field(sa_column=Column(String(64), nullable=False))
    market: str = Field(sa_column=Column(String(16), nullable=False))
    outcome: str = Field(sa_column=Column(String(100), nullable=False))
    price: int = Field(sa_column=Column(Integer, nullable=False))
    point: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    last_update: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    fetched_at: datetime = Field(sa_column=utc_column())


PICK_FILLFACTOR = 50  # a graded copy of every row fits beside it: see migration 0004


class Pick(SQLModel, table=True):
    __tablename__ = "pick"
    __table_args__ = (
        UniqueConstraint("user_id", "game_id", "market", name="uq_pick_user_game_market"),
        # A player's picks are found through the unique key, which leads with user_id. No
        # index holds a column grading writes, and PostgreSQL leaves half of each page free,
        # so grading a pick is a heap-only update that rewrites no index entry (SQLite, too,
        # rewrites only indexes holding a changed column).
        Index("ix_pick_game", "game_id"),
        {"postgresql_with": {"fillfactor": PICK_FILLFACTOR}},
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    game_id: str = Field(
        sa_column=Column(String(64), ForeignKey("game.id", ondelete="CASCADE"), nullable=False)
    )
    market: str = Field(sa_column=Column(String(16), nullable=False))
    # home / away / over / under: grading keys on the side, so a renamed team cannot break it.
    side: str = Field(sa_column=Column(String(8), nullable=False))
    selection: str = Field(sa_column=Column(String(100), nullable=False))
    bookmaker: str = Field(sa_column=Column(String(64), nullable=False))
    price: int = Field(sa_column=Column(Integer, nullable=False))
    point: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    # What a win pays per unit staked, fixed by the price at submission (domain.odds.win_units).
    to_win: float = Field(sa_column=Column(Float, nullable=False))
    status: str = Field(default=PickStatus.PENDING, sa_column=Column(String(8), nullable=False))
    result_units: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    graded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The closing line of the picked side (the last fetched before the game's lock, at the
    # pick's book, else the reference book) and the pick's closing-line value in percentage
    # points (`domain.clv`); null until the game locks with a closing line (migration 0009).
    close_bookmaker: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    close_price: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    close_point: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    close_fetched_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    clv: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    clv_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class UserTipTotals(SQLModel, table=True):
    """A player's graded wagers on the games of one tip-off instant: the compact roll-up the
    month and week boards sum instead of scanning every pick.

    Derived like the user's own columns: grading rebuilds the rows of every (player, tip-off)
    whose picks it changed, from the picks, never adding to them. Keyed by the UTC tip-off
    rather than a slate day, so it needs no time zone and a period starting at any league-local
    midnight is a range of it. No foreign key: a full regrade writes ~400,000 rows, and a
    per-row key check would cost more than the rows; the boards join `user`, so a row can
    never show a player who is gone.
    """

    __tablename__ = "user_tip"
    # A period board reads a month's rows (~50,000 at 10,000 players) from this index alone.
    __table_args__ = (Index("ix_user_tip_board", "tip", "user_id", "units", "wagered"),)

    user_id: int = Field(sa_column=Column(Integer, primary_key=True, nullable=False))
    tip: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True, nullable=False))
    units: float = Field(sa_column=Column(Float, nullable=False))
    wagered: float = Field(sa_column=Column(Float, nullable=False))
    wins: int = Field(sa_column=Column(Integer, nullable=False))
    losses: int = Field(sa_column=Column(Integer, nullable=False))
    pushes: int = Field(sa_column=Column(Integer, nullable=False))


class BoardGeneration(SQLModel, table=True):
    """One row: a number grading raises whenever it changes a pick's result. A cached board
    built at another generation is stale (no row yet: generation 0)."""

    __tablename__ = "board_generation"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    generation: int = Field(sa_column=Column(BigInteger, nullable=False))


class Board(SQLModel, table=True):
    """A public period board (week, month, season) as last built: for which period start and
    ranking threshold, at which generation. Its rows are `board_row`; a read whose board is
    stale rebuilds both in its own transaction (`services.leaderboard`)."""

    __tablename__ = "board"

    period: str = Field(sa_column=Column(String(8), primary_key=True))
    start: datetime = Field(sa_column=utc_column())
    min_ranked: int = Field(sa_column=Column(Integer, nullable=False))
    generation: int = Field(sa_column=Column(BigInteger, nullable=False))
    built_at: datetime = Field(sa_column=utc_column())
    players: int = Field(sa_column=Column(Integer, nullable=False))


class BoardEntry(SQLModel, table=True):
    """One player's line on a cached period board, numbered in board order (ranked players
    first), so a page is a range of `position`. No foreign key (as `user_tip`): reads join
    `user`, so a line can never show a player who is gone."""

    __tablename__ = "board_row"
    __table_args__ = (Index("ix_board_row_user", "period", "user_id", unique=True),)

    period: str = Field(sa_column=Column(String(8), primary_key=True))
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=Column(Integer, nullable=False))
    rank: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    units: float = Field(sa_column=Column(Float, nullable=False))
    wagered: float = Field(sa_column=Column(Float, nullable=False))
    roi: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    wins: int = Field(sa_column=Column(Integer, nullable=False))
    losses: int = Field(sa_column=Column(Integer, nullable=False))
    pushes: int = Field(sa_column=Column(Integer, nullable=False))


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"
    __table_args__ = (
        # One run per scheduled slot, across every worker and replica sharing the database.
        UniqueConstraint("job", "slot", name="uq_job_run_slot"),
        Index("ix_job_run_job_started", "job", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(sa_column=Column(String(32), nullable=False))
    trigger: str = Field(sa_column=Column(String(16), nullable=False))
    slot: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    started_at: datetime = Field(sa_column=utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # running / ok / failed / skipped
    outcome: str = Field(default="running", sa_column=Column(String(16), nullable=False))
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class JobLock(SQLModel, table=True):
    """A lease per job, so a job never overlaps itself across threads, workers or replicas."""

    __tablename__ = "job_lock"

    job: str = Field(sa_column=Column(String(32), primary_key=True))
    holder: str = Field(sa_column=Column(String(128), nullable=False))
    expires_at: datetime = Field(sa_column=utc_column())


class ApiCall(SQLModel, table=True):
    """The quota ledger: every provider call, or refusal to call, with the provider's counters."""

    __tablename__ = "api_call"
    __table_args__ = (Index("ix_api_call_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    job_run_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("job_run.id", ondelete="SET NULL"), nullable=True),
    )
    at: datetime = Field(sa_column=utc_column())
    source: str = Field(sa_column=Column(String(8), nullable=False))  # live / demo
    endpoint: str = Field(sa_column=Column(String(128), nullable=False))
    attempt: int = Field(default=1, sa_column=Column(Integer, nullable=False, default=1))
    # ok / error / refused
    outcome: str = Field(sa_column=Column(String(16), nullable=False))
    status_code: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    estimated_cost: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    credits_last: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    credits_used: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    credits_remaining: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    duration_ms: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    error_code: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class DataIssue(SQLModel, table=True):
    """A feed row we skipped, and why: bad data is recorded, never a crash."""

    __tablename__ = "data_issue"

    id: int | None = Field(default=None, primary_key=True)
    job_run_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("job_run.id", ondelete="SET NULL"), nullable=True),
    )
    at: datetime = Field(sa_column=utc_column(index=True))
    game_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    bookmaker: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    market: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    reason: str = Field(sa_column=Column(Text, nullable=False))


class LoginThrottle(SQLModel, table=True):
    """One log-in throttle counter per key (a client, an account as typed, or the pair), kept in
    the database so throttling holds across workers. Rows are read and written under a row lock
    (PostgreSQL) or the write lock (SQLite): counting an attempt is one atomic step. The rules
    are `pickvs.domain.throttle`; rows untouched for a day are deleted as others are written."""

    __tablename__ = "login_throttle"
    __table_args__ = (Index("ix_login_throttle_last_at", "last_at"),)

    key: str = Field(sa_column=Column(String(300), primary_key=True))
    failures: int = Field(sa_column=Column(Integer, nullable=False))
    first_at: datetime = Field(sa_column=utc_column())
    last_at: datetime = Field(sa_column=utc_column())


class UserSession(SQLModel, table=True):
    """One log-in: a token is valid only while its session is, so log-out can end it.

    `id` is the SHA-256 (hex) of the random session secret the token carries, so the table
    alone cannot be turned back into working tokens. A player's sessions go with the player.
    """

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_id", "user_id"),)

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    created_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column())
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


LEAGUE_DEFAULT_MARKETS = "h2h,spreads,totals"
LEAGUE_DEFAULT_MIN_RANKED = 20
LEAGUE_DEFAULT_RANKING = "units"


class League(SQLModel, table=True):
    """A private group with its own rules (`pickvs.domain.leagues`). It holds no picks: a pick
    belongs to its player and counts in each league the player is a member of now."""

    __tablename__ = "league"
    # A deleted league's id (and so its /leagues/<id> links) is never handed to a new one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(60), nullable=False))
    description: str = Field(
        default="", sa_column=Column(String(500), nullable=False, server_default="")
    )
    # SET NULL: a deleted owner leaves the league to its earliest-joined member
    # (`services.leagues` hands it over on the next access).
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    invite_code: str = Field(sa_column=Column(String(16), nullable=False, unique=True))
    markets: str = Field(
        default=LEAGUE_DEFAULT_MARKETS,
        sa_column=Column(String(40), nullable=False, server_default=LEAGUE_DEFAULT_MARKETS),
    )
    shortest_price: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    longest_price: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    daily_cap: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    min_ranked: int = Field(
        default=LEAGUE_DEFAULT_MIN_RANKED,
        sa_column=Column(Integer, nullable=False, server_default=str(LEAGUE_DEFAULT_MIN_RANKED)),
    )
    ranking: str = Field(
        default=LEAGUE_DEFAULT_RANKING,
        sa_column=Column(String(16), nullable=False, server_default=LEAGUE_DEFAULT_RANKING),
    )
    # The owner's optional daily reminder (migration 0009): a webhook URL, its body format
    # ("json": Discord- and Slack-compatible; "ntfy": plain text) and how many minutes before
    # the day's first lock it is posted. No URL: off.
    reminder_url: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    reminder_format: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    reminder_minutes: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    # Raised by every change of settings or members: part of a cached board's key.
    version: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, default=0, server_default="0")
    )
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class LeagueMember(SQLModel, table=True):
    """A player's membership of a league, from `joined_at`. Leaving deletes the row only."""

    __tablename__ = "league_member"
    # "My leagues" (and every board of the player's leagues) starts from the player.
    __table_args__ = (Index("ix_league_member_user", "user_id"),)

    league_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("league.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    joined_at: datetime = Field(sa_column=utc_column())


class AppSetting(SQLModel, table=True):
    """An instance-wide setting an admin changes at run time (the instance reminder), as
    opposed to the environment's settings, which are fixed at start-up."""

    __tablename__ = "app_setting"

    key: str = Field(sa_column=Column(String(64), primary_key=True))
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=utc_column())


def utcnow() -> datetime:
    """The system clock, for defaults at the edges; rules receive `now` instead."""
    return datetime.now(UTC)
