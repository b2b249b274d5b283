"""Account rules: valid usernames, emails and passwords, with messages a player can act on."""

from __future__ import annotations

import re

# ASCII on purpose: look-alike letters from other scripts would let one player pose as another.
# Matched with `fullmatch`: `$` would also accept a trailing newline.
USERNAME_RE = re.compile(r"[A-Za-z0-9_]{3,20}")
EMAIL_RE = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
PASSWORD_MIN_CHARS = 8  # characters as the player counts them, not UTF-8 bytes
PASSWORD_MAX_BYTES = 72  # bcrypt's limit: longer must be refused, not silently truncated


def username_problem(username: str) -> str | None:
    if not USERNAME_RE.fullmatch(username or ""):
        return "Username must be 3-20 characters: letters A-Z, digits or underscores."
    return None


def email_problem(email: str) -> str | None:
    if len(email or "") > 254 or not EMAIL_RE.fullmatch(email or ""):
        return "Enter a valid email address."
    return None


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, or None.

    The minimum counts characters (what the message promises: `€€€` is 3, not 9 bytes); a
    password of only spaces or other whitespace is refused however long. The maximum is
    bcrypt's 72 bytes of UTF-8, said in bytes because that is what it counts: 36 `é` fit,
    37 do not.
    """
    text = password or ""
    if len(text) < PASSWORD_MIN_CHARS:
        return f"Password must be at least {PASSWORD_MIN_CHARS} characters."
    if "\x00" in text:  # bcrypt stops at NUL: eight of them would hash like "" does
        return "Password cannot contain the NUL character."
    if not any(ch.isprintable() and not ch.isspace() for ch in text):
        return "Password cannot be only spaces."  # zero-width and other invisible ones too
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate: not text any keyboard types
        return "Password contains a character that is not valid text."
    if size > PASSWORD_MAX_BYTES:
        return f"Password must be at most {PASSWORD_MAX_BYTES} bytes."
    return None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def username_key(username: str) -> str:
    return username.strip().lower()
