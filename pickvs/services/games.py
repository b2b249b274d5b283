"""Game look-ups shared by picks, admin settlement and the pages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pickvs.domain.locks import has_locked
from pickvs.domain.text import storable
from pickvs.models import Game, GameStatus
from pickvs.services.errors import NotFound


def get_game(session: Session, game_id: str) -> Game:
    """The game with this provider id, or NotFound with a message naming it."""
    game = session.get(Game, game_id) if storable(game_id) else None
    if game is None:
        raise NotFound(f"No game with id {game_id!r}.")
    return game


def move_tip_off(game: Game, commence_time: datetime, now: datetime, lock_minutes: int = 0) -> bool:
    """Follow a new tip-off time from the feed; True when it moved.

    Once locked, never reopened: a game whose stored lock time (tip-off minus the lock offset)
    has passed has shown everyone's picks, so it leaves `scheduled` (in progress) before the
    time moves. The status is the record that it locked; it holds across every later fetch,
    since only `scheduled` games take picks, whatever their tip-off says.
    """
    if game.commence_time == commence_time:
        return False
    if game.status == GameStatus.SCHEDULED and has_locked(game.commence_time, now, lock_minutes):
        game.status = GameStatus.IN_PROGRESS
    game.commence_time, game.updated_at = commence_time, now
    return True
