"""Manual settlement for results the feed cannot give (e.g. older than the 3-day scores window)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pickvs.db import lock_league_writes
from pickvs.domain import results
from pickvs.models import Game, GameStatus, User
from pickvs.services import grading
from pickvs.services.errors import InvalidInput, NotFound
from pickvs.services.games import get_game
from pickvs.services.grading import GradeReport

MAX_SCORE = 400


def settle(
    session: Session, game_id: str, home_score: int, away_score: int, by: str, now: datetime
) -> GradeReport:
    """Record a final score as `admin:<by>` and regrade everyone at once."""
    for label, score in (("away", away_score), ("home", home_score)):
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
            raise InvalidInput(
                f"The {label} score must be a whole number from 0 to {MAX_SCORE}.",
                field=f"{label}_score",
            )
    lock_league_writes(session)  # before the game row: grading below takes the same lock
    game = get_game(session, game_id)
    if game.commence_time > now:
        raise InvalidInput(
            "This game has not started yet; void it instead if it will not be played."
        )
    problem = results.impossible_final(game.sport, home_score, away_score)
    if problem is not None:
        raise InvalidInput(problem)
    game.home_score, game.away_score = home_score, away_score
    _mark_settled(game, GameStatus.FINAL, by, now)
    return grading.grade(session, now)


def void(session: Session, game_id: str, by: str, now: datetime) -> GradeReport:
    """Cancel a game by hand: every pick on it is refunded and counts nowhere."""
    lock_league_writes(session)
    game = get_game(session, game_id)
    if not results.can_void(game.status):
        raise InvalidInput("This game is void already; settle it if it was played after all.")
    game.home_score = game.away_score = None
    _mark_settled(game, GameStatus.CANCELLED, by, now)
    return grading.grade(session, now)


def _mark_settled(game: Game, status: str, by: str, now: datetime) -> None:
    game.status, game.settled_at, game.settled_by, game.updated_at = (
        status,
        now,
        f"admin:{by}"[:64],
        now,
    )


def make_admin(session: Session, username: str) -> User:
    from pickvs.services.users import get_by_username

    user = get_by_username(session, username)
    if user is None:
        raise NotFound(f"No player named {username!r}.")
    user.is_admin = True
    session.flush()
    return user
