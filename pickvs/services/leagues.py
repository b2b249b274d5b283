"""Leagues: private groups with their own rules and boards.

A league holds settings and members, never picks. A pick belongs to its player and counts in
each league the player is a member of now, when it meets the league's rules
(`domain.leagues.count_picks`: market, price window, daily cap). So a league's board is
computed per call from one query over its members' picks joined to their games; nothing is
rolled up and grading is untouched. A departed member's picks leave the board and stay in
their own history.

Everything returned is a plain frozen dataclass: no ORM object leaves this module.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, select, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType
from sqlmodel import Session

from pickvs.config import settings as app_settings
from pickvs.domain import grading as rules
from pickvs.domain import leagues as league_rules
from pickvs.domain import locks, standings
from pickvs.domain.accounts import username_key
from pickvs.domain.clv import shown_clv
from pickvs.domain.display import matchup
from pickvs.domain.leagues import CountablePick, SettingsError
from pickvs.domain.reminders import DEFAULT_FORMAT as DEFAULT_REMINDER_FORMAT
from pickvs.domain.reminders import DEFAULT_MINUTES as DEFAULT_REMINDER_MINUTES
from pickvs.domain.reminders import ReminderSettings
from pickvs.domain.text import storable
from pickvs.models import Game, League, LeagueMember, Pick, User
from pickvs.services import export, reminders, versions
from pickvs.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from pickvs.services.leaderboard import board_generation, period_start
from pickvs.services.seasons import season_start

PERIODS = ("week", "month", "season", "all")
MAX_LIMIT = 200
MAX_PICKS_PAGE = 200
CODE_ATTEMPTS = 5

NO_LEAGUE = "No such league."
WRONG_CODE = "No league has that invite code; ask its owner for a new link."
NOT_MEMBER = "You are not a member of this league."
NOT_OWNER = "Only the league's owner can do that."
OWNER_LEAVING = "Hand the league to another member first."
ALREADY_MEMBER = "You are already a member of this league."

# The league's settings as the pages and the API read them (domain.leagues checks them).
LeagueSettings = league_rules.Settings


@dataclass(frozen=True)
class LeagueSummary:
    id: int
    name: str
    description: str
    owner: str | None
    members: int
    is_owner: bool
    my_rank: int | None  # on the all-time board; None while not ranked
    my_ranked: bool


@dataclass(frozen=True)
class LeagueDetail:
    id: int
    name: str
    description: str
    owner: str | None
    members: int
    is_owner: bool
    invite_code: str | None  # the owner's only; None for everyone else
    settings: LeagueSettings
    created_at: datetime


@dataclass(frozen=True)
class MemberRow:
    username: str
    joined_at: datetime
    is_owner: bool


@dataclass(frozen=True)
class LeagueBoardRow:
    rank: int | None  # None for a member not yet ranked
    ranked: bool
    username: str
    total_units: float
    total_wagered: float
    roi: float | None
    adjusted_roi: float | None
    wins: int
    losses: int
    pushes: int
    streak: str
    last10: str
    clv: float | None = None  # average CLV (pp) of the counted picks in the period with one


@dataclass(frozen=True)
class LeaguePickRow:
    pick_id: int
    username: str
    game_id: str
    matchup: str
    commence_time: datetime
    market: str
    selection: str
    bookmaker: str
    price: int
    point: float | None
    status: str
    result_units: float | None
    counted: bool
    not_counted_reason: str | None
    # The picked side's closing line and CLV (`services.clv`): null until the game locks.
    close_bookmaker: str | None = None
    close_price: int | None = None
    close_point: float | None = None
    clv: float | None = None


# --- reading a league ---------------------------------------------------------------------


def _storable_id(league_id: int) -> bool:
    """An id an INTEGER column can hold: any other names no league and must not reach the
    database (PostgreSQL refuses it with an error, not an empty result)."""
    return 0 < league_id < 2**31


def _league(session: Session, league_id: int) -> League:
    league = session.get(League, league_id) if _storable_id(league_id) else None
    if league is None:
        raise NotFound(NO_LEAGUE)
    return league


def _is_member(session: Session, league_id: int, user_id: int) -> bool:
    if not _storable_id(league_id):
        return False
    return session.get(LeagueMember, (league_id, user_id)) is not None


def _member_league(session: Session, league_id: int, user_id: int) -> League:
    """The league, for one of its members (404 unknown, 403 anyone else)."""
    league = _league(session, league_id)
    if not _is_member(session, league_id, user_id):
        raise Forbidden(NOT_MEMBER)
    _repair_owner(session, league)
    return league


def _owned_league(session: Session, league_id: int, user_id: int) -> League:
    league = _member_league(session, league_id, user_id)
    if league.owner_id != user_id:
        raise Forbidden(NOT_OWNER)
    return league


def _repair_owner(session: Session, league: League) -> None:
    """A deleted owner's league (owner_id SET NULL) goes to its earliest-joined member."""
    if league.owner_id is not None:
        return
    heir = session.execute(
        select(LeagueMember.user_id)
        .where(LeagueMember.league_id == league.id)
        .order_by(LeagueMember.joined_at, LeagueMember.user_id)
        .limit(1)
    ).scalar_one_or_none()
    if heir is not None:
        league.owner_id = heir
        session.flush()


def _settings(league: League) -> LeagueSettings:
    return LeagueSettings(
        markets=tuple(league.markets.split(",")),
        shortest_price=league.shortest_price,
        longest_price=league.longest_price,
        daily_cap=league.daily_cap,
        min_ranked=league.min_ranked,
        ranking=league.ranking,
    )


def _member_count(session: Session, league_id: int) -> int:
    stmt = select(func.count()).select_from(LeagueMember).where(LeagueMember.league_id == league_id)
    return int(session.execute(stmt).scalar_one())


def _username(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.execute(select(User.username).where(User.id == user_id)).scalar_one_or_none()


def _detail(session: Session, league: League, user_id: int) -> LeagueDetail:
    assert league.id is not None
    is_owner = league.owner_id == user_id
    return LeagueDetail(
        id=league.id,
        name=league.name,
        description=league.description,
        owner=_username(session, league.owner_id),
        members=_member_count(session, league.id),
        is_owner=is_owner,
        invite_code=league.invite_code if is_owner else None,
        settings=_settings(league),
        created_at=league.created_at,
    )


def league_detail(session: Session, league_id: int, user_id: int) -> LeagueDetail:
    """A league as its members see it (the invite code for the owner only)."""
    return _detail(session, _member_league(session, league_id, user_id), user_id)


def members(session: Session, league_id: int, user_id: int) -> list[MemberRow]:
    """The members, in the order they joined."""
    league = _member_league(session, league_id, user_id)
    rows = session.execute(
        select(User.id, User.username, LeagueMember.joined_at)
        .join(LeagueMember, LeagueMember.user_id == User.id)
        .where(LeagueMember.league_id == league_id)
        .order_by(LeagueMember.joined_at, User.username_key)
    ).all()
    return [MemberRow(name, joined, member == league.owner_id) for member, name, joined in rows]


def my_leagues(session: Session, user_id: int, now: datetime, tz: ZoneInfo) -> list[LeagueSummary]:
    """The player's leagues by name, each with the player's place on its all-time board."""
    leagues = session.execute(
        select(League)
        .join(LeagueMember, LeagueMember.league_id == League.id)
        .where(LeagueMember.user_id == user_id)
        .order_by(func.lower(League.name), League.id)
    ).scalars()
    summaries = []
    for league in list(leagues):
        _repair_owner(session, league)
        assert league.id is not None
        board = _board(session, league, "all", now, tz)
        mine = _place_of(board, user_id) or _place_of(
            _computed_board(session, league, None, tz), user_id
        )
        assert mine is not None  # a member has a row on every board of their league
        summaries.append(
            LeagueSummary(
                id=league.id,
                name=league.name,
                description=league.description,
                owner=_username(session, league.owner_id),
                members=len(board),
                is_owner=league.owner_id == user_id,
                my_rank=mine.row.rank,
                my_ranked=mine.row.ranked,
            )
        )
    return summaries


def _place_of(board: list[_Placed], user_id: int) -> _Placed | None:
    return next((placed for placed in board if placed.user_id == user_id), None)


def league_by_code(session: Session, code: str) -> tuple[int, str] | None:
    """(id, name) of the league an invite code opens, for the join page's preview."""
    league = _by_code(session, code)
    return None if league is None or league.id is None else (league.id, league.name)


def _by_code(session: Session, code: str) -> League | None:
    wanted = league_rules.normalise_code(code) if storable(code) else ""
    if not wanted or len(wanted) > league_rules.INVITE_LENGTH:
        return None
    stmt = select(League).where(League.invite_code == wanted)
    return session.execute(stmt).scalar_one_or_none()


# --- creating, joining, leaving -------------------------------------------------------------


def _checked(call: Any, *args: Any) -> Any:
    """A domain settings check, its SettingsError as a 422 naming the field."""
    try:
        return call(*args)
    except SettingsError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc


def _unused_code(session: Session) -> str:
    for _ in range(CODE_ATTEMPTS):
        code = league_rules.new_invite_code()
        if _by_code(session, code) is None:
            return code
    raise Conflict("Could not make a unique invite code; try again.")  # pragma: no cover


def _apply(league: League, settings: LeagueSettings) -> None:
    league.markets = ",".join(settings.markets)
    league.shortest_price = settings.shortest_price
    league.longest_price = settings.longest_price
    league.daily_cap = settings.daily_cap
    league.min_ranked = settings.min_ranked
    league.ranking = settings.ranking


def create_league(
    session: Session,
    user_id: int,
    name: str,
    description: str = "",
    settings: dict[str, Any] | None = None,
    *,
    now: datetime,
) -> LeagueDetail:
    """A new league owned by the player, who is its first member."""
    clean_name = _checked(league_rules.clean_name, name)
    clean_description = _checked(league_rules.clean_description, description)
    checked = _checked(league_rules.check_settings, dict(settings or {}))
    league = League(
        name=clean_name,
        description=clean_description,
        owner_id=user_id,
        invite_code=_unused_code(session),
        created_at=now,
        updated_at=now,
    )
    _apply(league, checked)
    session.add(league)
    session.flush()
    assert league.id is not None
    session.add(LeagueMember(league_id=league.id, user_id=user_id, joined_at=now))
    session.flush()
    return _detail(session, league, user_id)


def join_league(
    session: Session, user_id: int, code: str, now: datetime, league_id: int | None = None
) -> LeagueDetail:
    """Join with an invite code (for `league_id` when given). An unknown league and a wrong
    code give the same 404, so a code cannot be probed league by league."""
    if league_id is not None and _is_member(session, league_id, user_id):
        raise Conflict(ALREADY_MEMBER)  # a member knows the league: nothing is revealed
    league = _by_code(session, code)
    if league is None or (league_id is not None and league.id != league_id):
        raise NotFound(WRONG_CODE)
    assert league.id is not None
    if _is_member(session, league.id, user_id):
        raise Conflict(ALREADY_MEMBER)
    try:
        with session.begin_nested():  # a double tap racing itself: the loser gets the 409
            session.add(LeagueMember(league_id=league.id, user_id=user_id, joined_at=now))
    except IntegrityError as exc:
        raise Conflict(ALREADY_MEMBER) from exc
    _changed(session, league)
    _repair_owner(session, league)
    return _detail(session, league, user_id)


def leave_league(session: Session, league_id: int, user_id: int) -> None:
    """Leave; the owner only once alone, and then the league goes. Picks are never touched."""
    league = _member_league(session, league_id, user_id)
    if league.owner_id == user_id:
        if _member_count(session, league_id) > 1:
            raise Conflict(OWNER_LEAVING)
        session.execute(delete(LeagueMember).where(LeagueMember.league_id == league_id))
        session.delete(league)
    else:
        session.execute(
            delete(LeagueMember).where(
                LeagueMember.league_id == league_id, LeagueMember.user_id == user_id
            )
        )
        _changed(session, league)
    session.flush()


def _member_by_name(session: Session, league_id: int, username: str) -> int:
    member = None
    if storable(username):
        stmt = (
            select(User.id)
            .join(LeagueMember, LeagueMember.user_id == User.id)
            .where(LeagueMember.league_id == league_id)
            .where(User.username_key == username_key(username))
        )
        member = session.execute(stmt).scalar_one_or_none()
    if member is None:
        raise NotFound(f"{username} is not a member of this league.")
    return int(member)


def remove_member(session: Session, league_id: int, owner_id: int, username: str) -> None:
    """The owner removes a member (never themself: they leave instead). Picks stay."""
    league = _owned_league(session, league_id, owner_id)
    member = _member_by_name(session, league_id, username)
    if member == owner_id:
        raise InvalidInput(
            "You cannot remove yourself; hand the league over or leave it.", field="username"
        )
    session.execute(
        delete(LeagueMember).where(
            LeagueMember.league_id == league_id, LeagueMember.user_id == member
        )
    )
    _changed(session, league)
    session.flush()


def rotate_code(session: Session, league_id: int, owner_id: int, now: datetime) -> str:
    """A new invite code; the old one (and every link carrying it) stops working."""
    league = _owned_league(session, league_id, owner_id)
    league.invite_code = _unused_code(session)
    league.updated_at = now
    session.flush()
    return league.invite_code


def transfer_ownership(
    session: Session, league_id: int, owner_id: int, username: str, now: datetime
) -> LeagueDetail:
    """Hand the league to another member (404 for anyone who is not one)."""
    league = _owned_league(session, league_id, owner_id)
    league.owner_id = _member_by_name(session, league_id, username)
    league.updated_at = now
    session.flush()
    return _detail(session, league, owner_id)


def update_league(
    session: Session, league_id: int, owner_id: int, changes: dict[str, Any], now: datetime
) -> LeagueDetail:
    """Change the name, the description and any setting: every value is checked before any is
    written (all or nothing); a 422 names the field at fault."""
    league = _owned_league(session, league_id, owner_id)
    changes = dict(changes)
    name = _checked(league_rules.clean_name, changes.pop("name", league.name))
    description = _checked(
        league_rules.clean_description, changes.pop("description", league.description)
    )
    settings = _checked(league_rules.check_settings, changes, _settings(league))
    league.name, league.description = name, description
    _apply(league, settings)
    league.updated_at = now
    _changed(session, league)
    session.flush()
    return _detail(session, league, owner_id)


def league_reminder(session: Session, league_id: int, owner_id: int) -> ReminderSettings | None:
    """The owner's daily reminder of the league (None: off). The URL is the owner's alone: a
    webhook address is a credential (whoever has it can post to the group's chat)."""
    return _reminder(_owned_league(session, league_id, owner_id))


def set_league_reminder(
    session: Session,
    league_id: int,
    owner_id: int,
    url: str | None,
    format: str | None = None,
    minutes: int | None = None,
    *,
    now: datetime,
    field_prefix: str = "reminder_",
) -> ReminderSettings | None:
    """The owner sets the reminder, or clears it with a blank URL; a bad value is a 422
    naming its field (`field_prefix` + url, format or minutes) and nothing is written."""
    league = _owned_league(session, league_id, owner_id)
    wanted = reminders.checked(url, format, minutes, field_prefix)
    league.reminder_url = wanted.url if wanted else None
    league.reminder_format = wanted.format if wanted else None
    league.reminder_minutes = wanted.minutes if wanted else None
    league.updated_at = now
    session.flush()
    return wanted


def change_league_reminder(
    session: Session, league_id: int, owner_id: int, changes: dict[str, Any], *, now: datetime
) -> ReminderSettings | None:
    """Apply the API's `reminder_url` / `reminder_format` / `reminder_minutes` (any of them)
    over the current reminder: a null or "" URL turns it off; format or minutes alone change
    a reminder that is on, and are a 422 while it is off (there is nothing to post to)."""
    current = league_reminder(session, league_id, owner_id)
    url = changes.get("reminder_url", current.url if current else None)
    if not url and "reminder_url" not in changes and changes:
        raise InvalidInput(
            "Give reminder_url (the webhook) to turn the reminder on.", field="reminder_url"
        )
    fmt = changes.get("reminder_format") or (current.format if current else None)
    minutes = changes.get("reminder_minutes")
    if minutes is None and current is not None:
        minutes = current.minutes
    return set_league_reminder(session, league_id, owner_id, url, fmt, minutes, now=now)


def _reminder(league: League) -> ReminderSettings | None:
    if not league.reminder_url:
        return None
    return ReminderSettings(
        url=league.reminder_url,
        format=league.reminder_format or DEFAULT_REMINDER_FORMAT,
        minutes=DEFAULT_REMINDER_MINUTES
        if league.reminder_minutes is None
        else league.reminder_minutes,
    )


def _changed(session: Session, league: League) -> None:
    """Give the league a new version stamp: its settings or members changed, so no cached board
    of it may be served again."""
    league.version = versions.new_stamp()
    session.flush()


# --- the board ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Member:
    user_id: int
    username: str
    name_key: str


def _members(session: Session, league_id: int) -> list[_Member]:
    rows = session.execute(
        select(User.id, User.username, User.username_key)
        .join(LeagueMember, LeagueMember.user_id == User.id)
        .where(LeagueMember.league_id == league_id)
    ).all()
    return [_Member(int(uid), name, key) for uid, name, key in rows]


# A pick as the board reads it: what the rules need, and what it won.
_BoardPick = tuple[CountablePick, float | None]


def _raw(column: Any) -> Any:
    """A timestamp column read as the driver returns it, without the ORM's conversion."""
    return type_coerce(column, NullType())


# Built once: a board reads every pick of its members (thousands) on each call.
_BOARD_PICKS = (
    select(
        Pick.id,
        Pick.user_id,
        Pick.market,
        Pick.price,
        Pick.status,
        _raw(Pick.created_at),
        _raw(Game.commence_time),
        Pick.result_units,
        Pick.clv,
    )
    .join(LeagueMember, LeagueMember.user_id == Pick.user_id)
    .join(Game, Game.id == Pick.game_id)
    .where(LeagueMember.league_id == bindparam("league_id"))
)


def _as_utc(value: datetime | str) -> datetime:
    """What `models.UTCDateTime` returns (aware UTC) from what the driver gave: SQLite's text
    (naive UTC, as SQLAlchemy wrote it) or PostgreSQL's aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _in_order(value: datetime | str) -> datetime:
    """A pick's `created_at` as the rules compare it: only with other picks' (the daily cap's
    order), so SQLite's naive UTC is left naive, saving a conversion per pick."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _board_picks(session: Session, league_id: int) -> tuple[list[_BoardPick], dict[int, float]]:
    """Every pick of the league's current members, with its game's tip-off: one query, in
    Core on the session's connection (plain rows: no entity is built), each game's tip-off
    converted once for all its picks. Also the CLV of those picks that have one, by id."""
    rows = session.connection().execute(_BOARD_PICKS, {"league_id": league_id}).all()
    tips: dict[Any, datetime] = {}
    picks = []
    values: dict[int, float] = {}
    for pick_id, user_id, market, price, status, created, raw_tip, units, clv in rows:
        tip = tips.get(raw_tip)
        if tip is None:
            tip = tips[raw_tip] = _as_utc(raw_tip)
        pick = CountablePick(pick_id, user_id, market, price, status, _in_order(created), tip)
        picks.append((pick, units))
        if clv is not None:
            values[pick_id] = float(clv)
    return picks, values


def _period_start(session: Session, period: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}", field="period")
    if period == "season":
        return season_start(session, now)
    return period_start(period, now, tz)


@dataclass(frozen=True)
class _Placed:
    user_id: int
    row: LeagueBoardRow


# Boards as last computed, by everything they depend on (`_board_key`). A board changes only
# when results are graded, a member's picks change, or the league's settings or members do,
# while it is read on every visit; computing one reads every pick of its members (thousands
# for a big league). Per process: each worker keeps its own, and every entry is checked
# against the database's versions on each read, so a stale board is never served.
BOARD_CACHE_SIZE = 1024
_boards: OrderedDict[tuple[Any, ...], list[_Placed]] = OrderedDict()
_boards_lock = threading.Lock()


def clear_board_cache() -> None:
    """Forget every cached board: for a process whose database was emptied under it (tests)."""
    with _boards_lock:
        _boards.clear()


def _board_key(
    session: Session, league: League, period: str, start: datetime | None, tz: ZoneInfo
) -> tuple[Any, ...]:
    """What a board is a function of: the league's version (settings, members), its members'
    pick versions, the results' board generation, the period's start and the time zone that
    decides slate days. Stamps are random (`services.versions`), so their sum changes whenever any
    of them does."""
    members, picks_version = session.execute(
        select(func.count(), func.coalesce(func.sum(User.picks_version), 0))
        .join(LeagueMember, LeagueMember.user_id == User.id)
        .where(LeagueMember.league_id == league.id)
    ).one()
    return (
        str(session.get_bind().url),
        league.id,
        league.invite_code,  # random: a league made again under a reused id differs
        league.version,
        int(members),  # a player deleted outright leaves without a version raised
        int(picks_version),
        board_generation(session),
        period,
        start,
        tz.key,
    )


def _board(
    session: Session, league: League, period: str, now: datetime, tz: ZoneInfo
) -> list[_Placed]:
    """Every member's row, ranked rows first (ties share a rank), then the not yet ranked:
    from the cache when nothing it depends on has changed."""
    assert league.id is not None
    start = _period_start(session, period, now, tz)
    key = _board_key(session, league, period, start, tz)
    with _boards_lock:
        cached = _boards.get(key)
        if cached is not None:
            _boards.move_to_end(key)
            return cached
    board = _computed_board(session, league, start, tz)
    with _boards_lock:
        _boards[key] = board
        while len(_boards) > BOARD_CACHE_SIZE:
            _boards.popitem(last=False)
    return board


def _computed_board(
    session: Session, league: League, start: datetime | None, tz: ZoneInfo
) -> list[_Placed]:
    assert league.id is not None
    settings = _settings(league)
    picks, values = _board_picks(session, league.id)
    reasons = league_rules.count_picks([pick for pick, _ in picks], settings.rules(), tz)
    graded: dict[int, list[_BoardPick]] = defaultdict(list)
    clvs: dict[int, list[float]] = defaultdict(list)
    for pick, units in picks:
        if reasons[pick.id] is not None:
            continue
        if pick.status in rules.WAGERED:
            graded[pick.user_id].append((pick, units))
        if _clv_counts(pick, values, start):
            clvs[pick.user_id].append(values[pick.id])
    rows = []
    for member in _members(session, league.id):
        mine = graded[member.user_id]
        mine.sort(key=lambda item: (item[0].commence_time, item[0].created_at, item[0].id))
        member_, row = _row(member, mine, start, settings)
        rows.append((member_, replace(row, clv=_average(clvs[member.user_id]))))
    return _ranked(rows, settings.ranking)


def _clv_counts(pick: CountablePick, values: dict[int, float], start: datetime | None) -> bool:
    """Whether a counted pick's CLV goes into its member's average on a board from `start`:
    one it has (known from the lock, graded or not), on a game of the period, not void."""
    in_period = start is None or pick.commence_time >= start
    return pick.id in values and in_period and pick.status != rules.VOID


def _average(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _row(
    member: _Member, graded: Sequence[_BoardPick], start: datetime | None, settings: LeagueSettings
) -> tuple[_Member, LeagueBoardRow]:
    """A member's row from their counted graded picks of all time, in tip-off order."""
    form = standings.form([pick.status for pick, _ in graded])
    period = [item for item in graded if start is None or item[0].commence_time >= start]
    units = sum(units or 0.0 for _, units in period)
    wagered = float(len(period))
    statuses = [pick.status for pick, _ in period]
    wins, losses, pushes = (statuses.count(s) for s in (rules.WIN, rules.LOSS, rules.PUSH))
    row = LeagueBoardRow(
        rank=None,
        ranked=standings.is_ranked(wins + losses + pushes, settings.min_ranked),
        username=member.username,
        total_units=units,
        total_wagered=wagered,
        roi=units / wagered if wagered > 0 else None,
        adjusted_roi=standings.adjusted_roi(units, wagered),
        wins=wins,
        losses=losses,
        pushes=pushes,
        streak=form.streak,
        last10=form.last10,
    )
    return member, row


def _ranked(rows: list[tuple[_Member, LeagueBoardRow]], ranking: str) -> list[_Placed]:
    def key(entry: tuple[_Member, LeagueBoardRow]) -> tuple:  # type: ignore[type-arg]
        member, row = entry
        return (
            not row.ranked,
            standings.board_sort_key(ranking, row.total_units, row.total_wagered, member.name_key),
        )

    placed: list[_Placed] = []
    previous: tuple | None = None  # type: ignore[type-arg]
    rank = 0
    for index, (member, row) in enumerate(sorted(rows, key=key)):
        if row.ranked:
            value = standings.rank_value(ranking, row.total_units, row.total_wagered)
            if value != previous:
                rank, previous = index + 1, value
            row = replace(row, rank=rank)
        placed.append(_Placed(member.user_id, row))
    return placed


def league_board(
    session: Session,
    league_id: int,
    user_id: int,
    period: str,
    now: datetime,
    tz: ZoneInfo,
    limit: int = 50,
    offset: int = 0,
) -> list[LeagueBoardRow]:
    """A page of the league's board for `period` (week, month, season or all)."""
    league = _member_league(session, league_id, user_id)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_LIMIT)
    return [placed.row for placed in _board(session, league, period, now, tz)][
        offset : offset + limit
    ]


def count_league_board(
    session: Session, league_id: int, user_id: int, period: str, now: datetime, tz: ZoneInfo
) -> int:
    """Rows `league_board` pages through: every current member, whatever the period."""
    _member_league(session, league_id, user_id)
    _period_start(session, period, now, tz)  # the same 422 for a bad period
    return _member_count(session, league_id)


# --- the league's picks -----------------------------------------------------------------------


def _visible_picks(
    session: Session, league: League, user_id: int, now: datetime, tz: ZoneInfo, lock_minutes: int
) -> list[LeaguePickRow]:
    """Current members' picks on locked games, and the caller's own on any game, newest tip
    first, each with whether it counts here (the rules see every pick of the day, visible or
    not: the cap is the first N a player made)."""
    assert league.id is not None
    stmt = (
        select(Pick, Game, User.username)
        .join(LeagueMember, LeagueMember.user_id == Pick.user_id)
        .join(Game, Game.id == Pick.game_id)
        .join(User, User.id == Pick.user_id)
        .where(LeagueMember.league_id == league.id)
        .order_by(Game.commence_time.desc(), User.username_key, Pick.market, Pick.id)
    )
    rows = session.execute(stmt).all()
    countable = [
        CountablePick(p.id, p.user_id, p.market, p.price, p.status, p.created_at, g.commence_time)
        for p, g, _ in rows
    ]
    reasons = league_rules.count_picks(countable, _settings(league).rules(), tz)
    return [
        LeaguePickRow(
            pick_id=int(pick.id),
            username=name,
            game_id=game.id,
            matchup=matchup(away=game.away_team, home=game.home_team),
            commence_time=game.commence_time,
            market=pick.market,
            selection=pick.selection,
            bookmaker=pick.bookmaker,
            price=pick.price,
            point=pick.point,
            status=pick.status,
            result_units=pick.result_units,
            # A void pick was refunded: it counts nowhere, whatever the rules say.
            counted=reasons[int(pick.id)] is None and pick.status != rules.VOID,
            not_counted_reason=reasons[int(pick.id)],
            close_bookmaker=pick.close_bookmaker,
            close_price=pick.close_price,
            close_point=pick.close_point,
            clv=shown_clv(pick.status, pick.clv),
        )
        for pick, game, name in rows
        if pick.user_id == user_id
        or not locks.is_open(game.status, game.commence_time, now, lock_minutes)
    ]


def league_picks(
    session: Session,
    league_id: int,
    user_id: int,
    now: datetime,
    limit: int = 100,
    offset: int = 0,
    *,
    tz: ZoneInfo | None = None,
    lock_minutes: int | None = None,
) -> list[LeaguePickRow]:
    """A page of the picks a member may see: others' once their game has locked (the rule
    `GET /api/games/{id}/picks` applies), the caller's own always. `tz` (slate days, for the
    daily cap) and `lock_minutes` default to the instance's settings."""
    league = _member_league(session, league_id, user_id)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_PICKS_PAGE)
    visible = _visible_picks(
        session, league, user_id, now, tz or app_settings.tz, _lock_minutes(lock_minutes)
    )
    return visible[offset : offset + limit]


def _lock_minutes(lock_minutes: int | None) -> int:
    return app_settings.lock_minutes if lock_minutes is None else lock_minutes


def league_picks_csv(
    session: Session,
    league_id: int,
    user_id: int,
    now: datetime,
    tz: ZoneInfo,
    *,
    lock_minutes: int | None = None,
) -> str:
    """Every pick `league_picks` would show, oldest game first, as CSV (`services.export`)."""
    league = _member_league(session, league_id, user_id)
    visible = _visible_picks(session, league, user_id, now, tz, _lock_minutes(lock_minutes))
    visible.sort(key=lambda r: (r.commence_time, r.username.lower(), r.market, r.pick_id))
    rows = (
        [
            export.tip_off(row.commence_time, tz),
            row.game_id,
            row.matchup,
            row.username,
            row.market,
            row.selection,
            row.bookmaker,
            row.price,
            row.point,
            row.status,
            row.result_units,
            row.counted,
            row.not_counted_reason,
            row.clv,
        ]
        for row in visible
    )
    return export.to_csv(export.LEAGUE_PICK_COLUMNS, rows)


def my_picks_csv(session: Session, user_id: int, tz: ZoneInfo) -> str:
    """All the caller's picks as CSV (`services.export.my_picks_csv`)."""
    return export.my_picks_csv(session, user_id, tz)
