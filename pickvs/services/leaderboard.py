"""The public leaderboard: all time read live from the players' derived columns; this week,
this month and this season from a cached board, rebuilt from the `user_tip` roll-up when stale.

Every board lists its ranked players first (`standings.is_ranked`: enough picks graded win,
loss or push in the period), ordered by units with ties sharing a rank, then the players not
yet ranked, in the same order with no rank. A period board lists the players with graded
wagers in the period; all time lists everyone (a player with nothing wagered is never ranked).

Summing a period's roll-up rows for every player costs 30 ms for a month and several times that
for a season, on every call. So a period board is built once into `board_row`, numbered in board
order, and a page is a range of that index. A built board records the period start, ranking
threshold and "board generation" it was built for; grading raises the generation whenever a
result changes (first grading, an admin's settlement or void), and a new week, month or season
changes the start, so a read that finds its board stale rebuilds it first, in the caller's
transaction (committed with it, as every request's is) and under a lock that makes concurrent
readers take turns: the second finds the board fresh and only reads it.

Current form (streak, last ten) is all time, not period-bound. It is kept in the players' own
columns: grading only marks a player's form due (one more column in the statement that writes
their totals), and the first read that shows the player derives it from the tail of their
picks and stores it, so a page reads it with the names and grading pays nothing per pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import slate, standings
from pickvs.domain.accounts import username_key
from pickvs.models import Board, BoardEntry, BoardGeneration, Game, Pick, User, UserTipTotals
from pickvs.services import seasons
from pickvs.services.clv import clv_by_user
from pickvs.services.errors import InvalidInput

PERIODS = ("all", "season", "month", "week")
CACHED_PERIODS = ("season", "month", "week")
MAX_LIMIT = 200
GENERATION_ROW = 1
# pg advisory lock key (cf. db.LEAGUE_WRITE_LOCK_KEY): one board rebuild at a time.
BOARD_REBUILD_LOCK_KEY = 7_205_519
FORM_CHUNK = 2000  # players per statement when deriving form (bound-parameter limits)
FORM_LAST = 10  # the results standings.form's last-ten record covers


@dataclass(frozen=True)
class BoardRow:
    rank: int | None  # None for a player not yet ranked
    username: str
    total_units: float
    total_wagered: float
    roi: float | None
    wins: int
    losses: int
    pushes: int
    adjusted_roi: float | None  # standings.adjusted_roi: ROI shrunk toward the house edge
    streak: str  # current form, all time: "W3", "L2", "" before any win or loss
    last10: str  # "W-L-P" over the last ten graded picks, all time
    ranked: bool
    clv: float | None = None  # average CLV (pp) of the player's picks in the period with one


def period_start(
    period: str, now: datetime, tz: ZoneInfo, session: Session | None = None
) -> datetime | None:
    """Calendar month or ISO week (Monday) in the league's time zone, or this season's first
    tip-off from the stored games (needs `session`); None for all time, or for a season when
    no game has tipped off yet (the season board is then the all-time board)."""
    today = slate.slate_day(now, tz)
    if period == "month":
        return slate.slate_bounds(today.replace(day=1), tz)[0]
    if period == "week":
        return slate.slate_bounds(today - timedelta(days=today.weekday()), tz)[0]
    if period == "season":
        if session is None:
            raise ValueError("the season's start comes from the stored games: pass a session")
        return seasons.season_start(session, now)
    return None


def ranked_threshold(minimum: int) -> int:
    """The fewest graded picks `standings.is_ranked` ranks under `minimum` (the SQL filters
    compare with this number, so the rule itself stays in one place)."""
    graded = max(minimum, 0)
    while not standings.is_ranked(graded, minimum):
        graded += 1
    return graded


def leaderboard(
    session: Session,
    period: str,
    now: datetime,
    tz: ZoneInfo,
    limit: int = 50,
    offset: int = 0,
    min_ranked: int | None = None,
) -> list[BoardRow]:
    """One page of the board: ranked players by units (ties share a rank), then the players
    not yet ranked (rank None), in the same order. `min_ranked` defaults to the instance's
    `PICKVS_MIN_RANKED_PICKS`."""
    start = _start(session, period, now, tz)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_LIMIT)
    threshold = ranked_threshold(_minimum(min_ranked))
    if start is None:
        return _all_time_page(session, threshold, offset, limit)
    ensure_board(session, period, start, threshold, now)
    return _cached_page(session, period, offset, limit, start)


def count_leaderboard(
    session: Session,
    period: str,
    now: datetime,
    tz: ZoneInfo,
    min_ranked: int | None = None,
) -> int:
    """How many rows `leaderboard` pages through: every player all time, else the players
    with graded wagers on games of the period."""
    start = _start(session, period, now, tz)
    if start is None:
        return int(session.execute(select(func.count()).select_from(User)).scalar_one())
    ensure_board(session, period, start, ranked_threshold(_minimum(min_ranked)), now)
    stmt = (
        select(func.count())
        .select_from(BoardEntry)
        .join(User, User.id == BoardEntry.user_id)
        .where(BoardEntry.period == period)
    )
    return int(session.execute(stmt).scalar_one())


def rank_of(
    session: Session,
    username: str,
    period: str,
    now: datetime,
    tz: ZoneInfo,
    min_ranked: int | None = None,
) -> int | None:
    """The rank `leaderboard` gives this player (ties shared); None when they are not on the
    board or not yet ranked."""
    start = _start(session, period, now, tz)
    threshold = ranked_threshold(_minimum(min_ranked))
    key = username_key(username)
    if start is None:
        ranked = (
            select(User.username_key, _rank(User.total_units, User.total_wagered).label("rank"))
            .where(_graded(User) >= threshold)
            .subquery()
        )
        stmt = select(ranked.c.rank).where(ranked.c.username_key == key)
    else:
        ensure_board(session, period, start, threshold, now)
        stmt = (
            select(BoardEntry.rank)
            .join(User, User.id == BoardEntry.user_id)
            .where(BoardEntry.period == period, User.username_key == key)
        )
    rank = session.execute(stmt).scalar_one_or_none()
    return None if rank is None else int(rank)


def player_form(session: Session, user_id: int) -> standings.Form:
    """The player's current form (streak, last ten): as stored, or derived first when grading
    changed their results since (`_forms`)."""
    row = session.execute(select(*_FORM_COLUMNS).where(User.id == user_id)).one_or_none()
    return standings.Form("", "0-0-0") if row is None else _forms(session, [row])[user_id]


# --- all time, live ---------------------------------------------------------------------------


def _all_time_page(session: Session, threshold: int, offset: int, limit: int) -> list[BoardRow]:
    """Ranked players read in board order from ix_user_board (filtered on their record, so
    page one stops after its rows), then, on the page that reaches them, the unranked ones.

    The rank is taken over the rows up to the end of the page only: a row's rank counts the
    rows ranked strictly above it, and all of those come before it, so it is the same number
    the whole board would give, without ranking (or fully sorting) every player for page one.
    """
    ranked_filter = _graded(User) >= threshold
    prefix = (
        _players().where(ranked_filter).order_by(*_user_order()).limit(offset + limit).subquery()
    )
    stmt = (
        select(prefix, _rank(prefix.c.units, prefix.c.wagered).label("rank"))
        .order_by(*_board_order(prefix))
        .offset(offset)
    )
    ranked = session.execute(stmt).all()
    if len(ranked) == limit:
        return _rows(session, [(r, int(r.rank)) for r in ranked])
    ranked_count = session.execute(
        select(func.count()).select_from(User).where(ranked_filter)
    ).scalar_one()
    rest = (
        _players()
        .where(_graded(User) < threshold)
        .order_by(*_user_order())
        .offset(max(offset - int(ranked_count), 0))
        .limit(limit - len(ranked))
    )
    lines = [(r, int(r.rank)) for r in ranked] + [(r, None) for r in session.execute(rest)]
    return _rows(session, lines)


def _players():  # type: ignore[no-untyped-def]
    return select(
        User.username,
        User.username_key,
        User.total_units.label("units"),
        User.total_wagered.label("wagered"),
        User.roi.label("roi"),
        User.wins,
        User.losses,
        User.pushes,
        *_FORM_COLUMNS,
    )


def _user_order() -> tuple[Any, ...]:
    return standings.board_order(User.total_units, User.total_wagered, User.roi, User.username_key)


def _board_order(totals):  # type: ignore[no-untyped-def]
    return standings.board_order(
        totals.c.units, totals.c.wagered, totals.c.roi, totals.c.username_key
    )


def _rank(units, wagered):  # type: ignore[no-untyped-def]
    return func.rank().over(order_by=standings.rank_order(units, wagered))


def _graded(source):  # type: ignore[no-untyped-def]
    """Picks graded win, loss or push: what `standings.is_ranked` counts."""
    return source.wins + source.losses + source.pushes


def _rows(
    session: Session, lines: Sequence[tuple[Any, int | None]], since: datetime | None = None
) -> list[BoardRow]:
    """Board rows from (query row, rank) pairs, with each player's current form and average
    CLV over the period's picks from `since` (read for the page's players only: CLV is not
    part of a cached board, so a CLV update never makes one stale)."""
    forms = _forms(session, [row for row, _ in lines])
    averages = clv_by_user(session, [row.user_id for row, _ in lines], since)
    return [_row(row, rank, forms[row.user_id], averages.get(row.user_id)) for row, rank in lines]


def _row(row, rank: int | None, form: standings.Form, clv: float | None = None) -> BoardRow:  # type: ignore[no-untyped-def]
    units, wagered = float(row.units), float(row.wagered)
    return BoardRow(
        rank=rank,
        username=row.username,
        total_units=units,
        total_wagered=wagered,
        roi=None if row.roi is None else float(row.roi),
        wins=int(row.wins),
        losses=int(row.losses),
        pushes=int(row.pushes),
        adjusted_roi=standings.adjusted_roi(units, wagered),
        streak=form.streak,
        last10=form.last10,
        ranked=rank is not None,
        clv=clv,
    )


# --- period boards, cached ----------------------------------------------------------------------


def _cached_page(
    session: Session, period: str, offset: int, limit: int, start: datetime
) -> list[BoardRow]:
    """A range of the built board's positions, with the names and form of its players."""
    stmt = (
        select(
            BoardEntry.rank,
            BoardEntry.units,
            BoardEntry.wagered,
            BoardEntry.roi,
            BoardEntry.wins,
            BoardEntry.losses,
            BoardEntry.pushes,
            User.username,
            *_FORM_COLUMNS,
        )
        .join(User, User.id == BoardEntry.user_id)
        .where(BoardEntry.period == period, BoardEntry.position > offset)
        .order_by(BoardEntry.position)
        .limit(limit)
    )
    lines = [(r, None if r.rank is None else int(r.rank)) for r in session.execute(stmt)]
    return _rows(session, lines, start)


def board_generation(session: Session) -> int:
    """The current board generation (0 before any grading changed a result)."""
    stmt = select(BoardGeneration.generation).where(BoardGeneration.id == GENERATION_ROW)
    return int(session.execute(stmt).scalar_one_or_none() or 0)


def invalidate_boards(session: Session) -> int:
    """Make every cached board stale, and return the new generation: grading calls this in
    the transaction that changes results, so the new generation and the new results commit
    together."""
    bumped = session.execute(
        update(BoardGeneration)
        .where(BoardGeneration.id == GENERATION_ROW)
        .values(generation=BoardGeneration.generation + 1)
        .returning(BoardGeneration.generation)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if bumped is not None:
        return int(bumped)
    session.execute(insert(BoardGeneration).values(id=GENERATION_ROW, generation=1))
    return 1


def ensure_board(
    session: Session, period: str, start: datetime, threshold: int, now: datetime
) -> bool:
    """Rebuild `period`'s cached board unless it was built for this start, threshold and
    generation; True when it was rebuilt here.

    The generation is read before the board is built, so a board is never labelled newer than
    the results it was built from (a grading committing meanwhile only makes the next read
    rebuild again). A stale board is checked again under the rebuild lock: of two readers
    that found it stale, the second waits for the first to commit and then finds it fresh.
    """
    if _is_fresh(session, period, start, threshold):
        return False
    _take_rebuild_lock(session)
    if _is_fresh(session, period, start, threshold):
        return False
    rebuild_board(session, period, start, threshold, now)
    return True


def _is_fresh(session: Session, period: str, start: datetime, threshold: int) -> bool:
    stmt = select(Board.start, Board.min_ranked, Board.generation).where(Board.period == period)
    built = session.execute(stmt).one_or_none()
    return built is not None and (built.start, built.min_ranked, built.generation) == (
        start,
        threshold,
        board_generation(session),
    )


def _take_rebuild_lock(session: Session) -> None:
    """PostgreSQL: a transaction-scoped advisory lock. SQLite: the database's write lock,
    taken by a write that changes nothing (its one writer at a time is the lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOARD_REBUILD_LOCK_KEY})
    else:
        session.execute(
            update(Board)
            .where(false())
            .values(players=0)
            .execution_options(synchronize_session=False)
        )


def rebuild_board(
    session: Session, period: str, start: datetime, threshold: int, now: datetime
) -> int:
    """Build `period`'s board from the roll-up rows of games tipped since `start` (two
    statements: the old rows out, the new ones in, numbered and ranked by the database), and
    record what it was built for. Returns the number of players on it."""
    generation = board_generation(session)
    session.execute(
        delete(BoardEntry)
        .where(BoardEntry.period == period)
        .execution_options(synchronize_session=False)
    )
    columns = (
        "period", "position", "user_id", "rank", "units", "wagered", "roi", "wins", "losses",
        "pushes",
    )  # fmt: skip
    players = session.execute(
        insert(BoardEntry).from_select(columns, _numbered(period, start, threshold))
    ).rowcount
    session.execute(
        delete(Board).where(Board.period == period).execution_options(synchronize_session=False)
    )
    session.execute(
        insert(Board).values(
            period=period,
            start=start,
            min_ranked=threshold,
            generation=generation,
            built_at=now,
            players=int(players),
        )
    )
    return int(players)


def computed_board(session: Session, period: str, start: datetime, threshold: int) -> list[tuple]:  # type: ignore[type-arg]
    """The board as the rebuild computes it, straight from the roll-up (for tests and checks):
    (position, user_id, rank, units, wagered, roi, wins, losses, pushes) in board order."""
    numbered = _numbered(period, start, threshold).subquery()
    stmt = select(*list(numbered.c)[1:]).order_by(numbered.c.position)
    return [tuple(row) for row in session.execute(stmt)]


def cached_board(session: Session, period: str) -> list[tuple]:  # type: ignore[type-arg]
    """The cached board's rows, in the shape of `computed_board`."""
    stmt = (
        select(
            BoardEntry.position,
            BoardEntry.user_id,
            BoardEntry.rank,
            BoardEntry.units,
            BoardEntry.wagered,
            BoardEntry.roi,
            BoardEntry.wins,
            BoardEntry.losses,
            BoardEntry.pushes,
        )
        .where(BoardEntry.period == period)
        .order_by(BoardEntry.position)
    )
    return [tuple(row) for row in session.execute(stmt)]


def _numbered(period: str, start: datetime, threshold: int):  # type: ignore[no-untyped-def]
    """The period's board, one row per player with graded wagers since `start`: numbered in
    board order (ranked first), ranked by units among the ranked players."""
    totals = _since(start, threshold)
    order = _board_order(totals)
    rank = func.rank().over(
        partition_by=totals.c.unranked,
        order_by=standings.rank_order(totals.c.units, totals.c.wagered),
    )
    return select(
        literal(period).label("period"),
        func.row_number().over(order_by=(totals.c.unranked, *order)).label("position"),
        totals.c.user_id,
        case((totals.c.unranked == 0, rank), else_=None).label("rank"),
        totals.c.units,
        totals.c.wagered,
        totals.c.roi,
        totals.c.wins,
        totals.c.losses,
        totals.c.pushes,
    )


def _since(start: datetime, threshold: int):  # type: ignore[no-untyped-def]
    """Players with graded wagers on games that tipped in the period, summed from the roll-up
    by player id first (a narrow integer group), then joined to the players' names."""
    # Grouped by `user_id + 0`, not the bare column: SQLite would otherwise walk the primary
    # key (user_id, tip) one player at a time to avoid sorting, twice as slow as summing the
    # period's rows read in tip order; PostgreSQL plans both alike.
    player = (UserTipTotals.user_id + 0).label("user_id")
    period = (
        select(
            player,
            func.sum(UserTipTotals.units).label("units"),
            func.sum(UserTipTotals.wagered).label("wagered"),
            func.sum(UserTipTotals.wins).label("wins"),
            func.sum(UserTipTotals.losses).label("losses"),
            func.sum(UserTipTotals.pushes).label("pushes"),
        )
        .where(UserTipTotals.tip >= start)
        .group_by(player)
        .subquery("period")
    )
    return (
        select(
            User.id.label("user_id"),
            User.username_key,
            period.c.units,
            period.c.wagered,
            rules.roi(period.c.units, period.c.wagered).label("roi"),
            period.c.wins,
            period.c.losses,
            period.c.pushes,
            case((_graded(period.c) >= threshold, 0), else_=1).label("unranked"),
        )
        .join(period, period.c.user_id == User.id)
        .subquery()
    )


# --- form, derived by grading -------------------------------------------------------------------


_FORM_COLUMNS = (
    User.id.label("user_id"),
    User.streak,
    User.last10,
    User.form_generation,
    User.form_due,
)


def _forms(session: Session, rows: Sequence[Any]) -> dict[int, standings.Form]:
    """Each player's form from rows of `_FORM_COLUMNS`: the stored one while fresh, else
    derived now from their picks and stored for the next read.

    The generation is read before the picks, and a derived form is stored with it, so one
    derived from results a grading has since changed stays due.
    """
    forms = {
        row.user_id: standings.Form(row.streak, row.last10)
        for row in rows
        if row.form_generation >= row.form_due
    }
    due = sorted({row.user_id for row in rows} - set(forms))
    if due:
        generation = board_generation(session)
        derived = derive_forms(session, due)
        store_forms(session, derived, generation)
        forms.update(derived)
    return forms


def store_forms(session: Session, forms: dict[int, standings.Form], generation: int) -> None:
    """Keep these forms, derived at `generation`, unless grading has marked the player due at a
    later generation meanwhile.

    A read must never wait on grading (which updates the same player rows in its own order,
    so waiting could deadlock): on PostgreSQL the rows another transaction holds are skipped
    (their form is simply derived again next time); SQLite has one writer at a time anyway.
    """
    ids = sorted(forms)
    if session.get_bind().dialect.name == "postgresql":
        lockable = (
            select(User.id)
            .where(User.id.in_(ids))
            .order_by(User.id)
            .with_for_update(skip_locked=True)
        )
        ids = list(session.execute(lockable).scalars())
    if not ids:
        return
    table = User.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.form_due <= bindparam("b_generation"))
        .values(
            streak=bindparam("b_streak"),
            last10=bindparam("b_last10"),
            form_generation=bindparam("b_generation"),
        ),
        [
            {
                "b_id": user_id,
                "b_streak": forms[user_id].streak,
                "b_last10": forms[user_id].last10,
                "b_generation": generation,
            }
            for user_id in ids
        ],
    )


def derive_forms(session: Session, user_ids: Sequence[int]) -> dict[int, standings.Form]:
    """These players' streak and last ten (`standings.form`) from their picks graded win, loss
    or push, in tip-off order (commence_time, created_at, id).

    Form depends on the newest results only, so each player's picks are read from a cut-off
    tip-off on (`_form_cutoffs`), not from the start of their history.
    """
    forms: dict[int, standings.Form] = {}
    ordered = sorted(user_ids)
    for n in range(0, len(ordered), FORM_CHUNK):
        chunk = ordered[n : n + FORM_CHUNK]
        history: dict[int, list[str]] = {user_id: [] for user_id in chunk}
        cutoffs = _form_cutoffs(chunk)
        stmt = (
            select(Pick.user_id, Pick.status)
            .join(Game, Game.id == Pick.game_id)
            .outerjoin(cutoffs, cutoffs.c.user_id == Pick.user_id)
            .where(
                Pick.user_id.in_(chunk),
                Pick.status.in_((rules.WIN, rules.LOSS, rules.PUSH)),
                or_(cutoffs.c.cutoff.is_(None), Game.commence_time >= cutoffs.c.cutoff),
            )
            .order_by(Pick.user_id, Game.commence_time, Pick.created_at, Pick.id)
        )
        for user_id, status in session.execute(stmt):
            history[user_id].append(status)
        forms.update((user_id, standings.form(results)) for user_id, results in history.items())
    return forms


def _form_cutoffs(user_ids: Sequence[int]):  # type: ignore[no-untyped-def]
    """Per player, the latest tip-off from which on their roll-up rows (`user_tip`) hold at
    least ten graded picks, a win and a loss: the picks from there on are a tail of the
    history (tip-off is the first sort key) holding the last ten and a result that ends the
    current streak, so form over them is form over everything. No row: read everything."""
    newest_first = {"partition_by": UserTipTotals.user_id, "order_by": UserTipTotals.tip.desc()}
    running = (
        select(
            UserTipTotals.user_id,
            UserTipTotals.tip,
            func.sum(_graded(UserTipTotals)).over(**newest_first).label("graded"),
            func.sum(UserTipTotals.wins).over(**newest_first).label("wins"),
            func.sum(UserTipTotals.losses).over(**newest_first).label("losses"),
        )
        .where(UserTipTotals.user_id.in_(user_ids))
        .subquery()
    )
    return (
        select(running.c.user_id, func.max(running.c.tip).label("cutoff"))
        .where(running.c.graded >= FORM_LAST, running.c.wins > 0, running.c.losses > 0)
        .group_by(running.c.user_id)
        .subquery("cutoff")
    )


# --- shared -----------------------------------------------------------------------------------


def _minimum(min_ranked: int | None) -> int:
    if min_ranked is not None:
        return min_ranked
    from pickvs.config import settings  # the instance's setting, read per call

    return int(settings.min_ranked_picks)


def _start(session: Session, period: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The first tip-off instant `period` counts; None for all time (and for a season before
    any game has tipped off)."""
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}", field="period")
    return period_start(period, now, tz, session)
