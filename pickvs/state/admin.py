"""The admin page: job runs and run-now, the credit ledger, data issues, settle and void.

A page guard is not data protection: every handler re-verifies, on a fresh User, that the
player is (still) an admin (`_admin`), and refuses anyone else without reading or changing
anything: visitors and expired tokens go to log in, other players to the not-found page.
The lists are pages of rows of text (`admin_rows`); settling and voiding regrade in the service.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain import display
from pickvs.jobs import manual
from pickvs.models import User
from pickvs.services import admin
from pickvs.services.errors import ServiceError
from pickvs.services.games import get_game
from pickvs.state import admin_rows, clock, routes
from pickvs.state.admin_rows import SECTIONS, Row
from pickvs.state.auth import AuthState
from pickvs.state.forms import FormErrors
from pickvs.state.paging import Paging

# In the order the game's name gives the teams (away @ home): the form's boxes, top first.
SCORE_FIELDS = ("away_score", "home_score")


class AdminState(FormErrors, AuthState):
    rows: dict[str, list[Row]] = {name: [] for name in SECTIONS}
    offsets: dict[str, int] = dict.fromkeys(SECTIONS, 0)
    pages: dict[str, str] = dict.fromkeys(SECTIONS, "")  # where each list is (`Paging.rows_label`)
    has_prev: dict[str, bool] = dict.fromkeys(SECTIONS, False)
    has_next: dict[str, bool] = dict.fromkeys(SECTIONS, False)
    credits: Row = {}
    credits_percent: int = 0
    plan: list[Row] = []  # today's planned paid calls (`admin_rows.plan`)
    plan_summary: str = ""
    plan_projected: str = ""
    exhausted: bool = False
    running: str = ""  # the job this tab is running, "" when none
    job_notice: str = ""
    job_outcome: str = ""
    settle_key: str = ""  # the `key` of the game row whose result form is open
    notice: str = ""  # what the last settlement or void did
    notice_failed: bool = False

    @rx.var
    def league_tz(self) -> str:
        return settings.timezone

    # --- the check every handler makes first ------------------------------------------------

    def _admin(self, session: Session) -> User | None:
        """The verified admin behind the token, read now on `session`; else None, with this
        page's data wiped (`_player` has already logged out an expired or forged token)."""
        player = self._player(session)
        if player is not None and player.is_admin:
            return player
        self.reset()
        return None

    def _refused(self) -> rx.event.EventSpec:
        """Visitors log in (and come back); players who are not admins get the not-found page."""
        return self._relogin() if not self.token else rx.redirect(routes.NOT_FOUND, replace=True)

    # --- handlers -----------------------------------------------------------------------------

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            if self._admin(session) is None:
                return self._refused()
            self.offsets = dict.fromkeys(SECTIONS, 0)
            self.notice = self.job_notice = self.settle_key = ""
            self._refresh(session)
        return None

    @rx.event
    def turn(self, section: str, forward: bool) -> rx.event.EventSpec | None:
        """The next (`forward`) or previous page of one list."""
        with db.session_scope() as session:
            if self._admin(session) is None:
                return self._refused()
            if section in SECTIONS:
                step = SECTIONS[section] if forward is True else -SECTIONS[section]
                self.offsets[section] = max(0, self.offsets[section] + step)
                self._refresh(session, (section,))
        return None

    @rx.event
    async def run_job(self, name: str) -> AsyncIterator[rx.event.EventSpec | None]:
        """Run a job now. It blocks, so it runs in a thread and the event loop serves everyone
        else meanwhile; the admin is verified first, here, not in the thread."""
        with db.session_scope() as session:
            allowed = self._admin(session) is not None
        if not allowed:
            yield self._refused()
            return
        if name not in manual.MANUAL_JOBS or self.running:
            return
        self.running, self.job_notice = name, ""
        yield None  # the buttons show the run in progress
        try:
            run = await asyncio.to_thread(manual.run_now, name, clock.get_clock())
        finally:
            self.running = ""
        self.job_outcome = run.outcome
        self.job_notice = f"{name}: {run.outcome}. {run.error or run.detail or ''}".strip()
        with db.session_scope() as session:
            self._refresh(session)

    @rx.event
    def open_settle(self, key: str, is_open: bool) -> rx.event.EventSpec | None:
        """Open (or close) the result form of one game row."""
        self._clear_error()
        if not is_open:
            self.settle_key = ""
            return None
        with db.session_scope() as session:
            if self._admin(session) is None:
                return self._refused()
        self.settle_key = key
        return None

    @rx.event
    def settle(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec] | None:
        """Record the final score typed in the open form; the service regrades at once."""
        self._clear_error()
        self.notice, game_id = "", self.settle_key.partition(":")[2]
        away, home = (admin_rows.score_input(form_data.get(name)) for name in SCORE_FIELDS)
        try:
            with db.session_scope() as session:
                player = self._admin(session)
                if player is None:
                    return [self._refused()]
                by, now = player.username, clock.now()
                report = admin.settle(session, game_id, home, away, by, now)  # type: ignore[arg-type]
                label = admin_rows.matchup(get_game(session, game_id))
        except ServiceError as exc:
            field = admin_rows.score_field(exc, SCORE_FIELDS)
            self._show_error(exc, field, SCORE_FIELDS)
            # By its id, not `rx.set_focus`: the form is drawn once per game row (rx.foreach),
            # where refs share one name. `field` is one of SCORE_FIELDS.
            return [rx.call_script(f"document.getElementById('{field}')?.focus()")]
        graded = admin_rows.plural(report.picks_graded, "pick")
        score = display.score_line(away=away, home=home)  # type: ignore[arg-type]
        self._done(f"Settled {label} {score}: {graded} graded")
        return None

    @rx.event
    def void(self, game_id: str) -> rx.event.EventSpec | None:
        """Call a game off: every pick on it is refunded (the service regrades)."""
        self.notice, game_id = "", str(game_id)
        try:
            with db.session_scope() as session:
                player = self._admin(session)
                if player is None:
                    return self._refused()
                report = admin.void(session, game_id, player.username, clock.now())
                label = admin_rows.matchup(get_game(session, game_id))
        except ServiceError as exc:
            self.notice, self.notice_failed = exc.message, True
            return None
        self._done(f"Voided {label}: {admin_rows.plural(report.picks_graded, 'pick')} refunded")
        return None

    # --- helpers ------------------------------------------------------------------------------

    def _done(self, message: str) -> None:
        """After a committed settlement or void: say what it did, show the games again."""
        self.notice, self.notice_failed, self.settle_key = message, False, ""
        with db.session_scope() as session:
            self._refresh(session, ("settle", "games"))

    def _refresh(self, session: Session, names: tuple[str, ...] = tuple(SECTIONS)) -> None:
        """Re-read `names` (a page that emptied steps back) and the credit figures."""
        now = clock.now()
        for name in names:
            total = admin_rows.count(session, name, now)
            paging = Paging.at_offset(total, SECTIONS[name], self.offsets[name])
            self.offsets[name] = paging.offset
            self.rows[name] = admin_rows.rows(session, name, now, paging.offset)
            self.pages[name] = paging.rows_label
            self.has_prev[name], self.has_next[name] = paging.has_prev, paging.has_next
        self.credits, self.credits_percent, self.exhausted = admin_rows.credits(session, now)
        self.plan_summary, self.plan_projected, self.plan = admin_rows.plan(session, now)
