"""Version stamps that cached league boards are keyed by (`services.leagues._board_key`).

A stamp is a fresh random number rather than a count: a count starts again in a database that
was emptied, restored or rolled back under a running process, and a cache holding the old
count would then serve a board for data that no longer exists. A random 31-bit stamp does not
repeat in practice, and two writers racing each other still leave a new value behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlmodel import Session

from pickvs.models import Pick, User


def new_stamp() -> int:
    return secrets.randbelow(2**31 - 1) + 1


def picks_changed(session: Session, user_id: int | None) -> None:
    """The player's picks changed (made, changed or withdrawn): a withdrawn or re-priced pick
    can move who counts under a league's daily cap."""
    session.execute(update(User).where(User.id == user_id).values(picks_version=new_stamp()))


def games_moved(session: Session, game_ids: Iterable[str]) -> None:
    """These games' tip-offs moved: a pick on them may now belong to another slate day (so
    another daily cap) or another period, for every player who picked them."""
    ids = sorted(set(game_ids))
    if not ids:
        return
    pickers = select(Pick.user_id).where(Pick.game_id.in_(ids)).distinct()
    session.execute(update(User).where(User.id.in_(pickers)).values(picks_version=new_stamp()))
