"""The slate page's state: the coming days' games, the player's picks, and the pick buttons.

The views come from `services.slate.slate_page` (see slate_views.py); other players' picks reach
the state only for games that have locked. Each action re-verifies the player and calls the picks
service. The player's own picks live apart from the cards, in `picked` (side key -> pick id), so a
pick that goes through changes that small map and the notice, and the update sent to the browser
stays a few hundred bytes however big the slate is; a refused one reloads the whole slate, since
the refusal usually means the slate moved (a game locked, a line changed, another tab picked).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import reflex as rx

from pickvs import db
from pickvs.config import settings
from pickvs.domain.display import book_name
from pickvs.domain.markets import MARKET_LABELS, SIDES
from pickvs.domain.slate import slate_day
from pickvs.models import Pick
from pickvs.services import picks, slate
from pickvs.services.errors import BatchRejected, ServiceError
from pickvs.services.picks import PickPolicy, PickRequest
from pickvs.state import clock, live, routes
from pickvs.state.auth import AuthState
from pickvs.state.nav import NavState
from pickvs.state.slate_views import (
    DayView,
    line_text,
    picked_sides,
    side_key,
    slate_days,
    tip_time,
)

SLATE_DAYS = 3  # today's slate and the next two
# An open slate starts re-reading this long before the next lock, so the game that locks goes
# live on the page (everyone's picks, then its score) without a reload.
WATCH_BEFORE_LOCK = timedelta(minutes=15)
# How long a slate read into a cold load's snapshot stands in for the page's on_load read,
# which normally follows it within milliseconds. Longer means the on_load chain was cut short
# (the player moved on at once) and the tab is now coming back: it reads again.
SNAPSHOT_STANDS = timedelta(seconds=5)


def refusal(exc: ServiceError) -> str:
    """The service's own words; for a one-pick batch, the pick's reason without the preamble."""
    if isinstance(exc, BatchRejected) and len(exc.errors) == 1:
        return exc.errors[0][1].message
    return exc.message


class SlateState(AuthState):
    days: list[DayView] = []
    # The player's picks on the cards shown: `SideView.key` -> pick id (absent: not picked).
    picked: dict[str, int] = {}
    loaded: bool = False
    next_lock_at: str = ""  # ISO 8601 (UTC) of the soonest lock, for the client-side countdown
    next_lock_tip: str = ""  # the same instant as "7:30 PM EST"
    # One message at a time, shown on the card of `notice_game`.
    notice: str = ""
    notice_game: str = ""
    notice_is_error: bool = False
    # Re-reading while games are in play (pickvs/state/live.py): the watcher's generation,
    # the ids of the games shown and the fingerprint they were read at.
    _watch: int = 0
    _ids: list[str] = []
    _seen: str = ""
    # Today's open games the player has not picked, read with the slate (their count is the
    # navbar's NavState.unpicked), and the ids of today's games on the slate, so a pick or a
    # withdrawal moves the count without counting again.
    _unpicked_ids: list[str] = []
    _today_ids: list[str] = []
    # A cold load's hydration reads the slate into its snapshot (AuthState.dict); when it did
    # (`_snapshot_at`), the page's on_load, next in the same chain, does not read it again.
    _snapshot_route: ClassVar[str | None] = routes.SLATE
    _snapshot_at: datetime | None = None

    def _snapshot_load(self) -> None:
        """Runs on the event loop, inside Reflex's hydrate (a sync hook): one slate read per
        cold load, the same one the on_load would have made in a worker thread."""
        self._snapshot_at = clock.now() if self._reload() is None else None

    @rx.var
    def lock_rule(self) -> str:
        minutes = settings.lock_minutes
        return (
            f"Picks close {minutes} minutes before tip-off."
            if minutes
            else "Picks close at tip-off."
        )

    # The handlers are async and do their database work in a worker thread: Reflex runs a plain
    # (sync) handler on the server's event loop, so one player's queries would hold up every
    # other player's events and socket traffic. This event still holds this tab's state lock
    # while it waits, so nothing else touches the state meanwhile.

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        event = await asyncio.to_thread(self._load)
        await self._share_unpicked()
        return event

    async def _share_unpicked(self) -> None:
        """Hand the unpicked count read with the slate to the navbar's state: one unit of
        work and one event for both, not a second round trip to count again."""
        if self.loaded:  # the ids were read with the slate
            nav = await self.get_state(NavState)
            if nav.unpicked != len(self._unpicked_ids):
                nav.unpicked = len(self._unpicked_ids)

    @rx.event(background=True)
    async def watch(self) -> None:
        """While a game on the slate is in play, re-read it every few seconds (see live.py)."""
        await live.watch(self, after=SlateState._share_unpicked)

    @rx.event
    async def choose(
        self, game_id: str, market: str, selection: str, pick_id: int = 0
    ) -> rx.event.EventSpec | None:
        """Pick a side (or switch to it); with the player's `pick_id` on it, withdraw that pick."""
        event = await asyncio.to_thread(self._choose, game_id, market, selection, pick_id)
        await self._share_unpicked()
        return event

    def _load(self) -> rx.event.EventSpec | None:
        """The slate page's on_load, its own guard too: the slate is the page most loads land
        on, and each event in the on_load chain is a step a cold load waits for, so this one
        verifies the token once (in `_reload`) instead of after `require_login` did. A visitor
        who is not logged in goes to log in, as the guard would send them."""
        if not self.token:
            return self._to_login()
        self.notice, self.notice_game = "", ""
        if not self._snapshot_stands() and self._reload() is not None:
            return self._to_login()
        return SlateState.watch if self._worth_watching() else None

    def _snapshot_stands(self) -> bool:
        """Whether this tab's snapshot has just read the slate (once: it is used up here)."""
        taken, self._snapshot_at = self._snapshot_at, None
        return taken is not None and clock.now() - taken <= SNAPSHOT_STANDS

    def _to_login(self) -> rx.event.EventSpec:
        return rx.redirect(routes.with_next(routes.LOGIN, self._current_path()), replace=True)

    def _worth_watching(self) -> bool:
        """A game on the slate is in play, or one locks soon (its card then goes live)."""
        if any(card.in_play for day in self.days for card in day.cards):
            return True
        if not self.next_lock_at:
            return False
        lock = datetime.fromisoformat(self.next_lock_at)
        return lock - clock.now() <= WATCH_BEFORE_LOCK

    def _tick(self) -> bool:
        """The watcher's step: re-read if the slate's games changed; whether any is in play."""
        with db.session_scope() as session:
            if self._player(session) is None:
                return False  # logged out: the state was reset, nothing to watch
            seen = slate.fingerprint(session, self._ids, clock.now(), settings.lock_minutes)
        if seen != self._seen:
            self._reload(seen)
        return self._worth_watching()

    def _choose(
        self, game_id: str, market: str, selection: str, pick_id: int
    ) -> rx.event.EventSpec | None:
        game_id, market, selection = str(game_id), str(market), str(selection)
        pick_id = pick_id if isinstance(pick_id, int) and not isinstance(pick_id, bool) else 0
        now, label = clock.now(), MARKET_LABELS.get(market, market).lower()
        had_pick = self._has_pick(game_id)
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                if pick_id > 0:
                    picks.withdraw_pick(session, player, pick_id, now, settings.lock_minutes)
                    message = f"Withdrew your {label} pick on {selection}."
                    self._forget(pick_id)
                else:
                    policy = PickPolicy(settings.lock_minutes, tuple(settings.bookmakers))
                    request = PickRequest(game_id, market, selection)
                    saved = picks.submit_picks(session, player, [request], now, policy)[0]
                    line = line_text(saved.market, saved.point, saved.price)
                    message = (
                        f"Picked {saved.selection} {label} {line} ({book_name(saved.bookmaker)})."
                    )
                    self._remember(saved)
                refused = False
            except ServiceError as exc:
                session.rollback()
                message, refused = refusal(exc), True
        self.notice, self.notice_game, self.notice_is_error = message, game_id, refused
        if refused:
            return self._reload()
        if self._has_pick(game_id) != had_pick:
            self._follow_unpicked(game_id, picked=not had_pick)
        return None

    def _follow_unpicked(self, game_id: str, picked: bool) -> None:
        """A game gained its first pick (it leaves today's unpicked games) or lost its last
        (a game of today that could be withdrawn from is open, with lines: it is back)."""
        ids = set(self._unpicked_ids)
        if picked:
            ids.discard(game_id)
        elif game_id in self._today_ids:
            ids.add(game_id)
        self._unpicked_ids = sorted(ids)

    def _has_pick(self, game_id: str) -> bool:
        return any(key.startswith(f"{game_id}/") for key in self.picked)

    def _remember(self, pick: Pick) -> None:
        """Show `pick` pressed, and the other side of its market (if it was the pick) not."""
        others = {side_key(pick.game_id, pick.market, s) for s in SIDES}
        kept = {key: pid for key, pid in self.picked.items() if key not in others}
        self.picked = {**kept, side_key(pick.game_id, pick.market, pick.side): pick.id or 0}

    def _forget(self, pick_id: int) -> None:
        self.picked = {key: pid for key, pid in self.picked.items() if pid != pick_id}

    def _reload(self, seen: str | None = None) -> rx.event.EventSpec | None:
        """Read the slate again. `seen`: the fingerprint the watcher just read, reused when
        the slate still holds the same games (one query fewer per re-read)."""
        now = clock.now()
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            page = slate.slate_page(
                session,
                player,
                now,
                settings.tz,
                lock_minutes=settings.lock_minutes,
                bookmakers=tuple(settings.bookmakers),
                days=SLATE_DAYS,
            )
            ids = [card.game.id for card in page.cards]
            if seen is None or ids != self._ids:
                seen = slate.fingerprint(session, ids, now, settings.lock_minutes)
            self._seen = seen
            unpicked = slate.unpicked_today_ids(
                session, player, now, settings.tz, lock_minutes=settings.lock_minutes
            )
        self._ids = ids
        today = slate_day(now, settings.tz)
        self._today_ids = [card.game.id for card in page.cards if card.slate_day == today]
        self._unpicked_ids = sorted(unpicked)
        # Assigned only when different: an unchanged slate sends nothing to the browser.
        _assign(self, "days", slate_days(page, now))
        _assign(self, "picked", picked_sides(page.cards))
        lock = page.next_lock
        _assign(self, "next_lock_at", lock.astimezone(UTC).isoformat() if lock else "")
        _assign(self, "next_lock_tip", tip_time(lock) if lock else "")
        _assign(self, "loaded", True)
        return None


def _assign(state: rx.State, name: str, value: object) -> None:
    """Set a var only if its value changes, so a re-read that found nothing new sends no
    update (every assignment marks a var dirty, equal or not)."""
    if getattr(state, name) != value:
        setattr(state, name, value)
