"""Account validation: usernames, emails and passwords (bcrypt's 72-byte limit)."""

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
        ("12345678", None),  # 8 bytes: the minimum
        ("1234567", "at least 8"),
        ("", "at least 8"),
        ("a" * 72, None),
        ("a" * 73, "at most 72 bytes"),
        # Bytes, not characters: 'é' is 2 bytes in UTF-8, '€' is 3.
        ("é" * 36, None),  # 72 bytes, 36 characters
        ("é" * 36 + "a", "at most 72 bytes"),  # 73 bytes, 37 characters
        ("€" * 24, None),  # 72 bytes
        ("€" * 24 + "a", "at most 72 bytes"),
        ("€€€", None),  # 9 bytes, only 3 characters: long enough in bytes
        ("éé", "at least 8"),  # 4 bytes
    ],
)
def test_password(password: str, problem: str | None) -> None:
    got = password_problem(password)
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_normalisation() -> None:
    assert normalize_email("  Alice@Example.COM ") == "alice@example.com"
    assert username_key(" Alice_99 ") == "alice_99"
