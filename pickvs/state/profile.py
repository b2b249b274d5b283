"""The profile page's state: `/u/<username>` (any case), public.

Figures come from `services.profile`, formatted by `domain.display`. The recent picks are the
ones the viewer may see: a logged-in owner sees their open picks too, anyone else only picks
on games that have locked, so the viewer is re-verified (`_player`) on every read of them.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from urllib.parse import unquote

import reflex as rx
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain import clv as clv_rules
from pickvs.domain import display
from pickvs.domain.grading import WAGERED
from pickvs.domain.markets import MARKET_LABELS, TOTALS
from pickvs.services import auth
from pickvs.services import leaderboard as boards
from pickvs.services import leagues as league_service
from pickvs.services import profile as profiles
from pickvs.services.errors import NotFound
from pickvs.services.picks import PickView
from pickvs.state import clock, routes
from pickvs.state.auth import AuthState
from pickvs.state.leaderboard import tone
from pickvs.state.paging import Paging

PICKS_PAGE = 10
STATUS_LABELS = {"win": "Win", "loss": "Loss", "push": "Push", "void": "Void", "pending": "Open"}


@dataclasses.dataclass(frozen=True)
class RecordLine:
    """A record as shown: the player's overall one (label "All") or one market's."""

    label: str
    record: str  # "1-1-1"
    units: str  # "-0.44u"
    roi: str  # "-14.8%", "—" when nothing was wagered
    tone: str  # "up" / "down" / "level"


def record_line(label: str, record: profiles.Record) -> RecordLine:
    return RecordLine(
        label=label,
        record=display.format_record(record.wins, record.losses, record.pushes),
        units=display.format_units(record.units),
        roi=display.format_roi(record.roi),
        tone=tone(record.units),
    )


@dataclasses.dataclass(frozen=True)
class PickLine:
    day: str  # "Nov 19", the game's date in the league's time zone
    matchup: str  # "Milwaukee Bucks @ Boston Celtics"
    market: str  # "Moneyline"
    selection: str  # "Boston Celtics -4.5", "Over 227.5"
    price: str  # "-110"
    status: str  # "Win" / "Loss" / "Push" / "Void" / "Open"
    units: str  # "+0.56u", "—" while open or void
    tone: str  # "up" / "down" / "level" / "open"
    clv: str = "—"  # closing-line value once the game locked: "+2.3 pp"
    clv_tone: str = "level"  # "up" / "down" / "level"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def short_day(day: date) -> str:
    return f"{day:%b} {day.day}"


def username_from_path(path: str) -> str:
    """`/u/Alice/` -> "Alice"; "" for any other address."""
    head, _, name = path.strip("/").partition("/")
    return unquote(name) if head == "u" and "/" not in name else ""


def pick_line(view: PickView) -> PickLine:
    pick, game = view.pick, view.game
    point = display.format_point(pick.point, signed=pick.market != TOTALS)
    units = pick.result_units if pick.status in WAGERED else None
    return PickLine(
        day=short_day(game.commence_time.astimezone(settings.tz).date()),
        matchup=display.matchup(away=game.away_team, home=game.home_team),
        market=MARKET_LABELS.get(pick.market, pick.market),
        selection=f"{pick.selection} {point}".strip(),
        price=display.format_price(pick.price),
        status=STATUS_LABELS.get(pick.status, pick.status.title()),
        units=display.format_units(units),
        tone="open" if units is None else tone(units),
        clv=clv_rules.format_clv(clv_rules.shown_clv(pick.status, pick.clv)),
        clv_tone=clv_rules.clv_tone(clv_rules.shown_clv(pick.status, pick.clv)),
    )


def clv_texts(summary: profiles.ClvSummary) -> tuple[str, str, str]:
    """The profile's CLV figures in words: the average ("+1.2 pp"), the share of priced picks
    that beat the close ("60% of 25 picks") and the average's tone; dashes before any."""
    share = summary.beat_share
    if share is None:
        return "—", "—", "level"
    picks = "1 pick" if summary.picks == 1 else f"{summary.picks} picks"
    return (
        clv_rules.format_clv(summary.average),
        f"{share:.0%} of {picks}",
        clv_rules.clv_tone(summary.average),
    )


def league_entry(summary: league_service.LeagueSummary) -> dict[str, str]:
    """One of the player's leagues on their profile: name, link and their rank there."""
    if summary.my_ranked and summary.my_rank is not None:
        rank = ordinal(summary.my_rank)
    else:
        rank = "Not yet ranked"
    return {
        "name": summary.name,
        "href": routes.league(summary.id),
        "rank": rank,
        "members": "1 member" if summary.members == 1 else f"{summary.members} members",
    }


def chart_summary(points: list[profiles.UnitsPoint]) -> str:
    """The chart in words, for screen readers and for anyone who cannot read the chart."""
    if not points:
        return "No graded picks yet, so there is nothing to chart."
    values = [p["units"] for p in points]
    end, high, low = (display.format_units(v) for v in (values[-1], max(values), min(values)))
    first, last = (short_day(date.fromisoformat(p["day"])) for p in (points[0], points[-1]))
    days = "1 day" if len(points) == 1 else f"{len(points)} days"
    return (
        f"Units over {days} with graded picks, {first} to {last}: "
        f"{end} at the end, high {high}, low {low}."
    )


class ProfileState(AuthState):
    loaded: bool = False
    found: bool = False
    player_name: str = ""
    joined: str = ""
    overall: RecordLine = record_line("All", profiles.NO_RECORD)
    rank: str = ""
    chart: list[dict[str, str | float]] = []
    chart_summary: str = ""
    markets: list[RecordLine] = []
    picks: list[PickLine] = []
    picks_page: int = 1
    picks_pages: int = 1
    picks_total: int = 0
    own: bool = False  # the viewer's own profile: it offers "Log out everywhere"
    streak: str = "—"  # current form, all time: "W3", "L2"
    clv_average: str = "—"  # average closing-line value: "+1.2 pp"
    clv_beat: str = "—"  # share of priced picks that beat the close: "60% of 25 picks"
    clv_tone: str = "level"
    last10: str = "0-0-0"
    public_rank: bool = True  # PICKVS_PUBLIC_BOARD: off, no public rank is shown
    # The player's leagues with their rank there: on their own profile only (a league is
    # private; its name is not for visitors).
    leagues: list[dict[str, str]] = []
    _user_id: int | None = None

    @rx.event
    def load(self) -> None:
        """on_load: the player the address names; unknown names give the not-found view."""
        name = username_from_path(self.router.url.path)
        now, tz = clock.now(), settings.tz
        with db.session_scope() as session:
            viewer_id = self._viewer_id(session)  # first: a failed check resets this state
            try:
                found = profiles.profile(session, name, now, tz)
            except NotFound:
                self.reset()
                self.loaded = True
                return
            split = profiles.split_by_market(session, found.user_id)
            points = profiles.units_over_time(session, found.user_id, tz)
            form = boards.player_form(session, found.user_id)
            self._user_id = found.user_id
            self.own = viewer_id == found.user_id
            self.leagues = (
                [league_entry(s) for s in league_service.my_leagues(session, viewer_id, now, tz)]
                if self.own and viewer_id is not None
                else []
            )
            self._read_picks(session, viewer_id, page=1)
        joined = found.joined.astimezone(tz)
        self.found, self.player_name = True, found.username
        self.joined = f"{joined:%B} {joined.day}, {joined.year}"
        self.overall = record_line("All", found.record)
        self.clv_average, self.clv_beat, self.clv_tone = clv_texts(found.clv)
        self.public_rank = settings.public_board
        if not settings.public_board:
            self.rank = ""
        else:
            self.rank = (
                f"{ordinal(found.rank)} of {found.players}" if found.rank else "Not yet ranked"
            )
        self.streak, self.last10 = form.streak or "—", form.last10
        self.chart = [
            {"day": short_day(date.fromisoformat(p["day"])), "units": round(p["units"], 2)}
            for p in points
        ]
        self.chart_summary = chart_summary(points)
        self.markets = [record_line(m.label, m.record) for m in split]
        self.loaded = True

    @rx.event
    def turn_picks(self, step: int) -> rx.event.EventHandler | None:
        """Older (+1) or newer (-1) recent picks; the viewer is verified again."""
        page = self.picks_page + step
        if self._user_id is None or not 1 <= page <= self.picks_pages:
            return None
        with db.session_scope() as session:
            viewer_id = self._viewer_id(session)
            if self._user_id is None:  # the token no longer holds: signed out, state reset
                return ProfileState.load  # show the page again as a visitor sees it
            self._read_picks(session, viewer_id, page)
        return None

    @rx.event
    def download_picks(self) -> rx.event.EventSpec | None:
        """Own profile: every one of the player's picks as CSV, handed to the browser as a
        download (no URL to carry the token)."""
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            if player.id is None or player.id != self._user_id:
                return None
            text = league_service.my_picks_csv(session, player.id, settings.tz)
            name = f"pickvs-{player.username}-picks.csv"
        return rx.download(data=text, filename=name, mime_type="text/csv")

    @rx.event
    def logout_everywhere(self) -> rx.event.EventSpec | None:
        """End every session of the viewer, on their own profile only, then log this tab out."""
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            if self._user_id is None or player.id != self._user_id:
                return None
            auth.end_all_sessions(session, self.token, clock.now())
        self._sign_out()
        return rx.redirect(routes.LOGIN)

    def _viewer_id(self, session: Session) -> int | None:
        """The verified viewer's id; None for a visitor (or an expired token, now signed out)."""
        if not self.token:
            return None
        player = self._player(session)
        return None if player is None else player.id

    def _read_picks(self, session: Session, viewer_id: int | None, page: int) -> None:
        assert self._user_id is not None
        now, lock = clock.now(), settings.lock_minutes
        total = profiles.count_recent_picks(session, self._user_id, viewer_id, now, lock)
        paging = Paging.of(total, PICKS_PAGE, page)
        views = profiles.recent_picks(
            session, self._user_id, viewer_id, now, lock, PICKS_PAGE, paging.offset
        )
        self.picks = [pick_line(view) for view in views]
        self.picks_page, self.picks_pages, self.picks_total = paging.page, paging.pages, total
