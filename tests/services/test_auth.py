"""Passwords, tokens checked against the injected clock, and log-in throttling through login()."""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
import jwt
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.throttle import POLICY
from pickvs.models import LoginThrottle, User, UserSession
from pickvs.services import auth
from pickvs.services.errors import Conflict, InvalidInput, NotAuthenticated, Throttled
from tests.services.builders import PASSWORD, make_user, utc
from tests.test_preflight import run_pickvs

NOW = utc("2026-11-22T12:00")


def test_hash_and_verify() -> None:
    hashed = auth.hash_password("hunter2hunter2")
    assert hashed.startswith("$2b$") and "hunter2" not in hashed
    assert auth.verify_password("hunter2hunter2", hashed)
    assert not auth.verify_password("hunter2hunter3", hashed)
    assert not auth.verify_password("", hashed)


def test_the_72_byte_limit_is_in_bytes() -> None:
    at_limit = "é" * 36  # 72 bytes in UTF-8, 36 characters
    assert auth.verify_password(at_limit, auth.hash_password(at_limit))
    with pytest.raises(InvalidInput) as excinfo:
        auth.hash_password(at_limit + "a")  # 73 bytes: refused, never silently truncated
    assert excinfo.value.field == "password"
    assert "72 bytes" in excinfo.value.message
    # Checking an over-long password is a plain "no", not bcrypt's ValueError.
    assert auth.verify_password("a" * 73, auth.hash_password("a" * 72)) is False


def test_register(session: Session) -> None:
    user = auth.register(session, "  Alice@Example.com ", " Alice ", "é" * 36, NOW)
    assert (user.email, user.username, user.username_key, user.is_admin) == (
        "alice@example.com",
        "Alice",
        "alice",
        False,
    )
    assert (user.total_units, user.total_wagered, user.roi) == (0.0, 0.0, None)
    assert user.created_at == NOW


@pytest.mark.parametrize(
    ("email", "username", "password", "error", "field"),
    [
        ("bob@example.com", "ALICE", PASSWORD, Conflict, "username"),  # case-insensitive
        ("ALICE@example.COM", "bob", PASSWORD, Conflict, "email"),
        ("not-an-email", "bob", PASSWORD, InvalidInput, "email"),
        ("bob@example.com", "b", PASSWORD, InvalidInput, "username"),
        ("bob@example.com", "bob smith", PASSWORD, InvalidInput, "username"),
        ("bob@example.com", "bob", "short", InvalidInput, "password"),
        ("bob@example.com", "bob", "x" * 73, InvalidInput, "password"),
    ],
)
def test_register_refuses(
    session: Session, email: str, username: str, password: str, error: type, field: str
) -> None:
    make_user(session, "alice", NOW)
    with pytest.raises(error) as excinfo:
        auth.register(session, email, username, password, NOW)
    assert excinfo.value.field == field
    assert session.execute(select(func.count()).select_from(User)).scalar_one() == 1


def test_login_by_username_or_email_in_any_case(session: Session) -> None:
    alice = make_user(session, "Alice", NOW)
    for name in ("alice", "ALICE", " Alice ", "alice@example.com", "ALICE@EXAMPLE.COM"):
        assert auth.login(session, name, PASSWORD, "10.0.0.1", NOW).id == alice.id


def test_tokens_follow_the_injected_clock(session: Session) -> None:
    """Issued 30 days ahead of the wall clock: only the injected clock may judge it."""
    issued = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    alice = make_user(session, "alice", issued)
    token = auth.create_token(session, alice, issued)
    assert auth.user_id_from_token(token, issued) == alice.id
    last_valid = issued + timedelta(days=settings.token_days) - timedelta(seconds=1)
    assert auth.user_id_from_token(token, last_valid) == alice.id
    assert auth.current_user(session, token, last_valid).id == alice.id
    with pytest.raises(NotAuthenticated, match="expired"):
        auth.user_id_from_token(token, issued + timedelta(days=settings.token_days))


def test_forged_and_malformed_tokens(session: Session) -> None:
    alice = make_user(session, "alice", NOW)
    exp = int((NOW + timedelta(days=1)).timestamp())
    token = auth.create_token(session, alice, NOW)
    header, payload, signature = token.split(".")
    swapped = jwt.utils.base64url_encode(b'{"sub":"1","exp":9999999999}').decode()
    forged = [
        jwt.encode(
            {"sub": str(alice.id), "exp": exp}, "somebody-elses-key-" * 3, algorithm="HS256"
        ),
        jwt.encode({"sub": str(alice.id), "exp": exp}, None, algorithm="none"),  # type: ignore[arg-type]
        f"{header}.{payload}.{signature[:-4]}AAAA",  # tampered signature
        f"{header}.{swapped}.{signature}",  # another payload under the real signature
        jwt.encode({"exp": exp}, auth.secret_key(), algorithm="HS256"),  # no subject
        jwt.encode({"sub": "alice", "exp": exp}, auth.secret_key(), algorithm="HS256"),
        "not-a-token",
        "",
    ]
    for bad in forged:
        with pytest.raises(NotAuthenticated):
            auth.user_id_from_token(bad, NOW)
    with pytest.raises(NotAuthenticated):
        auth.current_user(session, None, NOW)
    ghost = jwt.encode(
        {"sub": "999999", "sid": "x" * 43, "exp": exp}, auth.secret_key(), algorithm="HS256"
    )
    with pytest.raises(NotAuthenticated, match="ended"):
        auth.current_user(session, ghost, NOW)


def failures(engine: Engine) -> dict[str, int]:
    with Session(engine) as fresh:
        rows = fresh.execute(
            select(LoginThrottle.key, LoginThrottle.failures).where(LoginThrottle.failures > 0)
        ).all()
    return {key: n for key, n in rows}


def test_five_failures_lock_the_pair_not_the_account(engine: Engine, session: Session) -> None:
    make_user(session, "alice", NOW)
    session.commit()
    for n in range(POLICY.free_failures):
        with pytest.raises(NotAuthenticated):
            auth.login(
                session, "alice", "wrong password", "10.0.0.1", NOW + timedelta(seconds=10 * n)
            )
    # The sixth try from that client is refused before the password is even checked, right
    # one included, for a minute after the fifth failure (at 0:40).
    later = NOW + timedelta(seconds=70)
    with pytest.raises(Throttled, match="wait 30 seconds"):
        auth.login(session, "ALICE", PASSWORD, "10.0.0.1", later)
    # Anyone else -- alice on her phone -- is not refused for that client's failures.
    for client in ("192.168.1.1", None):
        assert auth.login(session, "alice", PASSWORD, client, later).username == "alice"
    session.commit()
    # The minute over, the pair may try again, and a success ends its streak and gives back
    # the failure reserved for it; the account's and the client's earlier failures stay.
    assert auth.login(session, "alice", PASSWORD, "10.0.0.1", NOW + timedelta(seconds=100))
    session.commit()
    assert failures(engine) == {"account:alice": 5, "client:10.0.0.1": 5}


def test_a_client_guessing_across_accounts_is_throttled(session: Session) -> None:
    make_user(session, "alice", NOW)
    for n in range(POLICY.client_budget):
        with pytest.raises(NotAuthenticated):
            auth.login(session, f"nobody{n}", "whatever1", "203.0.113.7", NOW)
    with pytest.raises(Throttled, match="wait 1 hour"):
        auth.login(session, "alice", PASSWORD, "203.0.113.7", NOW)
    assert auth.login(session, "alice", PASSWORD, "198.51.100.1", NOW).username == "alice"


def test_failures_persist_although_the_call_raised(engine: Engine, session: Session) -> None:
    make_user(session, "alice", NOW)
    session.commit()
    with pytest.raises(NotAuthenticated):
        auth.login(session, "alice", "wrong password", "10.0.0.1", NOW)
    session.rollback()  # what the caller's unit of work does with the error
    assert failures(engine) == {
        "account:alice": 1,
        "client:10.0.0.1": 1,
        "pair:10.0.0.1|alice": 1,
    }


def test_any_login_text_is_counted_without_a_database_error(
    engine: Engine, session: Session
) -> None:
    """login_throttle.key is VARCHAR(300): PostgreSQL would refuse a longer key with an error."""
    huge = "x" * 5000
    with pytest.raises(NotAuthenticated):
        auth.login(session, huge, "whatever1", "c" * 1000, NOW)
    keys = failures(engine)
    assert len(keys) == 3 and all(len(k) <= 300 for k in keys)
    with pytest.raises(NotAuthenticated):
        auth.login(session, "a@b.c", "x" * 500, None, NOW)  # over-long password: just wrong


def test_nul_in_login_or_email_is_refused_cleanly(session: Session) -> None:
    from pickvs.services.errors import InvalidInput, NotAuthenticated

    with pytest.raises(InvalidInput, match="valid email"):
        auth.register(session, "a\x00b@example.com", "nulls", "password123", NOW)
    with pytest.raises(NotAuthenticated):
        auth.login(session, "ghost\x00", "password123", "198.51.100.7", NOW)


# --- sessions -------------------------------------------------------------------------------


def signed(claims: dict[str, object]) -> str:
    return jwt.encode(claims, auth.secret_key(), algorithm="HS256")


def test_a_token_names_a_session_that_log_out_ends(session: Session) -> None:
    alice = make_user(session, "alice", NOW)
    phone, laptop = auth.create_token(session, alice, NOW), auth.create_token(session, alice, NOW)
    assert auth.current_user(session, phone, NOW).id == alice.id

    auth.end_session(session, phone, NOW + timedelta(minutes=1))

    with pytest.raises(NotAuthenticated, match="logged out"):
        auth.current_user(session, phone, NOW + timedelta(minutes=2))
    assert auth.current_user(session, laptop, NOW).id == alice.id  # the other log-in stays
    with pytest.raises(NotAuthenticated):
        auth.end_session(session, phone, NOW)  # nothing left to end
    row = session.get(UserSession, auth.current_session(session, laptop, NOW)[1])
    assert row is not None and row.user_id == alice.id and row.revoked_at is None
    assert row.expires_at == NOW + timedelta(days=settings.token_days)


def test_log_out_everywhere_ends_every_session_of_that_player_only(session: Session) -> None:
    alice, bob = make_user(session, "alice", NOW), make_user(session, "bob", NOW)
    alices = [auth.create_token(session, alice, NOW) for _ in range(3)]
    bobs = auth.create_token(session, bob, NOW)

    assert auth.end_all_sessions(session, alices[0], NOW) == 3

    for token in alices:
        with pytest.raises(NotAuthenticated):
            auth.current_user(session, token, NOW)
    assert auth.current_user(session, bobs, NOW).id == bob.id
    fresh = auth.create_token(session, alice, NOW + timedelta(minutes=1))  # logging in again
    assert auth.current_user(session, fresh, NOW + timedelta(minutes=1)).id == alice.id


def test_a_deleted_players_token_never_names_the_next_player(session: Session) -> None:
    """SQLite reused the highest id once its row was gone: the old token named the new player."""
    make_user(session, "alice", NOW)
    bob = make_user(session, "bob", NOW)
    token, bob_id = auth.create_token(session, bob, NOW), bob.id
    session.delete(bob)
    session.flush()
    assert session.execute(select(func.count()).select_from(UserSession)).scalar_one() == 0

    cy = auth.register(session, "cyd@example.com", "cyd", PASSWORD, NOW)
    session.flush()

    assert cy.id != bob_id  # ids are never handed out twice, on SQLite as on PostgreSQL
    with pytest.raises(NotAuthenticated):
        auth.current_user(session, token, NOW)
    # Even a token signed for the new id with the old session's secret names nothing.
    claims = jwt.decode(
        token, auth.secret_key(), algorithms=["HS256"], options={"verify_exp": False}
    )
    with pytest.raises(NotAuthenticated):
        auth.current_user(session, signed({**claims, "sub": str(cy.id)}), NOW)


EXP = int((NOW + timedelta(days=1)).timestamp())


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "abc", "sid": "s" * 43, "exp": EXP},
        {"sub": "-1", "sid": "s" * 43, "exp": EXP},
        {"sub": "0", "sid": "s" * 43, "exp": EXP},
        {"sub": str(10**30), "sid": "s" * 43, "exp": EXP},
        {"sub": 10**30, "sid": "s" * 43, "exp": EXP},
        {"sub": "2147483648", "sid": "s" * 43, "exp": EXP},  # one past PostgreSQL's INTEGER
        {"sub": ["1"], "sid": "s" * 43, "exp": EXP},
        {"sub": "\uff11", "sid": "s" * 43, "exp": EXP},  # a full-width digit one
        {"sub": "1", "sid": ["s"], "exp": EXP},
        {"sub": "1", "sid": "s" * 5000, "exp": EXP},
        {"sub": "1", "sid": "", "exp": EXP},
        {"sub": "1", "exp": EXP},  # a token from before sessions
        {"sub": "1", "sid": "s" * 43, "exp": "tomorrow"},
        {"sub": "1", "sid": "s" * 43, "exp": True},
        # A session secret is what token_urlsafe writes: a lone surrogate cannot even be hashed.
        {"sub": "1", "sid": "\ud800", "exp": 2_000_000_000},
        {"sub": "1", "sid": "a b", "exp": 2_000_000_000},
        {"sub": "1", "sid": "\x00", "exp": 2_000_000_000},
    ],
)
def test_a_signed_token_with_absurd_claims_is_refused_not_an_error(
    session: Session, claims: dict[str, object]
) -> None:
    make_user(session, "alice", NOW)
    with pytest.raises(NotAuthenticated):
        auth.current_user(session, signed(claims), NOW)


@pytest.mark.parametrize("password", ["", "\x00" * 8, "pass\ud800word"])
def test_no_password_bcrypt_cannot_tell_apart_ever_matches(password: str) -> None:
    """bcrypt stops at NUL: a hash of eight NULs is a hash of "". Such a password can no longer
    be set, and none of these ever verifies, whatever hash an older account holds."""
    nul_hash = bcrypt.hashpw(b"\x00" * 8, bcrypt.gensalt(4)).decode()
    assert bcrypt.checkpw(b"", nul_hash.encode())  # what made it dangerous
    assert auth.verify_password(password, nul_hash) is False


def test_an_infinite_expiry_is_refused(session: Session) -> None:
    """JSON's 1e999 reads as infinity, which int() cannot take."""
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}').decode()
    body = jwt.utils.base64url_encode(b'{"sub":"1","sid":"abc","exp":1e999}').decode()
    signing_input = f"{header}.{body}".encode()
    signature = jwt.utils.base64url_encode(
        hmac.new(auth.secret_key().encode(), signing_input, hashlib.sha256).digest()
    ).decode()
    with pytest.raises(NotAuthenticated):
        auth.current_user(session, f"{header}.{body}.{signature}", NOW)


# --- the generated signing key ------------------------------------------------------------


def _race_for_key(path: str, barrier: Any, results: Any) -> None:
    from pickvs.services import auth as child_auth

    barrier.wait()
    try:
        results.put(("ok", child_auth._file_secret(Path(path))))
    except Exception as exc:  # the failure the test is about: report it, do not hang
        results.put(("error", repr(exc)))


def test_workers_starting_together_share_one_generated_key(tmp_path: Path) -> None:
    """25 trials of 4 processes on an empty data directory: one complete key, for all four."""
    context = multiprocessing.get_context("fork")
    for trial in range(25):
        path = tmp_path / f"trial{trial}" / "secret_key"
        barrier, results = context.Barrier(4), context.Queue()
        workers = [
            context.Process(target=_race_for_key, args=(str(path), barrier, results))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert [kind for kind, _ in outcomes] == ["ok"] * 4, outcomes
        keys = {key for _, key in outcomes}
        assert len(keys) == 1, f"trial {trial}: {keys}"
        (key,) = keys
        assert len(key) >= 32 and path.read_text() == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temp file left


def test_an_empty_key_file_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret_key"
    path.write_text("")  # what a crash of the old code could leave
    monkeypatch.setattr(auth, "_SECRET_WAIT_SECONDS", 0.2)
    with pytest.raises(auth.SecretKeyError, match="delete it"):
        auth._file_secret(path)
    path.unlink()
    assert len(auth._file_secret(path)) >= 32
    auth._file_secret.cache_clear()


@pytest.mark.slow
def test_a_short_secret_key_is_refused_at_start_up(tmp_path: Path) -> None:
    done = run_pickvs(tmp_path, "db", "upgrade", env={"PICKVS_SECRET_KEY": "s3cret-but-short"})
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "PICKVS_SECRET_KEY: must be at least 32 bytes" in line
    assert "s3cret-but-short" not in done.stderr
    assert not (tmp_path / "data" / "pickvs.db").exists()
    ok = run_pickvs(tmp_path, "check", env={"PICKVS_SECRET_KEY": "k" * 32})
    assert ok.returncode == 0, ok.stderr
    blank = run_pickvs(tmp_path, "check", env={"PICKVS_SECRET_KEY": " " * 40})  # no key at all
    assert blank.returncode == 1
    (line,) = blank.stderr.splitlines()
    assert "PICKVS_SECRET_KEY: must be at least 32 bytes" in line


@pytest.mark.parametrize("content", ["", "  \n", "short-key"])
def test_an_unusable_generated_key_stops_the_start_with_one_line(
    tmp_path: Path, content: str
) -> None:
    """An emptied or cut-short data/secret_key would fail every log-in: `pickvs check` and the
    start (`db upgrade`) say so in one line instead, and leave the file for the operator."""
    (tmp_path / "data").mkdir(mode=0o700)
    key = tmp_path / "data" / "secret_key"
    key.write_text(content)
    for command in (("check",), ("db", "upgrade")):
        done = run_pickvs(tmp_path, *command)
        assert done.returncode == 1, done.stdout
        (line,) = done.stderr.splitlines()
        assert f"{key} holds no usable signing key" in line
        assert "delete it" in line
    assert key.read_text() == content
