"""Text the database can hold: PostgreSQL rejects NUL in text, SQLite stores it silently."""

from __future__ import annotations


def storable(text: str | None) -> bool:
    return text is not None and "\x00" not in text
