"""User look-ups shared by auth, picks, admin and the leaderboard."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlmodel import Session

from pickvs.domain.accounts import normalize_email, username_key
from pickvs.models import User


def get_by_username(session: Session, username: str) -> User | None:
    stmt = select(User).where(User.username_key == username_key(username))
    return session.execute(stmt).scalar_one_or_none()


def get_by_login(session: Session, login: str) -> User | None:
    """A player may log in with their username or their email, in any case."""
    key = login.strip().lower()
    stmt = select(User).where(or_(User.username_key == key, User.email == normalize_email(key)))
    return session.execute(stmt.limit(1)).scalar_one_or_none()
