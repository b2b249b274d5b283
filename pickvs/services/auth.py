"""Passwords (bcrypt), tokens (JWT HS256) and login throttling, in one small module."""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import bcrypt
import jwt
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain import accounts
from pickvs.models import LoginFailure, User
from pickvs.services.errors import Conflict, InvalidInput, NotAuthenticated, Throttled
from pickvs.services.users import get_by_login

ALGORITHM = "HS256"
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_LIMIT = 5
# Compared against when the login names nobody, so a miss costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"pickvs-timing-equaliser", bcrypt.gensalt()).decode()


def hash_password(password: str) -> str:
    problem = accounts.password_problem(password)
    if problem:
        raise InvalidInput(problem, field="password")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def verify_password(password: str, password_hash: str) -> bool:
    raw = (password or "").encode("utf-8")
    if len(raw) > accounts.PASSWORD_MAX_BYTES:
        return False  # bcrypt would raise; no stored password can be this long
    return bcrypt.checkpw(raw, password_hash.encode())


@lru_cache(maxsize=4)
def _file_secret(path: Path) -> str:
    """Generated once and kept under the data directory, so tokens survive restarts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data dir: owner only
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def secret_key() -> str:
    return settings.secret_key or _file_secret(settings.data_dir.resolve() / "secret_key")


def create_token(user: User, now: datetime) -> str:
    claims = {
        "sub": str(user.id),
        "name": user.username,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(days=settings.token_days)).timestamp()),
    }
    return jwt.encode(claims, secret_key(), algorithm=ALGORITHM)


def user_id_from_token(token: str, now: datetime) -> int:
    """Verify signature and expiry against the injected clock, not the wall clock."""
    try:
        claims = jwt.decode(
            token,
            secret_key(),
            algorithms=[ALGORITHM],
            # Expiry is checked below against the injected clock; PyJWT would compare `exp`,
            # `iat` and `nbf` with the wall clock (a token issued by a replica whose clock runs a
            # little ahead would be refused as "not yet valid").
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "require": ["sub", "exp"],
            },
        )
        if int(claims["exp"]) <= now.timestamp():
            raise NotAuthenticated("Your session has expired; please log in again.")
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise NotAuthenticated("Invalid or missing token; please log in.") from exc


def current_user(session: Session, token: str | None, now: datetime) -> User:
    if not token:
        raise NotAuthenticated("Log in to do this.")
    user = session.get(User, user_id_from_token(token, now))
    if user is None:
        raise NotAuthenticated("This account no longer exists; please sign up again.")
    return user


def register(session: Session, email: str, username: str, password: str, now: datetime) -> User:
    """Create a player; each problem names its field so the form can point at it."""
    email, username = (email or "").strip(), (username or "").strip()
    for field, problem in (
        ("email", accounts.email_problem(email)),
        ("username", accounts.username_problem(username)),
        ("password", accounts.password_problem(password)),
    ):
        if problem:
            raise InvalidInput(problem, field=field)
    email = accounts.normalize_email(email)
    key = accounts.username_key(username)
    if session.execute(select(User.id).where(User.username_key == key)).first():
        raise Conflict("That username is taken.", field="username")
    if session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict("An account with that email already exists.", field="email")
    user = User(
        email=email,
        username=username,
        username_key=key,
        password_hash=hash_password(password),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        raise Conflict("That username or email was just taken.", field="username") from exc
    return user


THROTTLE_KEY_LENGTH = 300  # login_failure.key: a longer key would fail on PostgreSQL


def _throttle_keys(login: str, client: str | None) -> list[str]:
    """Clipped to the column: any login text must be countable, however long (no real
    username or email comes near the limit, so clipping never merges two real accounts)."""
    keys = [f"account:{login.strip().lower()}"[:THROTTLE_KEY_LENGTH]]
    if client:
        keys.append(f"client:{client}"[:THROTTLE_KEY_LENGTH])
    return keys


def _recent_failures(session: Session, key: str, now: datetime) -> int:
    stmt = select(func.count()).where(
        LoginFailure.key == key, LoginFailure.at > now - THROTTLE_WINDOW
    )
    return int(session.execute(stmt).scalar_one())


def login(
    session: Session, login_name: str, password: str, client: str | None, now: datetime
) -> User:
    """Check credentials; 5 failures in 15 minutes per account or per client means wait."""
    # NUL can name no account, and PostgreSQL cannot store it in a throttle key.
    login_name = (login_name or "").replace("\x00", "")
    keys = _throttle_keys(login_name, client)
    if any(_recent_failures(session, key, now) >= THROTTLE_LIMIT for key in keys):
        raise Throttled("Too many failed log-ins; wait 15 minutes and try again.")
    user = get_by_login(session, login_name or "")
    if not verify_password(password, user.password_hash if user else _DUMMY_HASH) or user is None:
        for key in keys:
            session.add(LoginFailure(key=key, at=now))
        # The failure must be remembered even though the caller's unit of work fails.
        session.commit()
        raise NotAuthenticated("Wrong username/email or password.")
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
    return user
