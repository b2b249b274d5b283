"""Passwords (bcrypt), sessions and their tokens (JWT HS256), and log-in (throttled by
`services/throttle.py`).

A token names a server-side session (`user_session`), so log-out can end it for good.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import bcrypt
import jwt
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pickvs.config import SECRET_KEY_MIN_BYTES, settings
from pickvs.domain import accounts
from pickvs.models import User, UserSession
from pickvs.services import throttle
from pickvs.services.errors import Conflict, InvalidInput, NotAuthenticated
from pickvs.services.users import get_by_login

ALGORITHM = "HS256"
# Compared against when the login names nobody, so a miss costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"pickvs-timing-equaliser", bcrypt.gensalt()).decode()


def hash_password(password: str) -> str:
    problem = accounts.password_problem(password)
    if problem:
        raise InvalidInput(problem, field="password")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode()


def verify_password(password: str, password_hash: str) -> bool:
    try:
        raw = (password or "").encode("utf-8")
    except UnicodeEncodeError:
        return False  # a lone surrogate: no stored password holds one
    if len(raw) > accounts.PASSWORD_MAX_BYTES:
        return False  # bcrypt would raise; no stored password can be this long
    if not raw or b"\x00" in raw:
        return False  # bcrypt stops at NUL, so "" would match a password made of NULs
    return bcrypt.checkpw(raw, password_hash.encode())


_SECRET_WAIT_SECONDS = 5.0


class SecretKeyError(RuntimeError):
    """The generated key file cannot be used; the message says what to do."""


def _read_secret(path: Path) -> str | None:
    """The key in `path`, or None while the file is missing or not yet complete."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        return None
    return key if len(key.encode()) >= SECRET_KEY_MIN_BYTES else None


def _publish_secret(path: Path, key: str) -> None:
    """Put a complete key file at `path`, unless another process got there first.

    The key is written and fsynced under a temporary name and then hard-linked into place:
    `link` never replaces an existing file, so exactly one process's key wins and nobody can
    ever read a half-written one.
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # created 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: use its key
            os.link(temp, path)
    finally:
        os.unlink(temp)


@lru_cache(maxsize=4)
def _file_secret(path: Path) -> str:
    """Generated once and kept under the data directory, so tokens survive restarts.

    Safe when several workers start at once on an empty data directory: they all end up with
    the one key that reached the file, and an empty or partial key is never returned (so
    never cached).
    """
    key = _read_secret(path)
    if key is None and not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data dir: owner only
        _publish_secret(path, secrets.token_urlsafe(48))
    deadline = time.monotonic() + _SECRET_WAIT_SECONDS
    while key is None:
        key = _read_secret(path)
        if key is None and time.monotonic() > deadline:
            raise SecretKeyError(
                f"{path} holds no usable key (fewer than {SECRET_KEY_MIN_BYTES} bytes); "
                "delete it to have a new one generated, or set PICKVS_SECRET_KEY"
            )
        if key is None:
            time.sleep(0.05)
    return key


def secret_key() -> str:
    return settings.secret_key or _file_secret(settings.data_dir.resolve() / "secret_key")


@dataclass(frozen=True)
class TokenClaims:
    """What a correctly signed, unexpired token says: whose it is and which session."""

    user_id: int
    session_secret: str


SESSION_SECRET_MAX = 100  # generated secrets are 43 characters; anything longer is not ours
# What `secrets.token_urlsafe` writes; anything else (a lone surrogate, NUL, spaces) is not ours.
_SESSION_SECRET_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{SESSION_SECRET_MAX}}}")
_MAX_ID = 2**31 - 1  # user.id is a 32-bit INTEGER on PostgreSQL


def _session_key(secret: str) -> str:
    """The user_session row's id: a hash, so the table alone yields no working token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, user: User, now: datetime) -> str:
    """Start a session for `user` (a row in the caller's unit of work) and sign its token."""
    assert user.id is not None
    secret = secrets.token_urlsafe(32)
    expires = now + timedelta(days=settings.token_days)
    # The player's long-expired sessions go as a new one starts, so the table stays small.
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,  # type: ignore[arg-type]
            UserSession.expires_at < now - timedelta(days=1),  # type: ignore[arg-type]
        )
    )
    session.add(
        UserSession(id=_session_key(secret), user_id=user.id, created_at=now, expires_at=expires)
    )
    session.flush()
    claims = {
        "sub": str(user.id),
        "sid": secret,
        "name": user.username,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
    }
    return jwt.encode(claims, secret_key(), algorithm=ALGORITHM)


def _subject(value: object) -> int:
    """`sub` as create_token writes it: the player's id as a string of ASCII digits."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12):
        raise ValueError("not a player id")
    number = int(value)
    if not 0 < number <= _MAX_ID:
        raise ValueError("not a player id")
    return number


def _timestamp(value: object) -> float:
    """`exp` as a finite number of seconds (JSON allows 1e999, which Python reads as inf)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a timestamp")
    if not math.isfinite(value):
        raise ValueError("not a timestamp")
    return float(value)


def read_token(token: str, now: datetime) -> TokenClaims:
    """Verify signature and expiry against the injected clock, not the wall clock.

    Any claim of the wrong type or out of range (a subject of "abc", -1, 10**30 or a list) is
    the same 401 as a bad signature, never a database error.
    """
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
                "verify_sub": False,  # checked below, with the other claims
                "require": ["sub", "exp"],
            },
        )
        expires = _timestamp(claims["exp"])
        user_id = _subject(claims["sub"])
        secret = claims.get("sid")
        if not isinstance(secret, str) or not _SESSION_SECRET_RE.fullmatch(secret):
            raise ValueError("not a session token")
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        raise NotAuthenticated("Invalid or missing token; please log in.") from exc
    if expires <= now.timestamp():
        raise NotAuthenticated("Your session has expired; please log in again.")
    return TokenClaims(user_id, secret)


def user_id_from_token(token: str, now: datetime) -> int:
    """The player a correctly signed, unexpired token names (its session is not checked)."""
    return read_token(token, now).user_id


def _live_session(session: Session, token: str | None, now: datetime) -> UserSession:
    """The session a token names, if it is still live: not ended, not expired, same player."""
    if not token:
        raise NotAuthenticated("Log in to do this.")
    claims = read_token(token, now)
    row = session.get(UserSession, _session_key(claims.session_secret))
    if row is None or row.user_id != claims.user_id:
        raise NotAuthenticated("This session has ended; please log in again.")
    if row.revoked_at is not None:
        raise NotAuthenticated("You have logged out; please log in again.")
    if row.expires_at <= now:
        raise NotAuthenticated("Your session has expired; please log in again.")
    return row


def current_session(session: Session, token: str | None, now: datetime) -> tuple[User, str]:
    """The player behind a token and the id of its session (which changes at every log-in)."""
    row = _live_session(session, token, now)
    user = session.get(User, row.user_id)
    if user is None:  # only when foreign keys were off while the player was deleted
        raise NotAuthenticated("This account no longer exists; please sign up again.")
    return user, row.id


def current_user(session: Session, token: str | None, now: datetime) -> User:
    return current_session(session, token, now)[0]


def end_session(session: Session, token: str | None, now: datetime) -> None:
    """Log out: the token's session ends on the server, so a copy of the token stops working.

    Raises NotAuthenticated when the token is not a live session (already logged out).
    """
    _live_session(session, token, now).revoked_at = now


def end_all_sessions(session: Session, token: str | None, now: datetime) -> int:
    """Log out everywhere: every live session of the token's player ends; how many did."""
    user, _ = current_session(session, token, now)
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,  # type: ignore[arg-type]
            UserSession.revoked_at.is_(None),  # type: ignore[union-attr]
            UserSession.expires_at > now,  # type: ignore[arg-type]
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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


def login(
    session: Session, login_name: str, password: str, client: str | None, now: datetime
) -> User:
    """Check credentials under the log-in throttle (`pickvs.domain.throttle` says who waits).

    The attempt is counted before the password is checked and given back when it is right, so
    parallel guesses cannot pass the count; `client` is the caller's address
    (`throttle.client_address`), None when unknown.
    """
    # NUL can name no account, and PostgreSQL cannot store it in a throttle key.
    login_name = (login_name or "").replace("\x00", "")
    reservation = throttle.reserve(session, login_name, client, now)
    user = get_by_login(session, login_name)
    if not verify_password(password, user.password_hash if user else _DUMMY_HASH) or user is None:
        raise NotAuthenticated("Wrong username/email or password.")
    throttle.release(session, reservation)
    return user
