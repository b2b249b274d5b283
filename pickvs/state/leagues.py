"""The league pages' state: `/leagues` (mine, create, join by code), `/leagues/<id>` (board,
members, settings, invite link, locked picks, CSV) and `/join/<code>` (preview and join).

Everything here is private: a state var reaches the browser, so these states keep AuthState's
`_private = True` and are reset whenever the verified player changes. What they load is what
`services.leagues` lets the verified player see, and nothing more: the invite code only when
`LeagueDetail.invite_code` carries it (the owner's), picks only as `league_picks` returns them
(locked games, plus the player's own), and a non-member gets the error message with every data
var at its default. Every handler re-verifies the player (`_player`) in the same unit of work.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import reflex as rx
from sqlmodel import Session

from pickvs import db
from pickvs.config import settings
from pickvs.domain import display
from pickvs.domain.clv import clv_tone, format_clv
from pickvs.domain.markets import MARKET_LABELS, MARKETS, TOTALS
from pickvs.models import User
from pickvs.services import leagues
from pickvs.services.errors import InvalidInput, ServiceError
from pickvs.state import clock, routes
from pickvs.state.auth import AuthState
from pickvs.state.forms import FormErrors
from pickvs.state.leaderboard import format_wagered, tone
from pickvs.state.profile import ordinal

PERIODS = ("week", "month", "season", "all")
DEFAULT_PERIOD = "all"
PERIOD_LABELS = {"week": "Week", "month": "Month", "season": "Season", "all": "All time"}
RANKING_LABELS = {"units": "units", "roi": "ROI", "adjusted_roi": "sample-adjusted ROI"}
REASON_LABELS = {
    "price": "not counted — price window",
    "daily_cap": "not counted — daily cap",
    "market": "not counted — market",
}
STATUS_LABELS = {"win": "Win", "loss": "Loss", "push": "Push", "void": "Void", "pending": "Open"}
SETTINGS_FIELDS = (
    "name",
    "description",
    "markets",
    "shortest_price",
    "longest_price",
    "daily_cap",
    "min_ranked",
    "ranking",
)
CREATE_FIELDS = ("name", "description")
CREATE_REQUIRED = {"name": "Give the league a name."}
JOIN_REQUIRED = {"code": "Enter the invite code."}
BOARD_LIMIT = 200  # a league has at most ~60 members: the whole board, one page
PICKS_LIMIT = 100
MINUS = "\N{MINUS SIGN}"


def league_id_from_path(path: str) -> int | None:
    """`/leagues/12/` -> 12; None for anything else (not a positive whole number)."""
    head, _, rest = path.strip("/").partition("/")
    if head != "leagues" or not rest.isdigit() or len(rest) > 12:
        return None
    return int(rest) or None


def code_from_path(path: str) -> str:
    """`/join/ABCD-2345/` -> "ABCD-2345"; "" for any other address."""
    head, _, code = path.strip("/").partition("/")
    return unquote(code) if head == "join" and "/" not in code else ""


def price_words(price: int) -> str:
    """A price in a sentence, written as every page writes prices: "-300", "+400"."""
    return display.format_price(price)


def window_words(shortest: int | None, longest: int | None) -> str:
    if shortest is None and longest is None:
        return "Any price counts"
    if longest is None:
        return f"Prices no shorter than {price_words(shortest or 0)}"
    if shortest is None:
        return f"Prices no longer than {price_words(longest)}"
    return f"Prices from {price_words(shortest)} to {price_words(longest)}"


def cap_words(cap: int | None) -> str:
    if cap is None:
        return "Every pick counts (no daily cap)"
    if cap == 1:
        return "First pick per day counts"
    return f"First {cap} picks per day count"


def minimum_words(minimum: int) -> str:
    if minimum <= 1:
        return "Ranked from the first graded pick"
    return f"Ranked after {minimum} graded picks"


def settings_in_words(rules: leagues.LeagueSettings) -> list[str]:
    """The league's rules as members read them, one line each."""
    markets = ", ".join(MARKET_LABELS.get(m, m).lower() for m in MARKETS if m in rules.markets)
    return [
        f"Markets: {markets}",
        window_words(rules.shortest_price, rules.longest_price),
        cap_words(rules.daily_cap),
        minimum_words(rules.min_ranked),
        f"Ranked by {RANKING_LABELS.get(rules.ranking, rules.ranking)}",
    ]


FIELD_LABELS = {
    "shortest_price": "The shortest price",
    "longest_price": "the longest price",
    "daily_cap": "Counted picks per day",
    "min_ranked": "Graded picks to be ranked",
    "ranking": "Rank by",
}


def humane(message: str) -> str:
    """A settings message as a person reads it: the service names fields as the API does
    (`daily_cap must be ...`); the form calls them by their labels."""
    for key, label in FIELD_LABELS.items():
        message = message.replace(key, label)
    return message[:1].upper() + message[1:]


def price_text(price: int | None) -> str:
    """A price as the edit form shows it ("" for no limit)."""
    return "" if price is None else display.format_price(price)


# --- rows as the pages show them -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LeagueLine:
    """One of my leagues on /leagues and on my profile."""

    id: int
    name: str
    href: str
    members: str  # "3 members"
    rank: str  # "2nd", "Not yet ranked"
    is_owner: bool


def members_text(count: int) -> str:
    return "1 member" if count == 1 else f"{count} members"


def league_line(summary: leagues.LeagueSummary) -> LeagueLine:
    if summary.my_ranked and summary.my_rank is not None:
        rank = ordinal(summary.my_rank)
    else:
        rank = "Not yet ranked"
    return LeagueLine(
        id=summary.id,
        name=summary.name,
        href=routes.league(summary.id),
        members=members_text(summary.members),
        rank=rank,
        is_owner=summary.is_owner,
    )


@dataclasses.dataclass(frozen=True)
class StandingLine:
    rank: str  # "1", "" when not yet ranked
    username: str
    href: str
    units: str
    wagered: str
    roi: str
    adjusted_roi: str
    record: str  # W-L-P
    streak: str  # "W3", "—"
    last10: str  # "6-4-0"
    tone: str
    needed: str  # "17 more graded picks to be ranked", "" when ranked
    is_me: bool
    clv: str = "—"  # average closing-line value of the counted picks: "+1.2 pp"
    clv_tone: str = "level"


def needed_text(graded: int, minimum: int) -> str:
    more = max(max(minimum, 1) - graded, 0)
    if more == 0:
        return ""
    return f"{more} more graded pick{'s' if more != 1 else ''} to be ranked"


def standing_line(row: leagues.LeagueBoardRow, minimum: int, me: str) -> StandingLine:
    graded = row.wins + row.losses + row.pushes
    return StandingLine(
        rank=str(row.rank) if row.ranked and row.rank is not None else "",
        username=row.username,
        href=routes.profile(row.username),
        units=display.format_units(row.total_units),
        wagered=format_wagered(row.total_wagered),
        roi=display.format_roi(row.roi),
        adjusted_roi=display.format_roi(row.adjusted_roi),
        record=display.format_record(row.wins, row.losses, row.pushes),
        streak=row.streak or "—",
        last10=row.last10 or "0-0-0",
        tone=tone(row.total_units),
        needed="" if row.ranked else needed_text(graded, minimum),
        is_me=row.username.casefold() == me.casefold(),
        clv=format_clv(row.clv),
        clv_tone=clv_tone(row.clv),
    )


@dataclasses.dataclass(frozen=True)
class MemberLine:
    username: str
    href: str
    joined: str  # "Dec 4, 2026"
    is_owner: bool
    is_me: bool


def day_text(moment: datetime) -> str:
    local = moment.astimezone(settings.tz)
    return f"{local:%b} {local.day}, {local.year}"


def member_line(row: leagues.MemberRow, me: str) -> MemberLine:
    return MemberLine(
        username=row.username,
        href=routes.profile(row.username),
        joined=day_text(row.joined_at),
        is_owner=row.is_owner,
        is_me=row.username.casefold() == me.casefold(),
    )


@dataclasses.dataclass(frozen=True)
class LeaguePickLine:
    id: int
    username: str
    matchup: str
    when: str  # "Sun Nov 22, 7:30 PM EST"
    market: str  # "Moneyline"
    selection: str  # "Boston Celtics -4.5", "Over 227.5"
    price: str  # "-110"
    status: str  # win / loss / push / void / pending: the badge colour
    result: str  # "Win", "Open"
    units: str  # "+0.56u", "—" while open or void
    tone: str
    counted: bool
    reason: str  # "not counted — price window", "" when counted
    clv: str = "—"  # closing-line value once the game locked: "+2.3 pp"
    clv_tone: str = "level"


def pick_line(row: leagues.LeaguePickRow) -> LeaguePickLine:
    point = display.format_point(row.point, signed=row.market != TOTALS)
    graded = row.status in ("win", "loss", "push")
    units = row.result_units if graded else None
    reason = row.not_counted_reason or ""
    return LeaguePickLine(
        id=row.pick_id,
        username=row.username,
        matchup=row.matchup,
        when=display.league_time(row.commence_time, settings.tz),
        market=MARKET_LABELS.get(row.market, row.market),
        selection=f"{row.selection} {point}".strip(),
        price=display.format_price(row.price),
        status=row.status,
        result=STATUS_LABELS.get(row.status, row.status.title()),
        units=display.format_units(units),
        tone="open" if units is None else tone(units),
        counted=row.counted,
        reason="" if row.counted else REASON_LABELS.get(reason, f"not counted — {reason}"),
        clv=format_clv(row.clv),
        clv_tone=clv_tone(row.clv),
    )


# --- reading forms ----------------------------------------------------------------------------


def parse_price(raw: Any, field: str) -> int | None:
    """ "" (no limit), "-300", "+400" (a typographic minus too) -> an int; else a message
    naming the field."""
    text = str(raw or "").strip().replace(MINUS, "-").replace(" ", "")
    if not text:
        return None
    body = text[1:] if text[0] in "+-" else text
    if not body.isdigit() or len(body) > 6:
        label = "shortest" if field == "shortest_price" else "longest"
        raise InvalidInput(
            f"Enter the {label} price as an American price like -300 or +400, or leave it blank "
            "for no limit.",
            field=field,
        )
    return int(text)


def parse_whole(raw: Any, field: str, message: str, blank_is_none: bool) -> int | None:
    text = str(raw or "").strip()
    if not text and blank_is_none:
        return None
    if not text.isdigit() or len(text) > 6:
        raise InvalidInput(message, field=field)
    return int(text)


def settings_changes(form_data: Mapping[str, Any]) -> dict[str, Any]:
    """The edit form's fields as `update_league` changes; InvalidInput names a field whose text
    is not a number at all (the service judges the values themselves)."""
    markets = [m for m in MARKETS if form_data.get(f"market_{m}") in ("on", True, "true", m)]
    ranking = str(form_data.get("ranking") or "units")
    return {
        "name": str(form_data.get("name") or ""),
        "description": str(form_data.get("description") or ""),
        "markets": markets,
        "shortest_price": parse_price(form_data.get("shortest_price"), "shortest_price"),
        "longest_price": parse_price(form_data.get("longest_price"), "longest_price"),
        "daily_cap": parse_whole(
            form_data.get("daily_cap"),
            "daily_cap",
            "Enter how many picks a day count, from 1 to 50, or leave it blank for no cap.",
            blank_is_none=True,
        ),
        "min_ranked": parse_whole(
            form_data.get("min_ranked"),
            "min_ranked",
            "Enter how many graded picks a member needs to be ranked, from 0 to 1000.",
            blank_is_none=False,
        ),
        "ranking": ranking,
    }


# --- /leagues ---------------------------------------------------------------------------------


class LeaguesState(FormErrors, AuthState):
    """My leagues, and the create and join-by-code forms."""

    _private: ClassVar[bool] = True  # the player's leagues: dropped when the player changes

    leagues: list[LeagueLine] = []
    loaded: bool = False

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        self._clear_error()
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            summaries = leagues.my_leagues(session, _id(player), clock.now(), settings.tz)
        self.leagues = [league_line(summary) for summary in summaries]
        self.loaded = True
        return None

    @rx.event
    def create(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec] | rx.event.EventSpec:
        return self._enter(
            form_data,
            CREATE_REQUIRED,
            "name",
            CREATE_FIELDS,
            lambda session, player_id: leagues.create_league(
                session,
                player_id,
                str(form_data.get("name") or ""),
                str(form_data.get("description") or ""),
                now=clock.now(),
            ),
        )

    @rx.event
    def join(self, form_data: dict[str, Any]) -> list[rx.event.EventSpec] | rx.event.EventSpec:
        return self._enter(
            form_data,
            JOIN_REQUIRED,
            "code",
            ("code",),
            lambda session, player_id: leagues.join_league(
                session, player_id, str(form_data.get("code") or ""), clock.now()
            ),
        )

    def _enter(
        self,
        form_data: Mapping[str, Any],
        required: Mapping[str, str],
        fallback: str,
        fields: tuple[str, ...],
        action: Callable[[Session, int], leagues.LeagueDetail],
    ) -> list[rx.event.EventSpec] | rx.event.EventSpec:
        """Create or join a league (`action`, for the verified player) and open its page. Both
        forms fail the same way: a blank required field, or the service's refusal shown beside
        the field it names among `fields` (else beside `fallback`), with nothing written."""
        self._clear_error()
        if missing := self._missing(form_data, required):
            return missing
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                league = action(session, _id(player))
            except ServiceError as exc:
                session.rollback()
                return self._show_error(exc, fallback, fields)
        return [rx.redirect(routes.league(league.id))]


def _id(player: User) -> int:
    assert player.id is not None
    return player.id


# --- /leagues/<id> ----------------------------------------------------------------------------


class LeagueState(FormErrors, AuthState):
    """One league as a member sees it; the owner's controls (invite link, settings, members)
    are loaded for the owner only."""

    _private: ClassVar[bool] = True  # a private league: dropped when the player changes

    loaded: bool = False
    found: bool = False
    error: str = ""  # why the league is not shown (unknown, not a member)
    notice: str = ""  # the last action's outcome ("Invite link changed.")
    notice_tone: str = "green"

    current_id: int = 0  # the league shown (0: none)
    name: str = ""
    description: str = ""
    owner: str = ""
    members_count: str = ""
    is_owner: bool = False
    invite_link: str = ""  # the owner's only; "" for everyone else
    rules: list[str] = []
    min_ranked: int = 0

    period: str = DEFAULT_PERIOD
    ranked: list[StandingLine] = []
    unranked: list[StandingLine] = []
    members: list[MemberLine] = []
    picks: list[LeaguePickLine] = []

    # The owner's edit form (the values also read as `rules` above, shown to everyone).
    editing: bool = False
    form_markets: list[str] = []
    form_shortest: str = ""
    form_longest: str = ""
    form_cap: str = ""
    form_min_ranked: str = ""
    form_ranking: str = "units"

    @rx.var
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period, PERIOD_LABELS[DEFAULT_PERIOD]).replace(
            "All time", "All-time"
        )

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        """on_load: the league the address names, if the player is a member."""
        league_id = league_id_from_path(self.router.url.path)
        period = self.router.url.query_parameters.get("period", DEFAULT_PERIOD)
        with db.session_scope() as session:
            player = self._player(session)  # first: a change of player resets this state
            self.reset()  # nothing of another league stays on the page
            if player is None:
                return self._relogin()
            self.period = period if period in PERIODS else DEFAULT_PERIOD
            if league_id is None:
                self._fail("There is no league at this address.")
                return None
            self._read(session, player, league_id)
        return None

    @rx.event
    def set_period(self, period: str | list[str]) -> rx.event.EventSpec | None:
        """A board tab: read that period's board (the address keeps it for a reload)."""
        if not isinstance(period, str) or period not in PERIODS or not self.found:
            return None
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            self.period = period
            try:
                self._read_board(session, player)
            except ServiceError as exc:
                self._fail(exc.message)
                return None
        query = "" if period == DEFAULT_PERIOD else f"?period={period}"
        return rx.call_script(
            f"window.history.replaceState(null, '', '{routes.league(self.current_id)}{query}')"
        )

    @rx.event
    def rotate_code(self) -> rx.event.EventSpec | None:
        """Owner: a new invite code; the old link stops working at once."""
        return self._act(
            lambda session, player: leagues.rotate_code(
                session, self.current_id, _id(player), clock.now()
            ),
            "New invite link made. The old link no longer works.",
        )

    @rx.event
    def remove_member(self, username: str) -> rx.event.EventSpec | None:
        return self._act(
            lambda session, player: leagues.remove_member(
                session, self.current_id, _id(player), username
            ),
            f"{username} is no longer a member. Their picks stay in their own history.",
        )

    @rx.event
    def hand_over(self, username: str) -> rx.event.EventSpec | None:
        return self._act(
            lambda session, player: leagues.transfer_ownership(
                session, self.current_id, _id(player), username, clock.now()
            ),
            f"{username} now owns the league.",
        )

    @rx.event
    def leave(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                leagues.leave_league(session, self.current_id, _id(player))
            except ServiceError as exc:
                session.rollback()
                self._say(exc.message, "red")
                return None
        return rx.redirect(routes.LEAGUES)

    @rx.event
    def start_editing(self) -> None:
        self._clear_error()
        self.editing = self.is_owner

    @rx.event
    def stop_editing(self) -> None:
        self._clear_error()
        self.editing = False

    @rx.event
    def save_settings(
        self, form_data: dict[str, Any]
    ) -> list[rx.event.EventSpec] | rx.event.EventSpec | None:
        """Owner: change the name, description and rules, all or nothing; a problem is shown
        beside the field it names."""
        self._clear_error()
        try:
            changes = settings_changes(form_data)
        except InvalidInput as exc:
            return self._show_error(exc, "name", SETTINGS_FIELDS)
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                leagues.update_league(session, self.current_id, _id(player), changes, clock.now())
            except ServiceError as exc:
                session.rollback()
                exc.message = humane(exc.message)
                return self._show_error(exc, "name", SETTINGS_FIELDS)
            self._read(session, player, self.current_id)
        self._say("Settings saved.")
        return None

    @rx.event
    def download_csv(self) -> rx.event.EventSpec | None:
        """The league's picks on locked games (and the player's own) as CSV, handed to the
        browser as a download: no URL to carry the token."""
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                text = leagues.league_picks_csv(
                    session, self.current_id, _id(player), clock.now(), settings.tz
                )
            except ServiceError as exc:
                self._fail(exc.message)
                return None
        return rx.download(
            data=text, filename=f"league-{self.current_id}-picks.csv", mime_type="text/csv"
        )

    @rx.event
    def copied(self) -> None:
        self._say("Invite link copied.")

    # --- helpers -------------------------------------------------------------------------

    def _say(self, message: str, tone_name: str = "green") -> None:
        self.notice, self.notice_tone = message, tone_name

    def _fail(self, message: str) -> None:
        """Not shown: every data var back to its default, the message in their place."""
        self.reset()
        self.error, self.loaded = message, True

    def _act(self, action: Any, done: str) -> rx.event.EventSpec | None:
        """Run an owner's action, then read the league again (the owner may have changed)."""
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                action(session, player)
            except ServiceError as exc:
                session.rollback()
                self._say(exc.message, "red")
                return None
            self._read(session, player, self.current_id)
        if self.found:
            self._say(done)
        return None

    def _read(self, session: Session, player: User, league_id: int) -> None:
        """Everything the page shows, or the error alone."""
        period, notice, tone_name = self.period, self.notice, self.notice_tone
        try:
            detail = leagues.league_detail(session, league_id, _id(player))
            self._show_detail(detail)
            self.period = period
            self._read_board(session, player)
            self.members = [
                member_line(row, player.username)
                for row in leagues.members(session, league_id, _id(player))
            ]
            self.picks = [
                pick_line(row)
                for row in leagues.league_picks(
                    session, league_id, _id(player), clock.now(), limit=PICKS_LIMIT
                )
            ]
        except ServiceError as exc:
            self._fail(exc.message)
            return
        self.notice, self.notice_tone = notice, tone_name
        self.found, self.loaded = True, True

    def _show_detail(self, detail: leagues.LeagueDetail) -> None:
        self.reset()
        self.current_id, self.name, self.description = detail.id, detail.name, detail.description
        self.owner = detail.owner or ""
        self.members_count = members_text(detail.members)
        self.is_owner = detail.is_owner
        self.invite_link = (
            self._invite_link(detail.invite_code) if detail.is_owner and detail.invite_code else ""
        )
        rules = detail.settings
        self.rules = settings_in_words(rules)
        self.min_ranked = rules.min_ranked
        self.form_markets = list(rules.markets)
        self.form_shortest = price_text(rules.shortest_price)
        self.form_longest = price_text(rules.longest_price)
        self.form_cap = "" if rules.daily_cap is None else str(rules.daily_cap)
        self.form_min_ranked = str(rules.min_ranked)
        self.form_ranking = rules.ranking

    def _read_board(self, session: Session, player: User) -> None:
        rows = leagues.league_board(
            session,
            self.current_id,
            _id(player),
            self.period,
            clock.now(),
            settings.tz,
            limit=BOARD_LIMIT,
        )
        lines = [standing_line(row, self.min_ranked, player.username) for row in rows]
        self.ranked = [line for line, row in zip(lines, rows, strict=True) if row.ranked]
        self.unranked = [line for line, row in zip(lines, rows, strict=True) if not row.ranked]

    def _invite_link(self, code: str) -> str:
        """`{PICKVS_PUBLIC_URL or this page's origin}/join/{code}`."""
        base = settings.public_url
        if not base:
            parts = urlsplit(str(self.router.url))
            base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        return f"{(base or '').rstrip('/')}{routes.join(code)}"


# --- /join/<code> -----------------------------------------------------------------------------


class JoinState(AuthState):
    """An invite link: the league's name and a Join button; logged out, log in or sign up and
    come back here."""

    _private: ClassVar[bool] = True

    loaded: bool = False
    league_name: str = ""  # "" when the code names no league
    member_href: str = ""  # the league's page, when the player is a member already
    error: str = ""
    _code: str = ""  # from the address; never sent back (the visitor has it already)

    @rx.var
    def login_href(self) -> str:
        return routes.with_next(routes.LOGIN, self.router.url.path)

    @rx.var
    def signup_href(self) -> str:
        return routes.with_next(routes.SIGNUP, self.router.url.path)

    @rx.event
    def load(self) -> None:
        # First: the Join button or the log-in links, for the player as they are (a change of
        # player resets this state, so nothing is read before it).
        viewer = self._verify_now()
        self.reset()
        self._code = code_from_path(self.router.url.path)
        with db.session_scope() as session:
            found = leagues.league_by_code(session, self._code) if self._code else None
            if found is not None and viewer.user_id is not None:
                self.member_href = self._membership(session, found[0], viewer.user_id)
        if found is None:
            self.error = (
                "This invite link does not work: the code is wrong, or the league's owner has "
                "made a new link. Ask the owner for the current one."
            )
        else:
            self.league_name = found[1]
        self.loaded = True

    @staticmethod
    def _membership(session: Session, league_id: int, user_id: int) -> str:
        """The league's page when the player is a member already, else "" (nothing of the
        league is kept: only whether its page opens for them)."""
        try:
            leagues.league_detail(session, league_id, user_id)
        except ServiceError:
            return ""
        return routes.league(league_id)

    @rx.event
    def join(self) -> rx.event.EventSpec | None:
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:
                return self._relogin()
            try:
                joined = leagues.join_league(session, _id(player), self._code, clock.now())
            except ServiceError as exc:
                session.rollback()
                self.error = exc.message
                return None
        return rx.redirect(routes.league(joined.id))
