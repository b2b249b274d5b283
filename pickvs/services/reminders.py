"""Reminder settings (per league and per instance) and the day's reminders that are due.

A league's reminder is set by its owner (`services.leagues.set_league_reminder`, where the
owner rule lives); the instance's by an admin, kept in `app_setting`. The job
(`jobs.reminders`) asks `due_reminders` each minute for the posts whose time has come and that
no worker has claimed yet, then claims and posts them. Rules (when, who, what) are
`domain.reminders`; this module reads the games, members and picks they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlmodel import Session

from pickvs.domain import reminders as rules
from pickvs.domain.reminders import Post, ReminderError, ReminderSettings
from pickvs.domain.slate import slate_bounds, slate_day
from pickvs.models import AppSetting, Game, GameStatus, JobRun, League, LeagueMember, Pick, User
from pickvs.services.errors import Forbidden, InvalidInput

URL_KEY, FORMAT_KEY, MINUTES_KEY = "reminder.url", "reminder.format", "reminder.minutes"
INSTANCE_KEYS = (URL_KEY, FORMAT_KEY, MINUTES_KEY)
INSTANCE_JOB = "remind:instance"
INSTANCE_SCOPE = rules.INSTANCE_SCOPE
NOT_ADMIN = "Only an admin can change the instance's reminder."
# Games that still belong to the day: a called-off game takes no picks and locks nothing.
_PLAYED = (GameStatus.SCHEDULED, GameStatus.IN_PROGRESS, GameStatus.FINAL)


def league_job(league_id: int) -> str:
    """The job_run name of a league's reminder: one claimed slot per league and day."""
    return f"remind:league:{league_id}"


def checked(
    url: str | None, format: str | None, minutes: int | None, prefix: str = ""
) -> ReminderSettings | None:
    """`domain.reminders.check_settings`, its error as a 422 naming the field
    (`prefix` + url / format / minutes: the API's `reminder_url`, the form's `url`)."""
    try:
        return rules.check_settings(url, format, minutes)
    except ReminderError as exc:
        raise InvalidInput(exc.message, field=f"{prefix}{exc.field}") from exc


# --- the instance's reminder (app_setting) --------------------------------------------------


def instance_reminder(session: Session) -> ReminderSettings | None:
    """The instance's reminder, or None when off."""
    stored = {
        row.key: row.value
        for row in session.execute(
            select(AppSetting).where(AppSetting.key.in_(INSTANCE_KEYS))  # type: ignore[attr-defined]
        ).scalars()
    }
    url = stored.get(URL_KEY)
    if not url:
        return None
    minutes = stored.get(MINUTES_KEY, "")
    return ReminderSettings(
        url=url,
        format=stored.get(FORMAT_KEY) or rules.DEFAULT_FORMAT,
        minutes=int(minutes) if minutes.isdigit() else rules.DEFAULT_MINUTES,
    )


def set_instance_reminder(
    session: Session,
    admin_id: int,
    url: str | None,
    format: str | None,
    minutes: int | None,
    now: datetime,
    *,
    field_prefix: str = "",
) -> ReminderSettings | None:
    """An admin sets (or, with a blank URL, clears) the instance's reminder; a bad value is a
    422 naming its field (`field_prefix` + url, format or minutes)."""
    admin = session.get(User, admin_id)
    if admin is None or not admin.is_admin:
        raise Forbidden(NOT_ADMIN)
    wanted = checked(url, format, minutes, field_prefix)
    values = (
        {}
        if wanted is None
        else {URL_KEY: wanted.url, FORMAT_KEY: wanted.format, MINUTES_KEY: str(wanted.minutes)}
    )
    for key in INSTANCE_KEYS:
        row = session.get(AppSetting, key)
        if key not in values:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(AppSetting(key=key, value=values[key], updated_at=now))
        else:
            row.value, row.updated_at = values[key], now
    session.flush()
    return wanted


# --- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Someone who asked for a daily reminder: a league (its members) or the instance."""

    job: str
    scope: str  # the league's name, or "PickVs"
    league_id: int | None
    settings: ReminderSettings


@dataclass(frozen=True)
class DueReminder:
    """A post whose time has come today and that no worker has claimed."""

    target: Target
    slot: datetime  # the slate day's start (UTC): one post per target and day
    first_lock: datetime
    missing: tuple[str, ...]
    games: int
    text: str
    post: Post

    @property
    def url(self) -> str:
        return self.target.settings.url


@dataclass(frozen=True)
class _Day:
    slot: datetime
    game_ids: tuple[str, ...]
    first_lock: datetime | None


def _today(session: Session, now: datetime, tz: ZoneInfo, lock_minutes: int) -> _Day:
    start, end = slate_bounds(slate_day(now, tz), tz)
    rows = session.execute(
        select(Game.id, Game.commence_time).where(
            Game.commence_time >= start,
            Game.commence_time < end,
            Game.status.in_(_PLAYED),  # type: ignore[attr-defined]
        )
    ).all()
    return _Day(
        slot=start,
        game_ids=tuple(game_id for game_id, _ in rows),
        first_lock=rules.first_lock((tip for _, tip in rows), lock_minutes),
    )


def targets(session: Session) -> list[Target]:
    """Every configured reminder: leagues with a URL, by id, then the instance's."""
    found = [
        Target(
            job=league_job(int(league.id)),  # type: ignore[arg-type]
            scope=league.name,
            league_id=league.id,
            settings=ReminderSettings(
                url=league.reminder_url,
                format=league.reminder_format or rules.DEFAULT_FORMAT,
                minutes=rules.DEFAULT_MINUTES
                if league.reminder_minutes is None
                else league.reminder_minutes,
            ),
        )
        for league in session.execute(
            select(League).where(League.reminder_url.is_not(None)).order_by(League.id)  # type: ignore[union-attr]
        ).scalars()
        if league.reminder_url
    ]
    instance = instance_reminder(session)
    if instance is not None:
        found.append(Target(INSTANCE_JOB, INSTANCE_SCOPE, None, instance))
    return found


def _claimed(session: Session, jobs: Iterable[str], slot: datetime) -> set[str]:
    wanted = list(jobs)
    if not wanted:
        return set()
    stmt = select(JobRun.job).where(JobRun.job.in_(wanted), JobRun.slot == slot)  # type: ignore[attr-defined]
    return set(session.execute(stmt).scalars())


def due_reminders(
    session: Session, now: datetime, tz: ZoneInfo, lock_minutes: int = 0
) -> list[DueReminder]:
    """Today's posts whose time has come (`domain.reminders.is_due`) and whose slot no run has
    claimed yet, each with who has not picked and the text to send. Cheap when nothing is due:
    two small queries (today's games, the configured targets)."""
    day = _today(session, now, tz, lock_minutes)
    if day.first_lock is None:
        return []
    ready = [t for t in targets(session) if rules.is_due(day.first_lock, t.settings.minutes, now)]
    taken = _claimed(session, (t.job for t in ready), day.slot)
    due = []
    for target in ready:
        if target.job in taken:
            continue
        missing = tuple(_missing(session, target, day, now))
        text = rules.message(missing, len(day.game_ids), day.first_lock, tz)
        post = rules.payload(target.settings.format, rules.title(target.scope), text)
        due.append(
            DueReminder(target, day.slot, day.first_lock, missing, len(day.game_ids), text, post)
        )
    return due


def _picked_today(day: _Day) -> object:
    return exists().where(
        and_(Pick.user_id == User.id, Pick.game_id.in_(day.game_ids))  # type: ignore[attr-defined]
    )


def _missing(session: Session, target: Target, day: _Day, now: datetime) -> list[str]:
    """Who the post names: a league's members, or every player who picked in the last
    `ACTIVE_DAYS` days (the instance), without a pick on any of today's games."""
    if target.league_id is not None:
        players = (
            select(User.username)
            .join(LeagueMember, LeagueMember.user_id == User.id)
            .where(LeagueMember.league_id == target.league_id)
        )
    else:
        since = now - timedelta(days=rules.ACTIVE_DAYS)
        recent = exists().where(and_(Pick.user_id == User.id, Pick.created_at >= since))
        players = select(User.username).where(recent)
    names = session.execute(players.where(~_picked_today(day))).scalars()  # type: ignore[arg-type]
    return rules.not_picked(names, ())
