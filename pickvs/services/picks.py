"""Making, changing, withdrawing and viewing picks.

The client names a game, a market and a selection; the line (book, price, point) always comes
from the server's current odds. Whether a game is still open is `domain.locks.is_open`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.domain import locks, markets
from pickvs.domain.odds import win_units
from pickvs.domain.text import storable
from pickvs.models import Game, Pick, PickStatus, User
from pickvs.services import versions
from pickvs.services.errors import (
    BatchRejected,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceError,
)
from pickvs.services.games import get_game
from pickvs.services.lines import Quote, current_boards

MAX_BATCH = 50


@dataclass(frozen=True)
class PickRequest:
    game_id: str
    market: str
    selection: str


@dataclass(frozen=True)
class PickPolicy:
    """Operator settings that shape a pick: lock offset and the reference book order."""

    lock_minutes: int
    bookmakers: Sequence[str]


def submit_picks(
    session: Session, user: User, requests: Sequence[PickRequest], now: datetime, policy: PickPolicy
) -> list[Pick]:
    """All or nothing: every request is checked, and any failure saves none of them."""
    if not requests:
        raise BatchRejected([(0, InvalidInput("Send at least one pick."))])
    if len(requests) > MAX_BATCH:
        raise BatchRejected([(MAX_BATCH, InvalidInput(f"At most {MAX_BATCH} picks at once."))])
    games, existing = _games_and_picks(session, user, [r.game_id for r in requests])
    boards = current_boards(session, list(games.values()), {r.market for r in requests})
    errors: list[tuple[int, ServiceError]] = []
    checked: list[tuple[Game, PickRequest, Quote]] = []
    seen: set[tuple[str, str]] = set()
    # Check everything before touching the session: a rejected batch must leave nothing behind,
    # even if the caller goes on to commit the session for other reasons.
    for index, request in enumerate(requests):
        try:
            if (request.game_id, request.market) in seen:
                raise Conflict("The same game and market appear twice in this submission.")
            seen.add((request.game_id, request.market))
            game = games.get(request.game_id)
            if game is None:
                raise NotFound(f"No game with id {request.game_id!r}.")
            quote = _quote(game, request, boards, policy, now)
            _check_change(existing.get((game.id, request.market)), quote)
            checked.append((game, request, quote))
        except ServiceError as error:
            errors.append((index, error))
    if errors:
        raise BatchRejected(errors)
    try:
        # The writes happen inside the savepoint, so a lost race rolls back only this batch and
        # leaves the caller's session usable.
        with session.begin_nested():
            saved = [
                _save(session, user, game, request, quote, existing, now)
                for game, request, quote in checked
            ]
            versions.picks_changed(session, user.id)
    except IntegrityError as exc:  # a concurrent submission of the same pick won the race
        raced = [
            index
            for index, (game, request, _) in enumerate(checked)
            if (game.id, request.market) not in existing
        ]
        conflict = "You already have a pick on that game and market."
        raise BatchRejected([(index, Conflict(conflict)) for index in raced or [0]]) from exc
    return saved


# Built once (the slate runs it on every tap): the named games with the player's picks on them.
_GAMES_AND_PICKS = (
    select(Game, Pick)
    .outerjoin(Pick, and_(Pick.game_id == Game.id, Pick.user_id == bindparam("user_id")))
    .where(Game.id.in_(bindparam("ids", expanding=True)))
)


def _games_and_picks(
    session: Session, user: User, ids: Sequence[str]
) -> tuple[dict[str, Game], dict[tuple[str, str], Pick]]:
    """The named games, and the player's picks on them by (game, market), in one query: the
    slate runs this on every tap, so it is one round trip rather than two."""
    wanted = sorted({game_id for game_id in ids if storable(game_id)})
    games: dict[str, Game] = {}
    existing: dict[tuple[str, str], Pick] = {}
    rows = session.execute(_GAMES_AND_PICKS, {"user_id": user.id, "ids": wanted})
    for game, pick in rows.all():
        games[game.id] = game
        if pick is not None:
            existing[(pick.game_id, pick.market)] = pick
    return games, existing


def _quote(game: Game, request: PickRequest, boards, policy: PickPolicy, now: datetime):  # type: ignore[no-untyped-def]
    if not locks.is_open(game.status, game.commence_time, now, policy.lock_minutes):
        raise Conflict("This game is locked: picks closed at tip-off.")
    try:
        side = markets.side_for(request.market, request.selection, game.home_team, game.away_team)
    except markets.SelectionError as exc:
        raise InvalidInput(str(exc)) from exc
    board = boards.get(game.id, {}).get(request.market)
    reference = board.reference(policy.bookmakers) if board else None
    if reference is None:
        label = markets.MARKET_LABELS.get(request.market, request.market)
        raise Conflict(f"There is no {label.lower()} line for this game yet.")
    return reference[side]


def _check_change(pick: Pick | None, quote: Quote) -> None:
    if pick is not None and pick.side == quote.side:
        raise Conflict(f"You already picked {pick.selection} in this market.")


def _save(session, user, game, request, quote, existing, now) -> Pick:  # type: ignore[no-untyped-def]
    """Insert, or change an existing pick to the other side at today's line."""
    pick = existing.get((game.id, request.market))
    if pick is None:
        pick = Pick(user_id=user.id, game_id=game.id, market=request.market, created_at=now)
        session.add(pick)
    pick.side, pick.selection = (
        quote.side,
        markets.selection_name(quote.side, game.home_team, game.away_team),
    )
    pick.bookmaker, pick.price = quote.bookmaker, quote.price
    pick.point = None if request.market == markets.H2H else quote.point
    pick.to_win, pick.status, pick.updated_at = win_units(quote.price), PickStatus.PENDING, now
    return pick


def withdraw_pick(
    session: Session, user: User, pick_id: int, now: datetime, lock_minutes: int
) -> None:
    # The pick and its game in one query (a withdrawal is a tap on the slate, like a pick).
    row = session.execute(
        select(Pick, Game)
        .join(Game, Game.id == Pick.game_id)
        .where(Pick.id == pick_id, Pick.user_id == user.id)
    ).first()
    if row is None:
        raise NotFound("No such pick of yours.")
    pick, game = row
    if not locks.is_open(game.status, game.commence_time, now, lock_minutes):
        raise Conflict("This game is locked: the pick can no longer be withdrawn.")
    session.delete(pick)
    versions.picks_changed(session, user.id)
    session.flush()


@dataclass(frozen=True)
class PickView:
    pick: Pick
    game: Game


def my_picks(
    session: Session, user: User, limit: int = 100, offset: int = 0, pending: bool | None = None
) -> list[PickView]:
    stmt = select(Pick, Game).join(Game, Game.id == Pick.game_id).where(Pick.user_id == user.id)
    if pending is not None:
        stmt = stmt.where((Pick.status == PickStatus.PENDING) == pending)
    stmt = stmt.order_by(Game.commence_time.desc(), Pick.id.desc()).limit(limit).offset(offset)
    return [PickView(p, g) for p, g in session.execute(stmt).all()]


MAX_PAGE = 200


@dataclass(frozen=True)
class MyPickRow:
    """A pick of the player's own list; `running_units` is their units total just after it
    (wagered picks added in game order), None while it is pending or when it was void."""

    pick: Pick
    game: Game
    running_units: float | None


def my_pick_rows(
    session: Session, user: User, limit: int = 50, offset: int = 0, pending: bool | None = None
) -> list[MyPickRow]:
    """A page of the player's picks, newest game first, each with the running units total.

    The total is a window over all of the player's wagered picks, taken before paging, so a
    page's figures match the whole history (SUM() OVER: SQLite >= 3.25 and PostgreSQL).
    """
    running = (
        select(
            Pick.id.label("pick_id"),
            func.sum(rules.result_units(Pick.status, Pick.to_win))
            .over(order_by=(Game.commence_time, Pick.id))
            .label("units"),
        )
        .join(Game, Game.id == Pick.game_id)
        .where(Pick.user_id == user.id, Pick.status.in_(rules.WAGERED))
        .subquery()
    )
    stmt = (
        _mine(select(Pick, Game, running.c.units), user, pending)
        .outerjoin(running, running.c.pick_id == Pick.id)
        .order_by(Game.commence_time.desc(), Pick.id.desc())
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )
    return [
        MyPickRow(pick, game, None if units is None else float(units))
        for pick, game, units in session.execute(stmt).all()
    ]


def count_my_picks(session: Session, user: User, pending: bool | None = None) -> int:
    """The number of rows `my_pick_rows` pages through with the same `pending` filter."""
    stmt = _mine(select(func.count(Pick.id)), user, pending)
    return int(session.execute(stmt).scalar_one())


def _mine(stmt, user: User, pending: bool | None):  # type: ignore[no-untyped-def]
    stmt = stmt.select_from(Pick).join(Game, Game.id == Pick.game_id).where(Pick.user_id == user.id)
    if pending is not None:
        stmt = stmt.where((Pick.status == PickStatus.PENDING) == pending)
    return stmt


@dataclass(frozen=True)
class PublicPick:
    username: str
    pick: Pick


def game_picks(
    session: Session, game_id: str, now: datetime, lock_minutes: int
) -> list[PublicPick]:
    """Everyone's picks on a game, only once it has locked: no copying before tip-off."""
    game = get_game(session, game_id)
    if locks.is_open(game.status, game.commence_time, now, lock_minutes):
        raise Forbidden("Picks on this game stay hidden until it locks at tip-off.")
    stmt = (
        select(User.username, Pick)
        .join(User, User.id == Pick.user_id)
        .where(Pick.game_id == game_id)
        .order_by(Pick.market, User.username_key)
    )
    return [PublicPick(name, pick) for name, pick in session.execute(stmt).all()]
