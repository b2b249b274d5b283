"""The reminder forms' state: a league's (its owner, on the league page) and the instance's
(an admin, on the admin page).

A webhook URL is a credential (whoever has it can post to the group's chat), so these states
are private (dropped when the player changes) and load the URL only for whoever may change it:
the league's owner, an admin. Everyone else gets `allowed` False and every var at its default.
Each handler re-verifies the player in the same unit of work; the rules are the services'.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any, ClassVar

import reflex as rx
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain import display
from pickvs.domain import reminders as rules
from pickvs.domain.reminders import ReminderSettings
from pickvs.jobs import reminders as reminder_job
from pickvs.models import League, User
from pickvs.services import jobruns, leagues
from pickvs.services import reminders as service
from pickvs.services.errors import InvalidInput, ServiceError
from pickvs.state import clock
from pickvs.state.auth import AuthState
from pickvs.state.forms import FormErrors
from pickvs.state.leagues import league_id_from_path

URL, FORMAT, MINUTES = "reminder_url", "reminder_format", "reminder_minutes"
FIELDS = (URL, FORMAT, MINUTES)
FORMAT_LABELS = {rules.JSON: "Discord / Slack (JSON)", rules.NTFY: "ntfy"}
OUTCOME_WORDS = {"ok": "posted", "failed": "failed", "skipped": "not needed (everyone had picked)"}


def form_values(form_data: Mapping[str, Any]) -> tuple[str, str, int | None]:
    """The form's (url, format, minutes); InvalidInput names minutes that are not a number
    (the service judges the values)."""
    url = str(form_data.get(URL) or "")
    fmt = str(form_data.get(FORMAT) or rules.DEFAULT_FORMAT)
    raw = str(form_data.get(MINUTES) or "").strip()
    if not raw:
        return url, fmt, None
    if not raw.isdigit() or len(raw) > 4:
        raise InvalidInput(
            f"Minutes before the first lock: a whole number from 0 to {rules.MAX_MINUTES}.",
            field=MINUTES,
        )
    return url, fmt, int(raw)


def summary(reminder: ReminderSettings | None) -> str:
    """The reminder in one line, as the form's owner reads it."""
    if reminder is None:
        return "Off. Add a webhook to post a daily reminder."
    label = FORMAT_LABELS.get(reminder.format, reminder.format)
    return (
        f"On: a {label} post {reminder.minutes} minutes before the day's first lock, naming "
        "who has not picked."
    )


def last_post(session: Session, job: str) -> str:
    """The latest day's post: when, and what came of it ("" before the first)."""
    runs = jobruns.recent_runs(session, limit=1, job=job)
    if not runs:
        return ""
    run = runs[0]
    when = display.league_time(run.started_at, settings.tz)
    words = OUTCOME_WORDS.get(run.outcome, run.outcome)
    return f"Last reminder {when}: {words}" + (f" ({run.error})" if run.error else "") + "."


class ReminderForm(rx.State, mixin=True):
    """What both forms show and do (a mixin: each form keeps its own vars); the classes say
    whose reminder it is."""

    _private: ClassVar[bool] = True

    loaded: bool = False
    allowed: bool = False
    url: str = ""
    format: str = rules.DEFAULT_FORMAT
    minutes: str = str(rules.DEFAULT_MINUTES)
    summary: str = ""
    last_post: str = ""
    notice: str = ""

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            player = self._player(session)
            self.reset()
            if player is None:
                return self._relogin()
            self._show(session, player)
        return None

    @rx.event
    def save(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec] | None:
        """Set the reminder (a blank URL turns it off); a problem is shown beside its field
        and nothing is written."""
        self._clear_error()
        self.notice = ""
        try:
            url, fmt, minutes = form_values(form_data)
        except InvalidInput as exc:
            return self._show_error(exc, URL, FIELDS)
        return self._write(url, fmt, minutes, "Reminder saved." if url.strip() else "Reminder off.")

    @rx.event
    async def send_test(self) -> AsyncIterator[rx.event.EventSpec | None]:
        """Post a test message to the saved webhook now. The post can take seconds, so it runs
        in a thread; the player is verified first, here."""
        self._clear_error()
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                yield self._relogin()
                return
            try:
                reminder = self._read(session, player)
            except ServiceError as exc:
                self.notice = exc.message
                return
            scope = self._scope(session)
        if reminder is None:
            self.notice = "Save a webhook URL first."
            return
        self.notice = "Sending a test post…"
        yield None
        self.notice = await asyncio.to_thread(
            reminder_job.send_test,
            reminder.url,
            reminder.format,
            scope,
            league=isinstance(self, LeagueReminderState),
        )

    @rx.event
    def turn_off(self) -> list[rx.event.EventSpec] | None:
        self._clear_error()
        events = self._write("", None, None, "Reminder off.")
        return [*(events or []), rx.set_value(URL, "")]

    # --- for subclasses ---------------------------------------------------------------------

    def _read(self, session: Session, player: User) -> ReminderSettings | None:
        raise NotImplementedError

    def _store(
        self, session: Session, player: User, url: str, fmt: str | None, minutes: int | None
    ) -> None:
        raise NotImplementedError

    def _job(self) -> str:
        raise NotImplementedError

    def _scope(self, session: Session) -> str:
        """What the post's title names: the league, or the instance."""
        return service.INSTANCE_SCOPE

    # --- helpers ----------------------------------------------------------------------------

    def _show(self, session: Session, player: User) -> None:
        """The reminder, for a player who may change it; else nothing but `loaded`."""
        try:
            reminder = self._read(session, player)
        except ServiceError:
            self.loaded = True
            return
        self.allowed, self.loaded = True, True
        self.url = reminder.url if reminder else ""
        self.format = reminder.format if reminder else rules.DEFAULT_FORMAT
        self.minutes = str(reminder.minutes if reminder else rules.DEFAULT_MINUTES)
        self.summary = summary(reminder)
        self.last_post = last_post(session, self._job())

    def _write(
        self, url: str, fmt: str | None, minutes: int | None, done: str
    ) -> list[rx.event.EventSpec] | None:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return [self._relogin()]
            try:
                self._store(session, player, url, fmt, minutes)
            except ServiceError as exc:
                session.rollback()
                if exc.field in FIELDS:
                    return self._show_error(exc, URL, FIELDS)
                self.reset()  # no longer the owner / an admin: show nothing
                self.loaded, self.notice = True, exc.message
                return None
            self._show(session, player)
        self.notice = done
        return None


class LeagueReminderState(ReminderForm, FormErrors, AuthState):
    """The league page's owner tool: the league is the one the address names."""

    def _league_id(self) -> int:
        return league_id_from_path(self.router.url.path) or 0

    def _read(self, session: Session, player: User) -> ReminderSettings | None:
        return leagues.league_reminder(session, self._league_id(), _id(player))

    def _store(
        self, session: Session, player: User, url: str, fmt: str | None, minutes: int | None
    ) -> None:
        leagues.set_league_reminder(
            session, self._league_id(), _id(player), url, fmt, minutes, now=clock.now()
        )

    def _job(self) -> str:
        return service.league_job(self._league_id())

    def _scope(self, session: Session) -> str:
        league = session.get(League, self._league_id())
        return league.name if league is not None else service.INSTANCE_SCOPE


class InstanceReminderState(ReminderForm, FormErrors, AuthState):
    """The admin page's form: one reminder for every recently active player."""

    def _read(self, session: Session, player: User) -> ReminderSettings | None:
        if not player.is_admin:
            raise ServiceError(service.NOT_ADMIN)
        return service.instance_reminder(session)

    def _store(
        self, session: Session, player: User, url: str, fmt: str | None, minutes: int | None
    ) -> None:
        service.set_instance_reminder(
            session, _id(player), url, fmt, minutes, clock.now(), field_prefix="reminder_"
        )

    def _job(self) -> str:
        return service.INSTANCE_JOB


def _id(player: User) -> int:
    assert player.id is not None
    return player.id
