"""Game look-ups shared by picks, admin settlement and the pages."""

from __future__ import annotations

from sqlmodel import Session

from pickvs.domain.text import storable
from pickvs.models import Game
from pickvs.services.errors import NotFound


def get_game(session: Session, game_id: str) -> Game:
    """The game with this provider id, or NotFound with a message naming it."""
    game = session.get(Game, game_id) if storable(game_id) else None
    if game is None:
        raise NotFound(f"No game with id {game_id!r}.")
    return game
