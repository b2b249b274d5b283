"""Account validation: usernames, emails and passwords (8 characters, bcrypt's 72 bytes)."""

from __future__ import annotations

import pytest

from pickvs.domain.accounts import (
    email_problem,
    normalize_email,
    password_problem,
    username_key,
    username_problem,
)


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("bob", True),  # 3 characters: the minimum
        ("bo", False),
        ("a" * 20, True),  # the maximum
        ("a" * 21, False),
        ("Alice_99", True),
        ("", False),
        ("bob smith", False),
        ("bob-smith", False),
        ("bob.smith", False),
        ("bob\n", False),  # `$` alone would let a trailing newline through
        ("\nbob", False),
        # Letters A-Z only: look-alikes from other scripts would let one player pose as another.
        ("José", False),
        ("Zoë_fan", False),
        ("\u0430lice", False),  # Cyrillic a: looks exactly like "alice"
        ("李小龙", False),
        ("bob\u0661", False),  # Arabic-Indic digit one: a digit, but not 0-9
    ],
)
def test_username(username: str, ok: bool) -> None:
    problem = username_problem(username)
    assert (problem is None) is ok
    if not ok:
        assert "3-20" in problem and "A-Z" in problem  # type: ignore[operator]


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("alice@example.com", True),
        ("a.b+tag@mail.example.co.uk", True),
        ("alice@example", False),
        ("alice.example.com", False),
        ("alice@@example.com", False),
        ("al ice@example.com", False),
        ("alice@example.com\n", False),
        ("", False),
        ("a@" + "b" * 250 + ".com", False),  # longer than 254
    ],
)
def test_email(email: str, ok: bool) -> None:
    assert (email_problem(email) is None) is ok


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("12345678", None),  # 8 characters: the minimum
        ("1234567", "at least 8 characters"),
        ("", "at least 8 characters"),
        ("a" * 72, None),
        ("a" * 73, "at most 72 bytes"),
        # The minimum counts characters, as its message says: '€' is 3 bytes but 1 character.
        ("€€€", "at least 8 characters"),  # 9 bytes, only 3 characters
        ("é" * 7, "at least 8 characters"),  # 14 bytes, 7 characters
        ("é" * 8, None),  # 8 characters, 16 bytes
        ("€" * 8, None),  # 8 characters, 24 bytes
        ("🔒" * 8, None),  # 8 characters, 32 bytes (4 each)
        # The maximum is bcrypt's, in bytes: 'é' is 2 bytes in UTF-8, '€' is 3, '🔒' is 4.
        ("é" * 36, None),  # 72 bytes, 36 characters
        ("é" * 36 + "a", "at most 72 bytes"),  # 73 bytes, 37 characters
        ("€" * 24, None),  # 72 bytes
        ("€" * 24 + "a", "at most 72 bytes"),
        ("🔒" * 18, None),  # 72 bytes, 18 characters
        ("🔒" * 19, "at most 72 bytes"),  # 76 bytes
        # Nothing but whitespace is no password, however long.
        (" " * 8, "only spaces"),
        (" " * 72, "only spaces"),
        ("\t\n \u00a0\u3000   ", "only spaces"),  # tab, newline, no-break and ideographic spaces
        ("\u200b" * 8, "only spaces"),  # zero-width spaces: invisible, so no password either
        ("\u200b" * 7 + "a", None),
        # bcrypt stops at NUL: eight NULs would hash as "" does, so "" would log in.
        ("\x00" * 8, "NUL"),
        ("password\x00", "NUL"),
        # A lone surrogate cannot be encoded: a clear refusal, not a codec error.
        ("password\ud800", "not valid text"),
        ("  a     ", None),  # one real character is enough; spaces are kept as typed
        (" correct horse ", None),
    ],
)
def test_password(password: str, problem: str | None) -> None:
    got = password_problem(password)
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_password_messages_say_what_they_count() -> None:
    assert password_problem("€€€") == "Password must be at least 8 characters."
    assert password_problem(" " * 8) == "Password cannot be only spaces."
    assert password_problem("é" * 37) == "Password must be at most 72 bytes."


def test_normalisation() -> None:
    assert normalize_email("  Alice@Example.COM ") == "alice@example.com"
    assert username_key(" Alice_99 ") == "alice_99"
