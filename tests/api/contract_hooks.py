"""Schemathesis hooks for the contract test (loaded by `st run` through SCHEMATHESIS_HOOKS).

A new password has one rule JSON Schema cannot state: bcrypt's 72 bytes of UTF-8 (the document
says 8-72 characters and names the byte limit in words). Passwords the document calls valid are
drawn so they also fit in 72 bytes: 8-72 ASCII characters, or 8-18 of any (at most 4 bytes
each). Everything else about the request is generated from the document as it stands.
"""

from __future__ import annotations

import re

import schemathesis
from hypothesis import strategies as st

from pickvs.api.schemas import NOT_BLANK_PATTERN, PASSWORD_MIN_CHARS
from pickvs.domain.accounts import PASSWORD_MAX_BYTES

WIDEST_CHAR_BYTES = 4
_NOT_BLANK = re.compile(NOT_BLANK_PATTERN)

_ascii = st.text(
    st.characters(max_codepoint=0x7F), min_size=PASSWORD_MIN_CHARS, max_size=PASSWORD_MAX_BYTES
)
_any = st.text(
    st.characters(codec="utf-8"),
    min_size=PASSWORD_MIN_CHARS,
    max_size=PASSWORD_MAX_BYTES // WIDEST_CHAR_BYTES,
)
passwords = st.one_of(_ascii, _any).filter(lambda value: bool(_NOT_BLANK.search(value)))

schemathesis.openapi.format("password", passwords)
